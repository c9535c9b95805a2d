"""The layer contract (``.importlinter``) holds: the suite fails on a forbidden import.

``lint-imports`` checks every import, also indirect chains, against the layers
cli > surfaces > tui | service > runner > obs > engine > show > clock | errors, keeps the pure
core (show, engine, clock) free of textual, websockets, aiohttp, apscheduler, obsws_python and
simpleobsws, keeps the runner's headless shell above the runner and the simulator apart.
"""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    report = out.stdout + out.stderr
    assert out.returncode == 0, report[report.find("Contracts"):]
    assert " 0 broken" in report


def test_the_pure_core_forbids_the_shell_libraries() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    pure = config["importlinter:contract:pure-core"]
    assert set(pure["source_modules"].split()) >= {"studio.show", "studio.engine", "studio.clock"}
    assert set(pure["forbidden_modules"].split()) >= {
        "textual", "websockets", "aiohttp", "apscheduler", "obsws_python", "simpleobsws"}

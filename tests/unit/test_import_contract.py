"""The functional core stays pure: studio.show and studio.engine import no UI, OBS client or
scheduler, even indirectly."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = ("textual", "obsws_python", "apscheduler", "websockets", "simpleobsws")
CORE_MODULES = [
    "studio.show.model",
    "studio.show.loader",
    "studio.engine.state",
    "studio.engine.actions",
    "studio.engine.projection",
    "studio.engine.timeline",
    "studio.engine.diff",
    "studio.clock",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_shell_library(module: str) -> None:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulls in {out.stdout.strip()}"

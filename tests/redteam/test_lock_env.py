"""One show, one controller, whatever the environment of the shell that starts it.

A unit under systemd has no ``$XDG_RUNTIME_DIR``; the technician's SSH login to the same machine
has one. Both are the same show on the same OBS: the second ``studio run`` must be refused, not
start a second controller writing the same journal and as-run."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from tests.views.service import free_port

STUDIO = [sys.executable, "-m", "studio"]
WAIT = 30.0

SHOW = """\
show: Lock test
date: {day}
timezone: UTC
catalogue: {catalogue}
segments:
  - id: alpha
    start: "12:00"
    duration: 10m
    scene: Studio Wide
"""


def write_show(folder: Path) -> Path:
    from tests.runner.conftest import CATALOGUE

    path = folder / "lock.yaml"
    tomorrow = date.today() + timedelta(days=1)  # never an ended show
    path.write_text(SHOW.format(day=tomorrow.isoformat(), catalogue=CATALOGUE),
                    encoding="utf-8")
    return path


def env_with(xdg: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("STUDIO_") and k != "XDG_RUNTIME_DIR"}
    env["STUDIO_OBS_PASSWORD"] = ""
    if xdg is not None:
        env["XDG_RUNTIME_DIR"] = str(xdg)
    return env


def test_a_run_from_a_login_shell_is_refused_while_the_unit_runs(tmp_path: Path) -> None:
    show = write_show(tmp_path)
    obs = f"ws://127.0.0.1:{free_port()}"  # OBS away: the first run waits for it, holding the show
    unit = subprocess.Popen(
        [*STUDIO, "run", str(show), "--obs", obs, "--headless"], cwd=tmp_path,
        env=env_with(None), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        assert unit.stdout is not None
        first = unit.stdout.readline()  # printed once the lock is held and the show built
        assert first.startswith("studio run: "), first
        login = tmp_path / "run-user"
        login.mkdir(mode=0o700)
        try:
            second = subprocess.run(
                [*STUDIO, "run", str(show), "--obs", obs, "--headless",
                 "--journal", str(tmp_path / "other.journal.jsonl")],
                cwd=tmp_path, env=env_with(login), stdin=subprocess.DEVNULL,
                capture_output=True, text=True, timeout=WAIT)
        except subprocess.TimeoutExpired:
            raise AssertionError("a second controller of the same show ran beside the first"
                                 ) from None
        assert second.returncode == 1, second.stdout + second.stderr
        assert "already running" in second.stderr and f"pid {unit.pid}" in second.stderr
    finally:
        unit.terminate()
        unit.wait(timeout=WAIT)

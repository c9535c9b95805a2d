"""Two rehearsals of one show on the built-in simulator wrote one predicted as-run, each emptying
it as it started: the second is refused, naming the first, unless it writes its own file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.runner.conftest import write_show


def test_a_second_rehearsal_on_the_same_asrun_is_refused(tmp_path: Path) -> None:
    show = write_show(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    first = subprocess.Popen(
        [sys.executable, "-m", "studio", "rehearse", str(show), "--speed", "1", "--headless"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert first.stdout is not None
        for line in first.stdout:  # it holds the lock before it says where it writes
            if line.startswith("Rehearsal of"):
                break
        second = subprocess.run(
            [sys.executable, "-m", "studio", "rehearse", str(show), "--speed", "max"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1, second.stdout
        assert "is already running against the built-in simulator, as-run " in second.stderr
        assert f"(pid {first.pid}" in second.stderr
        own = subprocess.run(
            [sys.executable, "-m", "studio", "rehearse", str(show), "--speed", "max",
             "--as-run", "mine.jsonl"], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=60)
        assert own.returncode == 0, own.stderr
    finally:
        first.terminate()
        first.wait(timeout=30)



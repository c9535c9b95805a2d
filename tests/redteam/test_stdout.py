"""stdout going away: a studio started with its stdout closed (a launcher that closes fd 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.views.service import write_views_show

STUDIO = [sys.executable, "-m", "studio"]


def test_a_closed_stdout_at_start_does_not_stop_the_show(tmp_path: Path) -> None:
    show = write_views_show(tmp_path)
    out = subprocess.run([*STUDIO, "rehearse", str(show), "--headless", "--speed", "max"],
                         cwd=tmp_path, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, timeout=120, preexec_fn=lambda: os.close(1))
    asrun = tmp_path / "as-run" / "views.rehearsal.jsonl"
    # the README: stdout going away is ignored and the show goes on
    assert "Traceback" not in out.stderr, out.stderr[-600:]
    assert asrun.exists() and len(asrun.read_text().splitlines()) >= 4
    assert out.returncode == 0

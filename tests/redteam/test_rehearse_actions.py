"""``studio rehearse --speed max --actions FILE`` with absurd files, as a producer runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.views.service import write_views_show

STUDIO = [sys.executable, "-m", "studio"]


def rehearse(tmp_path: Path, actions: str, timeout: float) -> subprocess.CompletedProcess[str]:
    show = write_views_show(tmp_path)
    path = tmp_path / "what-if.txt"
    path.write_text(actions, encoding="utf-8")
    return subprocess.run([*STUDIO, "rehearse", str(show), "--speed", "max", "--actions",
                           str(path)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def test_an_unknown_overlay_in_an_actions_file_is_a_line_error(tmp_path: Path) -> None:
    out = rehearse(tmp_path, "09:01 overlay no-such-overlay\n", 60)
    assert out.returncode != 0, out.stdout[-500:]
    assert "what-if.txt:1:15: error: no overlay 'no-such-overlay'" in out.stdout + out.stderr


def test_a_hold_never_released_still_ends_the_rehearsal(tmp_path: Path) -> None:
    # the README's what-if with its release line forgotten: the producer expects an answer
    # (the rest of the day held, or an error naming the line), not a process that hangs
    out = rehearse(tmp_path, "09:05 hold\n", 60)
    assert "09:05" in out.stdout + out.stderr
    assert out.returncode == 0, out.stderr
    assert "left held on 'Alpha talk' since 09:05:00" in out.stdout, out.stdout[-800:]

"""A rehearsal whose script holds the show and never releases it ends at the show's planned
end, saying where the show was left, at any speed (at a finite speed it ran until Ctrl-C)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.runner.conftest import write_show

LEFT = ("INFO     the show is left held on 'Welcome' since 09:01:30: no action releases it; "
        "the rehearsal ends here (planned end 09:15:00)")


@pytest.mark.parametrize("speed", ["600", "max"])
def test_a_hold_never_released_ends_the_rehearsal_at_the_planned_end(tmp_path: Path,
                                                                     speed: str) -> None:
    show = write_show(tmp_path)
    actions = tmp_path / "acts.txt"
    actions.write_text("09:01:30 hold\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    out = subprocess.run(
        [sys.executable, "-m", "studio", "rehearse", str(show), "--speed", speed, "--headless",
         "--from", "08:59:30", "--actions", str(actions)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(ln.endswith(LEFT) and ln.startswith("09:15:00") for ln in lines), out.stdout
    assert "END      the show has ended" in out.stdout

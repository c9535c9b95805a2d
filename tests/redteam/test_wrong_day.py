"""Wednesday's file started on Tuesday: ``studio run`` refuses a show that has ended, but one
still to come is run (rightly: a unit may be started the evening before). Then the operator
must see which day its first cue is on: "next: ... at 09:00:00" reads as this morning."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

from tests.redteam.test_lock_env import STUDIO, env_with, write_show
from tests.views.service import free_port


def test_a_show_of_another_day_says_the_day_of_its_next_cue(tmp_path: Path) -> None:
    show = write_show(tmp_path)  # tomorrow (UTC), 12:00
    proc = subprocess.Popen(
        [*STUDIO, "run", str(show), "--obs", f"ws://127.0.0.1:{free_port()}", "--headless"],
        cwd=tmp_path, env=env_with(None), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if "next: " in line:
                break
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        assert seen and "next: " in seen[-1], "".join(seen)
        assert tomorrow in seen[-1], seen[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)

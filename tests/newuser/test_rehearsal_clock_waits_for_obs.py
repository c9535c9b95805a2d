"""A rehearsal's virtual clock stands at ``--from`` until OBS answered: at 3600x one second of
the show is a third of a millisecond, far less than connecting takes, and a cue one second after
``--from`` came out late ("OBS is not connected") on every run; at 600x the first minute went
the same way on a busy machine."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studio.clock import VirtualClock
from tests.runner.conftest import write_show


def test_the_first_cue_a_second_after_from_is_on_time_at_3600x(tmp_path: Path) -> None:
    show = write_show(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    out = subprocess.run(
        [sys.executable, "-m", "studio", "rehearse", str(show), "--speed", "3600", "--headless",
         "--from", "08:59:59"], capture_output=True, text=True, cwd=tmp_path, env=env,
        timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert not [ln for ln in lines if "LATE" in ln or "not connected" in ln], out.stdout
    assert any(ln.startswith("09:00:00  CUE      ON AIR") for ln in lines), out.stdout
    assert any(" 0 late, 0 missed" in ln for ln in lines), out.stdout


def test_a_standing_clock_reads_its_start_until_it_goes() -> None:
    real = [1000.0]
    start = datetime(2021, 1, 19, 8, 0, tzinfo=UTC)
    clock = VirtualClock(start, speed=600, real_time=lambda: real[0], standing=True)
    real[0] += 5
    assert clock.now() == start and not clock.running
    assert clock.wall_time_for(start + timedelta(seconds=60)) > datetime.fromtimestamp(
        real[0] + 3600, UTC)  # nothing falls due while it stands
    clock.go()
    real[0] += 0.1
    assert clock.now() == start + timedelta(seconds=60)
    assert clock.wall_time_for(start + timedelta(seconds=120)) == datetime.fromtimestamp(
        1005.2, UTC)

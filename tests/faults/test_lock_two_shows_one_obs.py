"""Two different shows on one OBS on the same day fought over it cue by cue (red team: about
1,230 flips of Clock and LIVE Bug in 10 s, each a CUE line and an as-run line in both): the
second is refused, naming the show that drives that OBS. Shows of other days may wait beside
each other (a week's systemd units started at boot): neither sends on the other's day."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from studio.obs.simulator import Simulator
from studio.runner.lock import ShowLock, ShowLocked, drive_days
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE
from tests.runner.live import StudioProcess, live_show

URL = "ws://127.0.0.1:4486"
TUE = (datetime(2021, 1, 19, 8, tzinfo=UTC), datetime(2021, 1, 19, 16, tzinfo=UTC))
WED = (TUE[0] + timedelta(days=1), TUE[1] + timedelta(days=1))


def _shows(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "tisdag.yaml", tmp_path / "other.yaml"
    a.write_text("a\n")
    b.write_text("b\n")
    return a, b


def test_another_show_on_the_same_obs_and_day_is_refused_naming_the_first(
    tmp_path: Path
) -> None:
    a, b = _shows(tmp_path)
    with ShowLock.on_obs(a, URL, TUE), pytest.raises(ShowLocked) as refused:
        ShowLock.on_obs(b, URL.replace("127.0.0.1", "localhost"), TUE).acquire()
    text = str(refused.value)
    assert text.startswith(f"{b} cannot drive ws://localhost:4486: another show, {a.resolve()} "
                           f"(pid {os.getpid()}), drives it on 2021-01-19")
    assert "stop that one first" in text


def test_shows_of_other_days_or_other_obs_wait_beside_each_other(tmp_path: Path) -> None:
    a, b = _shows(tmp_path)
    with ShowLock.on_obs(a, URL, TUE):
        with ShowLock.on_obs(b, URL, WED):
            pass
        with ShowLock.on_obs(b, "ws://127.0.0.1:4487", TUE):
            pass
    with ShowLock.on_obs(b, URL, TUE):  # the first ended: the OBS is free on its day
        pass


def test_a_show_across_midnight_holds_both_days() -> None:
    late = datetime(2021, 1, 19, 22, tzinfo=UTC)
    assert drive_days(late, late + timedelta(hours=3)) == [date(2021, 1, 19), date(2021, 1, 20)]


def test_a_second_live_show_on_a_running_obs_is_refused_and_the_first_goes_on(
    tmp_path: Path
) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 120.0, "")])
    (tmp_path / "b").mkdir()
    other, _ = live_show(tmp_path / "b", [("Presentation", 120.0, "")], name="other.yaml")
    with Simulator() as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        first = StudioProcess.start(show, sim.url, tmp_path)
        try:
            first.wait_line("studio run: Live test on", timeout=30)  # (a loaded machine)
            env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
            second = subprocess.run(
                [sys.executable, "-m", "studio", "run", str(other), "--obs", sim.url,
                 "--headless"],
                capture_output=True, text=True, cwd=tmp_path / "b", env=env, timeout=60)
            assert second.returncode == 1, second.stdout
            assert f"cannot drive {sim.url}: another show, {show.resolve()} " \
                   f"(pid {first.proc.pid}), drives it" in second.stderr
            assert len(second.stderr.strip().splitlines()) == 1, second.stderr
            first.wait_line("seg0 [seg0]", timeout=30)  # its cue (or "starting mid-show")
            assert sim.snapshot()["program"] == "Studio Wide"
            assert first.terminate() == 0
        finally:
            if first.proc.poll() is None:
                first.kill()

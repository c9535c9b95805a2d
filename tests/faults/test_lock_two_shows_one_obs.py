"""Two different shows on one OBS fought over it cue by cue (red team: about 1,230 flips of
Clock and LIVE Bug in 10 s, each a CUE line and an as-run line in both). One show drives one OBS:
from an hour before its first cue a show holds the OBS's own lock and a second show is refused,
naming the first. A show started long before its time (tomorrow's unit started at boot) stands
by: it sends nothing and refuses actions (red team, round 2: a waiting show's TAKE put its
segment on air over today's show), and takes the OBS when its time comes and it is free."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studio.engine.actions import Take
from studio.obs.simulator import Simulator
from studio.runner.drive import DriveGate
from studio.runner.lock import ObsLock
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE, WAIT, Harness, at, observe
from tests.runner.live import StudioProcess, live_show

URL = "ws://127.0.0.1:4486"


def test_another_show_on_the_same_obs_is_refused_naming_the_first(tmp_path: Path) -> None:
    a, b = tmp_path / "tisdag.yaml", tmp_path / "other.yaml"
    first = ObsLock(a, URL)
    assert first.try_acquire() is None
    try:
        why = ObsLock(b, URL.replace("127.0.0.1", "localhost")).try_acquire()
        assert why is not None and why.startswith(
            f"{b} cannot drive ws://localhost:4486: another show, {a.resolve()} "
            f"(pid {os.getpid()}), drives it")
        assert ObsLock(b, "ws://127.0.0.1:4487").try_acquire() is None  # another OBS
    finally:
        first.release()
    again = ObsLock(b, URL)
    assert again.try_acquire() is None  # the first stopped: free
    again.release()


class FakeLock:
    def __init__(self, free: bool = True) -> None:
        self.held = False
        self.free = free

    def try_acquire(self) -> str | None:
        if self.free:
            self.held = True
            return None
        return "x cannot drive OBS: another show, y (pid 1), drives it; stop that one first"


def test_the_gate_stands_by_until_its_time_then_takes_a_free_obs() -> None:
    opens = datetime(2021, 1, 19, 7, 45, tzinfo=UTC)
    lock = FakeLock(free=False)
    gate = DriveGate(lock, opens, "08:45:00")
    before = gate.why_not(opens - timedelta(minutes=1))
    assert before is not None and before.startswith("this show stands by until 08:45:00")
    assert not gate.try_open(opens - timedelta(minutes=1)) and not lock.held  # not yet
    assert not gate.try_open(opens)  # its time, but another show drives OBS
    assert "another show, y (pid 1), drives it" in str(gate.why_not(opens))
    lock.free = True
    assert gate.try_open(opens) and gate.why_not(opens) is None


def test_a_show_standing_by_sends_nothing_refuses_actions_and_takes_over_when_let(
    sim: Simulator, make_harness: Callable[..., Harness]
) -> None:
    h = make_harness(sim.port, at(8, 59, 30))
    lock = FakeLock(free=False)
    gate = DriveGate(lock, at(7, 59, 30), "07:59:30")
    h.ctl.drive = gate.why_not
    gate.try_open(h.clock.now())  # another show drives this OBS
    assert h.ctl.status().alarms[0].startswith("x cannot drive OBS")  # the screen's alert bar
    program = sim.snapshot()["program"]
    assert program != "Holding Slate"
    h.fire()  # slate falls due: not sent
    assert sim.snapshot()["program"] == program
    [slate] = [r for r in h.asrun() if r.get("cue") == "slate"]
    assert slate["outcome"] == "withheld"
    assert slate["result"].startswith("withheld: x cannot drive OBS: another show, y")
    refused: list[str] = []
    h.ctl.submit_checked(lambda p: Take(at=h.clock.now()), lambda why, p: refused.append(
        str(why)))
    h.settle()
    assert refused and refused[0].startswith("take refused: x cannot drive OBS"), refused
    assert sim.snapshot()["program"] == program
    lock.free = True  # the other show stopped
    assert gate.try_open(h.clock.now())
    h.ctl.resync()
    assert h.ctl.wait_for(lambda: sim.snapshot()["program"] == "Holding Slate", WAIT)
    assert h.ctl.status().alarms == ()


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}


def test_a_second_live_show_on_a_running_obs_is_refused_and_the_first_goes_on(
    tmp_path: Path
) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 120.0, "")])
    (tmp_path / "b").mkdir()
    other, _ = live_show(tmp_path / "b", [("Presentation", 120.0, "")], name="other.yaml")
    with Simulator() as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        watch = observe(sim.port)  # before studio: it sees the first show's look go on air
        first = StudioProcess.start(show, sim.url, tmp_path)
        try:
            first.wait_line("studio run: Live test on", timeout=30)  # (a loaded machine)
            second = subprocess.run(
                [sys.executable, "-m", "studio", "run", str(other), "--obs", sim.url,
                 "--headless"],
                capture_output=True, text=True, cwd=tmp_path / "b", env=_env(), timeout=60)
            assert second.returncode == 1, second.stdout
            assert f"cannot drive {sim.url}: another show, {show.resolve()} " \
                   f"(pid {first.proc.pid}), drives it" in second.stderr
            assert len(second.stderr.strip().splitlines()) == 1, second.stderr
            assert watch.wait_program("Studio Wide", timeout=30)[-1] == "Studio Wide"
            assert sim.snapshot()["program"] == "Studio Wide"
            assert first.terminate() == 0
        finally:
            watch.gateway.stop()
            if first.proc.poll() is None:
                first.kill()


def test_tomorrows_show_stands_by_beside_todays_and_its_take_is_refused(
    tmp_path: Path
) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 120.0, "")])
    (tmp_path / "b").mkdir()
    tomorrow, _ = live_show(tmp_path / "b", [("End Card", 120.0, "")], lead=86400.0,
                            name="tomorrow.yaml")
    with Simulator() as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        watch = observe(sim.port)  # before studio: it sees the first show's look go on air
        first = StudioProcess.start(show, sim.url, tmp_path)
        try:
            first.wait_line("studio run: Live test on", timeout=30)
            assert watch.wait_program("Studio Wide", timeout=30)[-1] == "Studio Wide"
            waiting = StudioProcess.start(tomorrow, sim.url, tmp_path / "b")
            try:
                line = waiting.wait_line("this show stands by until", timeout=30)
                assert (datetime.now(UTC) + timedelta(hours=23)).date().isoformat() in line
                waiting.send("take")
                refused = waiting.wait_line("take refused", timeout=30)
                assert "this show stands by until" in refused
                assert waiting.terminate() == 0
            finally:
                if waiting.proc.poll() is None:
                    waiting.kill()
            assert sim.snapshot()["program"] == "Studio Wide"
            assert first.terminate() == 0
        finally:
            watch.gateway.stop()
            if first.proc.poll() is None:
                first.kill()


def test_studio_look_is_refused_on_an_obs_a_show_drives(tmp_path: Path) -> None:
    """Red team, round 2: ``studio look`` of another show switched a running show's program
    (OBS was neither streaming nor recording: a hardware output or the pre-show is live)."""
    show, _ = live_show(tmp_path, [("Studio Wide", 120.0, "")])
    running = ObsLock(tmp_path / "running.yaml", URL)
    assert running.try_acquire() is None
    try:
        look = subprocess.run(
            [sys.executable, "-m", "studio", "look", str(show), "--obs", URL, "--at",
             f"{datetime.now(UTC) + timedelta(seconds=30):%H:%M:%S}", "-o",
             str(tmp_path / "look.png")],
            capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=60)
    finally:
        running.release()
    assert look.returncode == 1, look.stdout
    assert f"cannot take pictures on {URL}: another show, {(tmp_path / 'running.yaml')}" \
        in look.stderr
    assert len(look.stderr.strip().splitlines()) == 1, look.stderr

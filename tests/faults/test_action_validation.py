"""One mistyped operator action must not ruin the show: every action is checked before it is
journalled, one that would make the show's evaluation fail is refused (one line, never
journalled), and a journal that holds such an action (an older version's, or edited) resumes
without it and says so.

The issue: ``nudge +99999999999999999`` raised OverflowError on every later evaluation (TAKE did
nothing) and was journalled, so every restart replayed it; ``nudge +99999999999`` was accepted
and froze the rest of the day.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from studio.cli.launch import show_identity
from studio.clock import ManualClock
from studio.engine.actions import Hold, Nudge, Take, ToggleOverlay
from studio.obs.connection import ObsConnectionSettings
from studio.obs.simulator import Simulator
from studio.runner.asrun import AsRunWriter
from studio.runner.controller import Controller
from studio.runner.journal import Journal
from studio.runner.ports import gateway_factory
from studio.runner.scheduler import ManualScheduler
from studio.show.loader import load_show
from tests.runner.live import StudioProcess, live_show

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
WAIT = 5.0
START = datetime(2021, 1, 19, 8, 0, tzinfo=UTC)  # 09:00 in Stockholm
SHOW = f"""\
show: Action test
date: 2021-01-19
timezone: Europe/Stockholm
catalogue: {CATALOGUE}
segments:
  - {{ id: open, start: "09:00", duration: 10m, scene: Studio Wide, transition: cut }}
  - {{ id: panel, duration: 20m, scene: Panel, transition: cut }}
  - {{ id: pause, duration: 15m, scene: Break, transition: cut }}
"""
HUGE = 99999999999999999  # OverflowError in every evaluation before
LARGE = 99999999999  # accepted before: the rest of the day froze


@pytest.fixture
def sim() -> Iterator[Simulator]:
    s = Simulator(frame_ms=5.0)
    s.start()
    yield s
    s.stop()


class Run:
    """A controller on the simulator, with its journal, on a clock the test sets."""

    def __init__(self, folder: Path, sim: Simulator) -> None:
        self.path = folder / "show.yaml"
        if not self.path.exists():
            self.path.write_text(SHOW, encoding="utf-8")
        self.show = load_show(self.path)
        sim.load_catalogue(self.show.catalogue)
        self.journal_path = folder / "journal.jsonl"
        self.clock = ManualClock(START + timedelta(minutes=5))
        self.ctl = Controller(
            self.show, self.clock,
            gateway_factory(ObsConnectionSettings(port=sim.port, timeout=2.0)),
            journal=Journal(self.journal_path, show_id=show_identity(self.show, self.path)),
            asrun=AsRunWriter(folder / "asrun.jsonl"), scheduler_factory=ManualScheduler,
        )
        self.ctl.start()
        assert self.ctl.wait_for(lambda: self.ctl.status().connection == "connected", WAIT)
        self.settle()

    def settle(self) -> None:
        assert self.ctl.flush(WAIT)
        assert self.ctl.wait_for(lambda: not self.ctl.tracker.pending, WAIT)

    def submit(self, action: Any) -> None:
        self.ctl.submit(action)
        self.settle()

    def on_air(self) -> str | None:
        p = self.ctl.projection()
        return p.on_air.segment_id if p.on_air else None

    def log(self) -> list[str]:
        return [f"{e.kind}: {e.text}" for e in self.ctl.recent_log(200)]

    def journalled(self) -> list[dict[str, Any]]:
        lines = self.journal_path.read_text(encoding="utf-8").splitlines()
        return [r for r in map(json.loads, lines) if r.get("type") == "action"]


@pytest.mark.parametrize("seconds", [HUGE, LARGE, -LARGE, 4 * 3600 + 1])
def test_a_nudge_beyond_the_bound_is_refused_in_one_line_and_never_journalled(
    tmp_path: Path, sim: Simulator, seconds: int,
) -> None:
    run = Run(tmp_path, sim)
    try:
        assert run.on_air() == "open"
        run.submit(Nudge(at=run.clock.now(), seconds=seconds))
        refused = [line for line in run.log() if "refused" in line]
        assert refused == [f"error: nudge {seconds:+d} s refused: a nudge moves the schedule "
                           "by at most 4 h (14400 s) either way"]
        assert run.journalled() == []
        # the show goes on: TAKE works, the next cue comes at its time
        run.submit(Take(at=run.clock.now()))
        assert run.on_air() == "panel"
        assert sim.snapshot()["program"] == "Panel"
        p = run.ctl.projection()
        assert p.next is not None and p.next.segment_id == "pause"
        assert p.next.start - run.clock.now() == timedelta(minutes=20)
    finally:
        run.ctl.stop()


def test_a_nudge_within_the_bound_still_moves_the_schedule(tmp_path: Path,
                                                           sim: Simulator) -> None:
    run = Run(tmp_path, sim)
    try:
        run.submit(Nudge(at=run.clock.now(), seconds=4 * 3600))
        p = run.ctl.projection()
        assert p.next is not None and p.next.start == START + timedelta(hours=4, minutes=10)
        assert [r["seconds"] for r in run.journalled()] == [4 * 3600]
    finally:
        run.ctl.stop()


def test_an_unknown_overlay_is_refused_naming_the_known_ones(tmp_path: Path,
                                                             sim: Simulator) -> None:
    run = Run(tmp_path, sim)
    try:
        run.submit(ToggleOverlay(at=run.clock.now(), overlay="live-bgu"))
        refused = [line for line in run.log() if "refused" in line]
        assert len(refused) == 1
        assert refused[0].startswith("error: overlay live-bgu refused: no overlay 'live-bgu' in "
                                     "the catalogue (overlays: ")
        assert "live-bug" in refused[0]
        assert run.journalled() == []
    finally:
        run.ctl.stop()


def test_an_action_that_breaks_evaluation_is_refused(tmp_path: Path, sim: Simulator) -> None:
    """The dry run: a TAKE stamped at the end of time passes every field check, but the show
    cannot be evaluated at its instant (the local time would overflow)."""
    run = Run(tmp_path, sim)
    try:
        run.submit(Take(at=datetime.max.replace(tzinfo=UTC)))
        refused = [line for line in run.log() if "refused" in line]
        assert len(refused) == 1 and refused[0].startswith(
            "error: take refused: the show could not go on with it (OverflowError")
        assert run.journalled() == []
        run.submit(Take(at=run.clock.now()))
        assert run.on_air() == "panel"
    finally:
        run.ctl.stop()


def test_a_journal_holding_a_bad_action_resumes_without_it_and_says_so(
    tmp_path: Path, sim: Simulator,
) -> None:
    # what an older version journalled: a HOLD, the runaway nudge, a stray overlay, a TAKE
    path = tmp_path / "show.yaml"
    path.write_text(SHOW, encoding="utf-8")
    show = load_show(path)
    old = Journal(tmp_path / "journal.jsonl", show_id=show_identity(show, path))
    t = START + timedelta(minutes=2)
    for action in (Hold(at=t), Nudge(at=t + timedelta(seconds=1), seconds=HUGE),
                   ToggleOverlay(at=t + timedelta(seconds=2), overlay="nope"),
                   Take(at=t + timedelta(seconds=3))):
        old.append_action(action)
    old.close()

    run = Run(tmp_path, sim)
    try:
        log = run.log()
        assert "info: resumed from journal " + str(run.journal_path) + \
            ": 2 operator action(s) replayed" in log
        left_out = [line for line in log if "journal: left out" in line]
        assert left_out == [
            f"error: journal: left out the action of 09:02:01: nudge {HUGE:+d} s refused: a "
            "nudge moves the schedule by at most 4 h (14400 s) either way",
            "error: journal: left out the action of 09:02:02: overlay nope refused: no overlay "
            "'nope' in the catalogue (overlays: " + ", ".join(sorted(show.catalogue.overlays))
            + ")",
        ]
        # the HOLD and the TAKE replay: panel has been on air since 09:02:03, OBS shows it
        assert run.on_air() == "panel"
        assert sim.snapshot()["program"] == "Panel"
        run.submit(Take(at=run.clock.now()))
        assert run.on_air() == "pause"
    finally:
        run.ctl.stop()


def test_stdin_refuses_a_runaway_nudge_and_take_still_works(tmp_path: Path) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 120.0, ""), ("Panel", 120.0, "")])
    with Simulator() as sim:
        from studio.show.loader import load_catalogue

        sim.load_catalogue(load_catalogue(CATALOGUE))
        p = StudioProcess.start(show, sim.url, tmp_path)
        try:
            line = p.wait_line("seg0", timeout=15)  # on air by its cue, or found on air
            while "ON AIR" not in line and "mid-show" not in line:
                line = p.wait_line("seg0", timeout=15)
            p.send(f"nudge +{HUGE}")
            line = p.wait_line("refused")
            assert line.endswith(f"ERROR    nudge +{HUGE} refused: a nudge moves the schedule "
                                 "by at most 4 h (14400 s) either way")
            p.send("nudge +12x")
            assert p.wait_line("ERROR").endswith("nudge needs seconds, e.g. nudge +30 or "
                                                 "nudge -15")
            p.send("take")
            p.wait_line("ON AIR seg1")
            assert p.terminate() == 0
        finally:
            if p.proc.poll() is None:
                p.kill()
    actions = [json.loads(x) for x in (tmp_path / "journal.jsonl").read_text().splitlines()]
    assert [a["action"] for a in actions if a.get("type") == "action"] == ["take"]

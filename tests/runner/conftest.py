"""Runner test harness: a show file, the built-in simulator, a controller on a ManualClock whose
wake-ups the test fires, and an independent event observer (a second gateway) on the same OBS."""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from studio.cli.launch import show_identity
from studio.clock import ManualClock
from studio.obs.connection import ObsConnectionSettings
from studio.obs.events import ObsEvent, ProgramSceneChanged
from studio.obs.gateway import ObsGateway
from studio.obs.simulator import Simulator
from studio.runner.asrun import AsRunWriter, read_asrun
from studio.runner.controller import Controller
from studio.runner.journal import Journal
from studio.runner.ports import gateway_factory
from studio.runner.scheduler import ManualScheduler
from studio.show.loader import load_catalogue, load_show
from studio.show.model import Show

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
TZ = ZoneInfo("Europe/Stockholm")
WAIT = 5.0  # generous upper bound for anything awaited; never a sleep

SHOW_YAML = """\
show: Runner test
date: 2021-01-19
timezone: Europe/Stockholm
catalogue: {catalogue}
segments:
  - id: slate
    start: "09:00"
    duration: 1m
    scene: Holding Slate
    transition: cut
    overlays: [clock]
  - id: welcome
    duration: 2m
    title: Welcome
    scene: Studio Wide
    transition: cut
    overlays: [live-bug]
    lower_thirds:
      - {{ name: Krister Ruth, role: Strateg, at: 10s, for: 20s }}
  - id: talk
    duration: 2m
    title: The talk
    scene: Presentation
    transition: cut
    record: start
  - id: panel
    start: "09:10"
    duration: 5m
    title: Panel
    scene: Panel
    transition: cut
"""


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2021, 1, 19, hh, mm, ss, tzinfo=TZ)


def write_show(tmp_path: Path, text: str = SHOW_YAML, name: str = "show.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text.format(catalogue=CATALOGUE), encoding="utf-8")
    return path


@dataclass
class Observer:
    """A second client on the same OBS that records every event (what a viewer would see)."""

    gateway: ObsGateway
    events: queue.Queue[ObsEvent] = field(default_factory=queue.Queue)

    def programs(self) -> list[str]:
        out = []
        while True:
            try:
                ev = self.events.get_nowait()
            except queue.Empty:
                return out
            if isinstance(ev, ProgramSceneChanged):
                out.append(ev.scene)

    def wait_event(self, match: Callable[[ObsEvent], bool], timeout: float = WAIT) -> ObsEvent:
        while True:
            ev = self.events.get(timeout=timeout)
            if match(ev):
                return ev

    def wait_program(self, scene: str, timeout: float = WAIT) -> list[str]:
        """Program changes seen until ``scene`` goes on air (fails after ``timeout``)."""
        seen: list[str] = []
        while True:
            ev = self.events.get(timeout=timeout)
            if isinstance(ev, ProgramSceneChanged):
                seen.append(ev.scene)
                if ev.scene == scene:
                    return seen


def observe(url_port: int) -> Observer:
    obs: Observer
    q: queue.Queue[ObsEvent] = queue.Queue()
    gw = ObsGateway(ObsConnectionSettings(port=url_port), on_event=q.put)
    gw.start()
    assert gw.wait_connected(WAIT)
    obs = Observer(gw, q)
    return obs


@dataclass
class Harness:
    show: Show
    path: Path
    clock: ManualClock
    ctl: Controller
    asrun_path: Path
    journal_path: Path

    @property
    def sched(self) -> ManualScheduler:
        s = self.ctl.scheduler
        assert isinstance(s, ManualScheduler)
        return s

    def settle(self) -> None:
        """All queued work done and every sent cue confirmed (or written unconfirmed)."""
        assert self.ctl.flush(WAIT)
        assert self.ctl.wait_for(lambda: not self.ctl.tracker.pending, WAIT)

    def fire(self) -> datetime:
        """Move the clock to the next wake-up and deliver it, as APScheduler would."""
        due = self.sched.due
        assert due is not None, "nothing scheduled"
        self.clock.set(due)
        self.sched.fire()
        self.settle()
        return due

    def run_until(self, t: datetime) -> None:
        while self.sched.due is not None and self.sched.due <= t:
            self.fire()
        self.clock.set(t)

    def submit(self, action_cls: Callable[..., Any], **kw: Any) -> None:
        self.ctl.submit(action_cls(at=self.clock.now(), **kw))
        self.settle()

    def asrun(self) -> list[dict[str, Any]]:
        return read_asrun(self.asrun_path)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    s = Simulator(frame_ms=5.0)
    s.start()
    s.load_catalogue(load_catalogue(CATALOGUE))
    yield s
    s.stop()


@pytest.fixture
def make_harness(tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    made: list[Harness] = []

    def make(port: int, start: datetime, *, text: str = SHOW_YAML, journal: bool = True,
             connect: bool = True) -> Harness:
        path = write_show(tmp_path, text)
        show = load_show(path)
        clock = ManualClock(start)
        asrun_path = tmp_path / "asrun.jsonl"
        journal_path = tmp_path / "journal.jsonl"
        ctl = Controller(
            show, clock, gateway_factory(ObsConnectionSettings(port=port, timeout=2.0)),
            journal=Journal(journal_path, show_id=show_identity(show, path)) if journal else None,
            asrun=AsRunWriter(asrun_path), scheduler_factory=ManualScheduler,
        )
        h = Harness(show, path, clock, ctl, asrun_path, journal_path)
        made.append(h)
        ctl.start()
        if connect:
            assert ctl.wait_for(lambda: ctl.status().connection == "connected", WAIT)
            h.settle()
        return h

    yield make
    for h in made:
        h.ctl.stop()


def stop(h: Harness) -> None:
    h.ctl.stop()


ONE_SECOND = timedelta(seconds=1)

"""TUI test harness: the real controller (studio.runner.controller) on a ManualClock whose
wake-ups the test fires, against the built-in simulator or the real headless OBS."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from studio.clock import ManualClock
from studio.obs.connection import ObsConnectionSettings, Secret
from studio.obs.simulator import Simulator
from studio.runner.asrun import AsRunWriter
from studio.runner.controller import Controller
from studio.runner.ports import gateway_factory
from studio.runner.scheduler import ManualScheduler
from studio.show.loader import load_catalogue, load_show
from studio.show.model import Show

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
TZ = ZoneInfo("Europe/Stockholm")
WAIT = 5.0  # upper bound for anything awaited

# the segments between the opening and the end (STOP_YAML leaves them out)
MIDDLE_YAML = """\
  - id: talk
    duration: 10m
    title: The talk
    scene: Presentation
    transition: cut
  - id: panel
    duration: 10m
    title: Panel
    scene: Panel
    transition: cut
  - id: qa
    duration: 5m
    title: Questions
    scene: Studio Close
    transition: cut
    manual: true
"""

SHOW_YAML = """\
show: TUI test show
date: 2021-01-19
timezone: Europe/Stockholm
catalogue: {catalogue}
segments:
  - id: opening
    start: "09:00"
    duration: 10m
    title: Opening
    scene: Studio Wide
    transition: cut
    overlays: [live-bug]
    lower_thirds:
      - {{ name: Anna Berg, role: Host, at: 5m, for: 20s }}
    notes: Host on camera 1
""" + MIDDLE_YAML + """\
  - id: end
    duration: 5m
    title: Goodbye
    scene: End Card
    transition: cut
    stream: stop
"""


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2021, 1, 19, hh, mm, ss, tzinfo=TZ)


@dataclass
class Studio:
    show: Show
    clock: ManualClock
    ctl: Controller

    def settle(self) -> None:
        """Everything queued so far handled and every command OBS was sent confirmed."""
        assert self.ctl.flush(WAIT)
        assert self.ctl.wait_for(lambda: not self.ctl.tracker.pending, WAIT)


async def until(predicate: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    """Let the app's loop run until ``predicate()`` holds (fails after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    s = Simulator(frame_ms=5.0)
    s.start()
    s.load_catalogue(load_catalogue(CATALOGUE))
    yield s
    s.stop()


MakeStudio = Callable[..., Studio]


@pytest.fixture
def make_studio(tmp_path: Path) -> Iterator[MakeStudio]:
    made: list[Studio] = []

    def make(port: int, start: datetime, *, text: str = SHOW_YAML, path: Path | None = None,
             password: str = "", connect: bool = True) -> Studio:
        if path is None:
            path = tmp_path / "show.yaml"
            path.write_text(text.format(catalogue=CATALOGUE), encoding="utf-8")
        show = load_show(path)
        clock = ManualClock(start)
        ctl = Controller(
            show, clock,
            gateway_factory(ObsConnectionSettings(port=port, timeout=2.0,
                                                  password=Secret(password))),
            asrun=AsRunWriter(tmp_path / "asrun.jsonl"), rehearsal=True,
            scheduler_factory=ManualScheduler,
        )
        studio = Studio(show, clock, ctl)
        made.append(studio)
        ctl.start()
        if connect:
            assert ctl.wait_for(lambda: ctl.status().connection == "connected", WAIT)
            studio.settle()
        return studio

    yield make
    for studio in made:
        studio.ctl.stop()


def graphics_item(snapshot: dict[str, Any], source: str) -> bool:
    """Whether ``source`` is shown in the graphics scene of a simulator snapshot."""
    items = snapshot["items"]["Graphics"]
    return bool(next(it["enabled"] for it in items if it["source"] == source))

"""A frozen controller for snapshot tests: a hand-built projection at a fixed ManualClock time,
so the picture does not depend on the engine's pace. Behaviour tests drive the real controller."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from studio.clock import ManualClock
from studio.engine.actions import Action
from studio.engine.projection import GraphicsView, NextUp, OnAir, Projection, RundownRow
from studio.engine.state import ObsState
from studio.runner.api import ControllerStatus, LogEntry
from studio.show.model import Catalogue, LowerThirdSource, Overlay, Segment, Show

TZ = ZoneInfo("Europe/Stockholm")
DAY = date(2021, 1, 19)


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hh, mm, ss, tzinfo=TZ)


CATALOGUE = Catalogue(
    scenes=["Holding Slate", "Studio Wide", "Presentation", "Panel", "Break", "End Card"],
    graphics_scene="Graphics",
    overlays={"live-bug": Overlay(source="LIVE Bug"), "clock": Overlay(source="Clock"),
              "partners": Overlay(source="Partner Strip")},
    lower_third=LowerThirdSource(source="Lower Third", name_input="LT Name",
                                 role_input="LT Role"),
)

# (id, title, organiser, scene, anchor, planned start, planned end, status, delay s, note)
_ROWS = [
    ("slate", "Holding slate", "", "Holding Slate", "hard", at(8, 45), at(9, 0), "done", 0, ""),
    ("welcome", "Välkommen till Digital vecka", "Region Västerbotten", "Studio Wide", "hard",
     at(9, 0), at(9, 15), "done", 0, ""),
    ("skogstekniska", "Digitalisering i skogen", "Skogstekniska klustret", "Presentation",
     "soft", at(9, 15), at(9, 45), "on_air", 0, ""),
    ("panel", "Panel: framtidens industri", "Kunskapsnoden", "Panel", "soft", at(9, 45),
     at(10, 30), "next", 180, ""),
    ("break", "Paus", "", "Break", "soft", at(10, 30), at(10, 45), "pending", 180,
     "shortened from 15 to 12 min"),
    ("kommun", "Skellefteå kommun berättar", "Skellefteå kommun", "Studio Close", "hard",
     at(10, 45), at(11, 15), "pending", 0, ""),
    ("qa", "Frågor från publiken", "", "Studio Wide", "manual", at(11, 15), at(11, 30),
     "pending", 0, ""),
    ("end", "Tack för idag", "", "End Card", "soft", at(11, 30), at(11, 35), "pending", 0, ""),
]


def frozen_projection(now: datetime) -> Projection:
    rows = tuple(
        RundownRow(
            segment_id=i, title=t, organiser=o, scene=sc, anchor=k,  # type: ignore[arg-type]
            planned_start=ps, planned_end=pe, projected_start=ps + timedelta(seconds=d),
            projected_end=pe + timedelta(seconds=d), status=st,  # type: ignore[arg-type]
            delay=timedelta(seconds=d), note=n,
        )
        for i, t, o, sc, k, ps, pe, st, d, n in _ROWS
    )
    on_air = OnAir(
        segment_id="skogstekniska", title="Digitalisering i skogen",
        organiser="Skogstekniska klustret", scene="Presentation", started_at=at(9, 15),
        planned_end=at(9, 48), elapsed=now - at(9, 15), remaining=at(9, 48) - now, held=False,
        notes="Mic 3 for the guest; slides from the laptop on HDMI 2.",
    )
    nxt = NextUp(
        segment_id="panel", title="Panel: framtidens industri", scene="Panel", start=at(9, 48),
        countdown=at(9, 48) - now, kind="soft", waits_for_take=False,
    )
    return Projection(
        now=now, on_air=on_air, next=nxt, rundown=rows,
        graphics=GraphicsView(
            overlays_up=("live-bug", "clock"),
            lower_third_on_air=("Anna Berg", "Skogstekniska klustret"),
            lower_third_queued=("Erik Lund", "Holmen Skog"),
        ),
        desired=ObsState(program_scene="Presentation"),
        consequences=("panel starts 3 min late; 10:45 holds; break shortened from 15 to 12 min",),
    )


SHOW = Show(
    title="Digital vecka 2021 · dag 1", date=DAY, timezone="Europe/Stockholm",
    segments=tuple(Segment(id=r[0], title=r[1], scene=r[3]) for r in _ROWS),
    catalogue=CATALOGUE, organisers={},
)


class FrozenController:
    """ShowController with a fixed picture; records what was submitted."""

    def __init__(self, now: datetime | None = None, *, rehearsal: bool = True) -> None:
        self.show = SHOW
        self.clock = ManualClock(now or at(9, 31, 27))
        self.submitted: list[Action] = []
        self.reconnects = 0
        self.listeners: list[Callable[[], None]] = []
        self._status = ControllerStatus(
            connection="connected", streaming=True, recording=False, rehearsal=rehearsal,
            speed=60.0, studio_mode=False,
        )
        self.log = [
            LogEntry(at(9, 0), "cue", "scene Holding Slate -> Studio Wide: segment welcome starts"),
            LogEntry(at(9, 3, 10), "action", "FIRE lower third Maria Holm"),
            LogEntry(at(9, 15, 1), "late", "cue skogstekniska 1.2 s late (OBS was reconnecting)"),
            LogEntry(at(9, 20), "override",
                     "manual override: desired Presentation, OBS shows Panel"),
            LogEntry(at(9, 20, 30), "action", "REASSERT by operator"),
        ]

    def projection(self) -> Projection:
        return frozen_projection(self.clock.now())

    def status(self) -> ControllerStatus:
        return self._status

    def recent_log(self, limit: int = 50) -> list[LogEntry]:
        return self.log[-limit:]

    def submit(self, action: Action) -> None:
        self.submitted.append(action)

    def reconnect(self) -> None:
        self.reconnects += 1

    def subscribe(self, listener: Callable[[], None]) -> None:
        self.listeners.append(listener)

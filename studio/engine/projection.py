"""What the engine answers about a moment of the show: the data the runner acts on and the TUI
shows. Pure data; ``engine.evaluate(timeline, actions, now)`` (in engine/core or similar) builds it.

The TUI renders a ``Projection`` and holds no show logic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from studio.engine.state import ObsState

SegmentStatus = Literal["done", "on_air", "next", "pending", "skipped", "held"]
StartKind = Literal["hard", "soft", "manual"]  # how a segment begins; the fold computes it


@dataclass(frozen=True)
class RundownRow:
    segment_id: str
    title: str
    organiser: str  # display name, "" when none
    scene: str
    anchor: StartKind  # hard anchor, soft cue, or waits for TAKE
    planned_start: datetime
    planned_end: datetime
    projected_start: datetime
    projected_end: datetime
    status: SegmentStatus
    delay: timedelta  # projected_start - planned_start, whole seconds (negative: early)
    note: str = ""  # re-timing consequence for this row, e.g. "shortened from 15 to 8 min"


@dataclass(frozen=True)
class OnAir:
    segment_id: str
    title: str
    organiser: str
    scene: str
    started_at: datetime
    planned_end: datetime  # projected end of the running segment
    elapsed: timedelta
    remaining: timedelta  # negative when overrunning
    held: bool
    notes: str = ""
    # how long past its due end it runs (held, or the next one waits for TAKE); 0 when not
    overrun: timedelta = timedelta(0)


@dataclass(frozen=True)
class NextUp:
    segment_id: str
    title: str
    scene: str
    start: datetime  # projected start
    countdown: timedelta  # start - now (zero or negative: due, e.g. waiting for TAKE)
    kind: StartKind
    waits_for_take: bool  # manual segment, or the current one is held


@dataclass(frozen=True)
class GraphicsView:
    overlays_up: tuple[str, ...]  # overlay ids visible now
    lower_third_on_air: tuple[str, str] | None  # (name, role)
    lower_third_queued: tuple[str, str] | None  # next lower third FIRE would put up


@dataclass(frozen=True)
class Projection:
    now: datetime
    on_air: OnAir | None  # None before the first segment / after the last
    next: NextUp | None
    rundown: tuple[RundownRow, ...]
    graphics: GraphicsView
    desired: ObsState
    consequences: tuple[str, ...] = ()  # "panel ends 7 min late; 14:00 holds; break shortened ..."
    next_change_at: datetime | None = None  # when the desired state next changes by itself
    ended: bool = False
    warnings: tuple[str, ...] = field(default=())
    # why each desired value is what it is, for the diff's readable reasons. Keys: "program",
    # "preview", "transition", "overlay:<OBS source>", "lower_third", "lower_third_text",
    # "streaming", "recording". Values like "segment skogstekniska starts".
    causes: dict[str, str] = field(default_factory=dict)
    message: str = ""  # the operator's message to the speaker (presenter view), "" when none

"""Operator actions: inputs to the engine, never direct OBS calls.

Each action carries the show time it happened at. The engine folds the list of actions so far
(with the timeline and the time) into the state of the show; the journal stores them so a
restart resumes the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

Who = str  # "operator" (a key), "auto" (studio itself) or an API client's name ("streamdeck")


@dataclass(frozen=True)
class Action:
    at: datetime
    who: Who = "operator"


@dataclass(frozen=True)
class Take(Action):
    """Start the next segment now (also starts a manual segment that waits for TAKE).

    ``segment`` (an id) starts that segment instead: only a journalled take replayed onto a
    changed show file is written so (``studio.engine.replay``), never an operator's."""

    segment: str = ""


@dataclass(frozen=True)
class Hold(Action):
    """The current segment runs on; automatic advance waits until RELEASE."""


@dataclass(frozen=True)
class Release(Action):
    """End a HOLD: automatic advance resumes (an overdue next segment starts now)."""


@dataclass(frozen=True)
class Skip(Action):
    """Skip the next segment (it will not go on air); ``segment`` (an id): that one (a replay
    onto a changed show file, like ``Take.segment``)."""

    segment: str = ""


@dataclass(frozen=True)
class Back(Action):
    """Go back: the previous segment goes on air again."""


@dataclass(frozen=True)
class Nudge(Action):
    """Move the soft schedule by ``seconds`` (positive: later). Hard anchors stay."""

    seconds: int = 0


@dataclass(frozen=True)
class Fire(Action):
    """Put up the next queued lower third of the current segment."""


@dataclass(frozen=True)
class Clear(Action):
    """Take the lower third down."""


@dataclass(frozen=True)
class ToggleOverlay(Action):
    overlay: str = ""  # overlay id from the catalogue


@dataclass(frozen=True)
class PreviewNext(Action):
    """Studio mode: load the next segment's scene into preview now."""


@dataclass(frozen=True)
class Reassert(Action):
    """After a manual override in OBS: put the desired state back and resume automatic changes."""


@dataclass(frozen=True)
class Message(Action):
    """A message for the speaker, shown large on the presenter view until cleared (no OBS
    effect); a new message replaces the one shown."""

    text: str = ""


@dataclass(frozen=True)
class ClearMessage(Action):
    """Take the speaker's message down."""


ACTION_TYPES: dict[str, type[Action]] = {
    cls.__name__.lower(): cls
    for cls in (
        Take, Hold, Release, Skip, Back, Nudge, Fire, Clear, ToggleOverlay, PreviewNext, Reassert,
        Message, ClearMessage,
    )
}

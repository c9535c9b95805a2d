"""What arrives on the controller's work queue, and why a sync runs: closed, typed vocabularies.

Every input of the controller (a scheduler wake-up, an operator's action, an OBS event, a
connection change, the operator's reconnect, ...) is one frozen message here, so that the
controller's loop is one ``match`` over them and mypy sees a message nobody handles.
``Cause`` is the closed set of reasons the one flow (``Controller.sync``) runs for.

Owns no state: the message types and the ``Cause`` alias.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from studio.engine.actions import Action
from studio.engine.projection import Projection
from studio.obs.events import ObsEvent

Cause = Literal[
    "cue",  # the desired state changes by itself at this instant (a wake-up, or an event first)
    "action",  # an operator's action (or the API's, OSC's...)
    "followup",  # OBS events or a held-back transition change: send what may go out now
    "resync",  # OBS (re)connected: its state was read back, only what differs is sent
]


@dataclass(frozen=True)
class Startup:
    """The controller's first work: report what a restart found, schedule, connect."""


@dataclass(frozen=True)
class Due:
    """The scheduler's wake-up for the change of the desired state at ``at`` (show time)."""

    at: datetime


@dataclass(frozen=True)
class Missed:
    """The scheduler woke up more than its grace late for ``due``; a ``Due`` follows."""

    due: datetime
    scheduled_wall: datetime


@dataclass(frozen=True)
class Submitted:
    """An operator's action, to be checked, journalled and applied."""

    action: Action


@dataclass(frozen=True)
class Checked:
    """The control API's action: ``check`` sees the projection of now on the controller's
    thread and returns the action (or why not: an ``expect`` that no longer holds); ``reply``
    gets the refusal or None after. (Not the decision step, ``studio.runner.decide``.)"""

    check: Callable[[Projection], Action | str]
    reply: Callable[[str | None, Projection], None]


@dataclass(frozen=True)
class FromObs:
    """An event from OBS or from the gateway's connection (``ConnectionChanged``)."""

    event: ObsEvent


@dataclass(frozen=True)
class Reconnect:
    """The operator asks to reconnect to OBS now."""


@dataclass(frozen=True)
class Resync:
    """Read OBS and put the show's look on air (this show has just begun to drive OBS)."""


@dataclass(frozen=True)
class ClockStarted:
    """A rehearsal's virtual clock, standing at ``--from`` until OBS answered, runs now: the
    next wake-up is set again on the real time it now maps to."""


@dataclass(frozen=True)
class Marker:
    """``flush``: set ``done`` once all work queued before it is handled (and prepared)."""

    done: threading.Event


@dataclass(frozen=True)
class Idle:
    """Nothing arrived before the tracker's next deadline: a held-back change may go out."""


@dataclass(frozen=True)
class Tick:
    """Nothing arrived within the watchdog's period: the loop turns to ping it."""


@dataclass(frozen=True)
class Stop:
    """``stop``: the controller's thread ends."""


Message = Startup | Due | Missed | Submitted | Checked | FromObs | Reconnect | Resync \
    | ClockStarted | Marker | Idle | Tick | Stop

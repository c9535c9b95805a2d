"""What the TUI (and ``studio run --headless``) need from a running show: the controller's face.

The controller (runner/controller.py) implements ``ShowController``. All methods are cheap and
never block on OBS: ``submit`` queues the action and returns; the work happens off the caller's
thread. ``subscribe`` listeners may be called from any thread.

Owns no state: the types the screens and surfaces see (``ShowController``, ``ControllerStatus``,
``LogEntry``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from studio.clock import Clock
from studio.engine.actions import Action
from studio.engine.projection import Projection
from studio.obs.events import ConnectionState
from studio.show.model import Show

LogKind = Literal["cue", "action", "late", "error", "override", "info", "connection"]


@dataclass(frozen=True)
class LogEntry:
    at: datetime  # show time
    kind: LogKind
    text: str


@dataclass(frozen=True)
class ControllerStatus:
    connection: ConnectionState
    attempt: int = 0  # reconnect attempts while reconnecting
    detail: str = ""
    streaming: bool | None = None
    recording: bool | None = None
    rehearsal: bool = False
    speed: float = 1.0
    override: str | None = None  # "manual override: desired X, OBS shows Y" while paused
    studio_mode: bool | None = None
    alarms: tuple[str, ...] = ()  # e.g. "as-run: no space left on device: 3 lines waiting"
    retry_in: float = 0.0  # auth_failed: seconds between further attempts
    service_lost: bool = False  # an attached screen lost its show service: OBS's state unknown


class ShowController(Protocol):
    show: Show
    clock: Clock

    def projection(self) -> Projection: ...

    def status(self) -> ControllerStatus: ...

    def recent_log(self, limit: int = 50) -> list[LogEntry]: ...

    def submit(self, action: Action, expect: str | None = None) -> None:
        """Queue ``action``; with ``expect`` (the segment the operator saw it act on: the next
        one for take/skip/preview, the one on air otherwise; studio.runner.expect) it is
        refused with one log line, nothing done, if the show has moved on by its turn."""

    def reconnect(self) -> None: ...

    def subscribe(self, listener: Callable[[], None]) -> None: ...


class Log(Protocol):
    """The controller's log, as its collaborators write to it."""

    def __call__(self, kind: LogKind, text: str, at: datetime | None = None) -> None: ...

"""Whether this show may drive its OBS now (one show drives one OBS at a time).

A live show holds its OBS's lock (``studio.runner.lock.ObsLock``) from an hour before its first
cue (``PRE_SHOW``: the pre-show's checks, an early TAKE) until it ends. Started earlier (each
day's unit of a week started at boot), it stands by: it sends nothing to OBS and refuses the
operator's actions, saying until when, and takes the lock when its time comes. Should another
show still drive that OBS then, it says so once, sends nothing and takes over (putting its look
on air) the moment the other one stops.

Owns the gate's state; the controller asks ``why_not`` before anything goes to OBS, the
``keep_trying`` thread opens it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

PRE_SHOW = timedelta(hours=1)
RETRY_S = 1.0


class Lock(Protocol):
    @property
    def held(self) -> bool: ...

    def try_acquire(self) -> str | None: ...


class DriveGate:
    def __init__(self, lock: Lock, opens_at: datetime, opens_text: str) -> None:
        self.lock = lock
        self.opens_at = opens_at
        self._standing_by = (f"this show stands by until {opens_text} (an hour before its first "
                             "cue): until then another show may drive this OBS")
        self._refusal: str | None = None

    def why_not(self, now: datetime) -> str | None:
        """None when this show drives OBS; else the one line saying why it does not."""
        if self.lock.held:
            return None
        if now < self.opens_at:
            return self._standing_by
        return self._refusal or self._standing_by

    def try_open(self, now: datetime) -> bool:
        """At or after ``opens_at``: take the lock if it is free; True once held."""
        if self.lock.held:
            return True
        if now < self.opens_at:
            return False
        self._refusal = self.lock.try_acquire()
        return self._refusal is None


def keep_trying(gate: DriveGate, now: Callable[[], datetime], stop: threading.Event,
                log: Callable[[str, str], None], opened: Callable[[], None]) -> None:
    """Until the gate opens (or ``stop``): try it every ``RETRY_S``; tell a refusal once, and
    ``opened()`` (the controller puts its look on air) when it opens after standing by."""
    told = False
    while not stop.is_set():
        if gate.try_open(now()):
            log("info", "this show now drives OBS" + (" (the other show stopped)" if told else ""))
            opened()
            return
        why = gate.why_not(now())
        if why is not None and now() >= gate.opens_at and not told:
            log("error", why.replace("stop that one first",
                                     "this show sends nothing until that one stops"))
            told = True
        stop.wait(RETRY_S)

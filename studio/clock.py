"""Clocks. Nothing in studio calls ``datetime.now()`` on its own: a clock is passed in.

- ``RealClock``: the wall clock, in the show's zone.
- ``VirtualClock``: rehearsal time, starting at a chosen show time and running ``speed`` times
  faster than the wall clock.
- ``ManualClock``: a frozen clock for tests; ``advance()`` moves it.
- ``JumpClock``: an instant rehearsal's clock (``--speed max``): it stands still while the
  controller works and jumps to the next cue when told (``studio.runner.instant``).

Every clock counts in UTC and hands out ``now()`` as the show's wall time on the offset in force
at that instant (``local_instant``, below): such datetimes compare and subtract as
the instants they are, also across a daylight-saving change (two ``ZoneInfo`` datetimes do not:
Python compares them by wall time, and the autumn's repeated hour runs backwards).

``wall_time_for(t)`` answers when, on the real wall clock (UTC), this clock will read ``t``: the
scheduler needs it to wake up on time for a virtual clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Protocol

_FIXED: dict[tuple[timedelta, str], timezone] = {}


def local_instant(t: datetime, tz: tzinfo) -> datetime:
    """``t`` (aware) as the wall time of ``tz``, on the fixed offset in force at that instant.

    Why not ``t.astimezone(tz)``: Python compares and subtracts two datetimes that share one
    tzinfo object by their wall times, ignoring the offset and ``fold``. On an autumn night
    02:10 CET (the second, later 02:10) then sorts before 02:50 CEST, and 03:10 CET minus
    02:50 CEST is 20 minutes instead of 80. On a fixed offset wall-time arithmetic *is* UTC
    arithmetic, so these datetimes compare, subtract and sort as the instants they are, and still
    print the local wall time (``%H:%M``, ``%z``, ``%Z``: "CET"/"CEST").
    """
    local = t.astimezone(tz)
    offset = local.utcoffset() or timedelta(0)
    name = local.tzname() or ""
    fixed = _FIXED.get((offset, name))
    if fixed is None:
        fixed = _FIXED[(offset, name)] = timezone(offset, name) if name else timezone(offset)
    return local.replace(tzinfo=fixed, fold=0)


def _require_aware(t: datetime) -> None:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"naive datetime {t!r}: studio uses aware datetimes only")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Clock(Protocol):
    tz: tzinfo

    def now(self) -> datetime:
        """The current time, aware, in ``tz`` (a ``local_instant``: compares as an instant)."""
        ...

    def wall_time_for(self, t: datetime) -> datetime:
        """The real (UTC) instant at which ``now()`` will read ``t``."""
        ...

    @property
    def speed(self) -> float: ...


class RealClock:
    """The wall clock. ``utc_now`` is where the time comes from (the system clock; a test may
    step it)."""

    def __init__(self, tz: tzinfo, *, utc_now: Callable[[], datetime] = _utc_now) -> None:
        self.tz = tz
        self._utc_now = utc_now

    def now(self) -> datetime:
        return local_instant(self._utc_now(), self.tz)

    def wall_time_for(self, t: datetime) -> datetime:
        _require_aware(t)
        return t.astimezone(UTC)

    @property
    def speed(self) -> float:
        return 1.0


class VirtualClock:
    """Show time that starts at ``start`` and runs ``speed`` times faster than real time.
    ``real_time`` is the real clock it follows (``time.time``; a test may step it).

    ``standing=True``: it reads ``start`` until ``go()`` (a rehearsal begins at ``--from`` once
    OBS answered, so that at 600x the first minute is not spent connecting); meanwhile no
    instant after ``start`` comes, and ``wall_time_for`` says so (a day from now)."""

    def __init__(self, start: datetime, speed: float = 1.0, tz: tzinfo | None = None, *,
                 real_time: Callable[[], float] = time.time, standing: bool = False) -> None:
        _require_aware(start)
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.tz = tz or start.tzinfo or UTC
        self._start = start.astimezone(UTC)  # elapsed time is added in UTC, never to wall time
        self._speed = float(speed)
        self._real_time = real_time
        self._real_start: float | None = None if standing else real_time()

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def running(self) -> bool:
        return self._real_start is not None

    def go(self) -> None:
        """A standing clock starts to run, from ``start``; a running one is left alone."""
        if self._real_start is None:
            self._real_start = self._real_time()

    def now(self) -> datetime:
        began = self._real_start
        elapsed = 0.0 if began is None else (self._real_time() - began) * self._speed
        return local_instant(self._start + timedelta(seconds=elapsed), self.tz)

    def wall_time_for(self, t: datetime) -> datetime:
        _require_aware(t)
        began = self._real_start
        if began is None:  # standing: not before it runs (and then it is asked again)
            return datetime.fromtimestamp(self._real_time() + STANDING_HORIZON_S, UTC)
        real = began + (t.astimezone(UTC) - self._start).total_seconds() / self._speed
        return datetime.fromtimestamp(real, UTC)


STANDING_HORIZON_S = 86400.0


class ManualClock:
    """A frozen clock for tests: it reads what it was set to until moved."""

    def __init__(self, start: datetime) -> None:
        _require_aware(start)
        self.tz = start.tzinfo or UTC
        self._now = start.astimezone(UTC)

    @property
    def speed(self) -> float:
        return 1.0

    def now(self) -> datetime:
        return local_instant(self._now, self.tz)

    def set(self, t: datetime) -> None:
        _require_aware(t)
        self._now = t.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now = self._now + delta

    def wall_time_for(self, t: datetime) -> datetime:
        _require_aware(t)
        return t.astimezone(UTC)


class JumpClock:
    """Show time that stands still until ``jump_to`` moves it on (never back): an instant
    rehearsal. Its speed is infinite, so real-time figures derived from show time (lateness)
    read 0."""

    def __init__(self, start: datetime, tz: tzinfo | None = None) -> None:
        _require_aware(start)
        self.tz = tz or start.tzinfo or UTC
        self._now = start

    @property
    def speed(self) -> float:
        return math.inf

    def now(self) -> datetime:
        return self._now.astimezone(self.tz)

    def jump_to(self, t: datetime) -> None:
        _require_aware(t)
        if t > self._now:
            self._now = t

    def wall_time_for(self, t: datetime) -> datetime:
        _require_aware(t)
        return datetime.now(UTC)  # whatever is due is due as soon as the clock jumps there

"""APScheduler wake-ups: on time for a virtual clock, and a missed job reported, not lost."""

from __future__ import annotations

import queue
from datetime import UTC, datetime, timedelta

from studio.clock import RealClock, VirtualClock
from studio.runner.scheduler import EARLY_S, CueScheduler


def test_virtual_clock_wakes_up_at_the_right_real_time() -> None:
    start = datetime(2021, 1, 19, 9, 0, tzinfo=UTC)
    clock = VirtualClock(start, speed=600)
    fired: queue.Queue[tuple[datetime, datetime]] = queue.Queue()
    sched = CueScheduler(clock, lambda due: fired.put((due, clock.now())), lambda d, w: None)
    sched.start()
    try:
        due = start + timedelta(minutes=2)  # 0.2 s of real time away
        sched.schedule(due)
        got, now = fired.get(timeout=5)
        assert got == due
        late_real_ms = (now - due).total_seconds() * 1000 / 600
        assert -EARLY_S * 1000 - 1 <= late_real_ms < 50  # woken a few ms early on purpose
        sched.schedule(None)  # nothing left: no wake-up
        assert sched.due is None
    finally:
        sched.shutdown()


def test_a_job_missed_beyond_the_grace_time_is_reported_and_still_handed_over() -> None:
    clock = RealClock(UTC)
    fired: queue.Queue[datetime] = queue.Queue()
    missed: queue.Queue[datetime] = queue.Queue()
    sched = CueScheduler(clock, fired.put, lambda due, wall: missed.put(due))
    sched.start()
    try:
        due = datetime.now(UTC) - timedelta(minutes=5)  # e.g. the machine was suspended
        sched.schedule(due)
        assert missed.get(timeout=5) == due
        assert fired.get(timeout=5) == due  # the controller still sends the state for now
    finally:
        sched.shutdown()

"""Wake the controller when the show's desired state next changes.

``CueScheduler`` keeps exactly one APScheduler 3.11 date job: at ``clock.wall_time_for(due)``
(so a rehearsal's virtual clock wakes up on time too), rescheduled after every change. The job
does nothing but hand ``due`` to the controller's queue: the firing path never waits on a UI
loop and the work happens on the controller's thread.

``misfire_grace_time`` is 30 s, on purpose: a job that fires late (machine suspended, process
stopped) still runs, because the controller computes the desired state for *now* and sends only
the difference, which is always right to send; a job later than that is reported as missed
(``EVENT_JOB_MISSED``) and handed over just the same, so nothing is lost, and the as-run log
records it as late. ``coalesce=True``: one job, one wake-up.

``ManualScheduler`` is the same face for a ``ManualClock``: tests fire the wake-up themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from studio.clock import Clock

MISFIRE_GRACE_S = 30
JOB_ID = "studio-next-change"

DueCallback = Callable[[datetime], None]
MissedCallback = Callable[[datetime, datetime], None]  # (due show time, scheduled wall time)


class Scheduler(Protocol):
    def start(self) -> None: ...

    def schedule(self, due: datetime | None) -> None: ...

    def shutdown(self) -> None: ...


class CueScheduler:
    def __init__(self, clock: Clock, on_due: DueCallback, on_missed: MissedCallback) -> None:
        from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
        from apscheduler.schedulers.background import BackgroundScheduler

        self._clock = clock
        self._on_due = on_due
        self._on_missed = on_missed
        self._due: datetime | None = None
        self._lock = threading.Lock()
        self._sched = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": MISFIRE_GRACE_S, "coalesce": True,
                          "max_instances": 1},
        )

        def missed(event: JobExecutionEvent) -> None:
            if event.job_id == JOB_ID and self._due is not None:
                due = self._due
                self._on_missed(due, event.scheduled_run_time)
                self._on_due(due)

        self._sched.add_listener(missed, EVENT_JOB_MISSED)

    def start(self) -> None:
        self._sched.start()

    @property
    def due(self) -> datetime | None:
        return self._due

    def schedule(self, due: datetime | None) -> None:
        with self._lock:
            if due == self._due and self._sched.get_job(JOB_ID) is not None:
                return
            self._due = due
            if due is None:
                if self._sched.get_job(JOB_ID) is not None:
                    self._sched.remove_job(JOB_ID)
                return
            run_at = self._clock.wall_time_for(due)
            self._sched.add_job(
                self._fire, "date", run_date=run_at, args=(due,), id=JOB_ID,
                replace_existing=True,
            )

    def _fire(self, due: datetime) -> None:
        self._on_due(due)

    def shutdown(self) -> None:
        if self._sched.running:
            self._sched.shutdown(wait=False)


class ManualScheduler:
    """For tests with a ManualClock: remembers the wake-up; ``fire()`` delivers it."""

    def __init__(self, clock: Any, on_due: DueCallback, on_missed: MissedCallback) -> None:
        self._on_due = on_due
        self.due: datetime | None = None

    def start(self) -> None:
        pass

    def schedule(self, due: datetime | None) -> None:
        self.due = due

    def fire(self) -> datetime | None:
        due = self.due
        if due is not None:
            self._on_due(due)
        return due

    def shutdown(self) -> None:
        pass

"""Wake the controller when the show's desired state next changes.

``CueScheduler`` keeps exactly one APScheduler 3.11 date job: at ``clock.wall_time_for(due)``
(so a rehearsal's virtual clock wakes up on time too), set by the controller once it has
prepared the next cue. The job does nothing but call the controller's ``on_due`` (which puts a
``Due`` message on its queue; a job that fired late: ``Missed``, then ``Due``): the firing path
never waits on a UI loop and the work happens on the controller's thread.

``misfire_grace_time`` is 30 s, on purpose: a job that fires late (machine suspended, process
stopped) still runs, because the controller computes the desired state for *now* and sends only
the difference, which is always right to send; a job later than that is reported as missed
(``EVENT_JOB_MISSED``) and handed over just the same, so nothing is lost, and the as-run log
records it as late. ``coalesce=True``: one job, one wake-up. The job runs ``EARLY_S`` plus the
send-ahead lead before the cue; the controller sleeps the last few milliseconds precisely (cue
lateness ~0.1 ms).

``ManualScheduler`` is the same face for a ``ManualClock``: tests fire the wake-up themselves.

Owns the APScheduler scheduler and its one job (the instant and lead it was set for).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from studio.clock import Clock

MISFIRE_GRACE_S = 30
# wake up this much before the cue: the controller waits out the rest with a short precise sleep
# (APScheduler's own wake-up is ~1 ms late, a thread hand-over adds more)
EARLY_S = 0.004
JOB_PREFIX = "studio-next-change"  # one id per wake-up (see CueScheduler.schedule)

DueCallback = Callable[[datetime], None]
MissedCallback = Callable[[datetime, datetime], None]  # (due show time, scheduled wall time)


class Scheduler(Protocol):
    @property
    def due(self) -> datetime | None:
        """The wake-up scheduled (None: nothing will happen by itself)."""
        ...

    def start(self) -> None: ...

    def schedule(self, due: datetime | None, lead_s: float = 0.0) -> None: ...

    def shutdown(self) -> None: ...


class CueScheduler:
    def __init__(self, clock: Clock, on_due: DueCallback, on_missed: MissedCallback) -> None:
        from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
        from apscheduler.schedulers.background import BackgroundScheduler

        self._clock = clock
        self._on_due = on_due
        self._on_missed = on_missed
        self._due: datetime | None = None
        self._lead_s = 0.0
        self._run_at: datetime | None = None
        self._job_id: str | None = None
        self._count = 0
        self._lock = threading.Lock()
        self._sched = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"misfire_grace_time": MISFIRE_GRACE_S, "coalesce": True,
                          "max_instances": 1},
        )

        def missed(event: JobExecutionEvent) -> None:
            if event.job_id == self._job_id and self._due is not None:
                due = self._due
                self._on_missed(due, event.scheduled_run_time)
                self._on_due(due)

        self._sched.add_listener(missed, EVENT_JOB_MISSED)

    def start(self) -> None:
        self._sched.start()

    @property
    def due(self) -> datetime | None:
        return self._due

    def schedule(self, due: datetime | None, lead_s: float = 0.0) -> None:
        """Wake up for ``due``, ``lead_s`` real seconds early on top of ``EARLY_S`` (send-ahead).
        A fresh job id per wake-up: APScheduler removes a date job after running it, and with
        one shared id that removal could hit the job scheduled meanwhile for the next cue."""
        from apscheduler.jobstores.base import JobLookupError

        with self._lock:
            run_at = (None if due is None else
                      self._clock.wall_time_for(due) - timedelta(seconds=EARLY_S + lead_s))
            if (due, lead_s, run_at) == (self._due, self._lead_s, self._run_at) \
                    and self._job_id is not None and self._sched.get_job(self._job_id) is not None:
                return  # (the same real time: a rehearsal's clock that began to run is not)
            self._due = due
            self._lead_s = lead_s
            self._run_at = run_at
            if self._job_id is not None:
                with contextlib.suppress(JobLookupError):  # it ran already
                    self._sched.remove_job(self._job_id)
                self._job_id = None
            if due is None or run_at is None:
                return
            self._count += 1
            self._job_id = f"{JOB_PREFIX}-{self._count}"
            self._sched.add_job(self._fire, "date", run_date=run_at, args=(due,),
                                id=self._job_id)

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
        self.lead_s = 0.0

    def start(self) -> None:
        pass

    def schedule(self, due: datetime | None, lead_s: float = 0.0) -> None:
        self.due = due
        self.lead_s = lead_s

    def fire(self) -> datetime | None:
        due = self.due
        if due is not None:
            self._on_due(due)
        return due

    def shutdown(self) -> None:
        pass

"""The next cue's wake-up is scheduled once, after the cue was worked out ahead, also when OBS's
events queue up behind a cue: an APScheduler job set first without the cue's send-ahead lead
and set again with it is the firing path's bookkeeping twice (and, cut short, a cue sent late
by its lead)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from studio.clock import ManualClock
from studio.obs.connection import ObsConnectionSettings
from studio.obs.events import ObsEvent, StudioModeChanged
from studio.obs.simulator import Simulator
from studio.runner.controller import Controller
from studio.runner.ports import gateway_factory
from studio.runner.scheduler import ManualScheduler
from studio.show.loader import load_show
from tests.runner.conftest import WAIT, at, write_show


class Recording(ManualScheduler):
    """Records each wake-up asked for, and whether its cue had been worked out by then."""

    controller: Controller | None = None

    def __init__(self, clock: Any, on_due: Any, on_missed: Any) -> None:
        super().__init__(clock, on_due, on_missed)
        self.unprepared: list[datetime] = []

    def schedule(self, due: datetime | None, lead_s: float = 0.0) -> None:
        ctl = self.controller
        if ctl is not None and due is not None:
            prepared = ctl.planner.prepared
            if prepared is None or prepared.due != due:
                self.unprepared.append(due)
        super().schedule(due, lead_s)


def chatty(port: int) -> Callable[[Callable[[ObsEvent], None]], Any]:
    """The real gateway, whose OBS sends a few events while a cue's requests are answered (as
    a busy OBS does: scene-item and transition events), so they queue up behind the cue."""
    real = gateway_factory(ObsConnectionSettings(port=port, timeout=2.0))

    def make(on_event: Callable[[ObsEvent], None]) -> Any:
        gateway = real(on_event)

        class Chatty:
            def __getattr__(self, name: str) -> Any:
                return getattr(gateway, name)

            def apply(self, commands: Any) -> Any:
                results = gateway.apply(commands)
                for _ in range(3):
                    on_event(StudioModeChanged(enabled=False))  # as it is: changes nothing
                return results

        return Chatty()

    return make


def test_a_cue_s_wake_up_is_scheduled_once_it_is_prepared(sim: Simulator, tmp_path: Any
                                                          ) -> None:
    path = write_show(tmp_path)
    show = load_show(path)
    clock = ManualClock(at(9, 0, 30))
    ctl = Controller(show, clock, chatty(sim.port), scheduler_factory=Recording)
    sched = ctl.scheduler
    assert isinstance(sched, Recording)
    sched.controller = ctl
    ctl.start()
    try:
        assert ctl.wait_for(lambda: ctl.status().connection == "connected", WAIT)
        assert ctl.flush(WAIT)
        for _ in range(4):  # welcome, its lower third on and off, the talk
            due = sched.due
            assert due is not None
            clock.set(due)
            sched.fire()
            assert ctl.flush(WAIT)
            assert ctl.wait_for(lambda: not ctl.tracker.pending, WAIT)
        assert sched.due is not None and sched.due > at(9, 1)
        assert sched.unprepared == []
    finally:
        ctl.stop()

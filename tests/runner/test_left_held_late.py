"""A rehearsal at a finite speed whose show is left held ends at the show's planned end; the
line saying so is stamped with that end even when the end is noticed late (a loaded machine)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from studio.engine.actions import Hold
from studio.obs.simulator import Simulator
from studio.runner.instant import feed_actions
from tests.runner.conftest import WAIT, Harness, at


def test_a_late_look_at_a_standing_show_is_stamped_at_the_planned_end(
    sim: Simulator, make_harness: Callable[..., Harness]
) -> None:
    """In CI the line read 09:15:02 for a planned end of 09:15:00: it says when the show
    ended, not when the end was seen."""
    h = make_harness(sim.port, at(9, 1, 30))
    stop = threading.Event()
    feeder = threading.Thread(target=feed_actions,
                              args=(h.ctl, h.clock, [Hold(at=at(9, 1, 30))], stop), daemon=True)
    feeder.start()
    try:
        assert h.ctl.wait_for(lambda: len(h.ctl.actions) == 1, WAIT)
        h.settle()
        while h.sched.due is not None:  # the held-back cues' wake-ups come and go
            h.fire()
        h.clock.set(at(9, 15, 2))  # seen two seconds after the planned end
        assert h.ctl.finished.wait(WAIT), (h.sched.due, h.ctl.idle())
    finally:
        stop.set()
        feeder.join(WAIT)
    [line] = [e for e in h.ctl.recent_log() if "left held" in e.text]
    assert line.at == at(9, 15, 0), line

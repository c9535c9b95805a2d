"""Issue 9, items 6 and 8: cues that fell due while studio was down are reported missed once,
even when the restart that reported them dies too before the next cue (kill -9 twice)."""

from __future__ import annotations

from typing import Any

from studio.obs.simulator import Simulator
from tests.runner.conftest import WAIT, at


def test_missed_cues_are_reported_once_across_two_restarts(sim: Simulator,
                                                           make_harness: Any) -> None:
    h = make_harness(sim.port, at(8, 59, 30))
    h.fire()  # slate at 09:00, checkpointed
    h.ctl.stop()  # studio is away while welcome (09:01) and talk (09:03) fall due
    sim.stop()  # and OBS too: the restart sends nothing (no resync to checkpoint)
    again = make_harness(sim.port, at(9, 3, 20), connect=False)
    assert again.ctl.flush(WAIT)
    missed = [r["cue"] for r in again.asrun() if r["kind"] == "missed"]
    assert missed[0] == "welcome" and missed[-1] == "talk", missed
    again.ctl.stop()  # away again before any cue (kill -9 twice in a row)
    sim.start()
    third = make_harness(sim.port, at(9, 3, 40))
    assert [r["cue"] for r in third.asrun() if r["kind"] == "missed"] == missed

"""``Controller.idle()``: the public query the instant rehearsal jumps the clock on (it read the
controller's private queue and connection state before)."""

from __future__ import annotations

import socket
from typing import Any

from studio.obs.simulator import Simulator
from tests.runner.conftest import SHOW_YAML, WAIT, at


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_not_idle_while_obs_is_not_there(make_harness: Any) -> None:
    h = make_harness(_free_port(), at(8, 59, 30), connect=False)
    assert h.ctl.flush(WAIT)  # the start-up handled: only OBS is missing
    assert h.ctl.status().connection != "connected"
    assert not h.ctl.idle()


def test_idle_once_connected_then_not_while_a_transition_runs(
        sim: Simulator, make_harness: Any) -> None:
    text = SHOW_YAML.replace("    scene: Holding Slate\n    transition: cut",
                             "    scene: Holding Slate\n    transition: fade 300ms")
    h = make_harness(sim.port, at(8, 59, 30), text=text)
    assert h.ctl.idle()  # connected, start-up done, nothing running
    h.clock.set(at(9, 0))
    h.sched.fire()  # the slate, with a 300 ms fade
    assert h.ctl.flush(WAIT)
    assert not h.ctl.idle()  # the fade runs: an instant rehearsal must not jump yet
    assert h.ctl.wait_for(h.ctl.idle, WAIT)  # its end comes from OBS

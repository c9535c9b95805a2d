"""A cue sent to a frozen OBS (``kill -STOP``): its timeout is a lost connection, said as one
before the cue's caller reads the result. Before, the gateway still said "connected" for a
moment after the timeout, and once in three the runner read the cue's failure as OBS refusing
the command ("is this OBS provisioned?"), sending the technician to re-provision a healthy OBS."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

import pytest

from studio.engine.state import SetProgramScene, SetSourceVisible
from studio.obs.events import ConnectionChanged
from studio.obs.gateway import ObsGateway
from tests.obs.test_gateway_resilience import connection, wait_until_stopped

pytestmark = pytest.mark.obs


@pytest.mark.parametrize("command", [
    SetProgramScene(scene="Scene", reason="ON AIR Scene"),
    SetSourceVisible(scene="Scene", source="Clock", visible=True, reason="overlay Clock on"),
], ids=["switch", "overlay"])
def test_a_cue_that_times_out_on_a_frozen_obs_is_a_lost_connection_at_once(
    obs_factory: Any, obs_settings: Callable[..., Any], recorder: Any, command: Any,
) -> None:
    obs = obs_factory()
    gw = ObsGateway(obs_settings(obs.port, timeout=0.5), on_event=recorder)
    gw.start()
    try:
        recorder.wait_for(connection("connected"))
        mark = recorder.mark()
        os.kill(obs.pid, signal.SIGSTOP)
        wait_until_stopped(obs.pid)
        [result] = gw.apply([command])
        state = gw.connection_state  # what the runner reads right after the cue's result
        assert not result.ok and result.code is None  # no answer from OBS: no code
        assert "did not answer" in result.comment
        assert state == "reconnecting"
        lost = recorder.wait_for(connection("reconnecting"), after=mark)
        assert isinstance(lost, ConnectionChanged) and "did not answer" in lost.detail
        mark = recorder.mark()
        os.kill(obs.pid, signal.SIGCONT)
        recorder.wait_for(connection("connected"), timeout=30, after=mark)
        [again] = gw.apply([SetProgramScene(scene="Scene", reason="ON AIR Scene")])
        assert again.ok
    finally:
        os.kill(obs.pid, signal.SIGCONT)
        gw.stop()
    attempts = [e.attempt for e in recorder.events
                if isinstance(e, ConnectionChanged) and e.state == "reconnecting"]
    assert attempts == list(range(1, len(attempts) + 1))  # one event per attempt, as before

"""OBS 29.0.2 stopped reporting scene switches for good when the transition was changed between a
switch's CurrentProgramSceneChanged and its SceneTransitionEnded (field notes §2; not reproduced
here in 6 tries, but cheap to avoid): the gateway holds a cue that changes the transition until
the running transition has ended."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from studio.engine.state import SetProgramScene, SetTransition
from studio.obs.events import ProgramSceneChanged, TransitionEnded
from studio.obs.gateway import ObsGateway

pytestmark = pytest.mark.obs


def switched_to(scene: str) -> Callable[[Any], bool]:
    return lambda e: isinstance(e, ProgramSceneChanged) and e.scene == scene


def test_changing_the_transition_waits_for_the_running_one(
    obs_factory: Any, obs_settings: Callable[..., Any], recorder: Any
) -> None:
    obs = obs_factory()
    gw = ObsGateway(obs_settings(obs.port), on_event=recorder)
    gw.start()
    try:
        assert gw.wait_connected(10)
        for scene in ("T Wide", "T Close"):
            gw.call("CreateScene", {"sceneName": scene})
        mark = recorder.mark()
        assert all(r.ok for r in gw.apply([SetTransition("Fade", 300), SetProgramScene("T Wide")]))
        recorder.wait_for(lambda e: isinstance(e, TransitionEnded), after=mark)
        for scene in ("T Close", "T Wide", "T Close"):
            mark = recorder.mark()
            started = time.perf_counter()
            assert gw.apply([SetProgramScene(scene)])[0].ok
            assert gw.apply([SetTransition("Fade", 300)])[0].ok  # while the fade runs
            assert time.perf_counter() - started >= 0.25, "sent while the transition ran"
            recorder.wait_for(lambda e: isinstance(e, TransitionEnded), timeout=3, after=mark)
        # and OBS still reports switches
        mark = recorder.mark()
        gw.apply([SetProgramScene("T Wide")])
        recorder.wait_for(switched_to("T Wide"), timeout=3, after=mark)
    finally:
        gw.stop()


def test_the_transition_bug_is_avoided_on_the_simulator(
    obs_settings: Callable[..., Any], recorder: Any
) -> None:
    """The simulator models the bug with a wide CurrentProgramSceneChanged -> SceneTransitionEnded
    gap: changing the transition inside it would silence the switch events for good."""
    from studio.obs.simulator import Simulator

    with Simulator(transition_end_gap_ms=300) as sim:
        gw = ObsGateway(obs_settings(sim.port), on_event=recorder)
        gw.start()
        try:
            assert gw.wait_connected(5)
            for scene in ("T Wide", "T Close"):
                gw.call("CreateScene", {"sceneName": scene})
            gw.apply([SetTransition("Fade", 100)])
            for scene in ("T Wide", "T Close", "T Wide"):
                mark = recorder.mark()
                assert gw.apply([SetProgramScene(scene)])[0].ok
                recorder.wait_for(switched_to(scene), after=mark)  # inside the gap now
                assert gw.apply([SetTransition("Cut")])[0].ok
                recorder.wait_for(lambda e: isinstance(e, TransitionEnded), after=mark)
                gw.apply([SetTransition("Fade", 100)])
        finally:
            gw.stop()

"""The gateway against a real headless OBS: one cue's commands in one batch and in order, read-back,
typed events, a refused request failing only its command, commands dropped while disconnected."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from studio.engine.state import (
    SetPreviewScene,
    SetProgramScene,
    SetSourceVisible,
    SetText,
    SetTransition,
)
from studio.obs.connection import ObsConnectionSettings
from studio.obs.events import ProgramSceneChanged, SceneItemVisibilityChanged, SceneListChanged
from studio.obs.gateway import NotConnected, ObsGateway, RequestFailed
from studio.obs.provision import provision
from studio.show.model import Catalogue

pytestmark = pytest.mark.obs

CATALOGUE = Catalogue.model_validate(
    {
        "scenes": ["GW Wide", "GW Close"],
        "graphics_scene": "GW Graphics",
        "overlays": {
            "bug": {"source": "GW Bug"},
            "clock": {"source": "GW Clock"},
            "strip": {"source": "GW Strip"},
        },
        "lower_third": {"source": "GW Lower Third", "name_input": "GW LT Name",
                        "role_input": "GW LT Role"},
        "transitions": {"default": "cut"},
    }
)


@pytest.fixture(scope="module")
def provisioned(obs_real: Any) -> Any:
    gw = ObsGateway(ObsConnectionSettings(port=obs_real.port, timeout=2.0))
    gw.start()
    assert gw.wait_connected(10)
    provision(gw, CATALOGUE)
    gw.stop()
    return obs_real


@pytest.fixture
def gateway(
    provisioned: Any, recorder: Any, obs_settings: Callable[..., Any]
) -> Iterator[ObsGateway]:
    gw = ObsGateway(obs_settings(provisioned.url), on_event=recorder)
    gw.start()
    assert gw.wait_connected(10)
    gw.apply([SetTransition("Cut")])
    yield gw
    gw.stop()


def cue(scene: str, shown: bool, name: str) -> list[Any]:
    g = CATALOGUE.graphics_scene
    return [
        SetProgramScene(scene, reason="segment starts"),
        SetSourceVisible(g, "GW Bug", shown),
        SetSourceVisible(g, "GW Clock", not shown),
        SetSourceVisible(g, "GW Strip", shown),
        SetText("GW LT Name", name),
        SetSourceVisible(g, "GW Lower Third", shown),
    ]


def test_a_cue_is_applied_together_and_read_back(gateway: ObsGateway) -> None:
    results = gateway.apply(cue("GW Close", True, "Ada Lovelace"))
    assert [r.ok for r in results] == [True] * 6, results
    assert len({r.elapsed_ms for r in results}) == 1  # one batch, one round trip
    state = gateway.read_state(CATALOGUE)
    assert state.program_scene == "GW Close"
    assert state.overlay_map() == {"GW Bug": True, "GW Clock": False, "GW Strip": True}
    assert state.lower_third_visible is True
    assert state.lower_third_name == "Ada Lovelace"
    assert state.transition == "Cut"
    assert state.studio_mode is False and state.preview_scene is None
    assert state.streaming is False and state.recording is False

    gateway.apply(cue("GW Wide", False, "Grace Hopper"))
    state = gateway.read_state(CATALOGUE)
    assert state.program_scene == "GW Wide"
    assert state.overlay_map() == {"GW Bug": False, "GW Clock": True, "GW Strip": False}
    assert (state.lower_third_visible, state.lower_third_name) == (False, "Grace Hopper")


def test_commands_of_a_cue_run_in_order(gateway: ObsGateway) -> None:
    texts = [SetText("GW LT Role", f"role {i}") for i in range(20)]
    assert all(r.ok for r in gateway.apply(texts))
    assert gateway.read_state(CATALOGUE).lower_third_role == "role 19"


def test_a_refused_request_fails_only_its_command(gateway: ObsGateway) -> None:
    results = gateway.apply(
        [
            SetProgramScene("No Such Scene"),
            SetText("GW LT Name", "still sent"),
            SetSourceVisible(CATALOGUE.graphics_scene, "No Such Source", True),
            SetPreviewScene("GW Wide"),  # studio mode is off: OBS says 506
        ]
    )
    assert [r.ok for r in results] == [False, True, False, False]
    assert results[0].code == 600 and "No Such Scene" in results[0].comment
    assert results[2].code == 600
    assert results[3].code == 506
    assert gateway.read_state(CATALOGUE).lower_third_name == "still sent"
    with pytest.raises(RequestFailed) as info:
        gateway.call("GetSceneItemList", {"sceneName": "No Such Scene"})
    assert info.value.code == 600
    assert gateway.connection_state == "connected"  # a refusal is not a connection problem


def test_a_cue_of_one_command_is_answered_alone(gateway: ObsGateway) -> None:
    # sent as a plain request (op 6), not a batch: results look the same
    [done] = gateway.apply([SetText("GW LT Name", "alone")])
    assert done.ok and done.elapsed_ms > 0
    [refused] = gateway.apply([SetProgramScene("No Such Scene")])
    assert not refused.ok and refused.code == 600 and "No Such Scene" in refused.comment
    assert gateway.read_state(CATALOGUE).lower_third_name == "alone"
    assert gateway.connection_state == "connected"


def test_events_arrive_typed_with_source_names(gateway: ObsGateway, recorder: Any) -> None:
    gateway.apply([SetProgramScene("GW Wide")])
    mark = recorder.mark()
    gateway.apply([SetProgramScene("GW Close"),
                   SetSourceVisible(CATALOGUE.graphics_scene, "GW Strip", True)])
    gateway.apply([SetSourceVisible(CATALOGUE.graphics_scene, "GW Strip", False)])
    recorder.wait_for(
        lambda e: isinstance(e, ProgramSceneChanged) and e.scene == "GW Close", after=mark
    )
    hidden = recorder.wait_for(
        lambda e: isinstance(e, SceneItemVisibilityChanged) and not e.visible, after=mark
    )
    assert isinstance(hidden, SceneItemVisibilityChanged)
    assert (hidden.scene, hidden.source) == (CATALOGUE.graphics_scene, "GW Strip")
    assert hidden.at.tzinfo is not None


def test_new_scene_items_are_known_at_once(gateway: ObsGateway, recorder: Any) -> None:
    """The (scene, source) -> id map follows SceneItemCreated without a reconnect."""
    g = CATALOGUE.graphics_scene
    existing = {i["sourceName"] for i in gateway.call("GetSceneItemList", {"sceneName": g})
                ["sceneItems"]}
    if "GW Extra" not in existing:
        mark = recorder.mark()
        gateway.call("CreateInput", {"sceneName": g, "inputName": "GW Extra",
                                     "inputKind": "color_source_v3",
                                     "inputSettings": {"color": 0xFF0000FF}})
        recorder.wait_for(lambda e: isinstance(e, SceneListChanged), after=mark)
    results = gateway.apply([SetSourceVisible(g, "GW Extra", False)])
    assert results[0].ok, results
    assert ("GW Extra", False) in gateway.read_state(CATALOGUE).overlays  # type: ignore[operator]


def test_a_failing_event_handler_does_not_stop_the_events(
    provisioned: Any, obs_settings: Callable[..., Any]
) -> None:
    seen: list[Any] = []

    def handler(event: Any) -> None:
        seen.append(event)
        raise RuntimeError("a bug in the handler")

    gw = ObsGateway(obs_settings(provisioned.url), on_event=handler)
    gw.start()
    try:
        assert gw.wait_connected(10)
        gw.apply([SetProgramScene("GW Wide")])
        gw.apply([SetProgramScene("GW Close")])
        assert gw.call("GetCurrentProgramScene")["currentProgramSceneName"] == "GW Close"
    finally:
        gw.stop()
    assert len(seen) >= 3  # connecting, connected, ..., closed all delivered despite the raise


def test_while_disconnected_commands_are_dropped_not_queued(
    obs_settings: Callable[..., Any],
) -> None:
    gw = ObsGateway(obs_settings(1))  # nothing listens on port 1
    gw.start()
    try:
        results = gw.apply([SetProgramScene("GW Wide"), SetText("GW LT Name", "x")])
        assert [(r.ok, r.comment) for r in results] == [(False, "not connected")] * 2
        with pytest.raises(NotConnected):
            gw.read_state(CATALOGUE)
        assert gw.connection_state in ("connecting", "reconnecting")
    finally:
        gw.stop()
    assert gw.connection_state == "closed"

"""The gateway, provisioning and pre-flight on the built-in simulator: what rehearsal relies on
(the same calls as against the real OBS; the contract suite checks the simulator itself)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from studio.engine.state import SetProgramScene, SetSourceVisible, SetText
from studio.obs.events import ConnectionChanged, ProgramSceneChanged
from studio.obs.gateway import ObsGateway
from studio.obs.preflight import preflight_diagnostics
from studio.obs.provision import provision
from studio.obs.simulator import Simulator
from studio.show.loader import load_show

TUESDAY = (Path(__file__).resolve().parents[2] / "schedules" / "digital-vecka-2021"
           / "2021-01-19-tisdag.yaml")


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(password="sim-pw-42")
    simulator.start()
    yield simulator
    simulator.stop()


def connection(state: str) -> Callable[[Any], bool]:
    return lambda e: isinstance(e, ConnectionChanged) and e.state == state


def test_provision_preflight_and_a_cue_on_the_simulator(
    sim: Simulator, obs_settings: Callable[..., Any], recorder: Any
) -> None:
    show = load_show(TUESDAY)
    settings = obs_settings(sim.port, "sim-pw-42")
    assert preflight_diagnostics(show, settings)  # empty simulator: things are missing
    gw = ObsGateway(settings, on_event=recorder)
    gw.start()
    try:
        assert gw.wait_connected(5)
        first = provision(gw, show.catalogue)
        assert first.created and not first.problems
        assert provision(gw, show.catalogue).created == []
        assert preflight_diagnostics(show, settings) == []
        mark = recorder.mark()
        results = gw.apply([
            SetProgramScene("Studio Wide"),
            SetSourceVisible("Graphics", "LIVE Bug", True),
            SetSourceVisible("Graphics", "Clock", True),
            SetSourceVisible("Graphics", "Partner Strip", False),
            SetText("LT Name", "Krister Ruth"),
        ])
        assert all(r.ok for r in results), results
        recorder.wait_for(lambda e: isinstance(e, ProgramSceneChanged), after=mark)
        state = gw.read_state(show.catalogue)
        assert state.program_scene == "Studio Wide"
        assert {"LIVE Bug": True, "Clock": True, "Partner Strip": False}.items() <= \
            state.overlay_map().items()
        assert state.lower_third_name == "Krister Ruth"
    finally:
        gw.stop()


def test_simulator_gone_and_back_reconnects(
    sim: Simulator, obs_settings: Callable[..., Any], recorder: Any
) -> None:
    gw = ObsGateway(obs_settings(sim.port, "sim-pw-42"), on_event=recorder)
    gw.start()
    try:
        recorder.wait_for(connection("connected"))
        sim.stop()
        recorder.wait_for(connection("reconnecting"))
        mark = recorder.mark()
        sim.start()  # same port
        recorder.wait_for(connection("connected"), after=mark)
        assert gw.call("GetVersion")["rpcVersion"] == 1
    finally:
        gw.stop()


def test_wrong_password_on_the_simulator(
    sim: Simulator, obs_settings: Callable[..., Any], recorder: Any
) -> None:
    gw = ObsGateway(obs_settings(sim.port, "wrong"), on_event=recorder)
    gw.start()
    try:
        assert gw.wait_connected(5) is False
        recorder.wait_for(connection("auth_failed"))
        assert recorder.states() == ["connecting", "auth_failed"]
        assert gw.connect_attempts == 1
    finally:
        gw.stop()


def test_a_dead_event_connection_is_noticed_and_replaced(
    sim: Simulator, obs_settings: Callable[..., Any], recorder: Any
) -> None:
    """Events stop when the event connection's reader ends: the gateway rebuilds the link."""
    gw = ObsGateway(obs_settings(sim.port, "sim-pw-42"), on_event=recorder)
    gw.start()
    try:
        recorder.wait_for(connection("connected"))
        gw.call("CreateScene", {"sceneName": "After"})
        link = gw._client  # white box: end only the event reader, as a crash would
        assert link is not None
        link.events.close()
        recorder.wait_for(connection("reconnecting"))
        mark = recorder.mark()
        recorder.wait_for(connection("connected"), after=mark)
        mark = recorder.mark()
        gw.apply([SetProgramScene("After")])
        recorder.wait_for(lambda e: isinstance(e, ProgramSceneChanged) and e.scene == "After",
                          after=mark)
    finally:
        gw.stop()


def test_provision_reports_what_it_cannot_do_and_alters_nothing(
    sim: Simulator, obs_settings: Callable[..., Any]
) -> None:
    show = load_show(TUESDAY)
    gw = ObsGateway(obs_settings(sim.port, "sim-pw-42"))
    gw.start()
    try:
        assert gw.wait_connected(5)
        # an input squats the name of a program scene
        gw.call("CreateInput", {"sceneName": "Scene", "inputName": "Break",
                                "inputKind": "color_source_v3", "inputSettings": {"color": 7}})
        report = provision(gw, show.catalogue)
        assert report.problems == ["'Break' should be a scene but OBS has an input of that name"]
        assert "problem: 'Break' should be a scene but OBS has an input of that name" in \
            report.lines()
        settings = gw.call("GetInputSettings", {"inputName": "Break"})
        assert settings["inputKind"] == "color_source_v3"
        assert settings["inputSettings"]["color"] == 7
        scenes = {s["sceneName"] for s in gw.call("GetSceneList")["scenes"]}
        assert "Break" not in scenes and "Panel" in scenes
    finally:
        gw.stop()

"""The simulator's own API: the catalogue pre-loaded for rehearsal (exactly what provisioning
creates), an operator's click, snapshots, stopping (clients see the socket drop) and restarting,
thread-safe start/stop, the password kept out of sight, and the request round trip."""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_contract import RawClient
from websockets.exceptions import ConnectionClosed

from studio.obs.connection import ObsConnectionSettings, Secret
from studio.obs.gateway import ObsGateway
from studio.obs.provision import provision
from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue(ROOT / "scenes" / "campus-studio.yaml")


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s


def client(sim: Simulator, password: str = "") -> RawClient:
    c = RawClient(sim.url)
    assert c.identify(password)["op"] == 2
    return c


def test_load_catalogue_creates_the_studio_layout(sim: Simulator) -> None:
    sim.load_catalogue(CATALOGUE)
    snap = sim.snapshot()
    assert set(CATALOGUE.scenes) <= set(snap["scenes"])
    assert snap["program"] == "Scene"  # like OBS after provisioning: nothing switched
    for scene in CATALOGUE.scenes:
        assert snap["items"][scene] == [{"id": 1, "source": "Graphics", "enabled": True}]
    graphics = {i["source"]: i["enabled"] for i in snap["items"]["Graphics"]}
    overlays = {o.source for o in CATALOGUE.overlays.values()}
    assert set(graphics) == overlays | {"Lower Third"}
    assert not any(graphics.values())  # overlays and the lower third start hidden
    # the shipped lower third is styled: its bar and accent strip lie below the two texts
    assert [i["source"] for i in snap["items"]["Lower Third"]] == [
        "LT Background", "LT Accent", "LT Name", "LT Role"]
    assert snap["inputs"]["LT Name"]["kind"] == "text_ft2_source_v2"


def test_load_catalogue_is_what_provision_creates(sim: Simulator) -> None:
    """Provisioning (the real code, through the gateway) finds nothing left to do, and a fresh
    simulator provisioned over the websocket ends up with the same layout."""
    sim.load_catalogue(CATALOGUE)
    sim.load_catalogue(CATALOGUE)  # idempotent
    with Simulator() as fresh:
        reports = []
        for target in (sim, fresh):
            gw = ObsGateway(ObsConnectionSettings(port=target.port, timeout=3.0))
            gw.start()
            try:
                assert gw.wait_connected(5)
                reports.append(provision(gw, CATALOGUE))
            finally:
                gw.stop()
        assert reports[0].created == []
        assert reports[1].created
        loaded, provisioned = sim.snapshot(), fresh.snapshot()
    for key in ("scenes", "items", "program"):
        assert loaded[key] == provisioned[key], key
    assert {n: i["kind"] for n, i in loaded["inputs"].items()} == {
        n: i["kind"] for n, i in provisioned["inputs"].items()}


def test_switch_program_by_hand_emits_the_events(sim: Simulator) -> None:
    sim.load_catalogue(CATALOGUE)
    obs = client(sim)
    mark = obs.mark()
    sim.switch_program_by_hand("Panel")
    assert sim.snapshot()["program"] == "Panel"
    obs.wait_event("CurrentProgramSceneChanged", lambda d: d["sceneName"] == "Panel", after=mark)
    obs.wait_event("SceneTransitionEnded", after=mark)
    assert obs.call("GetCurrentProgramScene") == {"currentProgramSceneName": "Panel"}
    with pytest.raises(KeyError):
        sim.switch_program_by_hand("No Such Scene")
    mark = obs.mark()
    sim.set_item_visible_by_hand("Graphics", "Clock", True)
    _, data = obs.wait_event("SceneItemEnableStateChanged", after=mark)
    assert data["sceneName"] == "Graphics" and data["sceneItemEnabled"] is True
    obs.close()


def test_stop_drops_clients_and_a_restart_on_the_same_port_keeps_the_state() -> None:
    sim = Simulator()
    sim.start()
    port = sim.port
    sim.load_catalogue(CATALOGUE)
    obs = client(sim)
    assert sim.snapshot()["clients"] == 1
    sim.stop()
    assert obs.expect_close().rcvd is None  # no close frame: the socket just drops
    with pytest.raises(ConnectionClosed):
        obs.raw("GetVersion", timeout=2)
    sim.stop()  # idempotent
    sim.start()
    try:
        assert sim.port == port
        again = client(sim)
        assert "Panel" in [s["sceneName"] for s in again.call("GetSceneList")["scenes"]]
        again.close()
    finally:
        sim.stop()


def test_stop_with_exit_event_sends_exit_started() -> None:
    sim = Simulator()
    sim.start()
    obs = client(sim)
    sim.stop(exit_event=True)
    obs.wait_event("ExitStarted")


def test_start_and_stop_from_many_threads() -> None:
    sim = Simulator()
    errors: list[BaseException] = []

    def churn() -> None:
        try:
            for _ in range(5):
                sim.start()
                sim.snapshot()
                sim.stop()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    sim.stop()
    assert errors == []


def test_the_password_stays_out_of_sight() -> None:
    sim = Simulator(password="hunter2-secret")
    sim.start()
    try:
        assert "hunter2" not in repr(sim)
        assert "hunter2" not in repr(vars(sim))
        c = RawClient(sim.url)
        assert "hunter2" not in json.dumps(c.hello)
        assert c.identify("hunter2-secret")["op"] == 2
    finally:
        sim.stop()


def test_request_round_trip_is_fast(sim: Simulator) -> None:
    obs = client(sim)
    times = []
    for _ in range(300):
        t0 = time.perf_counter()
        obs.call("GetCurrentProgramScene")
        times.append(time.perf_counter() - t0)
    times.sort()
    median, p99 = statistics.median(times), times[int(len(times) * 0.99)]
    print(f"simulator GetCurrentProgramScene round trip: median {median * 1000:.2f} ms, "
          f"p99 {p99 * 1000:.2f} ms")
    assert median < 0.02  # 0.2 ms measured on an idle machine
    obs.close()


def test_settings_gateway_reaches_a_password_simulator() -> None:
    with Simulator(password="pw-1") as sim:
        gw = ObsGateway(ObsConnectionSettings(port=sim.port, password=Secret("pw-1")))
        gw.start()
        try:
            assert gw.wait_connected(5)
            assert gw.call("GetVersion")["obsWebSocketVersion"] == "5.1.0"
        finally:
            gw.stop()


def test_models_the_obs_29_0_2_transition_bug() -> None:
    """Changing the transition between a switch's CurrentProgramSceneChanged and its
    SceneTransitionEnded stops those two events for good; switches still happen."""
    with Simulator(transition_end_gap_ms=200) as sim:
        sim.load_catalogue(CATALOGUE)
        obs = client(sim)
        mark = obs.mark()
        obs.call("SetCurrentProgramScene", {"sceneName": "Panel"})
        obs.wait_event("CurrentProgramSceneChanged", after=mark)
        obs.call("SetCurrentSceneTransition", {"transitionName": "Cut"})  # inside the gap
        # SceneTransitionVideoEnded still comes, in the same frame as the lost events would:
        # once it has arrived, a round trip flushes anything sent with it
        for scene in ("Break", "Panel"):
            mark2 = obs.mark()
            obs.call("SetCurrentProgramScene", {"sceneName": scene})
            obs.wait_event("SceneTransitionVideoEnded", after=mark2)
            obs.call("GetVersion")
        assert obs.call("GetCurrentProgramScene") == {"currentProgramSceneName": "Panel"}
        lost = obs.since(mark, "CurrentProgramSceneChanged", "SceneTransitionEnded")
        assert [e["eventType"] for e in lost] == ["CurrentProgramSceneChanged"]
        # only a restart heals it
        sim.stop()
        sim.start()
        again = client(sim)
        mark = again.mark()
        again.call("SetCurrentProgramScene", {"sceneName": "Break"})
        again.wait_event("CurrentProgramSceneChanged", after=mark)
        again.wait_event("SceneTransitionEnded", after=mark)

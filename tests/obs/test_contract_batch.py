"""The obs-websocket contract for request batches, event subscriptions and outputs, on the real
OBS and the simulator.

Streaming: the headless OBS here has no stream service configured, so ``StartStream`` succeeds
but the output stops again at once (STARTING then STOPPED); the simulator streams (STARTING then
STARTED). The contract asserts what both share: the request succeeds, STARTING comes first, and
``GetStreamStatus`` agrees with the last event. Recording works on both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from conftest_contract import (  # noqa: F401  (fixtures: obs, target)
    RawClient,
    Target,
    obs_fixture,
    target_fixture,
)

pytestmark = pytest.mark.obs


def eventually(check: Callable[[], bool], timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


SCENES = 1 << 2
SCENE_ITEMS = 1 << 7


# ------------------------------------------------------------------ batches


def test_batch_runs_in_order_and_reports_each_result(target: Target, obs: RawClient) -> None:
    name = target.name("CT Batch")
    target.created.append(("scene", name))
    results = obs.batch([
        {"requestType": "CreateScene", "requestId": "a", "requestData": {"sceneName": name}},
        {"requestType": "GetSceneItemList", "requestId": "b", "requestData": {"sceneName": name}},
        {"requestType": "SetCurrentProgramScene", "requestId": "c",
         "requestData": {"sceneName": "No Such Scene"}},
        {"requestType": "GetStudioModeEnabled"},
    ])
    assert [r.get("requestId") for r in results] == ["a", "b", "c", None]
    assert [r["requestType"] for r in results] == [
        "CreateScene", "GetSceneItemList", "SetCurrentProgramScene", "GetStudioModeEnabled"]
    assert [r["requestStatus"]["code"] for r in results] == [100, 100, 600, 100]
    assert results[1]["responseData"] == {"sceneItems": []}  # the scene existed by then
    assert results[2]["requestStatus"]["result"] is False
    assert results[3]["responseData"] == {"studioModeEnabled": False}


def test_batch_halt_on_failure_stops_after_the_first_failure(obs: RawClient) -> None:
    requests: list[dict[str, Any]] = [
        {"requestType": "GetVersion", "requestId": "1"},
        {"requestType": "GetSceneItemList", "requestId": "2",
         "requestData": {"sceneName": "No Such Scene"}},
        {"requestType": "GetStats", "requestId": "3"},
    ]
    halted = obs.batch(requests, haltOnFailure=True)
    assert [(r["requestId"], r["requestStatus"]["code"]) for r in halted] == [("1", 100),
                                                                              ("2", 600)]
    full = obs.batch(requests, haltOnFailure=False)
    assert [(r["requestId"], r["requestStatus"]["code"]) for r in full] == [
        ("1", 100), ("2", 600), ("3", 100)]


def test_batch_serial_frame_and_unknown_requests(obs: RawClient) -> None:
    results = obs.batch([{"requestType": "GetCurrentProgramScene"},
                         {"requestType": "NoSuchRequest"}], executionType=1)
    assert [r["requestStatus"]["code"] for r in results] == [100, 204]
    assert obs.batch([], executionType=0) == []
    # Sleep works inside a batch only
    slept = obs.batch([{"requestType": "Sleep", "requestData": {"sleepMillis": 20}}])
    assert slept[0]["requestStatus"] == {"result": True, "code": 100}
    assert obs.status("Sleep", {"sleepMillis": 20}) == {"result": False, "code": 206}


def test_batch_of_a_cue_emits_its_events(target: Target, obs: RawClient) -> None:
    """What the gateway sends for one cue: a switch, overlays and a lower-third text."""
    program, graphics = target.scene(obs), target.scene(obs, "CT Graphics")
    bug, bug_id = target.input(obs, graphics, "color_source_v3", enabled=False)
    text, _ = target.input(obs, graphics, "text_ft2_source_v2", settings={"text": "-"})
    mark = obs.mark()
    results = obs.batch([
        {"requestType": "SetCurrentProgramScene", "requestData": {"sceneName": program}},
        {"requestType": "SetSceneItemEnabled", "requestData": {
            "sceneName": graphics, "sceneItemId": bug_id, "sceneItemEnabled": True}},
        {"requestType": "SetInputSettings", "requestData": {
            "inputName": text, "inputSettings": {"text": "Anna Berg"}}},
    ], haltOnFailure=True)
    assert [r["requestStatus"]["code"] for r in results] == [100, 100, 100]
    obs.wait_event("SceneItemEnableStateChanged", lambda d: d["sceneItemId"] == bug_id,
                   after=mark)
    obs.wait_event("CurrentProgramSceneChanged", lambda d: d["sceneName"] == program, after=mark)
    obs.wait_event("SceneTransitionEnded", after=mark)
    assert obs.call("GetInputSettings", {"inputName": text})["inputSettings"] == {
        "text": "Anna Berg"}
    assert bug


# ------------------------------------------------------------------ subscriptions


def test_event_subscriptions_are_honoured(target: Target, obs: RawClient) -> None:
    scenes_only = target.client(subscriptions=SCENES)
    nothing = target.client(subscriptions=0)
    scene = target.scene(obs)
    _, item_id = target.input(obs, scene, "color_source_v3")
    scenes_only.wait_event("SceneCreated", lambda d: d["sceneName"] == scene)
    assert scenes_only.since(0, "InputCreated", "SceneItemCreated") == []
    # a barrier: when the all-events client has seen the item event, and the scenes-only
    # client has seen a later scene event, any item event would have reached it too
    mark, mark_s = obs.mark(), scenes_only.mark()
    obs.call("SetSceneItemEnabled", {"sceneName": scene, "sceneItemId": item_id,
                                     "sceneItemEnabled": False})
    obs.wait_event("SceneItemEnableStateChanged", after=mark)
    later = target.scene(obs)
    scenes_only.wait_event("SceneCreated", lambda d: d["sceneName"] == later, after=mark_s)
    assert scenes_only.since(0, "SceneItemEnableStateChanged") == []
    assert {e["eventIntent"] for e in scenes_only.since(0)} == {SCENES}
    assert nothing.since(0) == []
    assert nothing.call("GetVersion")["rpcVersion"] == 1


def test_reidentify_changes_subscriptions(target: Target, obs: RawClient) -> None:
    c = target.client(subscriptions=0)
    c.send(3, {"eventSubscriptions": SCENE_ITEMS})
    c.wait_reply_op2()
    scene = target.scene(obs)
    _, item_id = target.input(obs, scene, "color_source_v3")
    mark = c.mark()
    obs.call("SetSceneItemEnabled", {"sceneName": scene, "sceneItemId": item_id,
                                     "sceneItemEnabled": False})
    _, data = c.wait_event("SceneItemEnableStateChanged", after=mark)
    assert data == {"sceneItemEnabled": False, "sceneItemId": item_id, "sceneName": scene}
    assert c.since(0, "SceneCreated") == []


# ------------------------------------------------------------------ outputs


def test_stop_without_a_running_output_is_501(obs: RawClient) -> None:
    assert obs.status("StopRecord") == {"result": False, "code": 501}
    assert obs.status("StopStream") == {"result": False, "code": 501}
    status = obs.call("GetStreamStatus")
    assert status["outputActive"] is False
    assert status["outputTimecode"] == "00:00:00.000"
    assert obs.call("GetRecordStatus")["outputActive"] is False


def test_record_start_and_stop(obs: RawClient) -> None:
    mark = obs.mark()
    obs.call("StartRecord")
    _, starting = obs.wait_event("RecordStateChanged", after=mark)
    assert starting == {"outputActive": False, "outputPath": None,
                        "outputState": "OBS_WEBSOCKET_OUTPUT_STARTING"}
    _, started = obs.wait_event("RecordStateChanged", lambda d: d["outputActive"], after=mark)
    assert started["outputState"] == "OBS_WEBSOCKET_OUTPUT_STARTED"
    assert started["outputPath"].endswith(".mkv")
    assert obs.call("GetRecordStatus")["outputActive"] is True
    assert obs.status("StartRecord") == {"result": False, "code": 500}

    mark = obs.mark()
    stopped = obs.call("StopRecord")
    assert stopped == {"outputPath": started["outputPath"]}
    _, stopping = obs.wait_event("RecordStateChanged", after=mark)
    assert stopping["outputState"] == "OBS_WEBSOCKET_OUTPUT_STOPPING"
    _, done = obs.wait_event("RecordStateChanged",
                             lambda d: d["outputState"] == "OBS_WEBSOCKET_OUTPUT_STOPPED",
                             after=mark)
    assert done == {"outputActive": False, "outputPath": started["outputPath"],
                    "outputState": "OBS_WEBSOCKET_OUTPUT_STOPPED"}
    # real OBS may still answer outputActive for a moment after its STOPPED event (no event
    # marks the end of that, so poll with a deadline)
    assert eventually(lambda: obs.call("GetRecordStatus")["outputActive"] is False)


def test_start_stream_reports_its_state(obs: RawClient) -> None:
    mark = obs.mark()
    obs.call("StartStream")
    _, first = obs.wait_event("StreamStateChanged", after=mark)
    assert first == {"outputActive": False, "outputState": "OBS_WEBSOCKET_OUTPUT_STARTING"}
    _, second = obs.wait_event(
        "StreamStateChanged",
        lambda d: d["outputState"] != "OBS_WEBSOCKET_OUTPUT_STARTING", after=mark)
    # real headless OBS (no stream service): STOPPED; the simulator: STARTED
    assert second["outputState"] in ("OBS_WEBSOCKET_OUTPUT_STARTED",
                                     "OBS_WEBSOCKET_OUTPUT_STOPPED")
    assert second["outputActive"] is (second["outputState"] == "OBS_WEBSOCKET_OUTPUT_STARTED")
    assert obs.call("GetStreamStatus")["outputActive"] is second["outputActive"]
    if second["outputActive"]:
        assert obs.status("StartStream") == {"result": False, "code": 500}
        mark = obs.mark()
        obs.call("StopStream")
        obs.wait_event("StreamStateChanged",
                       lambda d: d["outputState"] == "OBS_WEBSOCKET_OUTPUT_STOPPED", after=mark)
        assert obs.call("GetStreamStatus")["outputActive"] is False

"""The obs-websocket contract, run unchanged against the real headless OBS 29.0.2 (obs-websocket
5.1.0) and against the built-in simulator: handshake and authentication, general requests,
request errors, scenes, program switches with their transition events, studio mode, transitions.

What passes here on both is what makes rehearsal on the simulator trustworthy.
"""

from __future__ import annotations

import time

import pytest
from conftest_contract import (  # noqa: F401  (fixtures: obs, target, target_pw)
    PASSWORD,
    RawClient,
    Target,
    obs_fixture,
    switch,
    target_fixture,
    target_pw_fixture,
)

pytestmark = pytest.mark.obs

REQUIRED = [
    "GetVersion", "GetStats", "GetSceneList", "GetCurrentProgramScene",
    "SetCurrentProgramScene", "GetCurrentPreviewScene", "SetCurrentPreviewScene",
    "GetStudioModeEnabled", "SetStudioModeEnabled", "TriggerStudioModeTransition",
    "GetCurrentSceneTransition", "SetCurrentSceneTransition",
    "SetCurrentSceneTransitionDuration", "GetSceneTransitionList", "GetSceneItemList",
    "GetSceneItemId", "GetSceneItemEnabled", "SetSceneItemEnabled", "GetInputList",
    "GetInputKindList", "GetInputSettings", "SetInputSettings", "CreateScene", "RemoveScene",
    "CreateInput", "RemoveInput", "CreateSceneItem", "RemoveSceneItem", "GetStreamStatus",
    "StartStream", "StopStream", "GetRecordStatus", "StartRecord", "StopRecord",
]


# ------------------------------------------------------------------ handshake


def test_hello_without_password_then_identify(target: Target) -> None:
    c = target.connect()
    assert c.hello["op"] == 0
    assert c.hello["d"]["rpcVersion"] == 1
    assert c.hello["d"]["obsWebSocketVersion"].startswith("5.")
    assert "authentication" not in c.hello["d"]
    reply = c.identify()
    assert reply == {"op": 2, "d": {"negotiatedRpcVersion": 1}}
    assert c.call("GetVersion")["rpcVersion"] == 1


def test_hello_with_password_carries_a_challenge_and_the_right_answer_identifies(
    target_pw: Target,
) -> None:
    c = target_pw.connect()
    auth = c.hello["d"]["authentication"]
    assert auth["challenge"] and auth["salt"]
    assert c.identify(PASSWORD) == {"op": 2, "d": {"negotiatedRpcVersion": 1}}
    assert c.call("GetCurrentProgramScene")["currentProgramSceneName"]
    # a second connection gets a fresh challenge
    assert target_pw.connect().hello["d"]["authentication"]["challenge"] != auth["challenge"]


def test_wrong_password_closes_with_4009(target_pw: Target) -> None:
    c = target_pw.connect()
    c.send(1, {"rpcVersion": 1, "authentication": "bm90IHRoZSByaWdodCBhbnN3ZXI="})
    closed = c.expect_close()
    assert closed.rcvd is not None
    assert closed.rcvd.code == 4009
    assert closed.rcvd.reason == "Authentication failed."


def test_missing_authentication_closes_with_4009(target_pw: Target) -> None:
    c = target_pw.connect()
    c.send(1, {"rpcVersion": 1})
    closed = c.expect_close()
    assert closed.rcvd is not None and closed.rcvd.code == 4009


def test_a_request_before_identify_closes_with_4007(target: Target) -> None:
    c = target.connect()
    c.send(6, {"requestType": "GetVersion", "requestId": "early"})
    closed = c.expect_close()
    assert closed.rcvd is not None and closed.rcvd.code == 4007


def test_an_unsupported_rpc_version_closes_with_4010(target: Target) -> None:
    c = target.connect()
    c.send(1, {"rpcVersion": 2})
    closed = c.expect_close()
    assert closed.rcvd is not None and closed.rcvd.code == 4010


def test_a_request_without_request_id_closes_with_4003(obs: RawClient) -> None:
    obs.send(6, {"requestType": "GetVersion"})
    closed = obs.expect_close()
    assert closed.rcvd is not None and closed.rcvd.code == 4003


def test_identify_twice_closes_with_4008(obs: RawClient) -> None:
    obs.send(1, {"rpcVersion": 1})
    closed = obs.expect_close()
    assert closed.rcvd is not None and closed.rcvd.code == 4008


def test_an_unknown_op_code_closes_with_4006(obs: RawClient) -> None:
    obs.send(42, {})
    closed = obs.expect_close()
    assert closed.rcvd is not None and closed.rcvd.code == 4006


def test_a_message_that_is_not_json_closes_with_4002(obs: RawClient) -> None:
    obs.ws.send("{not json")
    closed = obs.expect_close()
    assert closed.rcvd is not None and closed.rcvd.code == 4002


def test_a_batch_with_an_unknown_execution_type_closes_with_4005(obs: RawClient) -> None:
    obs.send(8, {"requestId": "x", "requests": [], "executionType": 7})
    closed = obs.expect_close()
    assert closed.rcvd is not None and closed.rcvd.code == 4005


# ------------------------------------------------------------------ general


def test_get_version(obs: RawClient) -> None:
    v = obs.call("GetVersion")
    assert v["rpcVersion"] == 1
    assert v["obsWebSocketVersion"] == "5.1.0"
    assert v["obsVersion"] == "29.0.2"
    assert set(REQUIRED) <= set(v["availableRequests"])
    # Qt's product type on Linux: the os-release ID ("debian" here), never windows/macos
    assert v["platform"] not in ("windows", "macos", "")
    assert v["platformDescription"]
    assert {"png", "jpg", "bmp"} <= set(v["supportedImageFormats"])


def test_get_stats(obs: RawClient) -> None:
    stats = obs.call("GetStats")
    for key in ("activeFps", "cpuUsage", "memoryUsage", "renderTotalFrames",
                "webSocketSessionIncomingMessages", "webSocketSessionOutgoingMessages"):
        assert isinstance(stats[key], int | float), key
    assert stats["webSocketSessionIncomingMessages"] >= 2  # Identify and this request
    assert 20 < stats["activeFps"] < 70


@pytest.mark.parametrize("request_type", ["NoSuchRequest", "GetSceneItemSource"])
def test_unknown_request_type_is_204(obs: RawClient, request_type: str) -> None:
    status = obs.status(request_type)
    assert status == {"result": False, "code": 204, "comment": "Your request type is not valid."}


def test_request_field_errors(obs: RawClient) -> None:
    assert obs.status("GetSceneItemList") == {
        "result": False, "code": 301,
        "comment": "Your request data is missing or invalid (non-object)"}
    assert obs.status("GetSceneItemList", {}) == {
        "result": False, "code": 300, "comment": "Your request is missing the `sceneName` field."}
    assert obs.status("GetSceneItemList", {"sceneName": 5}) == {
        "result": False, "code": 401, "comment": "The field value of `sceneName` must be a string."}
    assert obs.status("GetSceneItemList", {"sceneName": ""})["code"] == 403
    assert obs.status("SetCurrentSceneTransitionDuration", {"transitionDuration": 10}) == {
        "result": False, "code": 402,
        "comment": "The field value of `transitionDuration` is below the minimum of `50.000000`"}
    assert obs.status("SetCurrentSceneTransitionDuration",
                      {"transitionDuration": 50000})["code"] == 402
    assert obs.status("SetStudioModeEnabled", {"studioModeEnabled": "yes"})["code"] == 401


# ------------------------------------------------------------------ scenes


def test_create_list_and_remove_scenes(target: Target, obs: RawClient) -> None:
    mark = obs.mark()
    name = target.scene(obs)
    obs.wait_event("SceneCreated", lambda d: d["sceneName"] == name, after=mark)
    listing = obs.call("GetSceneList")
    # obs-websocket lists scenes bottom-up: the newest scene has sceneIndex 0
    assert listing["scenes"][0] == {"sceneIndex": 0, "sceneName": name}
    assert [s["sceneIndex"] for s in listing["scenes"]] == list(range(len(listing["scenes"])))
    assert listing["currentPreviewSceneName"] is None
    assert listing["currentProgramSceneName"] == obs.call(
        "GetCurrentProgramScene")["currentProgramSceneName"]
    assert obs.status("CreateScene", {"sceneName": name}) == {
        "result": False, "code": 601, "comment": "A source already exists by that scene name."}
    mark = obs.mark()
    obs.call("RemoveScene", {"sceneName": name})
    obs.wait_event("SceneRemoved", lambda d: d["sceneName"] == name, after=mark)
    # OBS updates its scene list a moment later (its SceneListChanged follows)
    obs.wait_event("SceneListChanged",
                   lambda d: name not in [s["sceneName"] for s in d["scenes"]], after=mark)
    assert name not in [s["sceneName"] for s in obs.call("GetSceneList")["scenes"]]
    assert obs.status("RemoveScene", {"sceneName": name}) == {
        "result": False, "code": 600, "comment": f"No source was found by the name of `{name}`."}


# ------------------------------------------------------------------ program scene


def test_program_switch_event_comes_at_the_end_of_the_fade(target: Target,
                                                          obs: RawClient) -> None:
    other = target.scene(obs)
    mark = obs.mark()
    t0 = time.monotonic()
    obs.call("SetCurrentProgramScene", {"sceneName": other})
    # the program scene OBS reports changes at once...
    assert obs.call("GetCurrentProgramScene")["currentProgramSceneName"] == other
    # ...the event only when the 300 ms fade has run
    at, _ = obs.wait_event("CurrentProgramSceneChanged", lambda d: d["sceneName"] == other,
                           after=mark)
    assert 0.25 < at - t0 < 2.0  # generous upper bound: CI machines are busy
    obs.wait_event("SceneTransitionEnded", after=mark)
    order = [e["eventType"] for e in obs.since(mark, "SceneTransitionStarted",
                                               "CurrentProgramSceneChanged",
                                               "SceneTransitionEnded")]
    # obs-websocket sends each event from a thread pool: the two events at the end of a
    # transition (about a millisecond apart) may arrive in either order
    assert order[0] == "SceneTransitionStarted"
    assert sorted(order[1:]) == ["CurrentProgramSceneChanged", "SceneTransitionEnded"]
    started = obs.since(mark, "SceneTransitionStarted")[0]
    assert started["eventData"] == {"transitionName": "Fade"}
    assert started["eventIntent"] == 16


def test_a_cut_changes_program_within_a_few_frames(target: Target, obs: RawClient) -> None:
    other = target.scene(obs)
    mark = obs.mark()
    obs.call("SetCurrentSceneTransition", {"transitionName": "Cut"})
    obs.wait_event("CurrentSceneTransitionChanged", lambda d: d["transitionName"] == "Cut",
                   after=mark)
    latency = switch(obs, other)
    assert latency < 0.5  # a frame or two (23 ms median measured); the fade takes 300 ms+
    event = obs.since(mark, "CurrentProgramSceneChanged")[-1]
    assert event == {"eventType": "CurrentProgramSceneChanged", "eventIntent": 4,
                     "eventData": {"sceneName": other}}


def test_reselecting_the_program_scene_succeeds_and_emits_nothing(target: Target,
                                                                  obs: RawClient) -> None:
    current = obs.call("GetCurrentProgramScene")["currentProgramSceneName"]
    other = target.scene(obs)
    mark = obs.mark()
    obs.call("SetCurrentProgramScene", {"sceneName": current})
    switch(obs, other)  # a barrier: everything the first request caused has arrived by now
    changed = [e["eventData"]["sceneName"] for e in obs.since(mark, "CurrentProgramSceneChanged")]
    assert changed == [other]
    assert len(obs.since(mark, "SceneTransitionStarted")) == 1


def test_a_switch_during_a_fade_ends_with_one_event_for_the_last_scene(
    target: Target, obs: RawClient
) -> None:
    first, second = target.scene(obs), target.scene(obs)
    mark = obs.mark()
    obs.call("SetCurrentProgramScene", {"sceneName": first})
    obs.wait_event("SceneTransitionStarted", after=mark)
    obs.call("SetCurrentProgramScene", {"sceneName": second})
    assert obs.call("GetCurrentProgramScene")["currentProgramSceneName"] == second
    obs.wait_event("CurrentProgramSceneChanged", lambda d: d["sceneName"] == second, after=mark)
    obs.wait_event("SceneTransitionEnded", after=mark)
    changed = [e["eventData"]["sceneName"] for e in obs.since(mark, "CurrentProgramSceneChanged")]
    assert changed == [second]


def test_switching_to_an_unknown_scene_is_600(obs: RawClient) -> None:
    assert obs.status("SetCurrentProgramScene", {"sceneName": "No Such Scene"}) == {
        "result": False, "code": 600,
        "comment": "No source was found by the name of `No Such Scene`."}


def test_an_input_is_not_a_scene_602(target: Target, obs: RawClient) -> None:
    scene = target.scene(obs)
    name, _ = target.input(obs, scene, "color_source_v3")
    assert obs.status("SetCurrentProgramScene", {"sceneName": name}) == {
        "result": False, "code": 602, "comment": "The specified source is not a scene."}


# ------------------------------------------------------------------ studio mode


def test_preview_requests_need_studio_mode_506(target: Target, obs: RawClient) -> None:
    scene = target.scene(obs)
    assert obs.status("GetCurrentPreviewScene") == {"result": False, "code": 506}
    assert obs.status("SetCurrentPreviewScene", {"sceneName": scene}) == {
        "result": False, "code": 506}
    assert obs.status("TriggerStudioModeTransition") == {"result": False, "code": 506}


def test_studio_mode_preview_then_take(target: Target, obs: RawClient) -> None:
    program = obs.call("GetCurrentProgramScene")["currentProgramSceneName"]
    nxt = target.scene(obs)
    mark = obs.mark()
    obs.call("SetStudioModeEnabled", {"studioModeEnabled": True})
    _, data = obs.wait_event("StudioModeStateChanged", after=mark)
    assert data == {"studioModeEnabled": True}
    assert obs.call("GetStudioModeEnabled") == {"studioModeEnabled": True}
    assert obs.call("GetCurrentPreviewScene") == {"currentPreviewSceneName": program}

    mark = obs.mark()
    obs.call("SetCurrentPreviewScene", {"sceneName": nxt})
    # applied asynchronously: wait for the event, then read it back
    obs.wait_event("CurrentPreviewSceneChanged", lambda d: d["sceneName"] == nxt, after=mark)
    assert obs.call("GetCurrentPreviewScene") == {"currentPreviewSceneName": nxt}
    assert obs.call("GetCurrentProgramScene") == {"currentProgramSceneName": program}
    assert obs.status("SetCurrentPreviewScene", {"sceneName": "No Such Scene"})["code"] == 600

    mark = obs.mark()
    obs.call("TriggerStudioModeTransition")
    obs.wait_event("CurrentProgramSceneChanged", lambda d: d["sceneName"] == nxt, after=mark)
    obs.wait_event("SceneTransitionEnded", after=mark)
    # OBS swaps: the old program is now in preview
    obs.wait_event("CurrentPreviewSceneChanged", lambda d: d["sceneName"] == program, after=mark)
    listing = obs.call("GetSceneList")
    assert listing["currentProgramSceneName"] == nxt
    assert listing["currentPreviewSceneName"] == program

    mark = obs.mark()
    obs.call("SetStudioModeEnabled", {"studioModeEnabled": False})
    _, data = obs.wait_event("StudioModeStateChanged", after=mark)
    assert data == {"studioModeEnabled": False}
    # OBS 29.0.2 emits CurrentProgramSceneChanged twice when studio mode goes off: with the
    # scene that was in preview and with the program scene (sent about 1 ms apart, from
    # obs-websocket's thread pool, so their order on the wire is not guaranteed)
    obs.wait_event("CurrentProgramSceneChanged", lambda d: d["sceneName"] == program, after=mark)
    obs.wait_event("CurrentProgramSceneChanged", lambda d: d["sceneName"] == nxt, after=mark)
    changed = [e["eventData"]["sceneName"] for e in obs.since(mark, "CurrentProgramSceneChanged")]
    assert sorted(changed) == sorted([program, nxt])
    assert obs.call("GetSceneList")["currentPreviewSceneName"] is None
    assert obs.call("GetCurrentProgramScene") == {"currentProgramSceneName": nxt}


def test_program_switch_in_studio_mode_leaves_the_preview(target: Target,
                                                         obs: RawClient) -> None:
    program = obs.call("GetCurrentProgramScene")["currentProgramSceneName"]
    other = target.scene(obs)
    mark = obs.mark()
    obs.call("SetStudioModeEnabled", {"studioModeEnabled": True})
    obs.wait_event("StudioModeStateChanged", after=mark)
    switch(obs, other)
    assert obs.call("GetSceneList")["currentProgramSceneName"] == other
    assert obs.call("GetCurrentPreviewScene") == {"currentPreviewSceneName": program}


def test_enabling_studio_mode_twice_emits_once(obs: RawClient) -> None:
    mark = obs.mark()
    obs.call("SetStudioModeEnabled", {"studioModeEnabled": True})
    obs.call("SetStudioModeEnabled", {"studioModeEnabled": True})
    obs.call("SetStudioModeEnabled", {"studioModeEnabled": False})
    obs.wait_event("StudioModeStateChanged", lambda d: not d["studioModeEnabled"], after=mark)
    obs.wait_event("StudioModeStateChanged", lambda d: d["studioModeEnabled"], after=mark)
    states = [e["eventData"]["studioModeEnabled"] for e in obs.since(mark,
                                                                      "StudioModeStateChanged")]
    assert sorted(states) == [False, True]


# ------------------------------------------------------------------ transitions


def test_transitions_list_set_and_duration(obs: RawClient) -> None:
    listing = obs.call("GetSceneTransitionList")
    by_name = {t["transitionName"]: t for t in listing["transitions"]}
    assert by_name["Cut"]["transitionKind"] == "cut_transition"
    assert by_name["Cut"]["transitionFixed"] is True
    assert by_name["Fade"]["transitionKind"] == "fade_transition"
    assert by_name["Fade"]["transitionFixed"] is False
    assert listing["currentSceneTransitionName"] == "Fade"
    assert listing["currentSceneTransitionKind"] == "fade_transition"
    current = obs.call("GetCurrentSceneTransition")
    assert current["transitionName"] == "Fade"
    assert current["transitionDuration"] == 300

    mark = obs.mark()
    obs.call("SetCurrentSceneTransitionDuration", {"transitionDuration": 500})
    _, data = obs.wait_event("CurrentSceneTransitionDurationChanged", after=mark)
    assert data == {"transitionDuration": 500}
    assert obs.call("GetCurrentSceneTransition")["transitionDuration"] == 500

    assert obs.status("SetCurrentSceneTransition", {"transitionName": "Swirl"}) == {
        "result": False, "code": 600, "comment": "No scene transition was found by that name."}
    mark = obs.mark()
    obs.call("SetCurrentSceneTransition", {"transitionName": "Cut"})
    obs.wait_event("CurrentSceneTransitionChanged", after=mark)
    cut = obs.call("GetCurrentSceneTransition")
    assert (cut["transitionName"], cut["transitionKind"]) == ("Cut", "cut_transition")
    assert cut["transitionFixed"] is True

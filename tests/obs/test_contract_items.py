"""The obs-websocket contract for inputs and scene items, on the real OBS and the simulator:
creating inputs of the kinds provisioning uses, nested scenes, item visibility and its events,
input settings, removal, and the error codes of each."""

from __future__ import annotations

import pytest
from conftest_contract import (  # noqa: F401  (fixtures: obs, target)
    RawClient,
    Target,
    obs_fixture,
    target_fixture,
)

pytestmark = pytest.mark.obs

KINDS = ["text_ft2_source_v2", "color_source_v3", "image_source"]


def test_input_kinds(obs: RawClient) -> None:
    kinds = obs.call("GetInputKindList")["inputKinds"]
    assert set(KINDS) <= set(kinds)
    unversioned = obs.call("GetInputKindList", {"unversioned": True})["inputKinds"]
    assert {"text_ft2_source", "color_source", "image_source"} <= set(unversioned)
    assert "text_ft2_source_v2" not in unversioned


def test_create_input_makes_an_input_and_its_scene_item(target: Target, obs: RawClient) -> None:
    scene = target.scene(obs)
    mark = obs.mark()
    name, item_id = target.input(obs, scene, "color_source_v3",
                                 settings={"color": 4278190335, "width": 200, "height": 100},
                                 enabled=False)
    assert item_id >= 1
    _, created = obs.wait_event("InputCreated", lambda d: d["inputName"] == name, after=mark)
    assert created["inputKind"] == "color_source_v3"
    assert created["unversionedInputKind"] == "color_source"
    assert created["inputSettings"] == {"color": 4278190335, "width": 200, "height": 100}
    _, item = obs.wait_event("SceneItemCreated", lambda d: d["sourceName"] == name, after=mark)
    assert item == {"sceneItemId": item_id, "sceneItemIndex": 0, "sceneName": scene,
                    "sourceName": name}
    _, hidden = obs.wait_event("SceneItemEnableStateChanged",
                               lambda d: d["sceneName"] == scene, after=mark)
    assert hidden == {"sceneItemEnabled": False, "sceneItemId": item_id, "sceneName": scene}

    items = obs.call("GetSceneItemList", {"sceneName": scene})["sceneItems"]
    assert len(items) == 1
    first = items[0]
    assert {k: first[k] for k in ("inputKind", "isGroup", "sceneItemEnabled", "sceneItemId",
                                  "sceneItemIndex", "sourceName", "sourceType")} == {
        "inputKind": "color_source_v3", "isGroup": None, "sceneItemEnabled": False,
        "sceneItemId": item_id, "sceneItemIndex": 0, "sourceName": name,
        "sourceType": "OBS_SOURCE_TYPE_INPUT"}
    assert first["sceneItemTransform"]["sourceWidth"] == 200.0
    assert first["sceneItemTransform"]["sourceHeight"] == 100.0
    assert obs.call("GetSceneItemId", {"sceneName": scene, "sourceName": name}) == {
        "sceneItemId": item_id}


def test_create_input_errors(target: Target, obs: RawClient) -> None:
    scene = target.scene(obs)
    name, _ = target.input(obs, scene, "text_ft2_source_v2", settings={"text": "x"})
    assert obs.status("CreateInput", {"sceneName": scene, "inputName": name,
                                      "inputKind": "text_ft2_source_v2"}) == {
        "result": False, "code": 601, "comment": "A source already exists by that input name."}
    assert obs.status("CreateInput", {"sceneName": scene, "inputName": target.name("x"),
                                      "inputKind": "no_such_kind"})["code"] == 605
    assert obs.status("CreateInput", {"sceneName": "No Such Scene", "inputName": "x",
                                      "inputKind": "color_source_v3"})["code"] == 600
    assert obs.status("CreateInput", {"inputName": "x", "inputKind": "color_source_v3"}) == {
        "result": False, "code": 300, "comment": "Your request is missing the `sceneName` field."}


def test_nested_scene_is_a_scene_item(target: Target, obs: RawClient) -> None:
    program, graphics = target.scene(obs), target.scene(obs, "CT Graphics")
    mark = obs.mark()
    item_id = obs.call("CreateSceneItem", {"sceneName": program, "sourceName": graphics,
                                           "sceneItemEnabled": True})["sceneItemId"]
    obs.wait_event("SceneItemCreated", lambda d: d["sourceName"] == graphics, after=mark)
    item = obs.call("GetSceneItemList", {"sceneName": program})["sceneItems"][0]
    assert item["sourceType"] == "OBS_SOURCE_TYPE_SCENE"
    assert item["inputKind"] is None
    assert item["isGroup"] is False
    assert (item["sceneItemId"], item["sceneItemEnabled"]) == (item_id, True)
    assert obs.status("CreateSceneItem", {"sceneName": program, "sourceName": program}) == {
        "result": False, "code": 703,
        "comment": "You cannot create scene item of a scene within itself."}
    assert obs.status("CreateSceneItem", {"sceneName": program,
                                          "sourceName": "No Such Source"})["code"] == 600
    # a second item of the same source gets the next id
    again = obs.call("CreateSceneItem", {"sceneName": program, "sourceName": graphics})
    assert again["sceneItemId"] == item_id + 1


def test_scene_item_visibility_and_its_events(target: Target, obs: RawClient) -> None:
    scene = target.scene(obs)
    _, item_id = target.input(obs, scene, "color_source_v3", enabled=False)
    ref = {"sceneName": scene, "sceneItemId": item_id}
    assert obs.call("GetSceneItemEnabled", ref) == {"sceneItemEnabled": False}
    mark = obs.mark()
    obs.call("SetSceneItemEnabled", {**ref, "sceneItemEnabled": True})
    _, data = obs.wait_event("SceneItemEnableStateChanged", after=mark)
    assert data == {"sceneItemEnabled": True, "sceneItemId": item_id, "sceneName": scene}
    assert obs.call("GetSceneItemEnabled", ref) == {"sceneItemEnabled": True}

    # setting the same value again succeeds and emits nothing
    mark = obs.mark()
    obs.call("SetSceneItemEnabled", {**ref, "sceneItemEnabled": True})
    obs.call("SetSceneItemEnabled", {**ref, "sceneItemEnabled": False})
    obs.wait_event("SceneItemEnableStateChanged", lambda d: not d["sceneItemEnabled"], after=mark)
    assert len(obs.since(mark, "SceneItemEnableStateChanged")) == 1


def test_scene_item_errors(target: Target, obs: RawClient) -> None:
    scene = target.scene(obs)
    target.input(obs, scene, "color_source_v3")
    assert obs.status("GetSceneItemEnabled", {"sceneName": scene, "sceneItemId": 99}) == {
        "result": False, "code": 600,
        "comment": f"No scene items were found in scene `{scene}` with the ID `99`."}
    assert obs.status("GetSceneItemEnabled", {"sceneName": scene, "sceneItemId": -1})[
        "code"] == 402
    assert obs.status("GetSceneItemEnabled", {"sceneName": scene, "sceneItemId": "1"}) == {
        "result": False, "code": 401,
        "comment": "The field value of `sceneItemId` must be a number."}
    assert obs.status("SetSceneItemEnabled", {"sceneName": scene, "sceneItemId": 1}) == {
        "result": False, "code": 300,
        "comment": "Your request is missing the `sceneItemEnabled` field."}
    assert obs.status("GetSceneItemId", {"sceneName": scene, "sourceName": "Nope"}) == {
        "result": False, "code": 600,
        "comment": "No scene items were found in the specified scene by that name or offset."}
    assert obs.status("GetSceneItemList", {"sceneName": "No Such Scene"})["code"] == 600


def test_input_list_and_settings(target: Target, obs: RawClient) -> None:
    scene = target.scene(obs)
    text, _ = target.input(obs, scene, "text_ft2_source_v2", settings={"text": "Hello"})
    color, color_id = target.input(obs, scene, "color_source_v3")
    listed = {i["inputName"]: i for i in obs.call("GetInputList")["inputs"]}
    assert listed[text] == {"inputKind": "text_ft2_source_v2", "inputName": text,
                            "unversionedInputKind": "text_ft2_source"}
    only_color = obs.call("GetInputList", {"inputKind": "color_source_v3"})["inputs"]
    assert color in [i["inputName"] for i in only_color]
    assert text not in [i["inputName"] for i in only_color]

    assert obs.call("GetInputSettings", {"inputName": text}) == {
        "inputKind": "text_ft2_source_v2", "inputSettings": {"text": "Hello"}}
    mark = obs.mark()
    obs.call("SetInputSettings", {"inputName": text, "inputSettings": {"text": "Anna Berg"}})
    assert obs.call("GetInputSettings", {"inputName": text})["inputSettings"] == {
        "text": "Anna Berg"}
    # obs-websocket 5.1 has no InputSettingsChanged event (5.4 added it): a barrier, then check
    obs.call("SetSceneItemEnabled", {"sceneName": scene, "sceneItemId": color_id,
                                     "sceneItemEnabled": False})
    obs.wait_event("SceneItemEnableStateChanged", after=mark)
    assert obs.since(mark, "InputSettingsChanged") == []
    # overlay (the default) merges, overlay false replaces
    obs.call("SetInputSettings", {"inputName": text, "inputSettings": {"color1": 4278190335}})
    assert obs.call("GetInputSettings", {"inputName": text})["inputSettings"] == {
        "text": "Anna Berg", "color1": 4278190335}
    obs.call("SetInputSettings", {"inputName": text, "inputSettings": {"text": "Only"},
                                  "overlay": False})
    assert obs.call("GetInputSettings", {"inputName": text})["inputSettings"] == {"text": "Only"}


def test_input_settings_errors(target: Target, obs: RawClient) -> None:
    scene = target.scene(obs)
    assert obs.status("GetInputSettings", {"inputName": scene}) == {
        "result": False, "code": 602, "comment": "The specified source is not an input."}
    assert obs.status("GetInputSettings", {"inputName": "No Such Input"})["code"] == 600
    text, _ = target.input(obs, scene, "text_ft2_source_v2")
    assert obs.status("SetInputSettings", {"inputName": text}) == {
        "result": False, "code": 300,
        "comment": "Your request is missing the `inputSettings` field."}
    assert obs.status("SetInputSettings", {"inputName": text, "inputSettings": "x"}) == {
        "result": False, "code": 401,
        "comment": "The field value of `inputSettings` must be an object."}


def _input_names(obs: RawClient) -> list[str]:
    return [i["inputName"] for i in obs.call("GetInputList")["inputs"]]


def test_remove_scene_item_and_the_input_goes_with_its_last_item(target: Target,
                                                                  obs: RawClient) -> None:
    scene, graphics = target.scene(obs), target.scene(obs, "CT Graphics")
    name, item_id = target.input(obs, scene, "color_source_v3")
    nested = obs.call("CreateSceneItem", {"sceneName": scene, "sourceName": graphics})
    mark = obs.mark()
    obs.call("RemoveSceneItem", {"sceneName": scene, "sceneItemId": nested["sceneItemId"]})
    _, removed = obs.wait_event("SceneItemRemoved", after=mark)
    assert removed == {"sceneItemId": nested["sceneItemId"], "sceneName": scene,
                       "sourceName": graphics}
    assert [i["sourceName"] for i in obs.call("GetSceneItemList", {"sceneName": scene})[
        "sceneItems"]] == [name]
    assert obs.status("RemoveSceneItem", {"sceneName": scene,
                                          "sceneItemId": nested["sceneItemId"]})["code"] == 600
    # an input lives as long as a scene item uses it: removing its only item removes it
    mark = obs.mark()
    obs.call("RemoveSceneItem", {"sceneName": scene, "sceneItemId": item_id})
    obs.wait_event("InputRemoved", lambda d: d["inputName"] == name, after=mark)
    assert name not in _input_names(obs)
    assert obs.status("RemoveInput", {"inputName": name})["code"] == 600


def test_remove_input_lingers_while_a_scene_item_uses_it(target: Target, obs: RawClient) -> None:
    """OBS 29.0.2: RemoveInput succeeds and emits InputRemoved, but an input that scene items
    still use stays listed (its name taken) until the last of those items is removed."""
    first, second = target.scene(obs), target.scene(obs)
    name, first_item = target.input(obs, first, "color_source_v3")
    second_item = obs.call("CreateSceneItem", {"sceneName": second, "sourceName": name})
    mark = obs.mark()
    obs.call("RemoveInput", {"inputName": name})
    _, gone = obs.wait_event("InputRemoved", after=mark)
    assert gone == {"inputName": name}
    assert name in _input_names(obs)
    assert obs.status("CreateInput", {"sceneName": first, "inputName": name,
                                      "inputKind": "color_source_v3"})["code"] == 601
    obs.call("RemoveSceneItem", {"sceneName": first, "sceneItemId": first_item})
    assert name in _input_names(obs)
    mark = obs.mark()
    obs.call("RemoveSceneItem", {"sceneName": second,
                                 "sceneItemId": second_item["sceneItemId"]})
    obs.wait_event("SceneItemRemoved", after=mark)
    assert name not in _input_names(obs)
    assert obs.status("RemoveInput", {"inputName": second}) == {
        "result": False, "code": 602, "comment": "The specified source is not an input."}


def test_remove_scene_leaves_the_list_but_a_nesting_item_stays(target: Target,
                                                               obs: RawClient) -> None:
    program, graphics = target.scene(obs), target.scene(obs, "CT Graphics")
    text, _ = target.input(obs, graphics, "text_ft2_source_v2")
    obs.call("CreateSceneItem", {"sceneName": program, "sourceName": graphics})
    mark = obs.mark()
    obs.call("RemoveScene", {"sceneName": graphics})
    obs.wait_event("SceneRemoved", lambda d: d["sceneName"] == graphics, after=mark)
    obs.wait_event("SceneListChanged",
                   lambda d: graphics not in [s["sceneName"] for s in d["scenes"]], after=mark)
    assert graphics not in [s["sceneName"] for s in obs.call("GetSceneList")["scenes"]]
    # still nested in the program scene, it lingers with its items
    items = obs.call("GetSceneItemList", {"sceneName": program})["sceneItems"]
    assert [(i["sourceName"], i["sourceType"]) for i in items] == [
        (graphics, "OBS_SOURCE_TYPE_SCENE")]
    assert text in _input_names(obs)
    # when the last nesting item goes, the scene goes, and the input it alone used with it
    mark = obs.mark()
    obs.call("RemoveSceneItem", {"sceneName": program, "sceneItemId": items[0]["sceneItemId"]})
    obs.wait_event("InputRemoved", lambda d: d["inputName"] == text, after=mark)
    assert text not in _input_names(obs)
    assert obs.status("GetSceneItemList", {"sceneName": graphics})["code"] == 600

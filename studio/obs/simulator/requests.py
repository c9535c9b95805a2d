"""obs-websocket 5.1.0 request handlers on the simulator's in-memory OBS.

Each handler takes the request context and its validated fields and returns ``responseData``
(or None), or raises ``RequestError(code, comment)`` with the code and comment real OBS gives.
"""

from __future__ import annotations

import platform as _platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.obs.simulator import fields as f
from studio.obs.simulator.fields import Fields, RequestError
from studio.obs.simulator.model import (
    INPUT_KINDS,
    TRANSITIONS_BUILTIN,
    UNVERSIONED,
    Input,
    ObsModel,
    Scene,
    SceneItem,
    find_item,
)
from studio.obs.simulator.switcher import Switcher

OBS_VERSION = "29.0.2"
OBS_WEBSOCKET_VERSION = "5.1.0"
RPC_VERSION = 1
IMAGE_FORMATS = ["bmp", "cur", "ico", "jpeg", "jpg", "pbm", "pgm", "png", "ppm", "xbm", "xpm"]


@dataclass
class Context:
    model: ObsModel
    switcher: Switcher
    incoming: int = 0  # this session's message counters, for GetStats
    outgoing: int = 0


Handler = Callable[[Context, Fields], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}


def handler(fn: Handler) -> Handler:
    HANDLERS[fn.__name__] = fn
    return fn


def process(ctx: Context, request_type: Any, data: Any) -> tuple[int, str, dict[str, Any] | None]:
    """Run one request: (status code, comment, responseData)."""
    fn = HANDLERS.get(request_type) if isinstance(request_type, str) else None
    if fn is None:
        return f.UNKNOWN_REQUEST_TYPE, "Your request type is not valid.", None
    try:
        return f.SUCCESS, "", fn(ctx, Fields(data))
    except RequestError as exc:
        return exc.code, exc.comment, None


# ------------------------------------------------------------------------ lookups
def _not_found(name: str) -> RequestError:
    return RequestError(f.RESOURCE_NOT_FOUND, f"No source was found by the name of `{name}`.")


def _scene(ctx: Context, fields: Fields, key: str = "sceneName") -> Scene:
    name = fields.string(key)
    scene = ctx.model.scenes.get(name)
    if scene is None:
        if name in ctx.model.inputs:
            raise RequestError(f.INVALID_RESOURCE_TYPE, "The specified source is not a scene.")
        raise _not_found(name)
    return scene


def _input(ctx: Context, fields: Fields) -> Input:
    name = fields.string("inputName")
    inp = ctx.model.inputs.get(name)
    if inp is None:
        if name in ctx.model.scenes:
            raise RequestError(f.INVALID_RESOURCE_TYPE, "The specified source is not an input.")
        raise _not_found(name)
    return inp


def _item(ctx: Context, fields: Fields) -> tuple[Scene, SceneItem]:
    scene = _scene(ctx, fields)
    item_id = fields.integer("sceneItemId", 0)
    item = find_item(scene, item_id)
    if item is None:
        raise RequestError(
            f.RESOURCE_NOT_FOUND,
            f"No scene items were found in scene `{scene.name}` with the ID `{item_id}`.",
        )
    return scene, item


def _platform_name() -> tuple[str, str]:
    """What Qt's QSysInfo reports, as obs-websocket's GetVersion does: the os-release ID."""
    try:
        info = _platform.freedesktop_os_release()
        return info.get("ID", "linux"), info.get("PRETTY_NAME", "Linux")
    except OSError:
        return _platform.system().lower() or "unknown", _platform.platform()


# ------------------------------------------------------------------------ general
@handler
def GetVersion(ctx: Context, fields: Fields) -> dict[str, Any]:
    name, description = _platform_name()
    return {
        "availableRequests": sorted(HANDLERS),
        "obsVersion": OBS_VERSION,
        "obsWebSocketVersion": OBS_WEBSOCKET_VERSION,
        "platform": name,
        "platformDescription": description,
        "rpcVersion": RPC_VERSION,
        "supportedImageFormats": list(IMAGE_FORMATS),
    }


@handler
def Sleep(ctx: Context, fields: Fields) -> None:
    """Only inside a request batch (the server runs it there); alone it is refused, as in OBS."""
    raise RequestError(f.UNSUPPORTED_BATCH_EXECUTION_TYPE)


_STARTED = time.monotonic()


@handler
def GetStats(ctx: Context, fields: Fields) -> dict[str, Any]:
    frames = int((time.monotonic() - _STARTED) * 1000 / ctx.switcher.frame_ms)
    return {
        "activeFps": 1000.0 / ctx.switcher.frame_ms,
        "availableDiskSpace": 80000.0,
        "averageFrameRenderTime": 0.2,
        "cpuUsage": 0.5,
        "memoryUsage": 40.0,
        "outputSkippedFrames": 0,
        "outputTotalFrames": 0,
        "renderSkippedFrames": 0,
        "renderTotalFrames": frames,
        "webSocketSessionIncomingMessages": ctx.incoming,
        "webSocketSessionOutgoingMessages": ctx.outgoing,
    }


# ------------------------------------------------------------------------ scenes
@handler
def GetSceneList(ctx: Context, fields: Fields) -> dict[str, Any]:
    m = ctx.model
    return {
        "currentPreviewSceneName": m.preview if m.studio_mode else None,
        "currentProgramSceneName": m.program,
        "scenes": m.scene_list(),
    }


@handler
def GetCurrentProgramScene(ctx: Context, fields: Fields) -> dict[str, Any]:
    return {"currentProgramSceneName": ctx.model.program}


@handler
def SetCurrentProgramScene(ctx: Context, fields: Fields) -> None:
    ctx.switcher.set_program(_scene(ctx, fields).name)


@handler
def GetCurrentPreviewScene(ctx: Context, fields: Fields) -> dict[str, Any]:
    if not ctx.model.studio_mode:
        raise RequestError(f.STUDIO_MODE_NOT_ACTIVE)
    return {"currentPreviewSceneName": ctx.model.preview}


@handler
def SetCurrentPreviewScene(ctx: Context, fields: Fields) -> None:
    if not ctx.model.studio_mode:
        raise RequestError(f.STUDIO_MODE_NOT_ACTIVE)
    ctx.switcher.set_preview(_scene(ctx, fields).name)


@handler
def CreateScene(ctx: Context, fields: Fields) -> None:
    name = fields.string("sceneName")
    if ctx.model.source_exists(name):
        raise RequestError(f.RESOURCE_ALREADY_EXISTS, "A source already exists by that scene name.")
    ctx.model.add_scene(name)


@handler
def RemoveScene(ctx: Context, fields: Fields) -> None:
    ctx.model.remove_scene(_scene(ctx, fields).name)


# ------------------------------------------------------------------------ studio mode, transitions
@handler
def GetStudioModeEnabled(ctx: Context, fields: Fields) -> dict[str, Any]:
    return {"studioModeEnabled": ctx.model.studio_mode}


@handler
def SetStudioModeEnabled(ctx: Context, fields: Fields) -> None:
    ctx.switcher.set_studio_mode(fields.boolean("studioModeEnabled"))


@handler
def TriggerStudioModeTransition(ctx: Context, fields: Fields) -> None:
    if not ctx.model.studio_mode:
        raise RequestError(f.STUDIO_MODE_NOT_ACTIVE)
    ctx.switcher.trigger_studio_transition()


def _transition_json(name: str) -> dict[str, Any]:
    kind, fixed = TRANSITIONS_BUILTIN[name]
    return {"transitionConfigurable": False, "transitionFixed": fixed,
            "transitionKind": kind, "transitionName": name}


@handler
def GetCurrentSceneTransition(ctx: Context, fields: Fields) -> dict[str, Any]:
    m = ctx.model
    data = _transition_json(m.transition)
    fixed = data["transitionFixed"]
    data["transitionDuration"] = None if fixed else m.transition_duration
    data["transitionSettings"] = None
    return data


@handler
def GetSceneTransitionList(ctx: Context, fields: Fields) -> dict[str, Any]:
    m = ctx.model
    return {
        "currentSceneTransitionKind": TRANSITIONS_BUILTIN[m.transition][0],
        "currentSceneTransitionName": m.transition,
        "transitions": [_transition_json(n) for n in TRANSITIONS_BUILTIN],
    }


@handler
def SetCurrentSceneTransition(ctx: Context, fields: Fields) -> None:
    name = fields.string("transitionName")
    if name not in TRANSITIONS_BUILTIN:
        raise RequestError(f.RESOURCE_NOT_FOUND, "No scene transition was found by that name.")
    ctx.switcher.set_transition(name)


@handler
def SetCurrentSceneTransitionDuration(ctx: Context, fields: Fields) -> None:
    ctx.switcher.set_duration(fields.integer("transitionDuration", 50, 20000))


# ------------------------------------------------------------------------ scene items
@handler
def GetSceneItemList(ctx: Context, fields: Fields) -> dict[str, Any]:
    scene = _scene(ctx, fields)
    return {"sceneItems": ctx.model.item_list(scene)}


@handler
def GetSceneItemId(ctx: Context, fields: Fields) -> dict[str, Any]:
    scene = _scene(ctx, fields)
    source = fields.string("sourceName")
    offset = fields.integer("searchOffset", -1) if fields.has("searchOffset") else 0
    matches = [it for it in scene.items if it.source == source]
    if offset == -1 and matches:
        return {"sceneItemId": matches[-1].item_id}
    if 0 <= offset < len(matches):
        return {"sceneItemId": matches[offset].item_id}
    raise RequestError(f.RESOURCE_NOT_FOUND,
                       "No scene items were found in the specified scene by that name or offset.")


@handler
def GetSceneItemEnabled(ctx: Context, fields: Fields) -> dict[str, Any]:
    _, item = _item(ctx, fields)
    return {"sceneItemEnabled": item.enabled}


@handler
def SetSceneItemEnabled(ctx: Context, fields: Fields) -> None:
    scene, item = _item(ctx, fields)
    ctx.model.set_item_enabled(scene, item, fields.boolean("sceneItemEnabled"))


@handler
def CreateSceneItem(ctx: Context, fields: Fields) -> dict[str, Any]:
    scene = _scene(ctx, fields)
    source = fields.string("sourceName")
    if not ctx.model.source_exists(source):
        raise _not_found(source)
    enabled = fields.boolean("sceneItemEnabled") if fields.has("sceneItemEnabled") else True
    if source == scene.name:
        raise RequestError(f.CANNOT_ACT,
                           "You cannot create scene item of a scene within itself.")
    return {"sceneItemId": ctx.model.add_item(scene, source, enabled).item_id}


@handler
def RemoveSceneItem(ctx: Context, fields: Fields) -> None:
    scene, item = _item(ctx, fields)
    ctx.model.remove_item(scene, item)


# ------------------------------------------------------------------------ inputs
@handler
def GetInputList(ctx: Context, fields: Fields) -> dict[str, Any]:
    kind = fields.string("inputKind") if fields.has("inputKind") else None
    inputs = [i for i in reversed(ctx.model.inputs.values()) if kind is None or i.kind == kind]
    return {"inputs": [{"inputKind": i.kind, "inputName": i.name,
                        "unversionedInputKind": UNVERSIONED.get(i.kind, i.kind)} for i in inputs]}


@handler
def GetInputKindList(ctx: Context, fields: Fields) -> dict[str, Any]:
    unversioned = fields.boolean("unversioned") if fields.has("unversioned") else False
    return {"inputKinds": [u if unversioned else k for k, u in INPUT_KINDS]}


@handler
def GetInputSettings(ctx: Context, fields: Fields) -> dict[str, Any]:
    inp = _input(ctx, fields)
    return {"inputKind": inp.kind, "inputSettings": dict(inp.settings)}


@handler
def SetInputSettings(ctx: Context, fields: Fields) -> None:
    inp = _input(ctx, fields)
    settings = fields.obj("inputSettings")
    overlay = fields.boolean("overlay") if fields.has("overlay") else True
    ctx.model.set_input_settings(inp, settings, overlay)


@handler
def CreateInput(ctx: Context, fields: Fields) -> dict[str, Any]:
    scene = _scene(ctx, fields)
    name = fields.string("inputName")
    if ctx.model.source_exists(name):
        raise RequestError(f.RESOURCE_ALREADY_EXISTS, "A source already exists by that input name.")
    kind = fields.string("inputKind")
    if kind not in UNVERSIONED:
        raise RequestError(
            f.INVALID_INPUT_KIND,
            "Your specified input kind is not supported by OBS. Check that your specified kind "
            "is properly versioned and that any necessary plugins are loaded.",
        )
    settings = fields.obj("inputSettings") if fields.has("inputSettings") else {}
    enabled = fields.boolean("sceneItemEnabled") if fields.has("sceneItemEnabled") else True
    ctx.model.add_input(name, kind, settings)
    return {"sceneItemId": ctx.model.add_item(scene, name, enabled).item_id}


@handler
def RemoveInput(ctx: Context, fields: Fields) -> None:
    ctx.model.remove_input(_input(ctx, fields).name)


# -- graphics: the canvas and scene-item transforms (what studio provision lays out)

CANVAS = {"baseWidth": 1920, "baseHeight": 1080, "outputWidth": 1920, "outputHeight": 1080,
          "fpsNumerator": 30, "fpsDenominator": 1}
_TRANSFORM_DEFAULTS: dict[str, Any] = {
    "alignment": 5, "boundsAlignment": 0, "boundsHeight": 0.0, "boundsType": "OBS_BOUNDS_NONE",
    "boundsWidth": 0.0, "cropBottom": 0, "cropLeft": 0, "cropRight": 0, "cropTop": 0,
    "positionX": 0.0, "positionY": 0.0, "rotation": 0.0, "scaleX": 1.0, "scaleY": 1.0,
}


@handler
def GetVideoSettings(ctx: Context, fields: Fields) -> dict[str, Any]:
    return dict(CANVAS)


@handler
def GetSceneItemTransform(ctx: Context, fields: Fields) -> dict[str, Any]:
    _, item = _item(ctx, fields)
    return {"sceneItemTransform": {**_TRANSFORM_DEFAULTS, **item.transform}}


@handler
def SetSceneItemTransform(ctx: Context, fields: Fields) -> None:
    _, item = _item(ctx, fields)
    wanted = fields.obj("sceneItemTransform")
    item.transform = {**item.transform,
                      **{k: v for k, v in wanted.items() if k in _TRANSFORM_DEFAULTS}}


@handler
def SetSceneItemIndex(ctx: Context, fields: Fields) -> None:
    scene, item = _item(ctx, fields)
    index = fields.integer("sceneItemIndex", 0)
    scene.items.remove(item)
    scene.items.insert(min(index, len(scene.items)), item)


# the output handlers live in outputs.py; importing it registers them
from studio.obs.simulator import outputs  # noqa: E402, F401

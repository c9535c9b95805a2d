"""Commands -> obs-websocket requests, and a read-back batch -> ObsState. Used by the gateway."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from studio.engine.state import (
    Command,
    ObsState,
    SetPreviewScene,
    SetProgramScene,
    SetRecording,
    SetSourceVisible,
    SetStreaming,
    SetText,
    SetTransition,
    TriggerTransition,
)
from studio.obs.errors import RequestFailed
from studio.obs.items import Request, SceneItemMap
from studio.show.model import Catalogue

Planned = tuple[int, dict[str, Any]]  # (command index, {"requestType", "requestData"})


def _req(kind: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"requestType": kind, "requestData": data} if data else {"requestType": kind}


def item_id(items: SceneItemMap, request: Request, scene: str, source: str) -> int:
    """The scene item id of ``source`` in ``scene``: from the map, else asked once (and kept)."""
    found = items.get(scene, source)
    if found is None:
        reply = request("GetSceneItemId", {"sceneName": scene, "sourceName": source})
        found = int(reply["sceneItemId"])
        items.add(scene, source, found)
    return found


def requests_for(command: Command, items: SceneItemMap, request: Request) -> list[dict[str, Any]]:
    match command:
        case SetProgramScene(scene=scene):
            return [_req("SetCurrentProgramScene", {"sceneName": scene})]
        case SetPreviewScene(scene=scene):
            return [_req("SetCurrentPreviewScene", {"sceneName": scene})]
        case TriggerTransition():
            return [_req("TriggerStudioModeTransition")]
        case SetTransition(name=name, duration_ms=ms):
            reqs = [_req("SetCurrentSceneTransition", {"transitionName": name})]
            if ms is not None:
                reqs.append(
                    _req("SetCurrentSceneTransitionDuration", {"transitionDuration": ms})
                )
            return reqs
        case SetSourceVisible(scene=scene, source=source, visible=visible):
            sid = item_id(items, request, scene, source)
            return [
                _req(
                    "SetSceneItemEnabled",
                    {"sceneName": scene, "sceneItemId": sid, "sceneItemEnabled": visible},
                )
            ]
        case SetText(input=name, text=text):
            return [_req("SetInputSettings", {"inputName": name, "inputSettings": {"text": text}})]
        case SetStreaming(active=active):
            return [_req("StartStream" if active else "StopStream")]
        case SetRecording(active=active):
            return [_req("StartRecord" if active else "StopRecord")]
    raise ValueError(f"the gateway cannot send {type(command).__name__}")


def plan_requests(
    commands: Sequence[Command], items: SceneItemMap, request: Request
) -> tuple[list[Planned], dict[int, tuple[int | None, str]]]:
    """The batch for ``commands`` and the commands refused before sending (unknown item...)."""
    plan: list[Planned] = []
    refused: dict[int, tuple[int | None, str]] = {}
    for index, command in enumerate(commands):
        try:
            reqs = requests_for(command, items, request)
        except RequestFailed as exc:
            refused[index] = (exc.code, exc.comment or str(exc))
            continue
        except ValueError as exc:
            refused[index] = (None, str(exc))
            continue
        plan.extend((index, r) for r in reqs)
    return plan, refused


def read_state_requests(catalogue: Catalogue) -> list[dict[str, Any]]:
    lt = catalogue.lower_third
    return [
        _req("GetCurrentProgramScene"),
        _req("GetStudioModeEnabled"),
        _req("GetCurrentPreviewScene"),
        _req("GetCurrentSceneTransition"),
        _req("GetSceneItemList", {"sceneName": catalogue.graphics_scene}),
        _req("GetInputSettings", {"inputName": lt.name_input}),
        _req("GetInputSettings", {"inputName": lt.role_input}),
        _req("GetStreamStatus"),
        _req("GetRecordStatus"),
    ]


def _data(reply: dict[str, Any]) -> dict[str, Any] | None:
    if not (reply.get("requestStatus") or {}).get("result"):
        return None
    data: dict[str, Any] = reply.get("responseData") or {}
    return data


def state_from_results(catalogue: Catalogue, replies: list[dict[str, Any]]) -> ObsState:
    program, studio, preview, transition, items, lt_name, lt_role, stream, record = (
        _data(r) for r in replies
    )
    overlays: frozenset[tuple[str, bool]] | None = None
    lt_visible: bool | None = None
    if items is not None:
        shown: dict[str, bool] = {}
        for item in items.get("sceneItems") or []:
            name = str(item.get("sourceName", ""))
            if name == catalogue.lower_third.source:
                lt_visible = bool(item.get("sceneItemEnabled"))
            else:
                shown[name] = bool(item.get("sceneItemEnabled"))
        overlays = frozenset(shown.items())
    studio_on = bool(studio["studioModeEnabled"]) if studio is not None else None
    duration = transition.get("transitionDuration") if transition is not None else None

    def text(settings: dict[str, Any] | None) -> str | None:
        if settings is None:
            return None
        value = (settings.get("inputSettings") or {}).get("text")
        return str(value) if value is not None else ""

    return ObsState(
        program_scene=str(program["currentProgramSceneName"]) if program else None,
        preview_scene=str(preview["currentPreviewSceneName"]) if preview and studio_on else None,
        studio_mode=studio_on,
        transition=str(transition["transitionName"]) if transition else None,
        transition_ms=int(duration) if duration is not None else None,
        overlays=overlays,
        lower_third_visible=lt_visible,
        lower_third_name=text(lt_name),
        lower_third_role=text(lt_role),
        streaming=bool(stream["outputActive"]) if stream is not None else None,
        recording=bool(record["outputActive"]) if record is not None else None,
    )

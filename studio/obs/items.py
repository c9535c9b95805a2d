"""The (scene, source) <-> sceneItemId map and the translation of raw OBS events to typed ones.

Used by the gateway only. Thread-safe: the event thread updates it while request callers read it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from studio.obs.events import (
    ObsEvent,
    PreviewSceneChanged,
    ProgramSceneChanged,
    RecordStateChanged,
    SceneItemVisibilityChanged,
    SceneListChanged,
    StreamStateChanged,
    StudioModeChanged,
    TransitionEnded,
)

# one obs-websocket request: (requestType, requestData) -> responseData (the gateway's request)
Request = Callable[[str, dict[str, Any] | None], dict[str, Any]]

# events after which the scene item ids are re-read
STRUCTURE_EVENTS = frozenset(
    {
        "SceneCreated",
        "SceneRemoved",
        "SceneNameChanged",
        "InputNameChanged",
        "CurrentSceneCollectionChanged",
    }
)
_OUTPUT_SETTLED = ("OBS_WEBSOCKET_OUTPUT_STARTED", "OBS_WEBSOCKET_OUTPUT_STOPPED")


class SceneItemMap:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids: dict[tuple[str, str], int] = {}
        self._names: dict[tuple[str, int], str] = {}

    def rebuild(self, request: Request) -> None:
        """Re-read every scene's items (on connect and when the structure changed)."""
        ids: dict[tuple[str, str], int] = {}
        scenes = request("GetSceneList", None).get("scenes") or []
        for scene in scenes:
            name = str(scene.get("sceneName", ""))
            items = request("GetSceneItemList", {"sceneName": name}).get("sceneItems") or []
            for item in items:
                ids[(name, str(item.get("sourceName", "")))] = int(item["sceneItemId"])
        with self._lock:
            self._ids = ids
            self._names = {(scene, i): source for (scene, source), i in ids.items()}

    def clear(self) -> None:
        with self._lock:
            self._ids, self._names = {}, {}

    def get(self, scene: str, source: str) -> int | None:
        with self._lock:
            return self._ids.get((scene, source))

    def name(self, scene: str, item_id: int) -> str | None:
        with self._lock:
            return self._names.get((scene, item_id))

    def add(self, scene: str, source: str, item_id: int) -> None:
        with self._lock:
            self._ids[(scene, source)] = item_id
            self._names[(scene, item_id)] = source

    def remove(self, scene: str, source: str, item_id: int) -> None:
        with self._lock:
            if self._ids.get((scene, source)) == item_id:
                del self._ids[(scene, source)]
            self._names.pop((scene, item_id), None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)


def translate(
    kind: str, data: dict[str, Any], at: datetime, items: SceneItemMap, request: Request
) -> ObsEvent | None:
    """One raw obs-websocket event -> a typed event (or None when nobody needs it).

    Keeps ``items`` current as a side effect; may call ``request`` to re-read the ids.
    """
    if kind == "CurrentProgramSceneChanged":
        return ProgramSceneChanged(at=at, scene=str(data.get("sceneName", "")))
    if kind == "CurrentPreviewSceneChanged":
        return PreviewSceneChanged(at=at, scene=str(data.get("sceneName", "")))
    if kind == "StudioModeStateChanged":
        return StudioModeChanged(at=at, enabled=bool(data.get("studioModeEnabled")))
    if kind == "SceneItemEnableStateChanged":
        scene = str(data.get("sceneName", ""))
        item_id = int(data.get("sceneItemId", -1))
        source = items.name(scene, item_id)
        if source is None:  # created before we knew: look it up once
            items.rebuild(request)
            source = items.name(scene, item_id)
        return SceneItemVisibilityChanged(
            at=at,
            scene=scene,
            source=source if source is not None else f"#{item_id}",
            visible=bool(data.get("sceneItemEnabled")),
        )
    if kind == "SceneTransitionEnded":
        return TransitionEnded(at=at, name=str(data.get("transitionName", "")))
    if kind in ("StreamStateChanged", "RecordStateChanged"):
        if data.get("outputState") not in _OUTPUT_SETTLED:
            return None  # STARTING/STOPPING/...: wait for the settled state
        active = bool(data.get("outputActive"))
        if kind == "StreamStateChanged":
            return StreamStateChanged(at=at, active=active)
        return RecordStateChanged(at=at, active=active)
    if kind == "SceneItemCreated":
        items.add(
            str(data.get("sceneName", "")),
            str(data.get("sourceName", "")),
            int(data.get("sceneItemId", -1)),
        )
        return SceneListChanged(at=at)
    if kind == "SceneItemRemoved":
        items.remove(
            str(data.get("sceneName", "")),
            str(data.get("sourceName", "")),
            int(data.get("sceneItemId", -1)),
        )
        return SceneListChanged(at=at)
    if kind in STRUCTURE_EVENTS:
        items.rebuild(request)
        return SceneListChanged(at=at)
    return None

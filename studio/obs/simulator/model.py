"""The simulator's in-memory OBS: scenes, inputs, scene items, studio mode, transitions, outputs.

All mutation happens on the simulator's event-loop thread. Behaviour copies what OBS 29.0.2 with
obs-websocket 5.1.0 was measured to do (see tests/obs/test_contract.py): the program scene a
``Get`` returns changes at once, ``CurrentProgramSceneChanged`` fires when the transition ends.
"""

from __future__ import annotations

import itertools
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# event intents (obs-websocket EventSubscription bits)
GENERAL = 1 << 0
CONFIG = 1 << 1
SCENES = 1 << 2
INPUTS = 1 << 3
TRANSITIONS = 1 << 4
OUTPUTS = 1 << 6
SCENE_ITEMS = 1 << 7
UI = 1 << 10
ALL = (1 << 11) - 1

CANVAS = (1280, 720)

# inputs kinds of OBS 29.0.2 on Linux, in the order GetInputKindList lists them
INPUT_KINDS: list[tuple[str, str]] = [
    ("image_source", "image_source"),
    ("color_source_v3", "color_source"),
    ("slideshow", "slideshow"),
    ("alsa_input_capture", "alsa_input_capture"),
    ("xshm_input", "xshm_input"),
    ("jack_output_capture", "jack_output_capture"),
    ("pulse_input_capture", "pulse_input_capture"),
    ("pulse_output_capture", "pulse_output_capture"),
    ("v4l2_input", "v4l2_input"),
    ("ffmpeg_source", "ffmpeg_source"),
    ("text_ft2_source_v2", "text_ft2_source"),
]
UNVERSIONED = dict(INPUT_KINDS)

DEFAULT_SETTINGS: dict[str, dict[str, Any]] = {
    "color_source_v3": {"color": 4291940817, "height": 1080, "width": 1920},
    "text_ft2_source_v2": {
        "antialiasing": True, "color1": 4294967295, "color2": 4294967295,
        "drop_shadow": False,
        "font": {"face": "Sans Serif", "flags": 0, "size": 256, "style": ""},
        "log_lines": 6, "outline": False, "word_wrap": False,
    },
    "image_source": {"linear_alpha": False, "unload": False},
}

TRANSITIONS_BUILTIN: dict[str, tuple[str, bool]] = {  # name -> (kind, fixed)
    "Cut": ("cut_transition", True),
    "Fade": ("fade_transition", False),
}

Emit = Callable[[str, int, dict[str, Any] | None], None]


@dataclass
class Input:
    name: str
    kind: str
    settings: dict[str, Any] = field(default_factory=dict)
    uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    removed: bool = False  # RemoveInput was called; lingers while scene items use it


@dataclass
class SceneItem:
    item_id: int
    source: str
    enabled: bool = True
    locked: bool = False
    transform: dict[str, Any] = field(default_factory=dict)  # what SetSceneItemTransform set


@dataclass
class Scene:
    name: str
    items: list[SceneItem] = field(default_factory=list)  # bottom first (index 0)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    removed: bool = False  # RemoveScene was called; lingers while nested somewhere


@dataclass
class Output:
    active: bool = False
    state: str = "OBS_WEBSOCKET_OUTPUT_STOPPED"
    started_at: float = 0.0


class ObsModel:
    """OBS as obs-websocket sees it. ``emit(eventType, intent, eventData)`` sends events."""

    def __init__(self, emit: Emit) -> None:
        self.emit = emit
        self.scenes: dict[str, Scene] = {}
        self.scene_order: list[str] = []  # as the OBS scene list shows it, top first
        self.inputs: dict[str, Input] = {}
        self.program = ""
        self.preview: str | None = None
        self.studio_mode = False
        self.transition = "Fade"
        self.transition_duration = 300
        self.stream = Output()
        self.record = Output()
        self.record_directory = tempfile.gettempdir()
        self.record_path: str | None = None
        self.collection = "Untitled"
        self.add_scene("Scene", quiet=True)
        self.program = "Scene"

    # ----------------------------------------------------------------- lookups
    def source_exists(self, name: str) -> bool:
        return name in self.scenes or name in self.inputs

    def scene_list(self) -> list[dict[str, Any]]:
        # obs-websocket lists scenes bottom-up: index 0 is the scene at the bottom of the list
        names = list(reversed(self.scene_order))
        return [{"sceneIndex": i, "sceneName": n} for i, n in enumerate(names)]

    def item_list(self, scene: Scene) -> list[dict[str, Any]]:
        return [self.item_json(scene, i, it) for i, it in enumerate(scene.items)]

    def item_json(self, scene: Scene, index: int, item: SceneItem) -> dict[str, Any]:
        is_scene = item.source in self.scenes
        width, height = self.source_size(item.source)
        inp = self.inputs.get(item.source)
        return {
            "inputKind": None if is_scene or inp is None else inp.kind,
            "isGroup": False if is_scene else None,
            "sceneItemBlendMode": "OBS_BLEND_NORMAL",
            "sceneItemEnabled": item.enabled,
            "sceneItemId": item.item_id,
            "sceneItemIndex": index,
            "sceneItemLocked": item.locked,
            "sceneItemTransform": _transform(width, height),
            "sourceName": item.source,
            "sourceType": "OBS_SOURCE_TYPE_SCENE" if is_scene else "OBS_SOURCE_TYPE_INPUT",
        }

    def source_size(self, name: str) -> tuple[float, float]:
        if name in self.scenes:
            return float(CANVAS[0]), float(CANVAS[1])
        inp = self.inputs.get(name)
        if inp is None:
            return 0.0, 0.0
        merged = {**DEFAULT_SETTINGS.get(inp.kind, {}), **inp.settings}
        if inp.kind == "color_source_v3":
            return float(merged.get("width", 0)), float(merged.get("height", 0))
        if inp.kind == "text_ft2_source_v2":
            size = float(merged.get("font", {}).get("size", 256))
            return float(len(str(merged.get("text", ""))) * size * 0.5), size
        return 0.0, 0.0

    # ----------------------------------------------------------------- mutations
    def add_scene(self, name: str, *, quiet: bool = False) -> Scene:
        scene = Scene(name)
        self.scenes[name] = scene
        self.scene_order.append(name)
        if not quiet:
            self.emit("SceneListChanged", SCENES, {"scenes": self.scene_list()})
            self.emit("SceneCreated", SCENES, {"isGroup": False, "sceneName": name})
        return scene

    def remove_scene(self, name: str) -> None:
        """Like OBS: the scene leaves the scene list at once; while another scene still nests
        it, it lingers with its items; when it goes, inputs that lose their last item go."""
        scene = self.scenes[name]
        scene.removed = True
        if name in self.scene_order:
            self.scene_order.remove(name)
        self.emit("SceneRemoved", SCENES, {"isGroup": False, "sceneName": name})
        self.emit("SceneListChanged", SCENES, {"scenes": self.scene_list()})
        self._release(name)

    def add_input(self, name: str, kind: str, settings: dict[str, Any]) -> Input:
        inp = Input(name, kind, dict(settings))
        self.inputs[name] = inp
        self.emit("InputCreated", INPUTS, {
            "defaultInputSettings": DEFAULT_SETTINGS.get(kind, {}),
            "inputKind": kind,
            "inputName": name,
            "inputSettings": dict(settings),
            "unversionedInputKind": UNVERSIONED.get(kind, kind),
        })
        return inp

    def remove_input(self, name: str) -> None:
        """Like OBS 29.0.2: InputRemoved at once, but an input still used by a scene item
        lingers (listed, its name taken) until its last scene item is removed."""
        inp = self.inputs[name]
        if not inp.removed:
            inp.removed = True
            self.emit("InputRemoved", INPUTS, {"inputName": name})
        self._release(name)

    def references(self, source: str) -> int:
        return sum(1 for sc in self.scenes.values() for it in sc.items if it.source == source)

    def _release(self, source: str) -> None:
        """A source lives while scene items use it (inputs) or while it is listed (scenes)."""
        if self.references(source):
            return
        inp = self.inputs.get(source)
        if inp is not None:
            del self.inputs[source]
            if not inp.removed:
                self.emit("InputRemoved", INPUTS, {"inputName": source})
        scene = self.scenes.get(source)
        if scene is not None and scene.removed:
            del self.scenes[source]
            dropped = list(scene.items)
            scene.items.clear()
            for item in dropped:
                self._release(item.source)

    def add_item(self, scene: Scene, source: str, enabled: bool) -> SceneItem:
        item = SceneItem(next(scene.ids), source, enabled)
        scene.items.append(item)
        self.emit("SceneItemCreated", SCENE_ITEMS, {
            "sceneItemId": item.item_id, "sceneItemIndex": len(scene.items) - 1,
            "sceneName": scene.name, "sourceName": source,
        })
        if not enabled:
            self.emit("SceneItemEnableStateChanged", SCENE_ITEMS, {
                "sceneItemEnabled": False, "sceneItemId": item.item_id, "sceneName": scene.name,
            })
        self.emit("SceneItemSelected", SCENE_ITEMS,
                  {"sceneItemId": item.item_id, "sceneName": scene.name})
        return item

    def remove_item(self, scene: Scene, item: SceneItem) -> None:
        scene.items.remove(item)
        self.emit("SceneItemRemoved", SCENE_ITEMS, {
            "sceneItemId": item.item_id, "sceneName": scene.name, "sourceName": item.source,
        })
        self._release(item.source)

    def set_item_enabled(self, scene: Scene, item: SceneItem, enabled: bool) -> None:
        if item.enabled == enabled:
            return
        item.enabled = enabled
        self.emit("SceneItemEnableStateChanged", SCENE_ITEMS, {
            "sceneItemEnabled": enabled, "sceneItemId": item.item_id, "sceneName": scene.name,
        })

    def set_input_settings(self, inp: Input, settings: dict[str, Any], overlay: bool) -> None:
        # obs-websocket 5.1 has no InputSettingsChanged event (5.4 added it): none is sent
        inp.settings = {**inp.settings, **settings} if overlay else dict(settings)

    def snapshot(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "preview": self.preview,
            "studio_mode": self.studio_mode,
            "transition": self.transition,
            "transition_duration": self.transition_duration,
            "scenes": list(self.scene_order),
            "items": {
                s.name: [{"id": it.item_id, "source": it.source, "enabled": it.enabled}
                         for it in s.items]
                for s in self.scenes.values()
            },
            "inputs": {i.name: {"kind": i.kind, "settings": dict(i.settings)}
                       for i in self.inputs.values()},
            "streaming": self.stream.active,
            "recording": self.record.active,
        }


def find_item(scene: Scene, item_id: int) -> SceneItem | None:
    return next((it for it in scene.items if it.item_id == item_id), None)


def _transform(width: float, height: float) -> dict[str, Any]:
    return {
        "alignment": 5, "boundsAlignment": 0, "boundsHeight": 0.0,
        "boundsType": "OBS_BOUNDS_NONE", "boundsWidth": 0.0,
        "cropBottom": 0, "cropLeft": 0, "cropRight": 0, "cropTop": 0,
        "height": height, "positionX": 0.0, "positionY": 0.0, "rotation": 0.0,
        "scaleX": 1.0, "scaleY": 1.0, "sourceHeight": height, "sourceWidth": width,
        "width": width,
    }

"""Create in OBS what a studio catalogue names and OBS lacks; never delete or alter anything.

Layout made (the common OBS layout for graphics):

* every program scene of the catalogue, each holding the graphics scene as a (nested) scene item;
* the graphics scene, holding one placeholder per overlay (a text source showing the overlay's
  OBS name, hidden) and the lower third, hidden;
* the lower third is a scene of its own (``lower_third.source``) holding the two text inputs
  ``name_input`` and ``role_input``: the engine shows or hides it as one item of the graphics
  scene and sets the two texts.

With graphics in the catalogue (``studio.obs.layout``): an overlay with an ``image`` is an
``image_source`` placed on the canvas (``GetVideoSettings``) by its scene item's transform, and a
styled lower third also gets its bar (``color_source_v3``, below the texts) and its texts' fonts,
colours and boxes. Everything studio makes carries ``studio_provision: true`` in its settings.

``provision(obs, catalogue, update=True)`` also brings what studio made before in line with the
catalogue (settings and transforms; never the texts the engine writes, never visibility) and
replaces a text placeholder of an older studio by its image; each change is one line. Sources
studio did not make are left alone (and said so).

Text sources use the platform's kind (``text_ft2_source_v2`` on Linux and macOS,
``text_gdiplus_v2``/``_v3`` on Windows), picked from ``GetInputKindList``. OBS cannot create
transitions over the websocket: a named transition OBS lacks is reported as a problem.
Idempotent: a second run finds everything and creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from studio.obs.errors import GatewayError, RequestFailed
from studio.obs.layout import (
    MARK,
    Canvas,
    Part,
    lower_third_parts,
    overlay_part,
    text_settings_for,
)
from studio.show.model import BUILTIN_TRANSITIONS, Catalogue, NamedTransition, TransitionSpec

TEXT_KINDS = ("text_ft2_source_v2", "text_gdiplus_v3", "text_gdiplus_v2", "text_ft2_source")


class Requester(Protocol):
    def call(self, request: str, data: dict[str, Any] | None = None) -> dict[str, Any]: ...


@dataclass
class ProvisionReport:
    created: list[str] = field(default_factory=list)  # one line per thing created
    problems: list[str] = field(default_factory=list)  # what could not be done, one line each
    updated: list[str] = field(default_factory=list)  # --update: one line per source changed
    notes: list[str] = field(default_factory=list)  # what was left alone, and why

    def lines(self) -> list[str]:
        nothing = "nothing to do: OBS already has everything the catalogue names"
        out = [*self.created, *self.updated] or [nothing]
        return out + self.notes + [f"problem: {p}" for p in self.problems]


def catalogue_transition_names(catalogue: Catalogue) -> dict[str, str]:
    """catalogue transition id -> the OBS transition name it uses."""
    out: dict[str, str] = {}
    for key, spec in catalogue.transitions.items():
        if isinstance(spec, NamedTransition):
            out[key] = spec.obs_name
        elif isinstance(spec, TransitionSpec):
            out[key] = BUILTIN_TRANSITIONS.get(spec.kind, spec.kind)
    return out


def text_kind(obs: Requester) -> str:
    kinds = set(obs.call("GetInputKindList", {"unversioned": False}).get("inputKinds") or [])
    for kind in TEXT_KINDS:
        if kind in kinds:
            return kind
    for other in sorted(str(k) for k in kinds):
        if other.startswith("text_"):
            return other
    raise GatewayError("this OBS offers no text source kind (GetInputKindList)")


class _Obs:
    """What OBS holds, read once and kept current as provisioning creates things."""

    def __init__(self, obs: Requester) -> None:
        self.obs = obs
        scenes = obs.call("GetSceneList").get("scenes") or []
        self.scenes = {str(s["sceneName"]) for s in scenes}
        inputs = obs.call("GetInputList").get("inputs") or []
        self.inputs = {str(i["inputName"]): str(i.get("inputKind", "")) for i in inputs}
        self._items: dict[str, set[str]] = {}

    def items(self, scene: str) -> set[str]:
        if scene not in self._items:
            reply = self.obs.call("GetSceneItemList", {"sceneName": scene})
            self._items[scene] = {str(i["sourceName"]) for i in reply.get("sceneItems") or []}
        return self._items[scene]

    def created_scene(self, scene: str) -> None:
        """``scene`` was just created: it exists, with no items."""
        self.scenes.add(scene)
        self._items[scene] = set()


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a == b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < (0.5 if abs(float(a)) > 4 else 1e-3)
    if isinstance(a, dict) and isinstance(b, dict):
        return all(_same(v, b.get(k)) for k, v in a.items())
    return bool(a == b)


def _show(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key.startswith("color") and isinstance(value, int):
        return f"{value & 0xFFFFFFFF:08X} (ABGR)"
    if isinstance(value, dict):
        return "/".join(str(v) for v in value.values())
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _changes(want: dict[str, Any], have: dict[str, Any]) -> dict[str, str]:
    """key -> 'old -> new' for each wanted value OBS does not have (the marker not counted)."""
    return {k: f"{_show(k, have.get(k))} -> {_show(k, v)}" for k, v in want.items()
            if k not in MARK and not _same(v, have.get(k))}


def provision(obs: Requester, catalogue: Catalogue, *, update: bool = False) -> ProvisionReport:
    report = ProvisionReport()
    have = _Obs(obs)
    kind: str | None = None
    lt = catalogue.lower_third
    canvas_memo: list[Canvas] = []

    def canvas() -> Canvas:
        if not canvas_memo:
            video = obs.call("GetVideoSettings")
            canvas_memo.append(Canvas(int(video.get("baseWidth") or 1920),
                                      int(video.get("baseHeight") or 1080)))
        return canvas_memo[0]

    def the_text_kind() -> str:
        nonlocal kind
        kind = kind or text_kind(obs)
        return kind

    def ensure_scene(name: str, what: str) -> bool:
        if name in have.scenes:
            return True
        if name in have.inputs:
            report.problems.append(f"'{name}' should be a scene but OBS has an input of that name")
            return False
        obs.call("CreateScene", {"sceneName": name})
        have.created_scene(name)
        report.created.append(f"created {what} '{name}'")
        return True

    def ensure_item(scene: str, source: str, *, visible: bool, what: str) -> None:
        if source in have.items(scene):
            return
        obs.call(
            "CreateSceneItem",
            {"sceneName": scene, "sourceName": source, "sceneItemEnabled": visible},
        )
        have.items(scene).add(source)
        state = "shown" if visible else "hidden"
        report.created.append(f"added {what} '{source}' to scene '{scene}' ({state})")

    def item_id(scene: str, source: str) -> int:
        reply = obs.call("GetSceneItemId", {"sceneName": scene, "sourceName": source})
        return int(reply["sceneItemId"])

    def place(scene: str, source: str, transform: dict[str, Any]) -> None:
        obs.call("SetSceneItemTransform", {"sceneName": scene,
                                           "sceneItemId": item_id(scene, source),
                                           "sceneItemTransform": transform})

    def create(scene: str, part: Part, text: str | None, *, visible: bool) -> None:
        obs_kind = the_text_kind() if part.kind == "text" else part.kind
        settings = text_settings_for(part.settings, obs_kind) | (
            {"text": text} if text is not None else {})
        obs.call("CreateInput", {"sceneName": scene, "inputName": part.name,
                                 "inputKind": obs_kind, "inputSettings": settings,
                                 "sceneItemEnabled": visible})
        have.inputs[part.name] = obs_kind
        have.items(scene).add(part.name)
        place(scene, part.name, part.transform)
        hidden = "" if visible else " (hidden)"
        report.created.append(f"created {part.what} '{part.name}' ({obs_kind}) in scene "
                              f"'{scene}'{hidden}")

    def studio_made(name: str, settings: dict[str, Any], legacy_text: bool) -> bool:
        if settings.get("studio_provision") is True:
            return True
        # made by an older studio: a placeholder showing its own name, or a lower-third text
        return have.inputs[name].startswith("text_") and (
            legacy_text or settings.get("text") == name)

    def replace(scene: str, part: Part, old_kind: str, visible: bool) -> None:
        """An older studio's placeholder -> the new input, shown as it was in ``scene``."""
        reply = obs.call("GetSceneItemList", {"sceneName": scene})
        for it in reply.get("sceneItems") or []:
            if it.get("sourceName") == part.name:
                visible = bool(it.get("sceneItemEnabled"))
                obs.call("RemoveSceneItem", {"sceneName": scene,
                                             "sceneItemId": int(it["sceneItemId"])})
        listed = obs.call("GetInputList").get("inputs") or []
        if any(i.get("inputName") == part.name for i in listed):  # held elsewhere too
            obs.call("RemoveInput", {"inputName": part.name})
        have.inputs.pop(part.name, None)
        have.items(scene).discard(part.name)
        before = len(report.created)
        create(scene, part, None, visible=visible)
        del report.created[before:]
        report.updated.append(f"replaced the {old_kind} placeholder '{part.name}' by its "
                              f"{part.what} ({part.kind})")

    def bring_in_line(scene: str, part: Part, *, visible: bool, legacy_text: bool) -> None:
        """An existing input named like ``part``: with --update, make it what ``part`` says."""
        current = obs.call("GetInputSettings", {"inputName": part.name})
        settings = current.get("inputSettings") or {}
        obs_kind = str(current.get("inputKind") or have.inputs[part.name])
        wanted_kind = the_text_kind() if part.kind == "text" else part.kind
        if not studio_made(part.name, settings, legacy_text):
            if update:
                report.notes.append(f"left alone '{part.name}' ({obs_kind}): studio did not "
                                    "make it")
            ensure_item(scene, part.name, visible=visible, what=part.what)
            return
        if obs_kind != wanted_kind:
            if update:
                replace(scene, part, obs_kind, visible)
                return
            report.notes.append(f"'{part.name}' is still an older studio's {obs_kind} "
                                f"placeholder: studio provision --update makes it its {part.what}")
            ensure_item(scene, part.name, visible=visible, what=part.what)
            return
        ensure_item(scene, part.name, visible=visible, what=part.what)
        wanted = text_settings_for(part.settings, obs_kind)
        changed = _changes(wanted, settings)
        reply = obs.call("GetSceneItemTransform", {"sceneName": scene,
                                                   "sceneItemId": item_id(scene, part.name)})
        moved = _changes(part.transform, reply.get("sceneItemTransform") or {})
        if not update:
            if changed or moved:
                report.notes.append(
                    f"'{part.name}' differs from the catalogue ({', '.join({**changed, **moved})})"
                    ": studio provision --update brings it in line")
            return
        if changed or not settings.get("studio_provision"):
            obs.call("SetInputSettings", {"inputName": part.name,
                                          "inputSettings": wanted, "overlay": True})
        if moved:
            place(scene, part.name, part.transform)
        if changed or moved:
            what = "; ".join(f"{k} {v}" for k, v in {**changed, **moved}.items())
            report.updated.append(f"updated {part.what} '{part.name}': {what}")

    def ensure(scene: str, part: Part, text: str | None, *, visible: bool,
               legacy_text: bool = False) -> bool:
        """True when ``part`` was created now."""
        if part.name in have.scenes:
            report.problems.append(f"'{part.name}' should be an input but OBS has a scene of "
                                   "that name")
            return False
        if part.name in have.inputs:
            bring_in_line(scene, part, visible=visible, legacy_text=legacy_text)
            return False
        create(scene, part, text, visible=visible)
        return True

    def ensure_text(scene: str, name: str, text: str, what: str) -> None:
        if name in have.scenes:
            report.problems.append(
                f"'{name}' should be a text input but OBS has a scene of that name"
            )
            return
        if name in have.inputs:
            ensure_item(scene, name, visible=what != "overlay placeholder", what=what)
            return
        text_kind_ = the_text_kind()
        obs.call(
            "CreateInput",
            {
                "sceneName": scene,
                "inputName": name,
                "inputKind": text_kind_,
                "inputSettings": {"text": text},
                "sceneItemEnabled": what != "overlay placeholder",
            },
        )
        have.inputs[name] = text_kind_
        have.items(scene).add(name)
        hidden = " (hidden)" if what == "overlay placeholder" else ""
        report.created.append(f"created {what} '{name}' ({text_kind_}) in scene '{scene}'{hidden}")

    try:
        for scene in catalogue.scenes:
            ensure_scene(scene, "program scene")
        graphics_ok = ensure_scene(catalogue.graphics_scene, "graphics scene")
        lt_ok = ensure_scene(lt.source, "lower-third scene")
        if lt_ok:
            parts = lower_third_parts(catalogue, canvas()) if lt.style is not None else []
            if not parts:
                ensure_text(lt.source, lt.name_input, "Name", "lower-third text")
                ensure_text(lt.source, lt.role_input, "Role", "lower-third text")
            bottom = 0
            for part in parts:
                text = None
                if part.kind == "text":
                    text = "Name" if part.name == lt.name_input else "Role"
                made = ensure(lt.source, part, text, visible=True,
                              legacy_text=part.kind == "text")
                if part.kind != "text":
                    if made:  # the bar goes below what the scene already holds
                        obs.call("SetSceneItemIndex", {
                            "sceneName": lt.source, "sceneItemId": item_id(lt.source, part.name),
                            "sceneItemIndex": bottom})
                    bottom += 1
        if graphics_ok:
            for overlay in catalogue.overlays.values():
                graphic = overlay.image is not None or overlay.clock is not None
                image = overlay_part(overlay, canvas()) if graphic else None
                if image is not None:
                    ensure(catalogue.graphics_scene, image, None, visible=False)
                else:
                    ensure_text(catalogue.graphics_scene, overlay.source, overlay.source,
                                "overlay placeholder")
            if lt_ok:
                ensure_item(catalogue.graphics_scene, lt.source, visible=False,
                            what="lower third")
            for scene in catalogue.scenes:
                if scene in have.scenes:
                    ensure_item(scene, catalogue.graphics_scene, visible=True,
                                what="graphics scene")
        _check_transitions(obs, catalogue, report)
    except RequestFailed as exc:
        report.problems.append(str(exc))
    return report


def _check_transitions(obs: Requester, catalogue: Catalogue, report: ProvisionReport) -> None:
    listed = obs.call("GetSceneTransitionList").get("transitions") or []
    names = {str(t.get("transitionName")) for t in listed}
    for key, name in catalogue_transition_names(catalogue).items():
        if name not in names:
            report.problems.append(
                f"transition '{key}' needs the OBS transition '{name}', which OBS lacks: "
                "add it in OBS (the websocket cannot create transitions)"
            )

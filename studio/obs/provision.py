"""Create in OBS what a studio catalogue names and OBS lacks; never delete or alter anything.

Layout made (the common OBS layout for graphics):

* every program scene of the catalogue, each holding the graphics scene as a (nested) scene item;
* the graphics scene, holding one placeholder per overlay (a text source showing the overlay's
  OBS name, hidden) and the lower third, hidden;
* the lower third is a scene of its own (``lower_third.source``) holding the two text inputs
  ``name_input`` and ``role_input``: the engine shows or hides it as one item of the graphics
  scene and sets the two texts.

Text sources use the platform's kind (``text_ft2_source_v2`` on Linux and macOS,
``text_gdiplus_v2``/``_v3`` on Windows), picked from ``GetInputKindList``. OBS cannot create
transitions over the websocket: a named transition OBS lacks is reported as a problem.
Idempotent: a second run finds everything and creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from studio.obs.errors import GatewayError, RequestFailed
from studio.show.model import Catalogue, NamedTransition, TransitionSpec

TEXT_KINDS = ("text_ft2_source_v2", "text_gdiplus_v3", "text_gdiplus_v2", "text_ft2_source")
BUILTIN_OBS_TRANSITIONS = {"cut": "Cut", "fade": "Fade"}


class Requester(Protocol):
    def call(self, request: str, data: dict[str, Any] | None = None) -> dict[str, Any]: ...


@dataclass
class ProvisionReport:
    created: list[str] = field(default_factory=list)  # one line per thing created
    problems: list[str] = field(default_factory=list)  # what could not be done, one line each

    def lines(self) -> list[str]:
        nothing = "nothing to do: OBS already has everything the catalogue names"
        out = list(self.created) or [nothing]
        return out + [f"problem: {p}" for p in self.problems]


def catalogue_transition_names(catalogue: Catalogue) -> dict[str, str]:
    """catalogue transition id -> the OBS transition name it uses."""
    out: dict[str, str] = {}
    for key, spec in catalogue.transitions.items():
        if isinstance(spec, NamedTransition):
            out[key] = spec.obs_name
        elif isinstance(spec, TransitionSpec):
            out[key] = BUILTIN_OBS_TRANSITIONS.get(spec.kind, spec.kind)
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


def provision(obs: Requester, catalogue: Catalogue) -> ProvisionReport:
    report = ProvisionReport()
    have = _Obs(obs)
    kind: str | None = None
    lt = catalogue.lower_third

    def ensure_scene(name: str, what: str) -> bool:
        if name in have.scenes:
            return True
        if name in have.inputs:
            report.problems.append(f"'{name}' should be a scene but OBS has an input of that name")
            return False
        obs.call("CreateScene", {"sceneName": name})
        have.scenes.add(name)
        have._items[name] = set()
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

    def ensure_text(scene: str, name: str, text: str, what: str) -> None:
        nonlocal kind
        if name in have.scenes:
            report.problems.append(
                f"'{name}' should be a text input but OBS has a scene of that name"
            )
            return
        if name in have.inputs:
            ensure_item(scene, name, visible=what != "overlay placeholder", what=what)
            return
        kind = kind or text_kind(obs)
        obs.call(
            "CreateInput",
            {
                "sceneName": scene,
                "inputName": name,
                "inputKind": kind,
                "inputSettings": {"text": text},
                "sceneItemEnabled": what != "overlay placeholder",
            },
        )
        have.inputs[name] = kind
        have.items(scene).add(name)
        hidden = " (hidden)" if what == "overlay placeholder" else ""
        report.created.append(f"created {what} '{name}' ({kind}) in scene '{scene}'{hidden}")

    try:
        for scene in catalogue.scenes:
            ensure_scene(scene, "program scene")
        graphics_ok = ensure_scene(catalogue.graphics_scene, "graphics scene")
        lt_ok = ensure_scene(lt.source, "lower-third scene")
        if lt_ok:
            ensure_text(lt.source, lt.name_input, "Name", "lower-third text")
            ensure_text(lt.source, lt.role_input, "Role", "lower-third text")
        if graphics_ok:
            for overlay in catalogue.overlays.values():
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

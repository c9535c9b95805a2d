"""Pre-flight: is everything a show uses really in the live OBS?

``preflight_diagnostics(show, settings)`` connects, looks up every scene, the graphics scene's
nesting in each used scene, every overlay source, the lower third and its text inputs, and every
transition the show uses, and returns one error Diagnostic per missing thing, pointing at its
first reference in the show file (scenes, transitions) or in the catalogue (overlay sources,
lower third, graphics scene). OBS unreachable or the password refused: one Diagnostic, no
traceback. Positions come from re-reading the files with ``studio.show.yamlpos``; where a file
cannot be read again the diagnostic points at its line 1.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.obs.connection import ObsConnectionSettings
from studio.obs.errors import GatewayError
from studio.obs.provision import Requester, catalogue_transition_names
from studio.show.diagnostics import Diagnostic, Severity
from studio.show.model import BUILTIN_TRANSITIONS, Show, TransitionSpec
from studio.show.yamlpos import Node, YamlProblem, compose


@dataclass
class Checked:
    """What a pre-flight looked up in OBS (filled by ``check_obs``; empty when not done)."""

    url: str = ""
    scenes: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)  # overlays, the lower third, its inputs
    transitions: set[str] = field(default_factory=set)

    def summary(self) -> str:
        """``5 scenes, 9 sources, 2 transitions in OBS at ws://...``"""
        def n(count: int, what: str) -> str:
            return f"{count} {what}{'s' * (count != 1)}"
        return (f"{n(len(self.scenes), 'scene')}, {n(len(self.sources), 'source')}, "
                f"{n(len(self.transitions), 'transition')} in OBS at {self.url}")


class _Locator:
    """File positions of the show's and its catalogue's values (line 1 when unknown)."""

    def __init__(self, show: Show) -> None:
        self.show_path = show.source_path or "<show>"
        self.show_root = _compose_file(show.source_path) if show.source_path else None
        self.cat_path = self.show_path
        self.cat_root: Node | None = None
        ref = self.show_root.child("catalogue") if self.show_root else None
        if ref is not None and isinstance(ref.value, str):
            self.cat_path = os.path.normpath(
                os.path.join(os.path.dirname(self.show_path), ref.value)
            )
            self.cat_root = _compose_file(self.cat_path)

    @staticmethod
    def _at(root: Node | None, keys: tuple[Any, ...]) -> tuple[int, int]:
        node, best = root, (1, 1)
        for key in keys:
            if node is None:
                break
            best = (node.line, node.column)
            node = node.child(key)
        if node is not None:
            best = (node.line, node.column)
        return best

    def in_show(self, message: str, *keys: Any) -> Diagnostic:
        line, column = self._at(self.show_root, keys)
        return Diagnostic(self.show_path, line, column, "error", message)

    def in_catalogue(
        self, message: str, *keys: Any, severity: Severity = "error"
    ) -> Diagnostic:
        line, column = self._at(self.cat_root, keys)
        return Diagnostic(self.cat_path, line, column, severity, message)


def _compose_file(path: str) -> Node | None:
    try:
        root, _ = compose(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, YamlProblem):
        return None
    return root


def preflight_diagnostics(show: Show, settings: ObsConnectionSettings,
                          checked: Checked | None = None) -> list[Diagnostic]:
    from studio.obs.gateway import ObsGateway

    where = _Locator(show)
    gateway = ObsGateway(settings)
    gateway.start()
    try:
        if not gateway.wait_connected(settings.timeout + 1):
            reason = gateway.last_error or f"no answer from OBS at {settings.url}"
            return [where.in_show(f"OBS pre-flight not done: {reason}")]
        return check_obs(gateway, show, where, settings.url, checked)
    except GatewayError as exc:
        return [where.in_show(f"OBS pre-flight not done: {exc}")]
    finally:
        gateway.stop()


def _transition_name(spec: TransitionSpec, named: dict[str, str]) -> tuple[str, bool]:
    """(OBS name, whether it comes from the catalogue) of a show's transition."""
    if spec.kind in named:
        return named[spec.kind], True
    return BUILTIN_TRANSITIONS.get(spec.kind, spec.kind), False


def check_obs(obs: Requester, show: Show, where: _Locator, url: str,
              checked: Checked | None = None) -> list[Diagnostic]:
    looked = checked if checked is not None else Checked()
    looked.url = url
    cat = show.catalogue
    lt = cat.lower_third
    scenes = {str(s["sceneName"]) for s in obs.call("GetSceneList").get("scenes") or []}
    kinds = {str(i["inputName"]): str(i.get("inputKind", ""))
             for i in obs.call("GetInputList").get("inputs") or []}
    inputs = set(kinds)
    listed = obs.call("GetSceneTransitionList").get("transitions") or []
    transitions = {str(t.get("transitionName")) for t in listed}
    items: dict[str, set[str]] = {}

    def items_of(scene: str) -> set[str]:
        if scene not in items:
            reply = obs.call("GetSceneItemList", {"sceneName": scene}) if scene in scenes else {}
            items[scene] = {str(i["sourceName"]) for i in reply.get("sceneItems") or []}
        return items[scene]

    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()

    def once(kind: str, name: str) -> bool:
        if (kind, name) in seen:
            return False
        seen.add((kind, name))
        return True

    fix = "(studio provision creates it)"
    graphics_ok = cat.graphics_scene in scenes
    looked.scenes.add(cat.graphics_scene)
    if not graphics_ok:
        out.append(where.in_catalogue(
            f"graphics scene '{cat.graphics_scene}' is not in OBS at {url} {fix}",
            "graphics_scene"))
    named = catalogue_transition_names(cat)
    overlays_used: dict[str, tuple[Any, ...]] = {}
    uses_lower_third = False
    for i, seg in enumerate(show.segments):
        looked.scenes.add(seg.scene)
        if seg.scene not in scenes:
            if once("scene", seg.scene):
                out.append(where.in_show(
                    f"scene '{seg.scene}' is not in OBS at {url} {fix}", "segments", i, "scene"))
        elif graphics_ok and cat.graphics_scene not in items_of(seg.scene) and once(
            "nest", seg.scene
        ):
            out.append(where.in_show(
                f"scene '{seg.scene}' in OBS does not hold the graphics scene "
                f"'{cat.graphics_scene}' {fix}", "segments", i, "scene"))
        for overlay in seg.overlays:
            overlays_used.setdefault(overlay, ("segments", i, "overlays"))
        organiser = show.organisers.get(seg.organiser or "")
        if organiser is not None and organiser.logo:
            overlays_used.setdefault(organiser.logo, ("segments", i, "organiser"))
        uses_lower_third = uses_lower_third or bool(seg.lower_thirds)
        if seg.transition is not None:
            name, from_catalogue = _transition_name(seg.transition, named)
            looked.transitions.add(name)
            if name not in transitions and once("transition", name):
                if from_catalogue:
                    out.append(where.in_catalogue(
                        f"transition '{seg.transition.kind}' needs the OBS transition '{name}', "
                        f"which OBS at {url} lacks", "transitions", seg.transition.kind))
                else:
                    out.append(where.in_show(
                        f"transition '{name}' is not in OBS at {url}",
                        "segments", i, "transition"))
    for key, name in named.items():
        if key == "default":
            looked.transitions.add(name)
        if key == "default" and name not in transitions and once("transition", name):
            out.append(where.in_catalogue(
                f"default transition needs the OBS transition '{name}', which OBS at {url} "
                "lacks", "transitions", key))
    if graphics_ok:
        in_graphics = items_of(cat.graphics_scene)
        for overlay_id in overlays_used:
            entry = cat.overlays.get(overlay_id)
            if entry is not None:
                looked.sources.add(entry.source)
            if entry is not None and entry.source not in in_graphics:
                out.append(where.in_catalogue(
                    f"overlay '{overlay_id}': source '{entry.source}' is not in the graphics "
                    f"scene '{cat.graphics_scene}' in OBS at {url} {fix}",
                    "overlays", overlay_id, "source"))
        for overlay_id in overlays_used:
            entry = cat.overlays.get(overlay_id)
            if entry is None or entry.source not in in_graphics:
                continue
            graphic, key = ("image", "image") if entry.image else ("clock", "clock")
            if (entry.image or entry.clock) and kinds.get(entry.source, "").startswith("text_"):
                out.append(where.in_catalogue(
                    f"overlay '{overlay_id}': '{entry.source}' in OBS at {url} is still a text "
                    f"placeholder, not its {graphic} (studio provision --update replaces it)",
                    "overlays", overlay_id, key, severity="warning"))
        if uses_lower_third:
            looked.sources.add(lt.source)
        if uses_lower_third and lt.source not in in_graphics:
            out.append(where.in_catalogue(
                f"lower third '{lt.source}' is not in the graphics scene "
                f"'{cat.graphics_scene}' in OBS at {url} {fix}", "lower_third", "source"))
    if uses_lower_third:
        for key, name in (("name_input", lt.name_input), ("role_input", lt.role_input)):
            looked.sources.add(name)
            if name not in inputs:
                out.append(where.in_catalogue(
                    f"lower-third text input '{name}' is not in OBS at {url} {fix}",
                    "lower_third", key))
    return out

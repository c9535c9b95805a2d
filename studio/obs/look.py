"""``studio look``: put a show's desired state at an instant on a rehearsal OBS and take OBS's
own render of it (``GetSourceScreenshot``).

``frames(timeline)`` (pure) lists the pictures of a contact sheet: one at each segment's start
and one in the middle of each lower third, on the planned times (a manual segment as if taken at
its planned start). ``state_at(timeline, at)`` is the desired state then. ``put_on(obs, ...)``
sends only what a picture needs (program scene, overlays, lower-third texts and visibility), with
a Cut; never streaming, recording or transitions. ``refuse_live(obs)`` raises when OBS streams or
records: looking is for a rehearsal OBS.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from studio.engine.actions import Action, Take
from studio.engine.core import evaluate
from studio.engine.diff import diff
from studio.engine.projection import Projection
from studio.engine.state import (
    Command,
    CommandResult,
    ObsState,
    SetProgramScene,
    SetSourceVisible,
    SetText,
)
from studio.engine.timeline import Timeline
from studio.obs.errors import GatewayError
from studio.show.model import BUILTIN_TRANSITIONS, Catalogue

_EARLY = timedelta(milliseconds=1)  # a TAKE this much before a manual segment's planned start


class LookObs(Protocol):
    def call(self, request: str, data: dict[str, Any] | None = None) -> dict[str, Any]: ...
    def apply(self, commands: Sequence[Command]) -> list[CommandResult]: ...
    def read_state(self, catalogue: Catalogue) -> ObsState: ...


@dataclass(frozen=True)
class Frame:
    at: datetime  # in the show's zone
    segment_id: str
    what: str  # "segment start" or "lower third: NAME"


def _takes(tl: Timeline, until: datetime) -> list[Action]:
    """TAKEs for the manual segments planned to start by ``until`` (the plan, as rehearsed)."""
    return [Take(at=p.planned_start - _EARLY) for p in tl.segments
            if p.manual and p.planned_start - _EARLY <= until]


def projection_at(tl: Timeline, at: datetime) -> Projection:
    return evaluate(tl, _takes(tl, at), at)


def state_at(tl: Timeline, at: datetime) -> ObsState:
    return projection_at(tl, at).desired


def frames(tl: Timeline) -> list[Frame]:
    out: list[Frame] = []
    for p in tl.segments:
        out.append(Frame(p.local_start, p.id, "segment start"))
        for lt in p.lower_thirds:
            t_in = p.local_start + lt.at
            if t_in >= p.local_end:
                continue
            t_out = min(p.local_end, t_in + lt.for_) if lt.for_ is not None else p.local_end
            out.append(Frame(t_in + (t_out - t_in) / 2, p.id, f"lower third: {lt.name}"))
    return out


def refuse_live(obs: LookObs, url: str) -> None:
    for request, what in (("GetStreamStatus", "streaming"), ("GetRecordStatus", "recording")):
        if obs.call(request).get("outputActive"):
            raise GatewayError(f"OBS at {url} is {what}: studio look puts a show's state on a "
                               "rehearsal OBS only (stop the output or use another OBS)")


def put_on(obs: LookObs, tl: Timeline, desired: ObsState) -> None:
    """Make OBS show ``desired`` (scene, overlays, lower third) at once; raise on a refusal."""
    cat = tl.show.catalogue
    actual = obs.read_state(cat)
    wanted = (SetProgramScene, SetSourceVisible, SetText)
    commands = [c for c in diff(actual, desired, graphics_scene=tl.graphics_scene,
                                lower_third=tl.lower_third) if isinstance(c, wanted)]
    if any(isinstance(c, SetProgramScene) for c in commands):
        obs.call("SetCurrentSceneTransition", {"transitionName": BUILTIN_TRANSITIONS["cut"]})
    for result in obs.apply(commands):
        if not result.ok:
            raise GatewayError(f"OBS refused {type(result.command).__name__}: {result.comment}")


def screenshot(obs: LookObs, source: str, width: int | None = None) -> bytes:
    """OBS's render of ``source`` as PNG bytes, once OBS has drawn what was just changed.

    OBS applies new sources, texts and visibility on its next video frames, and no event says
    when: take pictures two frames apart until two in a row are the same (at most ~2 s)."""
    video = obs.call("GetVideoSettings")
    fps = (video.get("fpsNumerator") or 30) / (video.get("fpsDenominator") or 1)
    frame = 1.0 / max(float(fps), 1.0)
    data: dict[str, Any] = {"sourceName": source, "imageFormat": "png"}
    if width:
        data["imageWidth"] = width
    last = b""
    for _ in range(int(2.0 / (2 * frame)) + 2):
        reply = obs.call("GetSourceScreenshot", data)
        image = base64.b64decode(str(reply["imageData"]).split(",", 1)[1])
        if image == last:
            return image
        last = image
        time.sleep(2 * frame)
    return last

"""``POST /api/v1/actions``: a JSON body -> an engine ``Action`` (or a one-line reason). Pure.

``{"action": NAME, "seconds": N, "overlay": ID, "expect": SEGMENT_ID, "client": NAME}``.
``expect`` names the segment the client believes it acts on: the next segment for ``take``,
``skip`` and ``preview`` (for take: the one that goes on air), the segment on air for the
others. It is checked on the controller's thread when the action's turn comes, so two clients
pressing TAKE at once never take two segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studio.engine.actions import (
    Action,
    Back,
    Clear,
    ClearMessage,
    Fire,
    Hold,
    Message,
    Nudge,
    PreviewNext,
    Reassert,
    Release,
    Skip,
    Take,
    ToggleOverlay,
)
from studio.engine.projection import Projection
from studio.engine.validate import MAX_NUDGE, nudge_problem
from studio.show.controls import control_problem
from studio.show.model import Show

ACTIONS: dict[str, type[Action] | None] = {
    "take": Take, "hold": Hold, "release": Release, "skip": Skip, "back": Back, "nudge": Nudge,
    "fire": Fire, "clear": Clear, "overlay": ToggleOverlay, "preview": PreviewNext,
    "reassert": Reassert, "reconnect": None,  # reconnect is no show action: OBS only
    "message": Message, "clear_message": ClearMessage,  # the presenter view's message
}
FIELDS = ("action", "seconds", "overlay", "text", "expect", "client")
MAX_MESSAGE = 200  # characters: a message is read from three metres
ACTS_ON_NEXT = ("take", "skip", "preview")
MAX_NUDGE_S = int(MAX_NUDGE.total_seconds())  # the engine's own bound: one rule for every door
DEFAULT_CLIENT = "api"
_CLIENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,39}")


class BadRequest(ValueError):
    """400: the body is wrong; the message names the field."""


@dataclass(frozen=True)
class Request:
    name: str  # the API's action name ("overlay", "preview", "reconnect", ...)
    client: str
    expect: str | None
    seconds: int = 0
    overlay: str = ""
    text: str = ""

    def action(self, now: datetime) -> Action | None:
        """The engine action at ``now`` (None for ``reconnect``), ``who`` = the client."""
        cls = ACTIONS[self.name]
        if cls is None:
            return None
        if cls is Nudge:
            return Nudge(at=now, who=self.client, seconds=self.seconds)
        if cls is ToggleOverlay:
            return ToggleOverlay(at=now, who=self.client, overlay=self.overlay)
        if cls is Message:
            return Message(at=now, who=self.client, text=self.text)
        return cls(at=now, who=self.client)


def parse_request(body: Any, show: Show) -> Request:
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object, e.g. {\"action\": \"take\"}")
    unknown = [k for k in body if k not in FIELDS]
    if unknown:
        raise BadRequest(f"unknown field {unknown[0]!r}: the fields are " + ", ".join(FIELDS))
    name = body.get("action")
    if not isinstance(name, str) or name not in ACTIONS:
        raise BadRequest("field 'action': one of " + ", ".join(ACTIONS))
    client = body.get("client", DEFAULT_CLIENT)
    if not isinstance(client, str) or not _CLIENT.fullmatch(client) or client == "auto":
        raise BadRequest("field 'client': a name of 1-40 letters, digits or ._@- "
                         "(not 'auto'), e.g. \"streamdeck\"")
    expect = body.get("expect")
    if expect is not None and (not isinstance(expect, str) or not expect):
        raise BadRequest("field 'expect': a segment id (a string)")
    if expect is not None and expect not in {s.id for s in show.segments}:
        raise BadRequest(f"field 'expect': no segment {expect!r} in this show")
    seconds = body.get("seconds")
    overlay = body.get("overlay")
    if name == "nudge":
        if (not isinstance(seconds, int) or isinstance(seconds, bool) or seconds == 0
                or nudge_problem(seconds) is not None):
            raise BadRequest(f"field 'seconds': nudge needs a whole number of seconds, not 0, "
                             f"at most {MAX_NUDGE_S} either way (positive: later)")
    elif seconds is not None:
        raise BadRequest(f"field 'seconds': only for nudge, not {name}")
    if name == "overlay":
        ids = list(show.catalogue.overlays)
        if not isinstance(overlay, str) or overlay not in ids:
            raise BadRequest("field 'overlay': one of the catalogue's overlays: " + ", ".join(ids))
    elif overlay is not None:
        raise BadRequest(f"field 'overlay': only for overlay, not {name}")
    text = body.get("text")
    if name == "message":
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE:
            raise BadRequest(f"field 'text': message needs the text to show, 1-{MAX_MESSAGE} "
                             "characters")
        text = " ".join(text.split())
        problem = control_problem(text)  # an ESC reaches the speaker's screen and terminals
        if problem is not None:
            raise BadRequest(f"field 'text': {problem}")
    elif text is not None:
        raise BadRequest(f"field 'text': only for message, not {name}")
    return Request(name=name, client=client, expect=expect, seconds=seconds or 0,
                   overlay=overlay or "", text=text or "")


def expectation_failed(req: Request, proj: Projection) -> str | None:
    """None when ``req.expect`` holds for ``proj`` (or is not given); else the 409's reason."""
    if req.expect is None:
        return None
    if req.name in ACTS_ON_NEXT:
        actual = proj.next.segment_id if proj.next is not None else None
        what = "the next segment"
    else:
        actual = proj.on_air.segment_id if proj.on_air is not None else None
        what = "the segment on air"
    if actual == req.expect:
        return None
    return (f"{req.name} expected {req.expect!r} but {what} is "
            + (repr(actual) if actual is not None else "none") + ": the show has moved on")

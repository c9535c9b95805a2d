"""JSON Schemas of the file kinds, for editors (yaml-language-server) and other tools.

Generated from the pydantic models; the shipped files carry a modeline pointing at
``schemas/<kind>.schema.json``: ``# yaml-language-server: $schema=../schemas/show.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from studio.show.model import Catalogue, Ident, Organiser, ShowFile

KINDS = ("show", "catalogue", "organisers")
_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_DESCRIPTIONS = {
    "show": (
        "A run-of-show file: one show day. A segment with `start` is a hard anchor at that "
        "local time on the show's date (past midnight: \"00:30 +1d\"); one without starts when "
        "the previous one ends. A segment without `duration` runs until the next segment's "
        "start; the last segment needs a duration. Durations are real elapsed time (across a "
        "daylight-saving change the wall-clock end moves). Check with `studio check FILE`."
    ),
    "catalogue": (
        "A studio catalogue: what the studio's OBS holds (program scenes, the graphics scene "
        "nested in each of them, overlays, the lower third, named transitions)."
    ),
    "organisers": (
        "Organisers of a show: id -> name and an optional logo (an overlay id of the catalogue "
        "shown while the organiser's segments are on air)."
    ),
}

_FIELD_DOCS: dict[str, dict[str, str]] = {
    "ShowFile": {
        "show": "The show's title.",
        "date": "The show's date, YYYY-MM-DD (local times are on this date).",
        "timezone": "IANA time zone of all times in the file, e.g. Europe/Stockholm.",
        "catalogue": "Path of the studio catalogue, relative to this file.",
        "organisers": "Path of an organisers file (relative to this file), or the mapping inline.",
        "segments": "The running order.",
    },
    "Segment": {
        "id": "Unique id within the show (letters, digits, - _ .).",
        "duration": "How long the segment runs; without it: until the next segment's start.",
        "title": "What the producer and the rundown show.",
        "organiser": "An organiser id; its logo overlay is shown while the segment is on air.",
        "scene": "A program scene of the catalogue.",
        "transition": "The transition into this segment (default: the catalogue's `default`).",
        "overlays": "Overlay ids of the catalogue shown during the segment.",
        "lower_thirds": "Name captions shown during the segment.",
        "manual": "Wait for the operator's TAKE instead of switching at the planned time.",
        "stream": "Start or stop streaming when the segment starts.",
        "record": "Start or stop recording when the segment starts.",
        "warn": "How long before the end the presenter's countdown turns amber (default 2m).",
    },
    "LowerThird": {
        "at": "Offset into the segment when it appears (default 0s).",
        "for": "How long it stays (default: until the segment ends or the operator clears it).",
    },
}


def _describe(schema: dict[str, Any]) -> None:
    for name, docs in _FIELD_DOCS.items():
        target = schema if schema.get("title") == name else schema.get("$defs", {}).get(name)
        if not target:
            continue
        for field, text in docs.items():
            prop = target.get("properties", {}).get(field)
            if prop is not None:
                prop.setdefault("description", text)


def _tidy(node: Any) -> None:
    """Defaults written the way the files write them; mappings with id keys allow no others."""
    if isinstance(node, dict):
        if node.get("default") == "PT0S":
            node["default"] = "0s"
        if "patternProperties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``kind``: show, catalogue or organisers."""
    if kind == "show":
        schema = ShowFile.model_json_schema(mode="validation")
        schema["title"] = "Run-of-show file"
    elif kind == "catalogue":
        schema = Catalogue.model_json_schema(mode="validation")
        schema["title"] = "Studio catalogue"
    elif kind == "organisers":
        schema = TypeAdapter(dict[Ident, Organiser]).json_schema(mode="validation")
        schema["title"] = "Organisers"
    else:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    _describe(schema)
    _tidy(schema)
    schema["description"] = _DESCRIPTIONS[kind]
    return {"$schema": _DIALECT, "$id": f"{kind}.schema.json", **schema}


def render(kind: str) -> str:
    return json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n"

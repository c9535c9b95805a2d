"""The JSON Schema of the control API v1 (``studio schema --kind api``, shipped as
``schemas/api.schema.json``): ``#/$defs/state`` (GET /api/v1/state), ``#/$defs/event`` (each
message on GET /api/v1/events), ``#/$defs/action`` (the POST /api/v1/actions body) and
``#/$defs/answer`` (its answer). Generated from the same dataclasses the state is encoded from.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from studio.engine.projection import Projection
from studio.runner.api import ControllerStatus
from studio.service import API_VERSION
from studio.service.actions import ACTIONS, DEFAULT_CLIENT, MAX_MESSAGE, MAX_NUDGE_S

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _seconds(node: Any) -> None:
    """Durations travel as seconds (a number), not ISO 8601 strings; titles are noise."""
    if isinstance(node, dict):
        if node.get("format") == "duration":
            node.pop("format")
            node["type"] = "number"
            node["description"] = "seconds (negative: before)"
            if node.get("default") == "PT0S":  # pydantic wrote the default as ISO 8601 too
                node["default"] = 0
        if isinstance(node.get("title"), str):  # pydantic's "Segment Id" titles (a property
            del node["title"]                    # named title is a dict, and stays)
        for value in node.values():
            _seconds(value)
    elif isinstance(node, list):
        for value in node:
            _seconds(value)


def _hoist(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    defs.update(schema.pop("$defs", {}))
    return schema


def json_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    projection = _hoist(TypeAdapter(Projection).json_schema(mode="serialization"), defs)
    status = _hoist(TypeAdapter(ControllerStatus).json_schema(mode="serialization"), defs)
    defs["NextUp"]["properties"].update({
        "starts_at": {"type": "string", "format": "date-time",
                      "description": "when it goes on air (projected)"},
        "seconds_to_go": {"type": "number", "description": "until starts_at (show seconds)"},
    })
    defs["Projection"] = projection
    defs["ControllerStatus"] = status
    log_entry = {
        "type": "object", "required": ["at", "kind", "text"],
        "properties": {"at": {"type": "string", "format": "date-time"},
                       "kind": {"enum": ["cue", "action", "late", "error", "override", "info",
                                         "connection"]},
                       "text": {"type": "string"}},
    }
    defs["LogEntry"] = log_entry
    defs["state"] = {
        "description": "GET /api/v1/state: the show, the controller's status and the projection "
                       "(what is on air, next, the rundown with planned and projected times, "
                       "graphics, re-timing consequences, desired OBS state).",
        "type": "object", "required": ["api", "show", "status", "projection"],
        "properties": {
            "api": {"const": API_VERSION},
            "show": {"type": "object", "required": ["title", "date", "timezone", "path"],
                     "properties": {"title": {"type": "string"},
                                    "date": {"type": "string", "format": "date"},
                                    "timezone": {"type": "string"},
                                    "path": {"type": "string"}}},
            "status": {"$ref": "#/$defs/ControllerStatus"},
            "projection": {"$ref": "#/$defs/Projection"},
        },
    }
    defs["event"] = {
        "description": "One message on the GET /api/v1/events WebSocket: hello first, then the "
                       "state and the recent log, then every change (coalesced). A viewer that "
                       "falls behind is closed with code 1008 and may reconnect.",
        "anyOf": [
            {"type": "object", "required": ["type", "api"],
             "properties": {"type": {"const": "hello"}, "api": {"const": API_VERSION}}},
            {"type": "object", "required": ["type", "state"],
             "properties": {"type": {"const": "state"}, "state": {"$ref": "#/$defs/state"}}},
            {"type": "object", "required": ["type", "entries"],
             "properties": {"type": {"const": "log"},
                            "entries": {"type": "array", "items": {"$ref": "#/$defs/LogEntry"}}}},
        ],
    }
    defs["action"] = {
        "description": "POST /api/v1/actions (Authorization: Bearer TOKEN). `expect` names the "
                       "segment the client believes it acts on (the next one for take, skip "
                       "and preview; the one on air otherwise): refused with 409 when the show "
                       "has moved on.",
        "type": "object", "required": ["action"], "additionalProperties": False,
        "properties": {
            "action": {"enum": list(ACTIONS)},
            "seconds": {"type": "integer", "minimum": -MAX_NUDGE_S, "maximum": MAX_NUDGE_S,
                        "description": "nudge only: move the soft schedule (positive: later)"},
            "overlay": {"type": "string", "description": "overlay only: a catalogue overlay id"},
            "text": {"type": "string", "minLength": 1, "maxLength": MAX_MESSAGE,
                     "description": "message only: shown large on /presenter until "
                                    "clear_message (runs of spaces are one; no control "
                                    "characters)"},
            "expect": {"type": "string", "description": "a segment id"},
            "client": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._@-]{0,39}$",
                       "default": DEFAULT_CLIENT,
                       "description": "journalled as `who` (not 'auto')"},
        },
    }
    defs["answer"] = {
        "description": "200: {ok, action, state: summary}; 400/401/403/409/413: {error: one "
                       "line}; a 409 for an `expect` that no longer held also carries "
                       "moved_on: true and the state (summary) the show has moved on to.",
        "anyOf": [
            {"type": "object", "required": ["ok", "action", "state"],
             "properties": {"ok": {"const": True}, "action": {"type": "string"},
                            "state": {"type": "object"}}},
            {"type": "object", "required": ["error", "moved_on", "state"],
             "properties": {"error": {"type": "string"}, "moved_on": {"const": True},
                            "state": {"type": "object"}}},
            {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
        ],
    }
    _seconds(defs)
    return {"$schema": _DIALECT, "$id": "api.schema.json",
            "title": f"studio control API v{API_VERSION}",
            "description": "GET /api/v1/state, GET /api/v1/show (the show as the service "
                           "loaded it: title, date, timezone, segments, catalogue, organisers; "
                           "durations as {seconds: N}; what an attached screen shows), "
                           "GET /api/v1/events (WebSocket), POST /api/v1/actions, "
                           "POST /api/v1/stop.",
            "$defs": dict(sorted(defs.items()))}


def render() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"

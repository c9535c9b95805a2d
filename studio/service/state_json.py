"""The show's state as JSON, and back: what ``GET /api/v1/state`` answers and the events
WebSocket pushes, and what a remote screen turns into a ``Projection`` again. Pure functions.

Times are ISO 8601 with the show's offset; durations are seconds (float). ``next`` carries
``starts_at`` and ``seconds_to_go`` besides the projection's own fields.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from studio.engine.projection import Projection
from studio.runner.api import ControllerStatus, LogEntry
from studio.service import API_VERSION
from studio.show.model import Show

DEFAULT_WARN = timedelta(minutes=2)  # a segment without ``warn:``


def encode(value: Any) -> Any:
    """A dataclass tree as plain JSON values."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, frozenset):
        return sorted((encode(v) for v in value), key=repr)
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(tp: Any, data: Any) -> Any:
    """The inverse of ``encode`` for the type ``tp`` (a dataclass, or a typing expression).
    Keys the type does not know are ignored, so a newer service's extra fields do no harm."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return decode(inner[0], data)
    if origin is typing.Literal:
        return data
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = _hints(tp)
        kwargs = {f.name: decode(hints[f.name], data[f.name])
                  for f in dataclasses.fields(tp) if f.name in data}
        return tp(**kwargs)
    if tp is datetime:
        return datetime.fromisoformat(data)
    if tp is timedelta:
        return timedelta(seconds=float(data))
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
    if origin is frozenset:
        (arg,) = typing.get_args(tp)
        return frozenset(decode(arg, v) for v in data)
    if origin is dict:
        _, varg = typing.get_args(tp)
        return {k: decode(varg, v) for k, v in data.items()}
    if tp is float:
        return float(data)
    return data


def state_json(show: Show, proj: Projection, status: ControllerStatus) -> dict[str, Any]:
    """``GET /api/v1/state``: the projection, the connection and the show it belongs to."""
    projection = encode(proj)
    if proj.next is not None:
        projection["next"]["starts_at"] = proj.next.start.isoformat()
        projection["next"]["seconds_to_go"] = proj.next.countdown.total_seconds()
    if proj.on_air is not None:  # the presenter view turns amber this long before the end
        warn = show.segment(proj.on_air.segment_id).warn
        projection["on_air"]["warn_s"] = (warn or DEFAULT_WARN).total_seconds()
    return {
        "api": API_VERSION,
        "show": {"title": show.title, "date": show.date.isoformat(), "timezone": show.timezone,
                 "path": show.source_path},
        "status": encode(status),
        "projection": projection,
    }


def summary_json(proj: Projection) -> dict[str, Any]:
    """The short answer to an accepted action: what is on air and what comes next."""
    return {
        "now": proj.now.isoformat(),
        "on_air": None if proj.on_air is None else {
            "segment_id": proj.on_air.segment_id, "title": proj.on_air.title,
            "held": proj.on_air.held},
        "next": None if proj.next is None else {
            "segment_id": proj.next.segment_id, "title": proj.next.title,
            "starts_at": proj.next.start.isoformat(),
            "seconds_to_go": proj.next.countdown.total_seconds(),
            "waits_for_take": proj.next.waits_for_take},
        "ended": proj.ended,
    }


def log_json(entry: LogEntry) -> dict[str, Any]:
    return {"at": entry.at.isoformat(), "kind": entry.kind, "text": entry.text}


def projection_from_json(data: dict[str, Any]) -> Projection:
    proj: Projection = decode(Projection, data["projection"])
    return proj


def status_from_json(data: dict[str, Any]) -> ControllerStatus:
    status: ControllerStatus = decode(ControllerStatus, data["status"])
    return status


def log_from_json(data: dict[str, Any]) -> LogEntry:
    return LogEntry(at=datetime.fromisoformat(data["at"]), kind=data["kind"], text=data["text"])


def show_json(show: Show) -> dict[str, Any]:
    """``GET /api/v1/show``: the show the service runs, as it loaded it (a screen shows this,
    never the file, which may have changed or broken since). Durations are ``{"seconds": N}``."""
    def plain(value: Any) -> Any:
        if isinstance(value, timedelta):
            return {"seconds": value.total_seconds()}
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value
    data: dict[str, Any] = plain(show.model_dump(mode="python", by_alias=True))
    return data


def show_from_json(data: Any) -> Show:
    """The inverse of ``show_json`` (``ValueError`` for anything else)."""
    def typed(value: Any) -> Any:
        if isinstance(value, dict):
            if value.keys() == {"seconds"} and isinstance(value["seconds"], int | float):
                return timedelta(seconds=value["seconds"])
            return {k: typed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [typed(v) for v in value]
        return value
    try:
        return Show.model_validate(typed(data))
    except Exception as exc:  # pydantic's ValidationError, a TypeError for a non-object
        raise ValueError(f"not a show: {' '.join(str(exc).split())[:200]}") from None

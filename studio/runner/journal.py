"""The controller's journal: what must survive a crash of studio.

One JSON object per line, appended, flushed and fsynced *before* the thing it records takes
effect:

- ``{"type": "show", ...}``         the first line: which show this journal belongs to
- ``{"type": "action", ...}``       an operator action (replayed on restart: holds, nudges...)
- ``{"type": "intent", "id", "what", "active", "key", "at"}``   a stream/record start or stop
  is about to be requested; ``{"type": "done", "id", "ok", "detail"}`` after OBS answered.
  An intent without its ``done`` is *indeterminate*: never repeated, reported to the operator.
- ``{"type": "checkpoint", "at"}``  the show time up to which cues were handled (missed-cue report)
- ``{"type": "override", "text"}`` / ``{"type": "resume"}``  manual override state

The password never goes here (nothing here ever sees it).

Owns the journal file and the state folded from it (``JournalState``: actions, intents, checkpoint,
override).
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from studio.engine.actions import ACTION_TYPES, Action


class JournalError(Exception):
    """A journal that cannot be used (another show's, unreadable): one line for the user."""


def action_to_dict(action: Action) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "action", "action": type(action).__name__.lower()}
    for f in dataclasses.fields(action):
        value = getattr(action, f.name)
        data[f.name] = value.isoformat() if isinstance(value, datetime) else value
    return data


def action_from_dict(data: dict[str, Any]) -> Action:
    cls = ACTION_TYPES[str(data["action"])]
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        kwargs[f.name] = datetime.fromisoformat(value) if f.name == "at" else value
    return cls(**kwargs)


@dataclass(frozen=True)
class Intent:
    id: int
    what: str  # "stream" or "record"
    active: bool
    key: str  # what caused it (the cue), so one cue's request is made at most once
    at: datetime

    def describe(self) -> str:
        verb = "start" if self.active else "stop"
        return f"{self.what} {verb} was requested at {self.at:%H:%M:%S}"


@dataclass
class JournalState:
    """What a journal says, read back on restart."""

    actions: list[Action] = field(default_factory=list)
    intents: dict[int, Intent] = field(default_factory=dict)
    done: dict[int, tuple[bool, str]] = field(default_factory=dict)
    checkpoint: datetime | None = None
    override: str | None = None
    show: dict[str, Any] = field(default_factory=dict)

    @property
    def indeterminate(self) -> list[Intent]:
        return [i for n, i in sorted(self.intents.items()) if n not in self.done]

    def requested_keys(self) -> set[tuple[str, bool, str]]:
        return {(i.what, i.active, i.key) for i in self.intents.values()}


def read_journal(path: Path) -> JournalState:
    state = JournalState()
    if not path.exists():
        return state
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                _fold(state, rec)
            except (ValueError, KeyError, TypeError) as exc:
                # a torn last line after a crash mid-write is expected; anything else is not
                if fh.read(1) == "":
                    break
                raise JournalError(f"{path}:{lineno}: unreadable journal line: {exc}") from None
    return state


def _fold(state: JournalState, rec: dict[str, Any]) -> None:
    kind = rec["type"]
    if kind == "show":
        state.show = rec
    elif kind == "action":
        state.actions.append(action_from_dict(rec))
    elif kind == "intent":
        intent = Intent(
            id=int(rec["id"]),
            what=str(rec["what"]),
            active=bool(rec["active"]),
            key=str(rec["key"]),
            at=datetime.fromisoformat(rec["at"]),
        )
        state.intents[intent.id] = intent
    elif kind == "done":
        state.done[int(rec["id"])] = (bool(rec["ok"]), str(rec.get("detail", "")))
    elif kind == "checkpoint":
        state.checkpoint = datetime.fromisoformat(rec["at"])
    elif kind == "override":
        state.override = str(rec["text"])
    elif kind == "resume":
        state.override = None


class Journal:
    """Append-only, fsynced journal for one show. Thread-safe."""

    def __init__(self, path: Path, *, show_id: dict[str, Any]) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.state = read_journal(path)
        if self.state.show and self.state.show.get("id") != show_id.get("id"):
            raise JournalError(
                f"{path}: this journal belongs to another show ({self.state.show.get('title')!r});"
                " pass --journal with a new file"
            )
        self._fh: TextIO = path.open("a", encoding="utf-8")
        self._next_intent = max(self.state.intents, default=0) + 1
        if not self.state.show:
            self._write({"type": "show", **show_id})

    def _write(self, rec: dict[str, Any]) -> None:
        with self._lock:
            self._fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def append_action(self, action: Action) -> None:
        self._write(action_to_dict(action))

    def intent(self, what: str, active: bool, key: str, at: datetime) -> Intent:
        with self._lock:
            n = self._next_intent
            self._next_intent += 1
        intent = Intent(id=n, what=what, active=active, key=key, at=at)
        self._write(
            {"type": "intent", "id": n, "what": what, "active": active, "key": key,
             "at": at.isoformat()}
        )
        return intent

    def done(self, intent: Intent, ok: bool, detail: str = "") -> None:
        self._write({"type": "done", "id": intent.id, "ok": ok, "detail": detail})

    def checkpoint(self, at: datetime) -> None:
        self._write({"type": "checkpoint", "at": at.isoformat()})

    def override(self, text: str | None) -> None:
        self._write({"type": "override", "text": text} if text else {"type": "resume"})

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.close()

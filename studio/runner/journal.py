"""The controller's journal: what must survive a crash of studio.

One JSON object per line, appended, flushed and fsynced *before* the thing it records takes
effect:

- ``{"type": "show", ...}``         the first line: which show this journal belongs to
- ``{"type": "action", ...}``       an operator action (replayed on restart: holds, nudges...),
  with the digest of the timeline it was made on (``timeline``) and what it did by segment
  (``on_air``, ``started``, ``ended``, ``skipped``): replayed by segment onto a changed show
  file (``studio.engine.replay``); a line without them (an older version's) replays as it is
- ``{"type": "intent", "id", "what", "active", "key", "at"}``   a stream/record start or stop
  is about to be requested; ``{"type": "done", "id", "ok", "detail"}`` after OBS answered.
  An intent without its ``done`` is *indeterminate*: never repeated, reported to the operator.
- ``{"type": "checkpoint", "at"}``  the show time up to which cues were handled (missed-cue report)
- ``{"type": "override", "text"}`` / ``{"type": "resume"}``  manual override state
- ``{"type": "sent", "id", "record"}`` a cue's commands went out: its as-run record so far
  (``AsRunRecord.to_json``, read back with ``from_json``),
  journalled at once; ``{"type": "written", "id"}`` once its as-run line (confirmed or not) is
  written. A ``sent`` without ``written`` (studio stopped before OBS confirmed) is written to
  the as-run after the restart as sent and unconfirmed, so no cue is without its line.

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
from typing import Any

from studio.engine.actions import ACTION_TYPES, Action
from studio.engine.replay import Effect, Entry
from studio.runner.asrun import AsRunRecord
from studio.runner.durable import LineFile


class JournalError(Exception):
    """A journal that cannot be used (another show's, unreadable): one line for the user."""


def action_to_dict(action: Action, effect: Effect | None = None,
                   digest: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "action", "action": type(action).__name__.lower()}
    for f in dataclasses.fields(action):
        value = getattr(action, f.name)
        data[f.name] = value.isoformat() if isinstance(value, datetime) else value
    if digest is not None:
        data["timeline"] = digest
    if effect is not None:  # what it did, by segment: replayed so onto a changed show file
        data["on_air"] = effect.on_air
        if effect.started is not None:
            data["started"] = effect.started
        if effect.ended:
            data["ended"] = True
        if effect.skipped is not None:
            data["skipped"] = effect.skipped
    return data


def entry_from_dict(data: dict[str, Any]) -> Entry:
    """The action with its effect and timeline digest (None where an older version wrote
    neither)."""
    effect = None
    if "on_air" in data:
        effect = Effect(on_air=_text(data["on_air"]), started=_text(data.get("started")),
                        ended=data.get("ended") is True, skipped=_text(data.get("skipped")))
    return Entry(action_from_dict(data), effect, _text(data.get("timeline")))


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"not a segment id or digest: {value!r}")


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
    entries: list[Entry] = field(default_factory=list)  # the actions with what they did
    intents: dict[int, Intent] = field(default_factory=dict)
    done: dict[int, tuple[bool, str]] = field(default_factory=dict)
    checkpoint: datetime | None = None
    override: str | None = None
    show: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # said to the operator at startup
    unwritten: dict[int, AsRunRecord] = field(default_factory=dict)  # sent, no as-run line
    last_sent: int = 0

    @property
    def indeterminate(self) -> list[Intent]:
        return [i for n, i in sorted(self.intents.items()) if n not in self.done]

    def requested_keys(self) -> set[tuple[str, bool, str]]:
        return {(i.what, i.active, i.key) for i in self.intents.values()}


def read_journal(path: Path) -> JournalState:
    """What the journal at ``path`` says (nothing if it does not exist). A torn last line (a
    crash mid-write) is left out and said in ``notes``; a file that is not a studio journal, or
    unreadable in its middle, raises ``JournalError`` with one line naming it."""
    return _load(path)[0]


def _load(path: Path) -> tuple[JournalState, int]:
    """The state and the length in bytes of the journal's good part (without a torn tail)."""
    state = JournalState()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return state, 0
    except OSError as exc:
        raise JournalError(f"{path}: cannot read the journal: "
                           f"{(exc.strerror or str(exc)).lower()}") from None
    lines = data.split(b"\n")
    pos = good = 0
    for lineno, raw in enumerate(lines, 1):
        last = lineno == len(lines)  # no newline after it: a line cut short, or b""
        end = pos + len(raw) + (0 if last else 1)
        if raw.strip():
            try:
                rec = json.loads(raw.decode("utf-8"))
                if not isinstance(rec, dict):
                    raise ValueError("not a JSON object")
                if not state.show and rec.get("type") != "show":
                    raise _NotAJournal
                _fold(state, rec)
            except (ValueError, KeyError, TypeError, _NotAJournal) as exc:
                if not state.show and last and raw.startswith(b'{"type": "show"'):
                    break  # the very first line, cut short: a journal with nothing in it yet
                if not state.show:
                    raise JournalError(
                        f"{path}: not a studio journal (line {lineno} is not one); left as it "
                        "is: pass --journal with a new file or move this one away") from None
                if last:
                    state.notes.append(
                        f"journal {path}: the last line was cut short by a crash "
                        f"({len(raw)} bytes at line {lineno}): cut off before anything is added")
                    break
                raise JournalError(f"{path}:{lineno}: unreadable journal line: {exc}") from None
        pos = end
        good = end
    return state, good


class _NotAJournal(Exception):
    pass


def _fold(state: JournalState, rec: dict[str, Any]) -> None:
    kind = rec["type"]
    if kind == "show":
        state.show = rec
    elif kind == "action":
        entry = entry_from_dict(rec)
        state.actions.append(entry.action)
        state.entries.append(entry)
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
    elif kind == "sent":
        n = int(rec["id"])
        record = rec["record"]
        if not isinstance(record, dict):
            raise ValueError("a sent line without its as-run record")
        state.unwritten[n] = AsRunRecord.from_json(record)
        state.last_sent = max(state.last_sent, n)
    elif kind == "written":
        state.unwritten.pop(int(rec["id"]), None)


def _same_show(header: dict[str, Any], show_id: dict[str, Any]) -> bool:
    """The file (its real path) and the day make the show; a mended title does not (the
    restart after it was refused, and systemd gave up on the show)."""
    if "path" in header and "date" in header and "path" in show_id and "date" in show_id:
        return bool(header["path"] == show_id["path"] and header["date"] == show_id["date"])
    return bool(header.get("id") == show_id.get("id"))


class Journal:
    """Append-only, fsynced journal for one show. Thread-safe. A write the disk refuses never
    raises (the line waits in memory, in order: ``studio.runner.durable``); a journal deleted
    or emptied while running is written again from memory."""

    def __init__(self, path: Path, *, show_id: dict[str, Any]) -> None:
        self.path = path
        self.timeline: str | None = show_id.get("timeline")  # digest: stamped on each action
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.state, good = _load(path)
        if self.state.show and not _same_show(self.state.show, show_id):
            raise JournalError(
                f"{path}: this journal belongs to another show ({self.state.show.get('title')!r});"
                " pass --journal with a new file"
            )
        if path.exists() and path.stat().st_size != good:
            os.truncate(path, good)  # the torn tail goes before anything is appended
        if good and not path.read_bytes().endswith(b"\n"):
            with path.open("ab") as fh:  # a whole last line that lost only its newline
                fh.write(b"\n")
        self.file = LineFile(path, "journal")
        self._next_intent = max(self.state.intents, default=0) + 1
        self._next_sent = self.state.last_sent + 1
        if not self.state.show:
            self._write({"type": "show", **show_id})

    def _write(self, rec: dict[str, Any]) -> None:
        self.file.write(json.dumps(rec, ensure_ascii=False))

    def alarm(self) -> str | None:
        return self.file.alarm()

    def append_action(self, action: Action, effect: Effect | None = None) -> None:
        self._write(action_to_dict(action, effect, self.timeline))

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

    def sent(self, record: AsRunRecord, checkpoint: datetime | None = None) -> int:
        """A cue's commands went out: its as-run record so far, durable at once (with the
        checkpoint, if any, in the same fsync)."""
        with self._lock:
            n = self._next_sent
            self._next_sent += 1
        lines = [json.dumps({"type": "sent", "id": n, "record": record.to_json()},
                            ensure_ascii=False, default=str)]
        if checkpoint is not None:
            lines.append(json.dumps({"type": "checkpoint", "at": checkpoint.isoformat()}))
        self.file.write(*lines)
        return n

    def written(self, n: int) -> None:
        """The as-run line of ``sent`` record ``n`` is written. Not fsynced: lost in a crash,
        the restart finds the line in the as-run by its ``ref`` instead."""
        self.file.write(json.dumps({"type": "written", "id": n}), fsync=False)

    def done(self, intent: Intent, ok: bool, detail: str = "") -> None:
        self._write({"type": "done", "id": intent.id, "ok": ok, "detail": detail})

    def checkpoint(self, at: datetime) -> None:
        self._write({"type": "checkpoint", "at": at.isoformat()})

    def override(self, text: str | None) -> None:
        self._write({"type": "override", "text": text} if text else {"type": "resume"})

    def close(self) -> None:
        self.file.close()

"""The as-run log: one JSON line per cue and operator action, flushed and fsynced.

Fields of a line (``kind`` "cue" or "action"; "missed" lines for cues that fell due while
studio was not running; "info", "alarm", "indeterminate" and "override" notes; ``Kind``):

    kind, cue, scheduled, sent, confirmed, lateness_ms, confirm_ms, commands, result, who, text

``outcome`` says what really happened to a cue, one line per cue: ``confirmed`` (sent, and
OBS's events confirmed it), ``unconfirmed`` (sent, no confirmation: OBS did not, or studio
stopped first, then the line is written after the restart from the journal), ``withheld``
(not sent: a manual override kept the program scene, or OBS was not connected), ``missed``
(fell due while studio was not running), ``failed`` (OBS refused a command), ``unchanged``
(nothing to send).

Times are show times (ISO 8601 with offset). ``lateness_ms`` is real milliseconds from the
scheduled instant to the moment the commands were sent, ``confirm_ms`` to the OBS event that
confirmed them (program scene changed / scene item shown or hidden); in a rehearsal these are
what a live run would see, not scaled by the speed. A cue sent ahead of its instant by OBS's
recent answer time (send-ahead, ``studio.runner.sendahead``) has a negative ``lateness_ms`` and
says by how much in ``lead_ms``. Commands carry their reasons. Never the
password: nothing written here ever holds it.

Owns the as-run line as a value (``AsRunRecord``: its fields, their types and their one
serialisation, ``to_json``/``from_json``), the as-run file (``AsRunWriter``: appends, flushes,
fsyncs) and its reading and export (``studio as-run``); the records themselves are made by
``studio.runner.sending``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal, TypeGuard, TypeVar, get_args

from studio.engine.state import Command, CommandResult
from studio.runner.durable import LineFile
from studio.show.controls import printable

COLUMNS = (
    "kind", "cue", "scheduled", "sent", "confirmed", "lateness_ms", "confirm_ms", "lead_ms",
    "result", "who", "text", "commands", "outcome",
)


def command_to_dict(command: Command) -> dict[str, Any]:
    data: dict[str, Any] = {"command": type(command).__name__}
    for f in fields(command):
        if f.name != "reason":
            data[f.name] = getattr(command, f.name)
    data["reason"] = command.reason
    return data


def describe_command(command: Command) -> str:
    args = ", ".join(
        f"{f.name}={getattr(command, f.name)!r}" for f in fields(command) if f.name != "reason"
    )
    return f"{type(command).__name__}({args})"


def result_to_dict(result: CommandResult) -> dict[str, Any]:
    data = command_to_dict(result.command)
    data["ok"] = result.ok
    if not result.ok:
        data["code"] = result.code
        data["comment"] = result.comment
    data["elapsed_ms"] = round(result.elapsed_ms, 2)
    return data


Kind = Literal["cue", "action", "missed", "info", "alarm", "indeterminate", "override"]
NoteKind = Literal["info", "alarm", "indeterminate", "override"]  # a line that is only text
Outcome = Literal["confirmed", "unconfirmed", "withheld", "missed", "failed", "unchanged"]


@dataclass(frozen=True)
class AsRunRecord:
    """One line of the as-run, as a value. Five kinds of line, told apart by their fields; each
    has always been written with its own keys in its own order, and ``to_json`` keeps both
    (the as-run is a contract: ``studio as-run``, ``schemas/``, the views read it):

    - *sent*: a cue or action whose commands went out (``apply_ms`` set): every key up to
      ``who`` always (``confirmed``/``confirm_ms`` null until OBS confirms), then those of
      ``outcome``, ``withheld``, ``lead_ms``, ``rehearsal``, ``ref``, ``unconfirmed`` that are set;
      ``outcome`` comes right after ``who`` when it was known as the commands went out
      (``early_outcome``: withheld, failed), last when OBS's events decided it.
    - *late*: a cue that fell due while OBS was away, its state sent on reconnect (``sent`` set).
    - *never sent*: such a cue when studio stopped before OBS was back (no ``sent``).
    - *missed*: ``kind`` "missed", a cue that fell due while studio was not running.
    - *note*: ``kind`` one of ``NoteKind``: a line of text (an alarm, an override...).
    """

    kind: Kind
    text: str
    scheduled: datetime
    who: str = "auto"
    cue: str | None = None
    sent: datetime | None = None
    confirmed: datetime | None = None
    lateness_ms: float | None = None
    confirm_ms: float | None = None
    apply_ms: float | None = None  # set on a *sent* line only
    commands: tuple[dict[str, Any], ...] = ()  # ``result_to_dict`` of each command sent
    result: str | None = None
    outcome: Outcome | None = None
    withheld: tuple[str, ...] = ()  # commands OBS keeps refusing, not sent this time
    lead_ms: float | None = None  # sent this much ahead: OBS's answer time
    rehearsal: bool = False
    ref: int | None = None  # its ``sent`` line in the journal
    unconfirmed: tuple[str, ...] = ()  # the events that never came
    early_outcome: bool = False  # not a field of the line: where ``outcome`` goes in it

    def to_json(self) -> dict[str, Any]:
        """The line as a JSON object, its keys in the order the line has always had."""
        head: dict[str, Any] = {"kind": self.kind}
        if self.cue is not None:
            head["cue"] = self.cue
        head["text"] = self.text
        head["scheduled"] = self.scheduled.isoformat()
        if self.kind in get_args(NoteKind):
            return {**head, "who": self.who}
        if self.kind == "missed":
            return {**head, "result": self.result, "outcome": self.outcome,
                    "commands": list(self.commands), "who": self.who}
        if self.sent is None:  # never sent
            return {**head, "outcome": self.outcome, "commands": list(self.commands),
                    "who": self.who, "result": self.result}
        if self.apply_ms is None:  # late
            return {**head, "sent": self.sent.isoformat(), "lateness_ms": self.lateness_ms,
                    "result": self.result, "outcome": self.outcome,
                    "commands": list(self.commands), "who": self.who}
        data = {**head, "sent": self.sent.isoformat(),
                "confirmed": None if self.confirmed is None else self.confirmed.isoformat(),
                "lateness_ms": self.lateness_ms, "confirm_ms": self.confirm_ms,
                "apply_ms": self.apply_ms, "commands": list(self.commands),
                "result": self.result, "who": self.who}
        if self.outcome is not None and self.early_outcome:
            data["outcome"] = self.outcome
        optional = (("withheld", list(self.withheld) or None), ("lead_ms", self.lead_ms),
                    ("rehearsal", self.rehearsal or None), ("ref", self.ref),
                    ("unconfirmed", list(self.unconfirmed) or None))
        data.update((key, value) for key, value in optional if value is not None)
        if self.outcome is not None and not self.early_outcome:
            data["outcome"] = self.outcome
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AsRunRecord:
        """The record of a line ``to_json`` made (the journal keeps them); ``ValueError``
        saying which field is wrong for anything else."""
        kind, outcome = data.get("kind"), data.get("outcome")
        if not _is_kind(kind):
            raise ValueError(f"an as-run record of unknown kind {kind!r}")
        if not (outcome is None or _is_outcome(outcome)):
            raise ValueError(f"an as-run record with unknown outcome {outcome!r}")
        keys = list(data)
        early = ("outcome" in data and "apply_ms" in data
                 and keys.index("outcome") == keys.index("who") + 1)
        try:
            return cls(
                kind=kind, text=str(data["text"]), scheduled=_time(data["scheduled"]),
                who=str(data.get("who", "auto")), cue=_opt(str, data.get("cue")),
                sent=_opt(_time, data.get("sent")), confirmed=_opt(_time, data.get("confirmed")),
                lateness_ms=_opt(_number, data.get("lateness_ms")),
                confirm_ms=_opt(_number, data.get("confirm_ms")),
                apply_ms=_opt(_number, data.get("apply_ms")),
                commands=tuple(dict(c) for c in data.get("commands") or ()),
                result=_opt(str, data.get("result")), outcome=outcome,
                withheld=tuple(str(w) for w in data.get("withheld") or ()),
                lead_ms=_opt(_number, data.get("lead_ms")),
                rehearsal=bool(data.get("rehearsal", False)), ref=_opt(int, data.get("ref")),
                unconfirmed=tuple(str(u) for u in data.get("unconfirmed") or ()),
                early_outcome=early,
            )
        except KeyError as exc:
            raise ValueError(f"an as-run record without {exc.args[0]!r}") from None
        except (TypeError, ValueError) as exc:
            raise ValueError(f"an as-run record with a field of the wrong type: {exc}") from None


def _is_kind(value: object) -> TypeGuard[Kind]:
    return value in get_args(Kind)


def _is_outcome(value: object) -> TypeGuard[Outcome]:
    return value in get_args(Outcome)


def _time(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{value!r} is not a number")
    return value


T = TypeVar("T")


def _opt(convert: Callable[[Any], T], value: Any) -> T | None:
    return None if value is None else convert(value)


def fixed_offset(t: datetime) -> datetime:
    """``t`` with its UTC offset as a fixed zone: adding a duration to it gives the instant
    that much later (with a named zone, Python adds to the wall clock, wrong across a DST
    change), written with the offset ``t`` has."""
    return t.astimezone(timezone(t.utcoffset() or timedelta(0)))


class AsRunWriter:
    """Appends as-run records; every line is fsynced. Thread-safe. A write the disk refuses
    never raises: the line waits in memory and is written in order later
    (``studio.runner.durable``); ``alarm()`` says so meanwhile."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notes: list[str] = []  # said to the operator at startup (a torn last line)
        _end_last_line(path, self.notes)
        self.file = LineFile(path, "as-run")

    def write(self, record: AsRunRecord) -> None:
        self.file.write(json.dumps(record.to_json(), ensure_ascii=False, default=str))

    def alarm(self) -> str | None:
        return self.file.alarm()

    def close(self) -> None:
        self.file.close()


def _end_last_line(path: Path, notes: list[str]) -> None:
    """A last line without its newline (a crash while it was written) gets one before anything
    is appended, so the next line is never glued onto it. A torn line is *kept*, on its own
    line: the as-run is the show's record and studio never takes bytes out of it (the journal
    cuts its torn tail; its lines are only studio's own bookkeeping). ``studio as-run`` leaves
    the torn line out with a warning naming it; a cue whose line it was has its line written
    again from the journal after the restart unless the journal says it was written."""
    try:
        data = path.read_bytes()
    except OSError:
        return  # not there yet (or unreadable: LineFile says so)
    if not data or data.endswith(b"\n"):
        return
    tail = data[data.rfind(b"\n") + 1:]
    try:
        whole = isinstance(json.loads(tail.decode("utf-8")), dict)
    except ValueError:
        whole = False
    with path.open("ab") as fh:
        fh.write(b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    if not whole:
        lineno = data.count(b"\n") + 1
        notes.append(f"as-run {path}:{lineno}: the last line was cut short by "
                     f"a crash ({len(tail)} bytes): kept on its own line (studio as-run leaves "
                     "it out with a warning); new lines go after it")


class AsRunFormatError(Exception):
    """An as-run file that cannot be read: ``PATH:LINE: message``."""


def read_asrun(path: Path, notes: list[str] | None = None) -> list[dict[str, Any]]:
    """The records of an as-run log. A torn last line (a crash mid-write) is left out and said
    in ``notes``; anything else that is not an as-run line raises ``AsRunFormatError`` naming
    the file and line (a binary file, another kind of file, a field of the wrong type).

    Plain JSON objects, not ``AsRunRecord``: the export shows every line as it is in the file,
    also one an older studio (or a hand) wrote with keys or values no record has; the only
    other reader (the restart's ``ref`` look-up) needs one key."""
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    last = max((n for n, line in enumerate(lines, 1) if line.strip()), default=0)
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            cut = _cut_short(line, exc)
            if n == last and cut:  # a torn last line after a crash
                if notes is not None:
                    notes.append(f"{path}:{n}: the last line is cut short (a crash while it "
                                 f"was written?): left out{_whose(line)}")
                break
            if cut:  # torn by a crash, then the restart went on after it on a new line
                if notes is not None:
                    notes.append(f"{path}:{n}: a line cut short (a crash while it was "
                                 f"written?): left out{_whose(line)}")
                continue
            glued = _glued(line)
            if glued is None:
                raise AsRunFormatError(f"{path}:{n}: not an as-run line (not JSON, column "
                                       f"{getattr(exc, 'colno', 1)})") from None
            torn, rec = glued  # an older studio wrote the next line onto a torn one
            if notes is not None:
                notes.append(f"{path}:{n}: begins with a line cut short (a crash while it was "
                             f"written?): that part left out{_whose(torn)}, the line after it "
                             "shown")
        problem = _problem(rec)
        if problem:
            raise AsRunFormatError(f"{path}:{n}: not an as-run line: {problem}{_hint(path, rec)}")
        records.append(rec)
    return records


def _whose(line: str) -> str:
    """Which cue a torn line was about, as far as it still says (its bytes stay in the file)."""
    cue = re.search(r'"cue": ("(?:[^"\\]|\\.)*")', line)
    when = re.search(r'"scheduled": "([^"]*)"', line)
    parts = []
    if cue:
        with contextlib.suppress(ValueError):
            parts.append(f"cue {json.loads(cue.group(1))!r}")
    if when:
        parts.append(f"scheduled {_short_time(when.group(1))}")
    return f" ({', '.join(parts)})" if parts else ""


def _glued(line: str) -> tuple[str, Any] | None:
    """The torn line and the whole one after it, when ``line`` is the two glued together (what
    an older studio's restart made of a line a crash cut short); None for anything else."""
    at = line.find('{"kind": ', 1)
    if at < 0:
        return None
    try:
        json.loads(line[:at])
    except ValueError as exc:
        if not _cut_short(line[:at], exc):
            return None
    else:
        return None
    try:
        return line[:at], json.loads(line[at:])
    except ValueError:
        return None


def _cut_short(line: str, exc: ValueError) -> bool:
    """An as-run line (they all begin with its ``kind``) that stops before its end: the JSON
    decoder ran out of text (in a string, or where a value, a key or a comma was to come)."""
    head = '{"kind": '
    if head.startswith(line.rstrip()):
        return True
    if not line.startswith(head) or not isinstance(exc, json.JSONDecodeError):
        return False
    rest = line[exc.pos:].rstrip()
    return (exc.msg.startswith("Unterminated string") or not rest.strip("0123456789.eE+-")
            or any(word.startswith(rest) for word in ("true", "false", "null")))


def _hint(path: Path, rec: object) -> str:
    """The journal sits next to the as-run with a similar name: say which file was meant."""
    if not (isinstance(rec, dict) and "type" in rec):
        return ""
    if path.name.endswith(".journal.jsonl"):
        meant = path.with_name(path.name.removesuffix(".journal.jsonl") + ".asrun.jsonl")
        return f" (this is a journal: the as-run log is {meant})"
    return " (it looks like a journal, not an as-run log)"


_NUMBERS = ("lateness_ms", "confirm_ms", "lead_ms", "apply_ms")


def _problem(rec: object) -> str | None:
    if not isinstance(rec, dict):
        return f"a JSON {type(rec).__name__}, not an object"
    if not isinstance(rec.get("kind"), str):
        return "no \"kind\""
    for key in _NUMBERS:
        value = rec.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            return f"{key} is not a number"
    commands = rec.get("commands")
    if commands is not None and not (
            isinstance(commands, list) and all(isinstance(c, dict) for c in commands)):
        return "commands is not a list of objects"
    return None


def _flat(rec: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in COLUMNS:
        value = rec.get(col)
        if col == "commands":
            out[col] = "; ".join(
                f"{c.get('command')}: {c.get('reason', '')}" + ("" if c.get("ok", True) else
                                                               f" [failed {c.get('code')}]")
                for c in (value or [])
            )
        else:
            out[col] = "" if value is None else str(value)
    return out


def export(records: Sequence[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(list(records), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for rec in records:
            writer.writerow(_flat(rec))
        return buf.getvalue()
    return _table(records)


def _short_time(value: Any) -> str:
    """HH:MM:SS, rounded to the nearest second (a cue sent 1 ms early reads as on time)."""
    text = str(value or "")
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        return text[11:19] if len(text) >= 19 else text
    return (t + timedelta(microseconds=500_000)).strftime("%H:%M:%S")


def _table(records: Sequence[dict[str, Any]]) -> str:
    header = ("SCHEDULED", "SENT", "LATE ms", "CONFIRM ms", "KIND", "WHO", "CUE", "RESULT", "WHAT")
    rows = [header]
    for rec in records:
        what = rec.get("text") or "; ".join(
            c.get("reason", "") for c in rec.get("commands") or []
        )
        rows.append(
            (
                _short_time(rec.get("scheduled")),
                _short_time(rec.get("sent")),
                "" if rec.get("lateness_ms") is None else f"{rec['lateness_ms']:.1f}",
                "" if rec.get("confirm_ms") is None else f"{rec['confirm_ms']:.1f}",
                str(rec.get("kind", "")),
                str(rec.get("who", "")),
                str(rec.get("cue", "")),
                str(rec.get("result", "")),
                str(what),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    lines = []
    for r in rows:
        cells = [r[i].ljust(widths[i]) for i in range(len(widths))]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    return "\n".join(printable(line) for line in lines) + "\n"  # a terminal view: no raw ESC

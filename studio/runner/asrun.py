"""The as-run log: one JSON line per cue and operator action, flushed and fsynced.

Fields of a line (``kind`` "cue" or "action"; "missed" and "info" lines for cues that fell due
while studio or OBS was away and for notes such as an indeterminate stream start):

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

Owns the as-run file (``AsRunWriter``: appends, flushes, fsyncs) and its reading and export
(``studio as-run``); the records themselves are made by ``studio.runner.sending``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

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


class AsRunWriter:
    """Appends as-run records; every line is fsynced. Thread-safe. A write the disk refuses
    never raises: the line waits in memory and is written in order later
    (``studio.runner.durable``); ``alarm()`` says so meanwhile."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = LineFile(path, "as-run")

    def write(self, record: dict[str, Any]) -> None:
        self.file.write(json.dumps(record, ensure_ascii=False, default=str))

    def alarm(self) -> str | None:
        return self.file.alarm()

    def close(self) -> None:
        self.file.close()


class AsRunFormatError(Exception):
    """An as-run file that cannot be read: ``PATH:LINE: message``."""


def read_asrun(path: Path, notes: list[str] | None = None) -> list[dict[str, Any]]:
    """The records of an as-run log. A torn last line (a crash mid-write) is left out and said
    in ``notes``; anything else that is not an as-run line raises ``AsRunFormatError`` naming
    the file and line (a binary file, another kind of file, a field of the wrong type)."""
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            if n == len(lines) and records:  # a torn last line after a crash
                if notes is not None:
                    notes.append(f"{path}:{n}: the last line is cut short (a crash while it "
                                 "was written?): left out")
                break
            raise AsRunFormatError(f"{path}:{n}: not an as-run line: {exc}") from None
        problem = _problem(rec)
        if problem:
            raise AsRunFormatError(f"{path}:{n}: not an as-run line: {problem}{_hint(path, rec)}")
        records.append(rec)
    return records


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

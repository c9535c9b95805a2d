"""The as-run log: one JSON line per cue and operator action, flushed and fsynced.

Fields of a line (``kind`` "cue" or "action"; "missed" and "info" lines for cues that fell due
while studio or OBS was away and for notes such as an indeterminate stream start):

    kind, cue, scheduled, sent, confirmed, lateness_ms, confirm_ms, commands, result, who, text

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
import os
import threading
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, TextIO

from studio.engine.state import Command, CommandResult
from studio.show.controls import printable

COLUMNS = (
    "kind", "cue", "scheduled", "sent", "confirmed", "lateness_ms", "confirm_ms", "lead_ms",
    "result", "who", "text", "commands",
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
    """Appends as-run records; every line is flushed and fsynced. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: TextIO = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            if self._fh.closed:
                return
            self._fh.write(line + "\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.close()


class AsRunFormatError(Exception):
    """An as-run file that cannot be read: ``PATH:LINE: message``."""


def read_asrun(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            if n == len(lines):  # a torn last line after a crash
                break
            raise AsRunFormatError(f"{path}:{n}: not an as-run line: {exc}") from None
        if not isinstance(rec, dict):
            raise AsRunFormatError(f"{path}:{n}: not an as-run line")
        records.append(rec)
    return records


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
    text = str(value or "")
    return text[11:19] if len(text) >= 19 else text


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

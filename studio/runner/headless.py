"""Headless running: one line per cue, action and connection change; a summary at the end.

Runs until the show ends or SIGINT/SIGTERM (a clean shutdown either way, exit 0). Operator
commands may be typed (or piped) on stdin, one per line: take, hold, release, skip, back,
nudge +30, fire, clear, overlay ID, preview, reassert.

Owns the terminal of ``--headless``: the printed lines, the stdin command reader, the end-of-show
summary and the SIGINT/SIGTERM handling.
"""

from __future__ import annotations

import re
import signal
import statistics
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from types import FrameType
from typing import TextIO

from studio.engine.actions import ACTION_TYPES, Action, Nudge, ToggleOverlay
from studio.engine.validate import nudge_problem
from studio.runner.api import LogEntry
from studio.runner.controller import Controller
from studio.runner.sending import Stats

LABELS = {
    "cue": "CUE", "action": "ACTION", "late": "LATE", "error": "ERROR", "override": "OVERRIDE",
    "info": "INFO", "connection": "OBS",
}


def format_entry(entry: LogEntry) -> str:
    return f"{entry.at:%H:%M:%S}  {LABELS.get(entry.kind, entry.kind.upper()):<8} {entry.text}"


def line_printer(out: TextIO) -> Callable[[LogEntry], None]:
    lock = threading.Lock()

    def emit(entry: LogEntry) -> None:
        with lock:
            out.write(format_entry(entry) + "\n")
            out.flush()

    return emit


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[int(q) - 1]


def summary(stats: Stats, waiting: int = 0) -> list[str]:
    on_time = stats.cues - stats.late
    lines = [
        f"{stats.cues} cue(s): {on_time} on time, {stats.late} late, {stats.missed} missed, "
        f"{stats.failed} with a failed command; {stats.actions} operator action(s)"
    ]
    if waiting:
        lines.append(f"{waiting} cue(s) fell due while OBS was away and never reached it")
    if stats.lateness_ms:
        v = sorted(stats.lateness_ms)
        lines.append(
            "sent vs scheduled (negative: sent ahead): "
            f"median {statistics.median(v):.1f} ms, "
            f"p99 {_pct(v, 99):.1f} ms, max {v[-1]:.1f} ms"
        )
    if stats.confirm_ms:
        v = sorted(stats.confirm_ms)
        lines.append(
            f"on air (OBS confirmed, transitions included): median {statistics.median(v):.1f} ms, "
            f"p99 {_pct(v, 99):.1f} ms, max {v[-1]:.1f} ms"
        )
    return lines


def parse_command(line: str, now: datetime) -> Action:
    """One operator command typed on stdin: ``take``, ``hold``, ``release``, ``skip``, ``back``,
    ``nudge +30`` (seconds), ``fire``, ``clear``, ``overlay ID``, ``preview``, ``reassert``."""
    words = line.split()
    if not words:
        raise ValueError("empty command")
    name = {"toggle": "toggleoverlay", "overlay": "toggleoverlay",
            "preview": "previewnext"}.get(words[0].lower(), words[0].lower())
    cls = ACTION_TYPES.get(name)
    if cls is None:
        raise ValueError(f"unknown command {words[0]!r}: use " + ", ".join(COMMANDS))
    if cls is Nudge:
        if len(words) != 2 or not re.fullmatch(r"[+-]?[0-9]{1,30}", words[1]):
            raise ValueError("nudge needs seconds, e.g. nudge +30 or nudge -15")
        problem = nudge_problem(int(words[1]))
        if problem is not None:
            raise ValueError(f"nudge {words[1]} refused: {problem}")
        return Nudge(at=now, who="operator", seconds=int(words[1]))
    if cls is ToggleOverlay:
        if len(words) != 2:
            raise ValueError("overlay needs an overlay id, e.g. overlay live-bug")
        return ToggleOverlay(at=now, who="operator", overlay=words[1])
    return cls(at=now, who="operator")


COMMANDS = ("take", "hold", "release", "skip", "back", "nudge +N|-N", "fire", "clear",
            "overlay ID", "preview", "reassert")


def read_commands(controller: Controller, stream: TextIO, out: TextIO) -> None:
    """Operator commands from stdin (a terminal, a pipe, a FIFO), one per line, until EOF."""
    for line in stream:
        if not line.strip():
            continue
        try:
            controller.submit(parse_command(line, controller.clock.now()))
        except ValueError as exc:
            out.write(f"{controller.clock.now():%H:%M:%S}  ERROR    {exc}\n")
            out.flush()


def run_headless(controller: Controller, out: TextIO = sys.stdout,
                 commands: TextIO | None = None) -> int:
    """Start the controller, wait for the show's end or a signal, stop cleanly. Operator
    commands are read from ``commands`` (stdin) when given."""
    quit_ = threading.Event()
    reason = ["the show has ended"]

    def on_signal(signum: int, frame: FrameType | None) -> None:
        reason[0] = f"stopped by {signal.Signals(signum).name}"
        quit_.set()

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    controller.subscribe(lambda: quit_.set() if controller.finished.is_set() else None)
    try:
        controller.start()
        if commands is not None:
            threading.Thread(target=read_commands, args=(controller, commands, out),
                             name="studio-stdin", daemon=True).start()
        while not quit_.wait(0.5):
            pass
    finally:
        controller.stop()
        for s, handler in old.items():
            signal.signal(s, handler)
    end = controller.clock.now()
    out.write(f"{end:%H:%M:%S}  END      {reason[0]}\n")
    for line in summary(controller.sender.stats, waiting=len(controller.sender.late)):
        out.write(f"{'':8}  {'':8} {line}\n")
    out.flush()
    return 0

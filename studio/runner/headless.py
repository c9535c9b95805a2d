"""Headless running: one line per cue, action and connection change; a summary at the end.

Runs until the show ends or SIGINT/SIGTERM/SIGHUP (a clean shutdown either way, exit 0).
stdout may go away (``| head``, a closed terminal, a full disk): the show goes on regardless.
Operator commands may be typed (or piped) on stdin, one per line: take, hold, release, skip,
back, nudge +30, fire, clear, overlay ID, preview, reassert; and reconnect (to OBS, at once).

Owns the terminal of ``--headless``: the printed lines, the stdin command reader, the end-of-show
summary and the SIGINT/SIGTERM/SIGHUP handling.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import sys
import threading
from collections.abc import Callable
from datetime import datetime, tzinfo
from types import FrameType
from typing import Any, TextIO

from studio import termcolour
from studio.runner.api import LogEntry
from studio.runner.commands import parse_command
from studio.runner.controller import Controller
from studio.runner.sending import Stats
from studio.show.timing import wall_clock

LABELS = {
    "cue": "CUE", "action": "ACTION", "late": "LATE", "error": "ERROR", "override": "OVERRIDE",
    "info": "INFO", "connection": "OBS",
}


class SafeOutput:
    """A text stream whose write errors are dropped, never raised: the output is for people,
    the show must not depend on it. After EPIPE (the reader is gone for good) nothing more is
    tried and the descriptor is pointed at /dev/null, so Python's flush at exit is quiet."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.broken = False
        self.lost = 0  # writes dropped

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self._out.write(text)
                return len(text)
            except (OSError, ValueError) as exc:
                self._failed(exc)
        self.lost += 1
        return len(text)

    def flush(self) -> None:
        if self.broken:
            return
        try:
            self._out.flush()
        except (OSError, ValueError) as exc:
            self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, BrokenPipeError | ValueError):  # EPIPE, or a closed stream
            self.broken = True
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, self._out.fileno())
                os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


def protect_stdout() -> None:
    """``sys.stdout`` as a ``SafeOutput`` (headless runs: every print after this is safe).
    A process started with its stdout closed (Python's ``sys.stdout`` is None) writes to
    /dev/null instead: the show never depends on someone reading it."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the process)
    if not isinstance(sys.stdout, SafeOutput):
        sys.stdout = SafeOutput(sys.stdout)


COLOURS = {"error": "error", "late": "late", "override": "override", "connection": "info",
           "action": "ok"}


def format_entry(entry: LogEntry, colour: bool = False, tz: tzinfo | None = None) -> str:
    """``HH:MM:SS  LABEL    text``; in the autumn's repeated hour of the show's zone ``tz`` the
    time carries its UTC offset (``02:30:00+02``, later ``02:30:00+01``)."""
    label = f"{LABELS.get(entry.kind, entry.kind.upper()):<8}"
    if colour and entry.kind in COLOURS:
        label = termcolour.paint(label, COLOURS[entry.kind], True)
    return f"{wall_clock(entry.at, tz)}  {label} {entry.text}"


class LinePrinter:
    """One line per entry; the label in colour on a terminal (never piped, never NO_COLOR).
    ``zone``: the show's zone (for the offset in the repeated hour; the command line passes
    it), None: no offsets."""

    def __init__(self, out: TextIO, zone: tzinfo | None = None) -> None:
        self.out = out
        self.zone = zone
        self._lock = threading.Lock()
        self._colour = termcolour.enabled(out)

    def __call__(self, entry: LogEntry) -> None:
        with self._lock, contextlib.suppress(OSError, ValueError):
            self.out.write(format_entry(entry, self._colour, self.zone) + "\n")
            self.out.flush()


def line_printer(out: TextIO, zone: tzinfo | None = None) -> Callable[[LogEntry], None]:
    """The ``on_log`` of a headless run: see ``LinePrinter``."""
    return LinePrinter(out, zone)


def _stamp(controller: Controller, t: datetime) -> str:
    return wall_clock(t, controller.timeline.tz)


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[int(q) - 1]


def summary(stats: Stats, waiting: int = 0, assumed: int = 0) -> list[str]:
    on_time = stats.cues - stats.late
    lines = [
        f"{stats.cues} cue(s): {on_time} on time, {stats.late} late, {stats.missed} missed, "
        f"{stats.failed} with a failed command; {stats.actions} operator action(s)"
        + (f", {assumed} TAKE(s) assumed by the rehearsal" if assumed else "")
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


def read_commands(controller: Controller, stream: TextIO, out: TextIO) -> None:
    """Operator commands from stdin (a terminal, a pipe, a FIFO), one per line, until EOF."""
    for line in stream:
        if not line.strip():
            continue
        if line.strip().lower() == "reconnect":  # not a show action: never journalled
            controller.reconnect()
            continue
        try:
            controller.submit(parse_command(line, controller.clock.now(), ("reconnect",)))
        except ValueError as exc:
            with contextlib.suppress(OSError, ValueError):
                out.write(f"{_stamp(controller, controller.clock.now())}  ERROR    {exc}\n")
                out.flush()


def run_headless(controller: Controller, out: TextIO | None = None,
                 commands: TextIO | None = None) -> int:
    """Start the controller, wait for the show's end or a signal, stop cleanly. Operator
    commands are read from ``commands`` (stdin) when given. ``out`` is ``sys.stdout`` as it is
    at the call (after ``protect_stdout``), not as it was when this module was imported."""
    if out is None:
        out = sys.stdout
    quit_ = threading.Event()
    reason, who = ["the show has ended"], ["signal"]  # who: the as-run's, for a stop

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # an operator's stop comes as the SIGTERM the service sends itself: say who asked
        reason[0], who[0] = controller.stop_request or (
            f"stopped by {signal.Signals(signum).name}", "signal")
        quit_.set()

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    controller.subscribe(lambda: quit_.set() if controller.finished.is_set() else None)
    try:
        controller.start()
        if commands is not None:
            threading.Thread(target=read_commands, args=(controller, commands, out),
                             name="studio-stdin", daemon=True).start()
        while not quit_.wait(0.5):
            pass
    finally:
        stopped = quit_.is_set() and not controller.finished.is_set()  # not the show's end
        controller.stop(reason[0] if stopped else None, who[0])
        for s, handler in old.items():
            signal.signal(s, handler)
    end = controller.clock.now()
    with contextlib.suppress(OSError, ValueError):
        out.write(f"{_stamp(controller, end)}  END      {reason[0]}\n")
        assumed = sum(1 for a in controller.actions if a.who == "auto")  # a rehearsal's TAKEs
        for line in summary(controller.sender.stats, waiting=len(controller.sender.late),
                            assumed=assumed):
            out.write(f"{'':8}  {'':8} {line}\n")
        out.flush()
    return 0

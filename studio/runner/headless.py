"""Headless running: one line per cue, action and connection change; a summary at the end.

Runs until the show ends or SIGINT/SIGTERM (a clean shutdown either way, exit 0).
"""

from __future__ import annotations

import signal
import statistics
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import TextIO

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


def summary(stats: Stats) -> list[str]:
    on_time = stats.cues - stats.late
    lines = [
        f"{stats.cues} cue(s): {on_time} on time, {stats.late} late, {stats.missed} missed, "
        f"{stats.failed} with a failed command; {stats.actions} operator action(s)"
    ]
    if stats.lateness_ms:
        v = sorted(stats.lateness_ms)
        lines.append(
            f"sent after the scheduled time: median {statistics.median(v):.1f} ms, "
            f"p99 {_pct(v, 99):.1f} ms, max {v[-1]:.1f} ms"
        )
    if stats.confirm_ms:
        v = sorted(stats.confirm_ms)
        lines.append(
            f"on air (OBS confirmed, transitions included): median {statistics.median(v):.1f} ms, "
            f"p99 {_pct(v, 99):.1f} ms, max {v[-1]:.1f} ms"
        )
    return lines


def run_headless(controller: Controller, out: TextIO = sys.stdout) -> int:
    """Start the controller, wait for the show's end or a signal, stop cleanly."""
    quit_ = threading.Event()
    reason = ["the show has ended"]

    def on_signal(signum: int, frame: FrameType | None) -> None:
        reason[0] = f"stopped by {signal.Signals(signum).name}"
        quit_.set()

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    controller.subscribe(lambda: quit_.set() if controller.finished.is_set() else None)
    try:
        controller.start()
        while not quit_.wait(0.5):
            pass
    finally:
        controller.stop()
        for s, handler in old.items():
            signal.signal(s, handler)
    end = controller.clock.now()
    out.write(f"{end:%H:%M:%S}  END      {reason[0]}\n")
    for line in summary(controller.sender.stats):
        out.write(f"{'':8}  {'':8} {line}\n")
    out.flush()
    return 0

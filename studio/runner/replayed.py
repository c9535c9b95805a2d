"""Saying how a journal was replayed onto a changed show file (``studio.engine.replay``): one
warning line, then one line per action made on the earlier file (replayed onto which segment,
or dropped and why, naming the action's own time), in the log and as as-run notes. Nothing is said
when the file is unchanged (the actions replay as they are, as ever).

Owns no state."""

from __future__ import annotations

from pathlib import Path

from studio.engine.replay import Replay, line
from studio.engine.timeline import Timeline
from studio.engine.validate import local_time
from studio.runner.api import Log
from studio.runner.sending import Sender


def report_replay(timeline: Timeline, replay: Replay, journal: Path, *, log: Log,
                  sender: Sender) -> None:
    if not replay.changed:
        return
    first, last = replay.changed[0].action, replay.changed[-1].action
    when = local_time(timeline, first)
    if last is not first:
        when += f"-{local_time(timeline, last)}"
    text = (f"journal {journal}: the show file changed since its {len(replay.changed)} "
            f"action(s) of {when} were made: journalled actions replayed by segment")
    log("error", text)
    sender.note("info", text)
    said = [(a, f"replayed: {why}") for a, why in replay.by_segment]
    said += [(a, f"dropped: {why}") for a, why in replay.dropped]
    for action, what in sorted(said, key=lambda p: p[0].at):
        text = f"journal: {line(timeline, action, what)}"
        log("error" if what.startswith("dropped") else "info", text)
        sender.note("info", text)

"""Coming back after a crash or downtime: report, never replay.

Cues that fell due while studio was not running are listed as missed (the state for *now* is sent
instead, only what differs); stream/record requests journalled without an answer are reported as
indeterminate and never repeated.

Owns no state: it logs through the log it is given and writes missed and indeterminate lines
through the sender. (The at-most-once guard for stream/record is studio.runner.atmostonce.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from studio.engine.actions import Action
from studio.engine.timeline import Timeline
from studio.runner.api import Log
from studio.runner.cues import change_instants, cue_label
from studio.runner.journal import Intent
from studio.runner.ports import project
from studio.runner.sending import Sender


def report_indeterminate(intents: Sequence[Intent], *, log: Log, sender: Sender) -> None:
    for intent in intents:
        text = (f"indeterminate: {intent.describe()}, result unknown (studio stopped before "
                "OBS answered); not repeated: check OBS")
        log("error", text)
        sender.note("indeterminate", text, at=intent.at)


def report_missed(timeline: Timeline, actions: Sequence[Action], since: datetime, now: datetime,
                  why: str, *, log: Log, sender: Sender) -> None:
    before = project(timeline, actions, since)
    for at, proj in change_instants(timeline, actions, since, now):
        cue, text = cue_label(before, proj)
        before = proj
        sender.missed(cue, text, at, why)
        log("late", f"missed {why}: {text}; not replayed", at=at)

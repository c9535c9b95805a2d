"""Coming back after a crash or downtime: report, never replay.

Cues that fell due while studio was not running are listed as missed (the state for *now* is sent
instead, only what differs); stream/record requests journalled without an answer are reported as
indeterminate and never repeated.

Owns no state: it logs through the controller and writes missed and indeterminate lines
through the sender. (The at-most-once guard for stream/record is studio.runner.atmostonce.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from studio.runner.cues import change_instants, cue_label
from studio.runner.journal import Intent
from studio.runner.ports import project

if TYPE_CHECKING:
    from studio.runner.controller import Controller



def report_indeterminate(ctl: Controller, intents: Sequence[Intent]) -> None:
    for intent in intents:
        text = (f"indeterminate: {intent.describe()}, result unknown (studio stopped before "
                "OBS answered); not repeated: check OBS")
        ctl.log("error", text)
        ctl.sender.note("indeterminate", text, at=intent.at)


def report_missed(ctl: Controller, since: datetime, now: datetime, why: str) -> None:
    before = project(ctl.timeline, ctl.actions, since)
    for at, proj in change_instants(ctl.timeline, ctl.actions, since, now):
        cue, text = cue_label(before, proj)
        before = proj
        ctl.sender.missed(cue, text, at, why)
        ctl.log("late", f"missed {why}: {text}; not replayed", at=at)

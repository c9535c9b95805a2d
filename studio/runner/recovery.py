"""Coming back after a crash or downtime: report, never replay.

Cues that fell due while studio was not running are listed as missed (the state for *now* is sent
instead, only what differs); stream/record requests journalled without an answer are reported as
indeterminate and never repeated.

Owns no state: it logs through the controller and writes the sender's ``requested`` and ``intents``
and the journal's intents.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from studio.engine.projection import Projection
from studio.engine.state import Command, SetRecording, SetStreaming
from studio.runner import engine_glue
from studio.runner.cues import change_instants, cue_label, side_effect_key
from studio.runner.journal import Intent

if TYPE_CHECKING:
    from studio.runner.controller import Controller

CRASH_HOOK_ENV = "STUDIO_TEST_CRASH_AFTER_INTENT"  # tests only: exit right after journalling


def report_indeterminate(ctl: Controller, intents: Sequence[Intent]) -> None:
    for intent in intents:
        text = (f"indeterminate: {intent.describe()}, result unknown (studio stopped before "
                "OBS answered); not repeated: check OBS")
        ctl.log("error", text)
        ctl.sender.note("indeterminate", text, at=intent.at)


def report_missed(ctl: Controller, since: datetime, now: datetime, why: str) -> None:
    before = engine_glue.evaluate(ctl.timeline, ctl.actions, since)
    for at, proj in change_instants(ctl.timeline, ctl.actions, since, now):
        cue, text = cue_label(before, proj)
        before = proj
        ctl.sender.missed(cue, text, at, why)
        ctl.log("late", f"missed {why}: {text}; not replayed", at=at)


def at_most_once(ctl: Controller, commands: list[Command], proj: Projection,
                 now: datetime) -> list[Command]:
    """Stream/record start and stop at most once per cue: journal the intent before the
    request; a request made before (done, failed or indeterminate) is never repeated."""
    out: list[Command] = []
    for cmd in commands:
        if isinstance(cmd, SetStreaming | SetRecording):
            what = "stream" if isinstance(cmd, SetStreaming) else "record"
            key = (what, cmd.active, _asked_by(proj, what))
            if key in ctl.sender.requested:
                ctl.sender.not_repeated(key)
                continue
            if not ctl._connected_now():
                continue
            ctl.sender.requested.add(key)
            if ctl.journal is not None:
                intent = ctl.journal.intent(what, cmd.active, key[2], now)
                ctl.sender.intents.append((cmd, intent))
                if os.environ.get(CRASH_HOOK_ENV):
                    os._exit(70)  # test hook: the crash between journal and request
        out.append(cmd)
    return out



ASKED_BY = "asked for by segment "


def _asked_by(proj: Projection, what: str) -> str:
    """The segment whose ``stream:``/``record:`` asks for the request: a restart (or a lost
    stream) in a later segment is still the same request, never made again."""
    cause = proj.causes.get("streaming" if what == "stream" else "recording", "")
    return cause[len(ASKED_BY):] if cause.startswith(ASKED_BY) else side_effect_key(proj)

"""Stream and record start/stop at most once per cue: the guard in front of those requests.

A stream or recording started twice (or stopped twice) is something viewers notice, and after a
crash studio cannot know whether OBS got the request. So each such request is journalled as an
intent before it is made and marked done after; one made before (done, failed, or journalled
without an answer: indeterminate) is never made again, and the operator is told once.

Owns the requests already made (``requested``: from the journal on a restart, and this run's),
the intents journalled for the commands about to go out (``intents``, finished by ``finish``
once OBS answered) and which repeats it has told about. Writes the journal's intents.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime

from studio.engine.projection import Projection
from studio.engine.state import Command, CommandResult, SetRecording, SetStreaming
from studio.runner.api import LogKind
from studio.runner.asrun import NoteKind
from studio.runner.cues import side_effect_key
from studio.runner.journal import Intent, Journal

CRASH_HOOK_ENV = "STUDIO_TEST_CRASH_AFTER_INTENT"  # tests only: exit right after journalling
ASKED_BY = "asked for by segment "

RequestKey = tuple[str, bool, str]  # ("stream" | "record", start?, the cue it belongs to)


class AtMostOnce:
    def __init__(self, journal: Journal | None, *, log: Callable[[LogKind, str], None],
                 note: Callable[[NoteKind, str], None]) -> None:
        self._journal = journal
        self._log = log
        self._note = note  # an as-run note line (kind, text)
        self.requested: set[RequestKey] = (
            journal.state.requested_keys() if journal is not None else set())
        self._request_times = (
            {(i.what, i.active, i.key): i for i in journal.state.intents.values()}
            if journal is not None else {})
        self.intents: list[tuple[Command, Intent]] = []
        self._told: set[RequestKey] = set()

    def admit(self, commands: list[Command], proj: Projection, now: datetime, *,
              connected: bool) -> list[Command]:
        """The commands that may go out: a stream/record request made before is left out, one
        made now is journalled first (and none is made while OBS is not connected)."""
        out: list[Command] = []
        for cmd in commands:
            if isinstance(cmd, SetStreaming | SetRecording):
                what = "stream" if isinstance(cmd, SetStreaming) else "record"
                key = (what, cmd.active, asked_by(proj, what))
                if key in self.requested:
                    self._not_repeated(key)
                    continue
                if not connected:
                    continue
                self.requested.add(key)
                if self._journal is not None:
                    intent = self._journal.intent(what, cmd.active, key[2], now)
                    self.intents.append((cmd, intent))
                    if os.environ.get(CRASH_HOOK_ENV):
                        os._exit(70)  # test hook: the crash between journal and request
            out.append(cmd)
        return out

    def finish(self, results: list[CommandResult]) -> None:
        """OBS answered (or the commands were not sent): each journalled intent is done."""
        for cmd, intent in self.intents:
            res = next((r for r in results if r.command is cmd), None)
            ok = bool(res and res.ok)
            detail = "" if res is None else res.comment
            if self._journal is not None:
                self._journal.done(intent, ok, detail)
            if not ok:
                self._log("error", f"{intent.describe()} and failed: {detail or 'not sent'}; "
                                   "not repeated")
        self.intents.clear()

    def _not_repeated(self, key: RequestKey) -> None:
        if key in self._told:
            return
        self._told.add(key)
        intent = self._request_times.get(key)
        when = f" at {intent.at:%H:%M:%S}" if intent else ""
        what, active, _ = key
        text = (f"{what} {'start' if active else 'stop'} was already requested{when}: "
                "not repeated (at most once); check OBS and act by hand if needed")
        self._log("error", text)
        self._note("info", text)


def asked_by(proj: Projection, what: str) -> str:
    """The segment whose ``stream:``/``record:`` asks for the request: a restart (or a lost
    stream) in a later segment is still the same request, never made again."""
    cause = proj.causes.get("streaming" if what == "stream" else "recording", "")
    return cause[len(ASKED_BY):] if cause.startswith(ASKED_BY) else side_effect_key(proj)

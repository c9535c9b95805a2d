"""Sending a cue's commands and writing what happened: the as-run line (an ``AsRunRecord``,
built here and nowhere else) and the log line.

Runs on the controller's thread only. Lateness is real milliseconds (show-time difference divided
by the clock's speed), so a rehearsal reports what a live run would see.

Owns the cues that fell due while OBS was away (``late``) and the run's ``Stats``; the
cues waiting for OBS's confirming event are the tracker's. It reaches the gateway, tracker,
send-ahead and journal it is given, never the controller.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from studio.clock import Clock
from studio.engine.projection import Projection
from studio.engine.state import Command, CommandResult
from studio.runner.api import Log, LogKind
from studio.runner.asrun import (
    AsRunRecord,
    AsRunWriter,
    NoteKind,
    Outcome,
    describe_command,
    fixed_offset,
    read_asrun,
    result_to_dict,
)
from studio.runner.atmostonce import AtMostOnce
from studio.runner.journal import Journal
from studio.runner.messages import Cause
from studio.runner.ports import Gateway
from studio.runner.refusals import alarm_text, describe
from studio.runner.sendahead import SendAhead, kind_of
from studio.runner.tracking import CONFIRM_SLACK_S, ActualTracker, PendingCue

LATE_MS = 100.0  # a cue sent later than this (real ms) counts as late in the summary


@dataclass
class Stats:
    cues: int = 0
    actions: int = 0
    late: int = 0
    missed: int = 0
    failed: int = 0
    lateness_ms: list[float] = field(default_factory=list)
    confirm_ms: list[float] = field(default_factory=list)


def _signed_ms(ms: float) -> str:
    """"+3 ms", "-6 ms" (sent ahead); never "-0 ms"."""
    return f"{round(ms) or 0:+d} ms"


class Sender:
    def __init__(self, asrun: AsRunWriter | None, *, clock: Clock, tracker: ActualTracker,
                 gateway: Gateway, send_ahead: SendAhead, guard: AtMostOnce,
                 journal: Journal | None, log: Log, rehearsal: bool,
                 connected: Callable[[], bool], override: Callable[[], str | None]) -> None:
        self.asrun = asrun
        self._clock = clock
        self._tracker = tracker
        self._gateway = gateway
        self._send_ahead = send_ahead
        self._guard = guard
        self._journal = journal
        self._log = log
        self._rehearsal = rehearsal
        self._connected = connected  # the controller's view: OBS connected as last told
        self._override = override  # the manual override's text, or None
        self.late: list[tuple[str, str, datetime]] = []  # fell due while OBS was away
        self.stats = Stats()
        self._late_written = False

    # ------------------------------------------------------------------ timing helpers
    def _real_ms(self, later: datetime, earlier: datetime) -> float:
        return (later - earlier).total_seconds() * 1000 / self._clock.speed

    def _write(self, record: AsRunRecord) -> None:
        if self.asrun is not None:
            self.asrun.write(record)

    # ------------------------------------------------------------------ send
    def send(self, *, cause: Cause, cue: str, text: str, commands: list[Command],
             scheduled: datetime, who: str, proj: Projection, lead_ms: float = 0.0,
             changed: bool = True, standing_by: str | None = None) -> None:
        """``changed``: the cue changes what is on air (False: a wake-up at which nothing
        visible changes, which is left out unless it sends or withholds something).
        ``standing_by``: why this show may not drive OBS now (``studio.runner.drive``):
        nothing is sent, a cue says so in the log and the as-run."""
        if standing_by is not None:
            if cause == "cue" and (commands or changed):
                self._log("late", f"{text}: not sent: {standing_by}", at=scheduled)
                self._write(AsRunRecord(
                    kind="cue", cue=cue, text=text, scheduled=scheduled, outcome="withheld",
                    early_outcome=True, result=f"withheld: {standing_by}", who=who,
                    withheld=tuple(describe_command(c) for c in commands),
                    rehearsal=self._rehearsal))
            return
        connected = self._connected()
        withheld: list[Command] = []
        refusals = self._tracker.refusals
        if connected and len(refusals):
            # what OBS keeps refusing waits for its retry (see studio.runner.refusals)
            commands, withheld = refusals.split(commands, time.monotonic())
            if cause == "followup" and not commands:
                return
            if cause == "followup":
                text = "; ".join(c.reason for c in commands)
        if cause == "followup" and not commands:
            return
        if cause == "cue" and not commands and not withheld and not changed:
            return  # a wake-up at which nothing visible changed
        if not connected and cause in ("cue", "followup", "resync"):
            if cause == "cue":
                self.late.append((cue, text, scheduled))
                self._log("late", f"{text}: OBS is not connected; it goes on air when OBS is back",
                        at=scheduled)
            return
        now_show = self._clock.now()
        sent_real = datetime.now(UTC)
        t0 = time.perf_counter()
        results: list[CommandResult] = self._gateway.apply(commands) if commands and connected \
            else [CommandResult(c, ok=False, comment="OBS is not connected") for c in commands]
        apply_ms = (time.perf_counter() - t0) * 1000
        self._guard.finish(results)  # the stream/record intents: done (or failed)
        again: list[Command] = []
        if commands and connected and self._gateway.connection_state == "connected":
            again = self._note_refusals(results)
        if commands and connected and cause != "resync" and all(r.ok for r in results):
            # a resync's bulk of commands is no measure of how long a cue takes
            self._send_ahead.record(kind_of(commands), apply_ms)
        expected = self._tracker.apply_results(results)
        lateness = self._real_ms(now_show, scheduled)
        failed = [r for r in results if not r.ok]
        if not connected:
            result = "not sent: OBS is not connected; it goes out when OBS is back"
            failed = []
        elif failed and len(again) == len(failed):  # told in the alarm already
            wait = min(self._tracker.refusals.retry_in(c, time.monotonic()) for c in again)
            result = (f"failed again: {len(again)} command(s) OBS keeps refusing "
                      f"(next try in {wait:.0f} s)")
        elif failed:
            result = "failed: " + "; ".join(
                f"{describe_command(r.command)}: {r.comment or r.code}" for r in failed)
        else:
            result = "ok" if commands else "ok (nothing to change in OBS)"
        held = self._withheld_by_override(proj)
        if held and connected:  # never "ON AIR X ... ok" for a scene that was not sent
            result = held if not commands else f"{held}; the rest: {result}"
        if withheld:
            wait = min(refusals.retry_in(c, time.monotonic()) for c in withheld)
            refused = (f"withheld {len(withheld)} command(s) OBS keeps refusing "
                    f"(next try in {wait:.0f} s)")
            result = refused if result.startswith("ok") else f"{result}; {refused}"
        if cause == "resync":
            cue = "resync"
            text = (f"OBS (re)connected: {len(commands)} difference(s) sent" if commands
                    else "OBS (re)connected: it already shows the desired state")
        outcome: Outcome | None = None  # known now; otherwise OBS's events decide it
        if held or not connected:
            outcome = "withheld"
        elif failed:
            outcome = "failed"
        record = AsRunRecord(
            kind="action" if cause == "action" else "cue", cue=cue, text=text,
            scheduled=scheduled, sent=now_show, lateness_ms=round(lateness, 2),
            apply_ms=round(apply_ms, 2), commands=tuple(result_to_dict(r) for r in results),
            result=result, who=who, outcome=outcome, early_outcome=outcome is not None,
            withheld=tuple(describe_command(c) for c in withheld),
            lead_ms=round(lead_ms, 2) if lead_ms > 0 else None, rehearsal=self._rehearsal,
        )
        if failed:
            self.stats.failed += 1
        slack = (self._tracker.actual.transition_ms or 0) / 1000 + CONFIRM_SLACK_S
        deadline = time.monotonic() + slack
        checkpoint = proj.now if cause in ("cue", "resync") else None
        if expected and self._journal is not None:  # a kill -9 before OBS confirms: see journal
            record = replace(record, ref=self._journal.sent(record, checkpoint))
            checkpoint = None
        self._tracker.expect(PendingCue(
            record=record, expected=expected, sent_real=sent_real,
            scheduled_real=sent_real - timedelta(milliseconds=lateness),
            deadline=deadline, done=not expected,
        ))
        if cause == "resync":
            self._flush_late(now_show, results)
        if checkpoint is not None and self._journal is not None:
            self._journal.checkpoint(checkpoint)

    def _note_refusals(self, results: list[CommandResult]) -> list[Command]:
        """One alarm when OBS begins to refuse commands, one line when it takes them all
        again; returns the commands refused again (already told)."""
        refusals = self._tracker.refusals
        was_refusing = refusals.episode
        now = time.monotonic()
        new, again, healed = refusals.record(results, now)
        if new and not was_refusing:
            text = alarm_text(new, min(refusals.retry_in(r.command, now) for r in new))
            self._log("error", text)
            self.note("alarm", text)
        elif new:
            again += [r.command for r in new]  # the same trouble spreading: no second alarm
        if was_refusing and not refusals.episode:
            names = ", ".join(describe(c) for c in healed[:3])
            more = f" and {len(healed) - 3} more" if len(healed) > 3 else ""
            text = "OBS accepts what it refused again" + (f" ({names}{more})" if names else "")
            self._log("info", text)
            self.note("info", text)
        return again

    def _flush_late(self, now_show: datetime, results: list[CommandResult]) -> None:
        for cue, text, scheduled in self.late:
            lateness = self._real_ms(now_show, scheduled)
            self.stats.cues += 1  # a cue, late: counted in both
            self.stats.late += 1
            self._write(AsRunRecord(
                kind="cue", cue=cue, text=text, scheduled=scheduled, sent=now_show,
                lateness_ms=round(lateness, 2),
                result="late: OBS was not connected; the state for now was sent on reconnect",
                outcome="withheld",
            ))
            self._log("late", f"{text}: {lateness / 1000:.1f} s late (OBS was away)",
                         at=scheduled)
        self.late.clear()

    # ------------------------------------------------------------------ confirmations
    def flush_pending(self, *, force: bool = False) -> None:
        for p in self._tracker.finished(force=force):
            rec = p.record
            assert rec.sent is not None and rec.lateness_ms is not None  # made by send()
            if p.confirmed_real is not None:
                delta = p.confirmed_real - p.sent_real
                confirm = rec.lateness_ms + delta.total_seconds() * 1000
                rec = replace(rec, confirm_ms=round(confirm, 2),
                              confirmed=fixed_offset(rec.sent) + delta)
            rec = replace(
                rec, unconfirmed=tuple(sorted(" ".join(e) for e in p.expected)),
                outcome=rec.outcome or ("unconfirmed" if p.expected else
                                        "confirmed" if rec.commands else "unchanged"))
            self._write(rec)
            if rec.ref is not None and self._journal is not None:
                self._journal.written(rec.ref)
            self._account(rec)
        if force and not self._late_written:
            self._late_written = True
            for cue, text, scheduled in self.late:  # studio stops with OBS still away
                self._write(AsRunRecord(
                    kind="cue", cue=cue, text=text, scheduled=scheduled, outcome="withheld",
                    result="withheld: OBS was not connected; studio stopped before it was "
                           "back, so this cue never reached OBS",
                ))

    def _withheld_by_override(self, proj: Projection) -> str | None:
        """During a manual override the program scene studio wants is not sent: say so."""
        override = self._override()
        wanted = proj.desired.program_scene
        if override is None or wanted is None or wanted == self._tracker.actual.program_scene:
            return None
        return f"withheld: {wanted} not sent ({override}; a: re-assert)"

    def report_unwritten(self, unwritten: dict[int, AsRunRecord]) -> None:
        """After a restart: cues sent before studio stopped whose confirmation never came get
        their as-run line now, as sent and unconfirmed (unless the line made it to disk)."""
        journal = self._journal
        if not unwritten or journal is None:
            return
        present: set[object] = set()
        if self.asrun is not None:
            with contextlib.suppress(Exception):
                present = {r.get("ref") for r in read_asrun(self.asrun.path)}
        for n, rec in sorted(unwritten.items()):
            if n not in present:
                result = "sent" if rec.result is None else rec.result
                rec = replace(rec, ref=n, outcome="unconfirmed",
                              result=f"{result}; not confirmed: studio stopped before OBS "
                                     "confirmed it")
                self._write(rec)
                sent = "" if rec.sent is None else rec.sent.isoformat()[11:19]
                self._log("error", f"{rec.text}: sent at {sent}, but "
                                      "studio stopped before OBS confirmed it; written to the "
                                      "as-run as sent, unconfirmed")
            journal.written(n)

    def _account(self, rec: AsRunRecord) -> None:
        lateness = float(rec.lateness_ms or 0.0)
        if rec.kind == "action":
            self.stats.actions += 1
        else:
            self.stats.cues += 1
            self.stats.lateness_ms.append(lateness)
            if rec.confirm_ms is not None:
                self.stats.confirm_ms.append(float(rec.confirm_ms))
            if lateness > LATE_MS:
                self.stats.late += 1
        timing = f"sent {_signed_ms(lateness)}" if rec.commands else "nothing sent"
        if rec.confirm_ms is not None:
            timing += f", on air {_signed_ms(rec.confirm_ms)}"
        elif rec.unconfirmed:
            timing += ", not confirmed by OBS"
        result = rec.result or ""
        status = "" if result.startswith("ok") else f"  {result.upper()}"
        kind: LogKind = "action" if rec.kind == "action" else "cue"
        who = "" if rec.who == "auto" else f" ({rec.who})"
        self._log(kind, f"{rec.text}{who}  [{timing}]{status}", at=rec.scheduled)

    # ------------------------------------------------------------------ notes
    def note(self, kind: NoteKind, text: str, at: datetime | None = None,
             who: str = "auto") -> None:
        self._write(AsRunRecord(kind=kind, text=text, scheduled=at or self._clock.now(),
                                who=who))

    def missed(self, cue: str, text: str, at: datetime, why: str) -> None:
        self.stats.missed += 1
        self._write(AsRunRecord(kind="missed", cue=cue, text=text, scheduled=at,
                                result=f"missed {why}; not replayed, the state for now was sent",
                                outcome="missed"))

    def close(self) -> None:
        if self.asrun is not None:
            self.asrun.close()


"""Working out what to send: the projection for a moment and the commands for it, and the next
cue worked out ahead.

``Planner.prepare`` runs while the controller is idle and works out the next cue's commands
ahead (a ``PreparedCue``), so the firing path at the cue's instant only checks that nothing
changed meanwhile (``prepared_for``) and sends. The controller schedules the wake-up once,
after preparation, with the lead the prepared cue asks for (``lead_for``).

Owns the prepared next cue (with the send-ahead lead its wake-up asks for: held there only)
and the count of cues sent as prepared. Reads nothing of the controller: the actions and the
``Situation`` come in as arguments; a rehearsal's assumed TAKE comes back in the ``Plan`` for
the controller to record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from studio.engine.actions import Action, Take
from studio.engine.projection import Projection
from studio.engine.state import Command
from studio.engine.timeline import Timeline
from studio.runner.decide import Situation, decide
from studio.runner.ports import project
from studio.runner.sendahead import SendAhead, kind_of
from studio.show.model import Catalogue

PrepKey = tuple[int, Situation]  # what a prepared cue was worked out for, besides its instant


@dataclass(frozen=True)
class Plan:
    """The projection at an instant and the commands that bring OBS there."""

    proj: Projection
    commands: tuple[Command, ...]
    take_at: datetime | None  # a rehearsal's TAKE assumed then (headless, auto-take)
    assumed: Take | None = None  # that TAKE, already due: the controller records it
    assumed_for: str = ""  # the segment it is assumed for


@dataclass(frozen=True)
class PreparedCue:
    """The next cue, worked out ahead while the controller was idle."""

    due: datetime
    key: PrepKey
    plan: Plan
    lead_s: float  # send-ahead: real seconds before ``due`` it goes out


def prep_key(actions: Sequence[Action], situation: Situation) -> PrepKey:
    return (len(actions), situation)


class Planner:
    def __init__(self, timeline: Timeline, catalogue: Catalogue, *, auto_take: bool,
                 send_ahead: SendAhead) -> None:
        self.timeline = timeline
        self.catalogue = catalogue
        self.auto_take = auto_take  # headless rehearsal: TAKE manual segments at their time
        self.send_ahead = send_ahead
        self.prepared: PreparedCue | None = None
        self.hits = 0  # cues whose commands were worked out ahead (bench, tests)

    def plan(self, actions: Sequence[Action], situation: Situation, now: datetime, *,
             ahead: bool = False) -> Plan:
        """The projection at ``now`` and the commands for it (pure work). Not ``ahead``, a
        rehearsal's TAKE due by ``now`` is assumed (``Plan.assumed``)."""
        studio_mode = bool(situation.actual.studio_mode)
        proj = project(self.timeline, actions, now, studio_mode=studio_mode)
        take_at = self.auto_take_at(proj)
        assumed: Take | None = None
        assumed_for = ""
        if take_at is not None and take_at <= now and proj.next is not None and not ahead:
            assumed, assumed_for = Take(at=take_at, who="auto"), proj.next.segment_id
            proj = project(self.timeline, (*actions, assumed), now,
                                        studio_mode=studio_mode)
            take_at = self.auto_take_at(proj)
        commands = decide(proj.desired, proj.causes, situation, self.catalogue)
        return Plan(proj, tuple(commands), take_at, assumed, assumed_for)

    def auto_take_at(self, proj: Projection) -> datetime | None:
        nxt = proj.next
        if not self.auto_take or nxt is None or not nxt.waits_for_take:
            return None
        if proj.on_air is not None and proj.on_air.held:
            return None
        return nxt.start

    def prepare(self, due: datetime | None, actions: Sequence[Action],
                situation: Situation) -> bool:
        """While idle: work out the cue at ``due`` now, so the firing path only sends.
        True when the wake-up for ``due`` is to be rescheduled (its lead changed)."""
        key = prep_key(actions, situation)
        p = self.prepared
        if due is None or (p is not None and (p.due, p.key) == (due, key)):
            return False
        plan = self.plan(actions, situation, due, ahead=True)
        if plan.take_at is not None and plan.take_at <= due:
            return False  # a rehearsal's assumed TAKE happens then: work it out at the time
        commands = list(plan.commands)
        lead = self.send_ahead.lead_ms(kind_of(commands)) / 1000 if commands else 0.0
        before = self.lead_for(due)
        self.prepared = PreparedCue(due, key, plan, lead)
        return lead != before

    def prepared_for(self, due: datetime | None, actions: Sequence[Action],
                     situation: Situation, now: datetime) -> Plan | None:
        """The prepared plan, if it was worked out for this cue and nothing changed since."""
        p = self.prepared
        if (p is None or (p.due, p.key) != (due, prep_key(actions, situation))
                or (p.plan.proj.next_change_at is not None
                    and p.plan.proj.next_change_at <= now)):
            return None
        self.hits += 1
        return p.plan

    def lead_for(self, due: datetime | None) -> float:
        """Seconds ahead of ``due`` to send its cue (send-ahead; 0 unless prepared for it)."""
        p = self.prepared
        return p.lead_s if p is not None and p.due == due else 0.0

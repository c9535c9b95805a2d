"""Working out what to send: the projection for a moment and the commands for it.

``prepare`` runs while the controller is idle and computes the next cue's commands ahead, so the
firing path at the cue's instant only checks nothing changed meanwhile and sends.

Owns no state of its own: it reads the controller's and writes ``ctl._actions`` (a rehearsal's
assumed TAKE), ``ctl._prepared`` (the prepared next cue), ``ctl._lead`` and the scheduler's lead.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from studio.engine.actions import Take
from studio.engine.projection import Projection
from studio.engine.state import Command, SetPreviewScene, SetProgramScene, TriggerTransition
from studio.runner import engine_glue
from studio.runner.sendahead import kind_of

if TYPE_CHECKING:
    from studio.runner.controller import Controller


def compute(ctl: Controller, now: datetime, *, ahead: bool = False
            ) -> tuple[Projection, list[Command], datetime | None]:
    """The projection at ``now`` and the commands that bring OBS there (pure work)."""
    proj = engine_glue.evaluate(ctl.timeline, ctl._actions, now,
                                studio_mode=ctl._studio_mode())
    take_at = ctl._auto_take_at(proj)
    if take_at is not None and take_at <= now and proj.next is not None and not ahead:
        ctl._actions = (*ctl._actions, Take(at=take_at, who="auto"))
        ctl.log("action", f"take (rehearsal: TAKE assumed for {proj.next.segment_id}, "
                          "which waits for the operator)")
        proj = engine_glue.evaluate(ctl.timeline, ctl._actions, now,
                                    studio_mode=ctl._studio_mode())
        take_at = ctl._auto_take_at(proj)
    desired = proj.desired
    if ctl._override is not None:
        a = ctl.tracker.actual
        desired = replace(desired, program_scene=a.program_scene, preview_scene=(
            a.preview_scene if desired.studio_mode else desired.preview_scene))
    commands = engine_glue.diff(
        ctl.tracker.actual, desired, ctl.show.catalogue, causes=proj.causes,
        transition_running=ctl.tracker.transition_running,
    )
    if ctl.tracker.preview_unconfirmed and desired.program_scene is not None:
        # the scene may not be in OBS's preview yet: switch program directly instead
        commands = [SetProgramScene(desired.program_scene, reason=c.reason)
                    if isinstance(c, TriggerTransition) else c for c in commands]
    if any(isinstance(c, TriggerTransition) for c in commands):
        # A take goes out alone: OBS puts the old program into preview when the transition
        # ends (overwriting a preview sent with the take), and the preview's Sources-dock
        # rebuild in OBS would hold back the take's reply. The next scene follows in the
        # follow-up once the transition has ended (the tracker then knows preview is unknown).
        commands = [c for c in commands if not isinstance(c, SetPreviewScene)]
    return proj, commands, take_at


def prep_key(ctl: Controller) -> tuple[Any, ...]:
    t = ctl.tracker
    return (len(ctl._actions), t.actual, ctl._override, t.transition_running,
            t.preview_unconfirmed)


def prepare(ctl: Controller) -> None:
    """While idle: work out the next cue's commands now, so the firing path only sends."""
    due = ctl._wake_due
    if due is None or (ctl._prepared and ctl._prepared[0] == (due, prep_key(ctl))):
        return
    proj, commands, take_at = compute(ctl, due, ahead=True)
    if take_at is not None and take_at <= due:
        return  # a rehearsal's assumed TAKE happens then: work it out at the time
    ctl._prepared = ((due, prep_key(ctl)), proj, tuple(commands), take_at)
    lead = ctl.send_ahead.lead_ms(kind_of(commands)) / 1000 if commands else 0.0
    if lead != ctl.lead_for(due):
        ctl._lead = (due, lead)
        ctl.scheduler.schedule(due, lead_s=lead)

"""Naming what happened: which cue a change of the desired state is, in words a producer reads.

Owns no state: pure functions from projections to cue names and texts, the change instants a
missed-cue report lists, and the key that makes a stream/record change happen once per cue
(used by ``atmostonce``); ``CueLabel.changed`` says whether a cue changes anything at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from studio.engine.actions import Action
from studio.engine.projection import Projection
from studio.engine.timeline import Timeline
from studio.runner.ports import project

MAX_MISSED = 500  # never enumerate more change instants than this when reporting missed cues


@dataclass(frozen=True)
class CueLabel:
    """A change of the desired state named: its cue id, its text, and whether anything a
    viewer or the show's outputs would notice changed at all (False: only "state re-sent")."""

    cue: str
    text: str
    changed: bool


NOTHING_CHANGED = "state re-sent"


def cue_label(before: Projection | None, after: Projection) -> tuple[str, str]:
    """(cue id, text) for what changed from ``before`` to ``after``."""
    label = describe_change(before, after)
    return label.cue, label.text


def describe_change(before: Projection | None, after: Projection) -> CueLabel:
    """What changed from ``before`` to ``after``, named (see ``CueLabel``)."""
    seg = after.on_air.segment_id if after.on_air else ""
    parts: list[str] = []
    cue = ""
    b_seg = before.on_air.segment_id if before and before.on_air else None
    if after.on_air and after.on_air.segment_id != b_seg:
        oa = after.on_air
        who = f" · {oa.organiser}" if oa.organiser else ""
        parts.append(f"ON AIR {oa.title} [{oa.segment_id}]{who} on {oa.scene}")
        cue = oa.segment_id
    elif after.ended and not (before and before.ended):
        parts.append("show ended")
        cue = "end"
    b_g = before.graphics if before else None
    g = after.graphics
    b_lt = b_g.lower_third_on_air if b_g else None
    if g.lower_third_on_air != b_lt:
        if g.lower_third_on_air:
            name, role = g.lower_third_on_air
            parts.append(f"lower third up: {name}" + (f", {role}" if role else ""))
        else:
            parts.append("lower third down")
        cue = cue or f"{seg}/lower-third"
    up, was = set(g.overlays_up), set(b_g.overlays_up if b_g else ())
    if up != was:
        changes = [f"+{o}" for o in sorted(up - was)] + [f"-{o}" for o in sorted(was - up)]
        parts.append("overlays " + " ".join(changes))
        cue = cue or f"{seg}/overlays"
    d, bd = after.desired, before.desired if before else None
    for what, now_, then in (
        ("streaming", d.streaming, bd.streaming if bd else None),
        ("recording", d.recording, bd.recording if bd else None),
    ):
        if now_ is not None and now_ != then:
            parts.append(f"{what} {'starts' if now_ else 'stops'}")
            cue = cue or f"{seg}/{what}"
    if not parts:
        return CueLabel(seg or "state", NOTHING_CHANGED, changed=False)
    return CueLabel(cue or seg or "state", "; ".join(parts), changed=True)


def change_instants(
    timeline: Timeline, actions: Sequence[Action], after: datetime, until: datetime
) -> list[tuple[datetime, Projection]]:
    """The moments in (after, until] at which the desired state changed by itself, with the
    projection just after each: the cues that fell due meanwhile."""
    out: list[tuple[datetime, Projection]] = []
    proj = project(timeline, actions, after)
    t = proj.next_change_at
    while t is not None and t <= until and len(out) < MAX_MISSED:
        proj = project(timeline, actions, t)
        out.append((t, proj))
        if proj.next_change_at is None or proj.next_change_at <= t:
            break
        t = proj.next_change_at
    return out


def side_effect_key(proj: Projection) -> str:
    """What a stream/record start or stop belongs to: the segment on air (or the show's edge)."""
    if proj.on_air:
        return proj.on_air.segment_id
    return "after-show" if proj.ended else "before-show"


def action_text(action: Action, before: Projection | None, after: Projection) -> str:
    """``nudge +30 s -> ON AIR ...``: the action and what it changed."""
    name = type(action).__name__.lower()
    seconds = getattr(action, "seconds", None)
    overlay = getattr(action, "overlay", None)
    message = getattr(action, "text", None)
    detail = f" {seconds:+d} s" if seconds else (f" {overlay}" if overlay else "")
    if message:
        detail = f" {message!r}"
    label = describe_change(before, after)
    seen = set(before.warnings) if before is not None else set()
    new = [w for w in after.warnings if w not in seen]
    if new and not label.changed:  # it did nothing: say why, not that it went out
        return f"{name}{detail}: " + "; ".join(new)
    return f"{name}{detail}" + (f" -> {label.text}" if label.changed else "")

"""Properties of evaluate under random operator actions (hypothesis)."""

from __future__ import annotations

from datetime import timedelta

from engine_show import at, day_show
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.engine.actions import (
    Action,
    Back,
    Clear,
    Fire,
    Hold,
    Nudge,
    PreviewNext,
    Release,
    Skip,
    Take,
    ToggleOverlay,
)
from studio.engine.core import evaluate
from studio.engine.projection import Projection
from studio.engine.timeline import compile

TL = compile(day_show())
START = at("08:30")


@st.composite
def action(draw: st.DrawFn) -> Action:
    t = START + timedelta(seconds=draw(st.integers(0, 4 * 3600)))
    kind = draw(st.sampled_from(
        [Take, Hold, Release, Skip, Back, Nudge, Fire, Clear, ToggleOverlay, PreviewNext]))
    if kind is Nudge:
        return Nudge(t, seconds=draw(st.sampled_from([-600, -60, 30, 120, 900])))
    if kind is ToggleOverlay:
        return ToggleOverlay(t, overlay=draw(st.sampled_from(["live-bug", "clock"])))
    return kind(t)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(action(), max_size=12).map(lambda xs: sorted(xs, key=lambda a: a.at)),
    st.integers(0, 4 * 3600),
    st.booleans(),
    st.floats(0, 1),
)
def test_projection_is_consistent_and_stable_until_next_change(
    actions: list[Action], offset: int, studio: bool, frac: float
) -> None:
    now = START + timedelta(seconds=offset)
    p = evaluate(TL, actions, now, studio_mode=studio)
    live = [r for r in p.rundown if r.status in ("on_air", "held")]
    if p.on_air is None:
        assert live == []
    else:
        assert [r.segment_id for r in live] == [p.on_air.segment_id]
        assert p.desired.program_scene == p.on_air.scene
        assert p.on_air.held == (live[0].status == "held")
    if p.next is not None:
        assert [r.segment_id for r in p.rundown if r.status == "next"] == [p.next.segment_id]
        assert p.next.start >= now
    for r in p.rundown:
        assert r.projected_end >= r.projected_start, r
        if r.status in ("next", "pending"):
            assert r.projected_start >= now
    # nothing changes by itself before next_change_at
    past = [a for a in actions if a.at <= now]
    if p.next_change_at is not None:
        assert p.next_change_at > now
        later = now + (p.next_change_at - now) * frac * 0.999
        q = evaluate(TL, past, later, studio_mode=studio)
        assert q.desired == p.desired
        assert (q.on_air and q.on_air.segment_id) == (p.on_air and p.on_air.segment_id)
        # ... and at next_change_at something does (a cue is due there)
        r = evaluate(TL, past, p.next_change_at, studio_mode=studio)

        def look(x: Projection) -> object:
            return (x.desired, x.graphics, x.ended, tuple(row.status for row in x.rundown))

        assert look(r) != look(p)
    elif not p.ended and p.next is not None and not p.next.waits_for_take:
        raise AssertionError("an automatic next without a wake-up time")

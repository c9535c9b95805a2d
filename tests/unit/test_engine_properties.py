"""Properties of evaluate under random operator actions (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from engine_show import STHLM, at, day_show, make_show, seg
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
from studio.show.model import Segment

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
        later = now + (p.next_change_at.astimezone(UTC) - now.astimezone(UTC)) * frac * 0.999
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


@st.composite
def random_show(draw: st.DrawFn) -> list[Segment]:
    """Any sequence of segments, valid or not (anchors out of order, missing durations)."""
    n = draw(st.integers(1, 8))
    segs = []
    for i in range(n):
        kw: dict[str, object] = {"id": f"s{i}", "scene": draw(st.sampled_from(
            ["Studio Wide", "Panel", "Break"]))}
        if i == 0 or draw(st.booleans()):
            kw["start"] = f"{draw(st.integers(0, 3)):02d}:{draw(st.sampled_from([0, 15, 30])):02d}"
        if draw(st.integers(0, 4)):
            kw["duration"] = f"{draw(st.integers(1, 90))}m"
        kw["manual"] = draw(st.integers(0, 5)) == 0
        if draw(st.booleans()):
            kw["lower_thirds"] = [{"name": "X", "at": "10s", "for": "30s"}]
        segs.append(seg(**kw))  # type: ignore[arg-type]
    return segs


@settings(max_examples=200, deadline=None)
@given(random_show(), st.lists(action(), max_size=8), st.integers(-3600, 6 * 3600),
       st.sampled_from([date(2021, 1, 19), date(2021, 3, 28), date(2021, 10, 31)]))
def test_any_show_any_actions_never_crash_and_stay_consistent(
    segments: list[Segment], actions: list[Action], offset: int, day: date
) -> None:
    tl = compile(make_show(*segments, day=day))
    base = datetime.combine(day, time(0), tzinfo=STHLM)
    shift = base - START  # move the generated actions onto the show's day
    acts = sorted((replace(a, at=a.at + shift - timedelta(hours=8)) for a in actions),
                  key=lambda a: a.at)
    now = base + timedelta(seconds=offset)
    p = evaluate(tl, acts, now, studio_mode=True)
    assert len(p.rundown) == len(segments)
    assert sum(r.status in ("on_air", "held") for r in p.rundown) == (p.on_air is not None)
    if p.next_change_at is not None:
        assert p.next_change_at > now
        # arithmetic in UTC: wall-clock arithmetic on a DST day would land elsewhere
        just_before = p.next_change_at.astimezone(UTC) - timedelta(microseconds=1)
        q = evaluate(tl, [a for a in acts if a.at <= now], just_before, studio_mode=True)
        assert q.desired == p.desired

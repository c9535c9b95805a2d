"""TAKE (and other actions) at or near a cue instant: exactly one segment change, as the operator
saw the show at that instant (explicit instants, no sleeps).

day_show: 08:45 slate | 09:00 welcome 10m | talk 45m (09:10) | qa 5m manual (due 09:55) |
10:00 panel 40m | break 20m (10:40) | 11:00 lunch 1h.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from engine_show import at, day_show, ev, on_air, row, status
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.engine.actions import Action, Back, Hold, Nudge, Release, Skip, Take
from studio.engine.core import evaluate
from studio.engine.timeline import compile

TL = compile(day_show())
MS = timedelta(milliseconds=1)

# (what happens, TAKE instant, segment on air just before, segment TAKE airs)
TAKES = [
    ("first segment starts by its cue", at("08:45"), None, "welcome"),
    ("hard anchor cuts in", at("09:00"), "slate", "talk"),
    ("soft segment follows", at("09:10"), "welcome", "qa"),
    ("manual segment becomes due", at("09:55"), "talk", "qa"),
    ("waiting for a manual segment", at("09:57"), "talk", "qa"),
    ("hard anchor after a waiting manual", at("10:00"), "talk", "break"),
    ("soft segment after an anchor", at("10:40"), "panel", "lunch"),
    ("a few ms before a soft cue", at("09:10") - 5 * MS, "welcome", "talk"),
    ("a few ms after a soft cue", at("09:10") + 5 * MS, "talk", "qa"),
    ("a few ms before a hard anchor", at("09:00") - 5 * MS, "slate", "welcome"),
    ("a few ms before the first cue", at("08:45") - 5 * MS, None, "slate"),
]


@pytest.mark.parametrize(("case", "t", "before", "taken"), TAKES, ids=[c[0] for c in TAKES])
def test_take_at_a_cue_instant_starts_the_segment_after_the_one_on_air(
    case: str, t: datetime, before: str | None, taken: str
) -> None:
    # the operator sees the show as evaluate shows it just before pressing TAKE ...
    seen = ev(TL, t - MS)
    assert on_air(seen) == before
    # ... and at the instant itself: TAKE airs exactly what was shown as next then
    shown = ev(TL, t)
    assert shown.next is not None and shown.next.segment_id == taken, case
    p = ev(TL, t, Take(t))
    assert on_air(p) == taken, case
    assert p.on_air is not None and p.on_air.started_at == t
    assert p.causes["program"] == f"TAKE: segment {taken} starts"
    # exactly one change: the taken segment stays on air after the instant, no cue re-fires
    for later in (t + MS, t + timedelta(seconds=1)):
        q = ev(TL, later, Take(t))
        assert on_air(q) == taken and q.on_air is not None and q.on_air.started_at == t, case
    assert p.next_change_at is not None and p.next_change_at > t + MS


def test_take_at_a_soft_cue_instant_leaves_the_cued_segment_done() -> None:
    p = ev(TL, at("09:20"), Take(at("09:10")))
    assert on_air(p) == "qa"
    assert status(p)["talk"] == "done"
    assert (row(p, "talk").projected_start, row(p, "talk").projected_end) == (
        at("09:10"), at("09:10"))


def test_take_a_few_ms_before_a_soft_cue_moves_the_schedule_not_twice() -> None:
    t = at("09:10") - 5 * MS
    p = ev(TL, at("09:10"), Take(t))
    assert on_air(p) == "talk" and p.on_air is not None and p.on_air.started_at == t
    assert row(p, "qa").projected_start == at("09:55") - 5 * MS  # follows talk's early start
    # the wake-up is no longer 09:10 (that cue was taken early): panel at 10:00 is next by itself
    assert ev(TL, t, Take(t)).next_change_at == at("10:00")


def test_take_a_few_ms_before_a_hard_anchor_is_not_cut_again_by_it() -> None:
    t = at("09:00") - 5 * MS
    p = ev(TL, at("09:00:05"), Take(t))
    assert on_air(p) == "welcome" and p.on_air is not None and p.on_air.started_at == t
    # its lower third keeps its timing from the TAKE (5 s in), not from the anchor
    assert p.desired.lower_third_visible is True
    assert ev(TL, t + timedelta(seconds=5) - MS, Take(t)).desired.lower_third_visible is False


@pytest.mark.parametrize(("actions", "t", "expected"), [
    # HOLD at talk's instant holds talk (on air by its cue), not welcome
    ([Hold(at("09:10"))], at("09:20"), ("talk", True)),
    # RELEASE then TAKE at one instant: RELEASE starts the overdue talk (45 min from 09:20),
    # TAKE the segment after it: panel, since the 10:00 anchor would squeeze qa out anyway
    ([Hold(at("09:08")), Release(at("09:20")), Take(at("09:20"))], at("09:21"),
     ("panel", False)),
    # NUDGE at talk's instant lengthens talk (welcome is over already)
    ([Nudge(at("09:10"), seconds=120)], at("09:11"), ("talk", False)),
    # BACK at talk's instant goes back to welcome
    ([Back(at("09:10"))], at("09:11"), ("welcome", False)),
], ids=["hold", "release-then-take", "nudge", "back"])
def test_other_actions_at_a_cue_instant_act_on_the_segment_the_cue_started(
    actions: list[Action], t: datetime, expected: tuple[str, bool]
) -> None:
    p = ev(TL, t, *actions)
    assert (on_air(p), p.on_air is not None and p.on_air.held) == expected


def test_skip_at_a_cue_instant_skips_the_segment_after_the_one_it_started() -> None:
    p = ev(TL, at("09:20"), Skip(at("09:10")))
    assert on_air(p) == "talk"
    assert status(p)["qa"] == "skipped" and status(p)["talk"] == "on_air"


def test_two_takes_at_one_instant_are_two_changes() -> None:
    assert on_air(ev(TL, at("09:10"), Take(at("09:10")), Take(at("09:10")))) == "panel"


def test_nudge_ending_the_segment_now_then_take_at_that_instant() -> None:
    # welcome nudged back by 5 min at 09:05 ends at once: talk starts there; TAKE then airs qa
    acts = [Nudge(at("09:05"), seconds=-300), Take(at("09:05"))]
    p = ev(TL, at("09:06"), *acts)
    assert on_air(p) == "qa" and status(p)["talk"] == "done"


# -- property: whatever happened before, TAKE at t airs what the projection at t shows as next

ACTION_KINDS = [Take, Hold, Release, Skip, Back, Nudge]
START = at("08:30")


@st.composite
def prior(draw: st.DrawFn) -> list[Action]:
    out: list[Action] = []
    for _ in range(draw(st.integers(0, 5))):
        t = START + timedelta(seconds=draw(st.integers(0, 3 * 3600)))
        kind = draw(st.sampled_from(ACTION_KINDS))
        out.append(Nudge(t, seconds=draw(st.sampled_from([-600, -60, 30, 120])))
                   if kind is Nudge else kind(t))
    return sorted(out, key=lambda a: a.at)


@settings(max_examples=150, deadline=None)
@given(prior(), st.integers(0, 40), st.sampled_from([-5 * MS, timedelta(0), 5 * MS]))
def test_take_airs_what_was_next_at_its_instant(
    actions: list[Action], pick: int, offset: timedelta
) -> None:
    last = actions[-1].at if actions else START
    # the instants where something starts by itself after the last action (cue instants)
    base = evaluate(TL, actions, last)
    cues = sorted({r.projected_start.astimezone(UTC) for r in base.rundown
                   if r.projected_start >= last} | {last.astimezone(UTC)})
    t = max(cues[pick % len(cues)] + offset, last.astimezone(UTC))
    before = evaluate(TL, actions, t)
    after = evaluate(TL, [*actions, Take(t)], t)
    if before.next is None:
        return
    assert after.on_air is not None
    assert after.on_air.segment_id == before.next.segment_id
    assert after.on_air.started_at == t
    assert before.on_air is None or before.on_air.segment_id != after.on_air.segment_id

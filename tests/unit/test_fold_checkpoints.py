"""evaluate folds on from checkpoints (engine.checkpoint): the same show state as folding every
action from the start (engine.fold.fold), and only the new work per call."""

from __future__ import annotations

import sys
from dataclasses import fields, replace
from datetime import UTC, date, datetime, time, timedelta
from types import FrameType
from typing import Any

from engine_show import STHLM, at, day_show, make_show, seg
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import random_show

from studio.engine.actions import (
    Action,
    Back,
    Clear,
    ClearMessage,
    Fire,
    Hold,
    Message,
    Nudge,
    PreviewNext,
    Reassert,
    Release,
    Skip,
    Take,
    ToggleOverlay,
)
from studio.engine.checkpoint import copy_state, resume
from studio.engine.core import evaluate
from studio.engine.fold import ShowState, apply_action, fold
from studio.engine.timeline import Timeline, compile
from studio.runner.ports import project
from studio.show.model import Show

KINDS: list[type[Action]] = [Take, Hold, Release, Skip, Back, Nudge, Fire, Clear, ToggleOverlay,
                             PreviewNext, Message, ClearMessage, Reassert]


@st.composite
def action_at(draw: st.DrawFn, base: datetime) -> Action:
    # whole minutes, so that actions share instants often; a third in UTC (the same instants);
    # some on the second pass of a wall time (fold=1: an hour later in an autumn change)
    t = base + timedelta(minutes=draw(st.integers(0, 5 * 60)))
    how = draw(st.integers(0, 5))
    if how < 2:
        t = t.astimezone(UTC)
    elif how == 2:
        t = t.replace(fold=1)
    kind = draw(st.sampled_from(KINDS))
    if kind is Nudge:
        return Nudge(t, seconds=draw(st.sampled_from([-600, -60, 30, 120, 900])))
    if kind is ToggleOverlay:
        return ToggleOverlay(t, overlay=draw(st.sampled_from(["live-bug", "clock"])))
    if kind is Message:
        return Message(t, text=draw(st.sampled_from(["wrap up", "2 min"])))
    return kind(t)


@st.composite
def scenario(draw: st.DrawFn) -> tuple[Show, datetime, list[tuple[str, list[Action], int]]]:
    """A show, the start of its window, and steps: ("add", actions, now) appends the actions
    (at any time: often before the last one's), ("drop", [], now) removes the last one (a
    refused dry run), ("again", [], now) evaluates the same list; each then evaluates at now
    (minutes into the window, earlier or later than the step before)."""
    if draw(st.booleans()):
        show, base = day_show(), at("08:30")
    else:
        day = draw(st.sampled_from([date(2021, 1, 19), date(2021, 3, 28), date(2021, 10, 31)]))
        show = make_show(*draw(random_show()), day=day)
        base = datetime.combine(day, time(0), tzinfo=STHLM) - timedelta(minutes=30)
    steps = draw(st.lists(st.tuples(
        st.sampled_from(["add", "add", "add", "drop", "again"]),
        st.lists(action_at(base), min_size=1, max_size=4),
        st.integers(-30, 5 * 60 + 30)), max_size=25))
    return show, base, [(k, acts if k == "add" else [], now) for k, acts, now in steps]


def _check(tl: Timeline, fresh: Timeline, acts: list[Action], now: datetime) -> None:
    p = evaluate(tl, acts, now)
    assert p == evaluate(fresh, acts, now)
    # Reassert folds as nothing (the runner's project passes it in)
    assert p == evaluate(fresh, [a for a in acts if not isinstance(a, Reassert)], now)
    # the state itself, against the fold from the start (the cached timeline is warm now)
    assert resume(tl, tuple(acts), now.astimezone(UTC)) == fold(tl, acts, now.astimezone(UTC))


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_folding_on_from_checkpoints_equals_folding_from_the_start(case: Any) -> None:
    show, base, steps = case
    tl = compile(show)
    acts: list[Action] = []
    for kind, new, minutes in steps:
        if kind == "add":
            acts = [*acts, *new]
        elif kind == "drop" and acts:
            acts = acts[:-1]
        now = base + timedelta(minutes=minutes, seconds=minutes % 7)
        fresh = compile(show)  # nothing remembered: every action folded from the start
        _check(tl, fresh, acts, now)
        _check(tl, fresh, acts, now)  # the same list twice


def test_many_checkpoints_and_an_action_far_back_in_time() -> None:
    """Hundreds of actions (past several checkpoints), then one that belongs an hour back."""
    show = day_show()
    tl = compile(show)
    acts: list[Action] = []
    t0 = at("09:00")
    for i in range(300):
        kind = [Hold, Release, Fire, Clear, ToggleOverlay][i % 5]
        a = ToggleOverlay(t0 + timedelta(seconds=20 * i), overlay="clock") \
            if kind is ToggleOverlay else kind(t0 + timedelta(seconds=20 * i))
        acts.append(a)
        _check(tl, compile(show), acts, a.at)
    for extra in (Skip(at("09:05")), Nudge(at("09:30"), seconds=900), Back(at("10:30"))):
        acts.append(extra)
        for now in (at("09:01"), at("10:41"), at("12:00"), at("09:59:59")):
            _check(tl, compile(show), acts, now)


def test_a_timeline_copied_with_replace_never_reads_the_others_checkpoints() -> None:
    a = compile(day_show())
    other = compile(make_show(seg("x", start="09:00", duration="5m"),
                              seg("y", duration="1h", scene="Panel")))
    b = replace(other, fold_memo=a.fold_memo)  # what dataclasses.replace(a, ...) would share
    acts: list[Action] = [Hold(at("09:01")), Release(at("09:20"))]
    for tl, ref in ((a, compile(day_show())), (b, other), (a, compile(day_show()))):
        assert evaluate(tl, acts, at("09:30")) == evaluate(ref, acts, at("09:30"))


def test_a_copied_state_shares_no_container_with_the_original() -> None:
    s = ShowState(cur=1, skipped={2}, squeezed={3}, history=[0, 1], starts={1: at("09:00")},
                  ends={0: at("09:00")}, lt_fired={0: (at("09:01"), 3)},
                  lt_clears=[(at("09:02"), 4)], toggles={"clock"},
                  toggled_by={"clock": "operator"}, warnings=["w"], message="m")
    c = copy_state(s)
    assert c == s
    for f in fields(ShowState):
        v = getattr(s, f.name)
        if isinstance(v, list | set | dict):
            assert getattr(c, f.name) is not v, f.name


def test_reassert_folds_as_nothing_so_project_passes_the_actions_as_they_are() -> None:
    tl = compile(day_show())
    acts: list[Action] = [Fire(at("09:10")), Reassert(at("09:10")), Clear(at("09:10")),
                          Reassert(at("09:12")), Hold(at("09:54")), Reassert(at("09:56")),
                          Release(at("10:20"))]
    without = [a for a in acts if not isinstance(a, Reassert)]
    for now in (at("09:10"), at("09:13"), at("09:57"), at("10:30")):
        assert project(tl, acts, now) == evaluate(compile(day_show()), without, now)


def _folded(run: Any) -> int:
    """How many actions ``run()`` applies (apply_action's calls, however it is reached)."""
    code = apply_action.__code__
    calls = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call" and frame.f_code is code:
            calls += 1

    sys.setprofile(count)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def test_one_more_action_costs_one_action_not_the_whole_day() -> None:
    """A rehearsal's pattern: HOLD/RELEASE once a second, each evaluated when it arrives, again
    a little later, and with a candidate next action (the refusal dry run) that is dropped."""
    tl = compile(day_show())
    acts: list[Action] = []
    t0 = at("09:00")

    def day() -> None:
        nonlocal acts
        for i in range(600):
            a = (Hold if i % 2 == 0 else Release)(t0 + timedelta(seconds=i))
            evaluate(tl, [*acts, a], a.at)  # the dry run
            acts = [*acts, a]
            evaluate(tl, acts, a.at)
            evaluate(tl, acts, a.at + timedelta(milliseconds=500))
            evaluate(tl, [*acts, Take(a.at, who="auto")], a.at)  # an assumed TAKE

    calls = _folded(day)
    # folded from the start each time: about 600 * 600 * 2 = 720 000
    assert calls <= 600 * 3, calls


def test_actions_fold_in_the_order_they_happened_across_the_autumn_change() -> None:
    """A HOLD at 02:50 CEST, then a RELEASE at the second 02:10 (CET, 20 minutes later): on one
    ZoneInfo the RELEASE compares as earlier by its wall time; the show must not stay held."""
    day = date(2021, 10, 31)
    tl = compile(make_show(seg("night", start="01:00", duration="4h"),
                           seg("morning", duration="1h", scene="Panel"), day=day))
    hold, release = Hold(at("02:50", day)), Release(at("02:10", day, fold=1))
    assert release.at.astimezone(UTC) - hold.at.astimezone(UTC) == timedelta(minutes=20)
    for acts in ([hold, release], [release, hold]):
        p = evaluate(tl, acts, at("03:30", day))
        assert p.on_air is not None and p.on_air.segment_id == "night"
        assert not p.on_air.held, acts


def test_the_second_0210_of_an_autumn_night_is_not_the_first() -> None:
    """HOLD at the first 02:10 (CEST) and HOLD at the second (CET) compare equal on one
    ZoneInfo; evaluated one after the other, each is folded at its own instant."""
    day = date(2021, 10, 31)

    def night() -> Timeline:
        return compile(make_show(seg("night", start="01:00", duration="4h"),
                                 seg("morning", duration="1h", scene="Panel"), day=day))

    first, second = Hold(at("02:10", day)), Hold(at("02:10", day, fold=1))
    assert first == second  # what the checkpoints must not be fooled by
    tl = night()
    now = at("02:30", day)  # the first pass: the second 02:10 has not come yet
    for acts in ([first], [second], [first], [Release(at("02:20", day)), second]):
        p = evaluate(tl, acts, now)
        assert p == evaluate(night(), acts, now), acts
    p = evaluate(tl, [second], now)
    assert p.on_air is not None and not p.on_air.held

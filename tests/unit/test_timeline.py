"""compile(show): the planned cues; and the real Digital vecka week run through the engine."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from engine_show import at, day_show, ev, make_show, on_air, seg, status

from studio.engine.actions import Action, Take
from studio.engine.core import evaluate
from studio.engine.timeline import compile

WEEK = sorted((Path(__file__).parents[2] / "schedules" / "digital-vecka-2021").glob("2021-*.yaml"))


def test_planned_cues_of_a_day() -> None:
    tl = compile(day_show())
    cues = [(c.at.strftime("%H:%M:%S"), c.kind, c.segment_id) for c in tl.cues]
    assert cues[:9] == [
        ("08:45:00", "segment_start", "slate"),
        ("08:45:00", "overlay_on", "slate"),
        ("09:00:00", "overlay_off", "slate"),
        ("09:00:00", "segment_start", "welcome"),
        ("09:00:00", "stream_start", "welcome"),
        ("09:00:00", "record_start", "welcome"),
        ("09:00:00", "overlay_on", "welcome"),
        ("09:00:00", "logo_on", "welcome"),
        ("09:00:05", "lower_third_in", "welcome"),
    ]
    assert ("09:00:13", "lower_third_out", "welcome") in cues
    assert ("09:10:00", "logo_off", "welcome") in cues  # the organiser changes
    assert ("09:10:00", "overlay_off", "welcome") not in cues  # live-bug stays on for talk
    assert cues[-1] == ("12:00:00", "segment_end", "lunch")
    assert all(c.at.utcoffset() == tl.tz.utcoffset(c.at) for c in tl.cues)  # the show's zone


def test_a_later_anchor_cuts_in_even_when_a_manual_anchor_was_never_taken() -> None:
    tl = compile(make_show(
        seg("a", start="09:00", duration="30m"),
        seg("b", start="10:00", duration="30m", manual=True),
        seg("c", start="11:00", duration="30m"),
    ))
    p = ev(tl, at("10:30"))
    assert on_air(p) == "a"  # runs on: b waits for TAKE
    assert p.next is not None and p.next.segment_id == "b" and p.next.waits_for_take
    assert p.next_change_at == at("11:00")
    p = ev(tl, at("11:00"))
    assert on_air(p) == "c" and status(p)["b"] == "skipped"


def walk(path: Path) -> tuple[list[str], list[float]]:
    """Run a day from 5 min before to the end: wake where the engine says, TAKE manual
    segments when due. Returns the aired segment ids and evaluate times."""
    import time

    from studio.show.loader import load_show

    tl = compile(load_show(path))
    assert tl.problems == () or all(p.severity == "warning" for p in tl.problems)
    t = tl.segments[0].planned_start - timedelta(minutes=5)
    actions: list[Action] = []
    aired: list[str] = []
    took: list[float] = []
    for _ in range(500):
        t0 = time.perf_counter()
        p = evaluate(tl, actions, t)
        took.append(time.perf_counter() - t0)
        if p.on_air is not None and (not aired or aired[-1] != p.on_air.segment_id):
            aired.append(p.on_air.segment_id)
            assert p.desired.program_scene == p.on_air.scene
        if p.ended:
            break
        candidates = [x for x in (p.next_change_at,) if x is not None]
        if p.next is not None and p.next.waits_for_take:
            if p.next.countdown <= timedelta(0):
                actions.append(Take(t))
                continue
            candidates.append(p.next.start)
        t = min(candidates)
    return aired, took


@pytest.mark.parametrize("path", WEEK, ids=[p.stem for p in WEEK])
def test_the_real_week_airs_every_segment_in_order(path: Path) -> None:
    from studio.show.loader import load_show

    show = load_show(path)
    aired, took = walk(path)
    assert aired == [s.id for s in show.segments]
    took.sort()
    assert took[len(took) // 2] < 0.01


def test_the_week_is_there() -> None:
    assert len(WEEK) == 4

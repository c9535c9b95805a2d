"""Re-timing: soft segments move with delays, hard anchors hold, the consequence is said."""

from __future__ import annotations

from engine_show import MIN, at, ev, make_show, on_air, row, seg, status

from studio.engine.actions import Hold, Release, Take
from studio.engine.timeline import compile

# 12:00 lunch 1h | panel 45m (13:00-13:45) | break 15m (13:45-14:00) | 14:00 closing 30m
AFTERNOON = compile(make_show(
    seg("lunch", start="12:00", duration="1h", scene="Break"),
    seg("panel", duration="45m", scene="Panel"),
    seg("break", duration="15m", scene="Break"),
    seg("closing", start="14:00", duration="30m", scene="Studio Wide"),
))
LATE_LUNCH = [Hold(at("12:55")), Release(at("13:07"))]


def test_on_time_nothing_to_say() -> None:
    p = ev(AFTERNOON, at("13:30"))
    assert p.consequences == ()
    assert all(r.note == "" for r in p.rundown)


def test_panel_late_break_shortened_anchor_holds() -> None:
    p = ev(AFTERNOON, at("13:30"), *LATE_LUNCH)
    assert on_air(p) == "panel"
    assert p.consequences == (
        "panel ends 7 min late; 14:00 holds; break shortened from 15 to 8 min",
    )
    assert row(p, "break").note == "shortened from 15 to 8 min: 14:00 holds"
    assert row(p, "break").projected_start == at("13:52")
    assert row(p, "break").delay == 7 * MIN
    assert row(p, "closing").projected_start == at("14:00")
    assert row(p, "closing").delay == 0 * MIN
    # it then happens as said
    assert on_air(ev(AFTERNOON, at("13:52"), *LATE_LUNCH)) == "break"
    assert on_air(ev(AFTERNOON, at("14:00"), *LATE_LUNCH)) == "closing"


def test_known_already_while_the_delay_builds_up() -> None:
    # during the hold, the producer sees the consequence before it happens
    p = ev(AFTERNOON, at("13:05"), Hold(at("12:55")))
    assert p.next is not None and p.next.waits_for_take
    assert p.consequences == (
        "panel ends 5 min late; 14:00 holds; break shortened from 15 to 10 min",
    )


def test_squeezed_to_nothing_is_reported_not_dropped() -> None:
    acts = [Hold(at("12:55")), Release(at("13:20"))]
    p = ev(AFTERNOON, at("13:21"), *acts)
    assert p.consequences == (
        "panel started 20 min late; 14:00 holds; panel shortened from 45 to 40 min; "
        "break squeezed out (was 15 min)",
    )
    assert row(p, "break").note == "squeezed out: 14:00 holds"
    assert row(p, "break").projected_start == row(p, "break").projected_end == at("14:00")
    p = ev(AFTERNOON, at("14:01"), *acts)
    assert on_air(p) == "closing"
    assert status(p)["break"] == "skipped"
    assert row(p, "panel").projected_end == at("14:00")


def test_a_late_start_past_a_hard_anchor_keeps_what_is_on_air() -> None:
    # lunch held until 14:05: panel starts at release, closing's anchor already passed,
    # so closing follows panel directly and break is squeezed out
    acts = [Hold(at("12:55")), Release(at("14:05"))]
    p = ev(AFTERNOON, at("14:06"), *acts)
    assert on_air(p) == "panel"
    assert p.next is not None and p.next.segment_id == "closing"
    assert row(p, "closing").projected_start == at("14:50")
    assert status(p)["break"] == "pending" and "squeezed out" in row(p, "break").note
    assert p.consequences == (
        "panel ends 1 h 5 min late; closing starts 50 min after its 14:00 anchor; "
        "break squeezed out (was 15 min)",
    )


def test_early_take_gives_time_back_to_soft_segments() -> None:
    p = ev(AFTERNOON, at("12:50"), Take(at("12:50")))
    assert on_air(p) == "panel"
    assert row(p, "break").projected_start == at("13:35")
    assert row(p, "break").projected_end == at("14:00")  # runs until the anchor
    assert p.consequences == ()

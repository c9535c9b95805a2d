"""evaluate(timeline, actions, now): on air, next, desired state at boundary instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from engine_show import (
    MIN,
    SEC,
    STHLM,
    at,
    day_show,
    ev,
    make_show,
    on_air,
    row,
    seg,
    status,
)

from studio.engine.actions import Hold, Nudge, Release, Take
from studio.engine.timeline import compile


def test_before_the_show_nothing_is_touched_and_the_first_cue_is_next() -> None:
    tl = compile(day_show())
    p = ev(tl, at("08:00"))
    assert p.on_air is None and not p.ended
    assert p.next is not None and p.next.segment_id == "slate"
    assert (p.next.countdown, p.next.kind, p.next.waits_for_take) == (45 * MIN, "hard", False)
    d = p.desired
    assert (d.program_scene, d.overlays, d.lower_third_visible, d.streaming) == (
        None, None, None, None)
    assert p.next_change_at == at("08:45")


def test_cue_instants_are_inclusive() -> None:
    tl = compile(day_show())
    assert on_air(ev(tl, at("08:45") - SEC / 1000)) is None
    p = ev(tl, at("08:45"))
    assert on_air(p) == "slate" and p.desired.program_scene == "Holding Slate"
    assert on_air(ev(tl, at("09:00") - SEC)) == "slate"
    p = ev(tl, at("09:00"))
    assert on_air(p) == "welcome"
    assert status(p) == {"slate": "done", "welcome": "on_air", "talk": "next", "qa": "pending",
                         "panel": "pending", "break": "pending", "lunch": "pending"}
    assert on_air(ev(tl, at("09:10"))) == "talk"  # soft: when welcome's 10 min are up
    assert on_air(ev(tl, at("09:55"))) == "talk"  # qa is manual: waits for TAKE
    assert on_air(ev(tl, at("10:00"))) == "panel"  # hard anchor cuts in
    assert on_air(ev(tl, at("10:40"))) == "break"
    assert on_air(ev(tl, at("11:00"))) == "lunch"
    p = ev(tl, at("12:00"))
    assert p.ended and p.on_air is None and p.next is None and p.next_change_at is None
    assert status(p)["qa"] == "skipped"  # never taken: squeezed out by 10:00


def test_desired_state_of_a_segment() -> None:
    tl = compile(day_show())
    p = ev(tl, at("09:00:05"))
    d = p.desired
    assert d.program_scene == "Studio Wide"
    assert (d.transition, d.transition_ms) == ("Fade", 500)
    assert d.overlay_map() == {"LIVE Bug": True, "Clock": False, "Logo Region": True,
                               "Logo Skog": False}
    assert (d.lower_third_visible, d.lower_third_name, d.lower_third_role) == (
        True, "Krister Ruth", "Strateg")
    assert (d.streaming, d.recording) == (True, True)
    assert p.graphics.overlays_up == ("live-bug", "logo-region")
    assert p.graphics.lower_third_on_air == ("Krister Ruth", "Strateg")
    assert p.graphics.lower_third_queued == ("Anna Berg", "Moderator")
    assert p.causes["program"] == "segment welcome starts (09:00 anchor)"
    assert p.causes["overlay:Logo Region"] == "segment welcome (organiser logo)"
    assert p.next_change_at == at("09:00:13")  # the lower third goes out


def test_lower_thirds_in_and_out_and_text_preloaded() -> None:
    tl = compile(day_show())
    p = ev(tl, at("09:00:04"))
    assert p.desired.lower_third_visible is False
    assert p.desired.lower_third_name == "Krister Ruth"  # text ready before it shows
    assert ev(tl, at("09:00:13")).desired.lower_third_visible is False
    p = ev(tl, at("09:00:13"))
    assert p.desired.lower_third_name == "Anna Berg" and p.next_change_at == at("09:01")
    p = ev(tl, at("09:01"))
    assert p.desired.lower_third_visible is True and p.next_change_at == at("09:10")
    assert ev(tl, at("09:10")).desired.lower_third_visible is False  # segment over


def test_transitions_resolved_from_segment_and_catalogue() -> None:
    tl = compile(day_show())
    assert [(s.id, s.transition.name, s.transition.duration_ms) for s in tl.segments] == [
        ("slate", "Fade", 300), ("welcome", "Fade", 500), ("talk", "Cut", None),
        ("qa", "Fade", 300), ("panel", "Fade", 1000), ("break", "Stinger Swoosh", 800),
        ("lunch", "Fade", 300),
    ]


def test_after_the_end_the_last_look_stays_and_stream_stops() -> None:
    tl = compile(day_show())
    p = ev(tl, at("12:30"))
    assert p.desired.program_scene == "End Card"
    assert (p.desired.streaming, p.desired.recording) == (False, False)
    assert p.desired.lower_third_visible is False


def test_countdown_and_next_change() -> None:
    tl = compile(day_show())
    p = ev(tl, at("09:30"))
    assert p.next is not None and p.next.segment_id == "qa"
    assert p.next.kind == "manual" and p.next.waits_for_take
    assert p.next.countdown == 25 * MIN
    assert p.on_air is not None and p.on_air.remaining == 25 * MIN
    assert p.on_air.elapsed == 20 * MIN
    assert p.next_change_at == at("10:00")  # qa waits; the 10:00 anchor is the next change


def test_spring_forward_day() -> None:
    # 2021-03-28: 02:00 -> 03:00 in Stockholm
    d = date(2021, 3, 28)
    tl = compile(make_show(
        seg("night", start="01:30", duration="1h"),
        seg("dawn", duration="30m", scene="Panel"),
        seg("morning", start="04:30", duration="30m", scene="Break"),
        day=d,
    ))
    assert tl.segments[1].planned_start == datetime(2021, 3, 28, 1, 30, tzinfo=UTC)
    p = ev(tl, datetime(2021, 3, 28, 3, 29, 59, tzinfo=STHLM))
    assert on_air(p) == "night"
    assert p.on_air is not None and p.on_air.elapsed == timedelta(minutes=59, seconds=59)
    assert row(p, "dawn").planned_start == datetime(2021, 3, 28, 3, 30, tzinfo=STHLM)
    p = ev(tl, datetime(2021, 3, 28, 3, 30, tzinfo=STHLM))
    assert on_air(p) == "dawn"
    assert p.next is not None and p.next.start == datetime(2021, 3, 28, 4, 30, tzinfo=STHLM)
    assert p.next.countdown == 60 * MIN
    # a gap before a hard anchor: dawn stays on air until it (gaps are warnings in `check`)
    assert p.next_change_at == datetime(2021, 3, 28, 4, 30, tzinfo=STHLM)


def test_autumn_back_day() -> None:
    # 2021-10-31: 03:00 -> 02:00; 01:30 + 2 h real time = the second 02:30
    d = date(2021, 10, 31)
    tl = compile(make_show(
        seg("night", start="01:30", duration="2h"),
        seg("dawn", duration="30m", scene="Panel"),
        day=d,
    ))
    first_0230 = datetime(2021, 10, 31, 2, 30, tzinfo=STHLM, fold=0)
    second_0230 = datetime(2021, 10, 31, 2, 30, tzinfo=STHLM, fold=1)
    assert on_air(ev(tl, first_0230)) == "night"
    p = ev(tl, second_0230)
    assert on_air(p) == "dawn"
    assert p.on_air is not None and f"{p.on_air.started_at:%H:%M %z}" == "02:30 +0100"
    # the projection's times are the show's wall time on the offset in force, so plain
    # subtraction and comparison are those of the instants (no naive wall-clock arithmetic)
    assert row(p, "night").projected_end - row(p, "night").projected_start == timedelta(hours=2)
    assert p.on_air.started_at > first_0230
    assert f"{p.now:%H:%M %Z}" == "02:30 CET"
    assert p.now.utcoffset() == STHLM.utcoffset(second_0230)


def test_past_midnight() -> None:
    tl = compile(make_show(
        seg("late", start="23:30", duration="45m"),
        seg("later", start="00:30 +1d", duration="30m", scene="Panel"),
    ))
    nextday = date(2021, 1, 20)
    p = ev(tl, at("00:15", nextday))
    assert on_air(p) is None or on_air(p) == "late"
    assert p.next is not None and p.next.segment_id == "later"
    assert p.next.start == at("00:30", nextday)
    assert on_air(ev(tl, at("00:30", nextday))) == "later"
    assert ev(tl, at("01:00", nextday)).ended


def test_studio_mode_preview_holds_the_next_scene() -> None:
    tl = compile(day_show())
    p = ev(tl, at("09:20"), studio_mode=True)
    assert (p.desired.program_scene, p.desired.preview_scene) == ("Presentation", "Studio Close")
    assert p.desired.studio_mode is True
    assert p.causes["preview"] == "segment qa is next"
    lead = ev(tl, at("09:20"), studio_mode=True, preview_lead=timedelta(seconds=30))
    assert lead.desired.preview_scene is None
    assert lead.next_change_at == at("09:54:30")
    assert ev(tl, at("09:54:30"), studio_mode=True,
              preview_lead=timedelta(seconds=30)).desired.preview_scene == "Studio Close"
    # not in studio mode: preview is never wanted
    assert ev(tl, at("09:20")).desired.preview_scene is None


def test_a_stress_show_of_1000_segments_is_on_air_where_it_should_be() -> None:
    """(How long it takes is bench/engine_evaluate.py's: a timed test failed under load.)"""
    segs = [seg("s0", start="06:00", duration="1m")]
    segs += [seg(f"s{i}", duration="1m", scene="Panel" if i % 2 else "Break")
             for i in range(1, 1000)]
    tl = compile(make_show(*segs))
    for minute in range(0, 1000, 50):
        p = ev(tl, at("06:00") + minute * MIN + SEC)
        assert on_air(p) == f"s{minute}"


def test_actions_across_daylight_saving_changes() -> None:
    spring = compile(make_show(
        seg("night", start="01:30", duration="1h"),
        seg("dawn", duration="30m", scene="Panel"),
        day=date(2021, 3, 28),
    ))

    def sp(h: int, m: int) -> datetime:
        return datetime(2021, 3, 28, h, m, tzinfo=STHLM)

    # 01:50 CET + NUDGE 20 min: night ends at 03:50 CEST (real time: 1 h 20 min after 01:30)
    p = ev(spring, sp(1, 55), Nudge(sp(1, 50), seconds=1200))
    assert row(p, "dawn").projected_start == sp(3, 50)
    assert p.on_air is not None and p.on_air.remaining == timedelta(minutes=55)
    p = ev(spring, sp(3, 45), Hold(sp(3, 20)), Release(sp(3, 40)))
    assert on_air(p) == "dawn" and row(p, "dawn").projected_end == sp(4, 10)
    # 01:30 CET to 03:40 CEST is 1 h 10 min of real time: the rows subtract as instants
    assert row(p, "night").projected_end - row(p, "night").projected_start == timedelta(
        hours=1, minutes=10)
    autumn = compile(make_show(
        seg("night", start="01:30", duration="2h"),
        seg("dawn", duration="2h", scene="Panel"),
        day=date(2021, 10, 31),
    ))
    first = datetime(2021, 10, 31, 2, 15, tzinfo=STHLM, fold=0)
    second = datetime(2021, 10, 31, 2, 15, tzinfo=STHLM, fold=1)
    p = ev(autumn, second, Take(first))
    assert on_air(p) == "dawn"
    assert p.on_air is not None and p.on_air.elapsed == timedelta(hours=1)
    assert p.next_change_at is not None
    assert p.next_change_at.astimezone(UTC) == first.astimezone(UTC) + timedelta(hours=2)

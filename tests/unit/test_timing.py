"""Planned times: hard anchors, soft chains, DST nights, past midnight, problems reported."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.show.model import Catalogue, LowerThirdSource, Segment, Show, TimeOfDay
from studio.show.timing import (
    AmbiguousLocalTime,
    NonexistentLocalTime,
    UnknownTimeZone,
    analyse,
    localize,
    lower_third_problems,
    plan_times,
)

STHLM = ZoneInfo("Europe/Stockholm")
CAT = Catalogue(
    scenes=["A", "B"],
    graphics_scene="Graphics",
    lower_third=LowerThirdSource(source="Lower Third", name_input="LT Name", role_input="LT Role"),
)


def seg(id: str, **kw: Any) -> Segment:
    kw.setdefault("scene", "A")
    return Segment.model_validate({"id": id, **kw})


def show(*segments: Segment, day: date = date(2021, 1, 19), tz: str = "Europe/Stockholm") -> Show:
    return Show(title="t", date=day, timezone=tz, segments=segments, catalogue=CAT, organisers={})


def tod(text: str) -> TimeOfDay:
    return Segment.model_validate({"id": "x", "scene": "A", "start": text}).start  # type: ignore[return-value]


def local(y: int, mo: int, d: int, h: int, mi: int, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=STHLM, fold=fold)


def test_hard_soft_and_until_next_start() -> None:
    times = plan_times(show(
        seg("slate", start="08:45"),
        seg("welcome", start="09:00", duration="10m"),
        seg("talk", duration="45m", manual=True),
        seg("lunch", start="10:00", duration="1h"),
    ))
    assert [(t.segment_id, t.anchor, t.manual) for t in times] == [
        ("slate", "hard", False), ("welcome", "hard", False),
        ("talk", "soft", True), ("lunch", "hard", False),
    ]
    assert times[0].start == local(2021, 1, 19, 8, 45)
    assert times[0].end == local(2021, 1, 19, 9, 0)  # runs until the next start
    assert times[2].start == local(2021, 1, 19, 9, 10)
    assert times[2].end == local(2021, 1, 19, 9, 55)
    assert times[3].end == local(2021, 1, 19, 11, 0)
    assert all(t.start.tzinfo is STHLM for t in times)


def test_past_midnight() -> None:
    times = plan_times(show(
        seg("late", start="23:30", duration="45m"),
        seg("later", start="00:30 +1d", duration="30m"),
    ))
    assert times[0].end == local(2021, 1, 20, 0, 15)
    assert times[1].start == local(2021, 1, 20, 0, 30)
    assert times[1].end == local(2021, 1, 20, 1, 0)


def test_spring_forward_durations_are_real_time() -> None:
    report = analyse(show(seg("night", start="01:30", duration="1h"), day=date(2021, 3, 28)))
    assert report.problems == ()
    t = report.times[0]
    assert t.end == local(2021, 3, 28, 3, 30)  # wall clock jumps 02:00 -> 03:00
    assert t.duration == timedelta(hours=1)


def test_autumn_back_durations_are_real_time() -> None:
    t = plan_times(show(seg("night", start="01:30", duration="2h"), day=date(2021, 10, 31)))[0]
    # 01:30 CEST + 2 h real = 02:30 CET (the second 02:30 of the night)
    assert t.end.astimezone(UTC) == datetime(2021, 10, 30, 23, 30, tzinfo=UTC) + timedelta(hours=2)
    assert (t.end.hour, t.end.minute, t.end.fold) == (2, 30, 1)
    assert t.duration == timedelta(hours=2)


def test_localize_gap_and_fold_raise_clear_errors() -> None:
    with pytest.raises(NonexistentLocalTime, match=r"02:30 does not exist on 2021-03-28"):
        localize(date(2021, 3, 28), tod("02:30"), "Europe/Stockholm")
    with pytest.raises(AmbiguousLocalTime, match=r"02:30 happens twice on 2021-10-31"):
        localize(date(2021, 10, 31), tod("02:30"), STHLM)
    with pytest.raises(UnknownTimeZone, match="Mars/Olympus"):
        localize(date(2021, 10, 31), tod("02:30"), "Mars/Olympus")
    # boundaries of the gap and fold are fine
    assert localize(date(2021, 3, 28), tod("03:00"), STHLM).utcoffset() == timedelta(hours=2)
    assert localize(date(2021, 3, 28), tod("01:59:59"), STHLM).utcoffset() == timedelta(hours=1)
    assert localize(date(2021, 10, 31), tod("03:00"), STHLM).utcoffset() == timedelta(hours=1)
    assert localize(date(2021, 10, 31), tod("01:59"), STHLM).utcoffset() == timedelta(hours=2)


def test_dst_problems_reported_with_path_not_raised() -> None:
    report = analyse(show(
        seg("a", start="01:00", duration="30m"),
        seg("b", start="02:30", duration="30m"),
        day=date(2021, 3, 28),
    ))
    assert [(p.path, p.severity) for p in report.problems if "exist" in p.message] == [
        (("segments", 1, "start"), "error")
    ]
    assert len(report.times) == 2  # still planned, with a fallback


def test_out_of_order_overlap_gap() -> None:
    report = analyse(show(
        seg("a", start="09:00", duration="30m"),
        seg("b", duration="45m"),
        seg("c", start="10:00", duration="10m"),  # b ends 10:15: overlap
        seg("d", start="10:30", duration="10m"),  # c ends 10:10: gap of 20 min
        seg("e", start="10:20", duration="10m"),  # before d: out of order
    ))
    msgs = {p.path: (p.severity, p.message) for p in report.problems}
    assert msgs[("segments", 2, "start")][0] == "error"
    assert "overlap of 15 min" in msgs[("segments", 2, "start")][1]
    assert msgs[("segments", 3, "start")] == (
        "warning", "gap of 20 min between 'c' (ends 10:10) and 'd' (starts 10:30)"
    )
    assert msgs[("segments", 4, "start")][0] == "error"
    assert "out of order" in msgs[("segments", 4, "start")][1]


def test_invalid_shows_never_crash() -> None:
    report = analyse(show(seg("a", duration="5m"), seg("b"), seg("c"), tz="Nowhere/Land"))
    paths = [p.path for p in report.problems]
    assert ("timezone",) in paths
    assert ("segments", 0) in paths  # first needs a start
    assert ("segments", 1) in paths  # no duration, next has no start
    assert ("segments", 2) in paths  # last needs a duration
    assert len(report.times) == 3


def test_lower_third_beyond_segment() -> None:
    s = show(seg("a", start="09:00", duration="1m", lower_thirds=[
        {"name": "X", "at": "30s"}, {"name": "Y", "at": "2m"}]))
    assert [p.path for p in lower_third_problems(s)] == [("segments", 0, "lower_thirds", 1, "at")]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(
        st.none() | st.tuples(st.integers(0, 23), st.sampled_from([0, 30]), st.integers(0, 1)),
        st.none() | st.integers(1, 180),
    ), min_size=1, max_size=8),
    st.sampled_from([date(2021, 1, 19), date(2021, 3, 27), date(2021, 3, 28),
                     date(2021, 10, 30), date(2021, 10, 31)]),
)
def test_analyse_never_raises_and_keeps_time_moving_forward(
    spec: list[tuple[tuple[int, int, int] | None, int | None]], day: date
) -> None:
    segs = []
    for i, (start, minutes) in enumerate(spec):
        kw: dict[str, Any] = {}
        if start is not None:
            h, m, d = start
            kw["start"] = f"{h:02d}:{m:02d}" + (" +1d" if d else "")
        if minutes is not None:
            kw["duration"] = f"{minutes}m"
        segs.append(seg(f"s{i}", **kw))
    report = analyse(show(*segs, day=day))
    assert len(report.times) == len(segs)
    for t in report.times:
        assert t.end.astimezone(UTC) >= t.start.astimezone(UTC) and t.start.tzinfo is STHLM
        assert t.duration >= timedelta(0)
    for p in report.problems:
        assert p.path[0] in ("segments", "timezone") and p.message

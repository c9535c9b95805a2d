"""Daylight-saving days, as properties: a rehearsal's virtual clock and a clock that steps in
UTC (the real one) read the same instants, those readings run forward as instants, and the show
switches once per cue at the planned instant, whatever the zone and whatever the shift (an hour,
or Lord Howe Island's 30 minutes), on fall-back and spring-forward days alike.

The runner compares and subtracts what the clock and the engine hand out, with plain ``<`` and
``-``: the properties use those operators on purpose, as the runner does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from engine_show import CATALOGUE, ORGANISERS, seg
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.clock import RealClock, VirtualClock
from studio.engine.core import evaluate
from studio.engine.timeline import Timeline, compile
from studio.show.model import Show

# (zone, the day, the UTC instant the clocks change that night)
DST_DAYS = [
    ("Europe/Stockholm", date(2021, 10, 31), datetime(2021, 10, 31, 1, 0, tzinfo=UTC)),  # back
    ("Europe/Stockholm", date(2021, 3, 28), datetime(2021, 3, 28, 1, 0, tzinfo=UTC)),  # forward
    ("America/New_York", date(2021, 11, 7), datetime(2021, 11, 7, 6, 0, tzinfo=UTC)),  # back
    ("Australia/Lord_Howe", date(2021, 4, 4), datetime(2021, 4, 3, 15, 0, tzinfo=UTC)),  # 30 min
    ("Australia/Lord_Howe", date(2021, 10, 3), datetime(2021, 10, 2, 15, 30, tzinfo=UTC)),
]
SCENES = ["Studio Wide", "Panel", "Break", "Presentation", "Studio Close", "Holding Slate",
          "End Card"]


def _show(zone: str, day: date, start: datetime, minutes: list[int]) -> Show:
    """A hard anchor at ``start`` (UTC), then soft segments of ``minutes``, each its own scene."""
    local = start.astimezone(ZoneInfo(zone))
    segments = [
        seg(f"s{i}", scene=SCENES[i % len(SCENES)], duration=f"{m}m",
            **({"start": f"{local:%H:%M}"} if i == 0 else {}))
        for i, m in enumerate(minutes)
    ]
    return Show(title="dst", date=day, timezone=zone, segments=tuple(segments),
                catalogue=CATALOGUE, organisers=ORGANISERS)


def _planned(tl: Timeline) -> list[tuple[datetime, str]]:
    return [(p.planned_start.astimezone(UTC), p.scene) for p in tl.segments]


night = st.sampled_from(DST_DAYS).flatmap(lambda d: st.tuples(
    st.just(d),
    # the anchor: 61 to 150 min before the change (whole minutes, outside any repeated hour)
    st.integers(min_value=61, max_value=150),
    st.lists(st.integers(min_value=3, max_value=40), min_size=2, max_size=7),
    st.integers(min_value=20, max_value=120),  # the clocks' step, seconds of show time
    st.sampled_from([1.0, 60.0, 600.0]),  # the rehearsal's speed
))


@settings(max_examples=30, deadline=None)
@given(night)
def test_virtual_and_utc_clocks_agree_and_the_show_switches_once_per_cue(case: tuple) -> None:
    (zone, day, change), before, minutes, step_s, speed = case
    tz = ZoneInfo(zone)
    start = change - timedelta(minutes=before)
    tl = compile(_show(zone, day, start, minutes))
    assert not [p for p in tl.problems if p.severity == "error"]
    planned = _planned(tl)
    begin = start - timedelta(minutes=1)
    end = tl.segments[-1].planned_end.astimezone(UTC) + timedelta(minutes=1)

    utc = [begin]  # what the system clock says: it steps in UTC
    real = RealClock(tz, utc_now=lambda: utc[0])
    wall = [1_000_000.0]  # the rehearsal's real time (seconds)
    virtual = VirtualClock(begin.astimezone(tz), speed=speed, real_time=lambda: wall[0])

    step = timedelta(seconds=step_s)
    t = begin
    prev_reading: datetime | None = None
    scenes: list[tuple[datetime, str]] = []
    program: str | None = None
    while t <= end:
        utc[0] = t
        wall[0] = 1_000_000.0 + (t - begin).total_seconds() / speed
        r, v = real.now(), virtual.now()
        # both read the same instant and print the same wall time and offset
        assert r == v == t
        assert f"{r:%Y-%m-%d %H:%M:%S %z}" == f"{v:%Y-%m-%d %H:%M:%S %z}" == \
            f"{t.astimezone(tz):%Y-%m-%d %H:%M:%S %z}"
        # readings run forward and subtract to the real time between them
        if prev_reading is not None:
            assert prev_reading < r and r - prev_reading == step
        prev_reading = r
        assert abs(virtual.wall_time_for(v).timestamp() - wall[0]) < 1e-3
        p = evaluate(tl, [], r)
        nxt = p.next_change_at
        assert nxt is None or nxt > r  # the next wake-up is always ahead of now
        scene = p.desired.program_scene
        if scene is not None and scene != program:
            scenes.append((t, scene))
            program = scene
        t += step

    # one switch per cue, in order, each seen at the first step at or after its planned instant
    assert [s for _, s in scenes] == [s for _, s in planned]
    for (seen, scene), (due, want) in zip(scenes, planned, strict=True):
        assert scene == want and due <= seen < due + step


@settings(max_examples=30, deadline=None)
@given(night)
def test_wake_ups_follow_the_plan_on_either_clock(case: tuple) -> None:
    """Jump from wake-up to wake-up, as the scheduler does: every ``next_change_at`` is a planned
    segment change, met once, in order, on the virtual clock and on the UTC clock alike."""
    (zone, day, change), before, minutes, _, speed = case
    tz = ZoneInfo(zone)
    start = change - timedelta(minutes=before)
    tl = compile(_show(zone, day, start, minutes))
    begin = start - timedelta(minutes=1)
    utc = [begin]
    wall = [50.0]
    clocks = {
        "utc": (RealClock(tz, utc_now=lambda: utc[0]),
                lambda w: utc.__setitem__(0, w)),
        "virtual": (VirtualClock(begin.astimezone(tz), speed=speed, real_time=lambda: wall[0]),
                    lambda w: wall.__setitem__(0, w.timestamp())),
    }
    runs: dict[str, list[tuple[datetime, str | None]]] = {}
    for name, (clock, set_wall) in clocks.items():
        seen: list[tuple[datetime, str | None]] = []
        now = clock.now()
        p = evaluate(tl, [], now)
        while p.next_change_at is not None and len(seen) < 50:
            due = p.next_change_at
            set_wall(clock.wall_time_for(due))  # the scheduler wakes up at this wall time
            now = clock.now()
            assert abs((now - due).total_seconds()) < 1e-3
            p = evaluate(tl, [], now)
            seen.append((now.astimezone(UTC).replace(microsecond=0), p.desired.program_scene))
        runs[name] = seen
    assert runs["utc"] == runs["virtual"]
    starts = [(t, s) for t, s in runs["utc"]][: len(tl.segments)]
    assert starts == _planned(tl)
    assert len(runs["utc"]) == len(tl.segments) + 1  # and the show's end

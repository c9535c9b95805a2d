"""The autumn night (Europe/Stockholm, 2021-10-31, 03:00 -> 02:00): soft segments across the
repeated hour go on air once each, at their instant, on the screen and in OBS; the show ends at
the right time. Rehearsed as a producer does (``studio rehearse --headless``), and driven through
the controller on a clock that steps in UTC like the real one and on a rehearsal's virtual clock.

The issue saw Panel and Break switch back and forth 19 times and the next segment go on air an
hour early (virtual clock), and the two scenes alternate every 20 s for 18 minutes (UTC clock).
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.clock import Clock, RealClock, VirtualClock
from studio.obs.connection import ObsConnectionSettings
from studio.obs.events import ObsEvent, ProgramSceneChanged
from studio.obs.gateway import ObsGateway
from studio.obs.simulator import Simulator
from studio.runner.asrun import AsRunWriter, read_asrun
from studio.runner.controller import Controller
from studio.runner.ports import gateway_factory
from studio.runner.scheduler import ManualScheduler
from studio.show.loader import load_show

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
TZ = ZoneInfo("Europe/Stockholm")
WAIT = 5.0  # upper bound for anything awaited; never a sleep

# open 01:30-02:00 CEST | panel 02:00-02:40 CEST | pause 02:40 CEST-02:20 CET (the repeated
# hour) | talk 02:20-02:50 CET | end 02:50-03:10 CET
SHOW = """\
show: Autumn night
date: 2021-10-31
timezone: Europe/Stockholm
catalogue: {catalogue}
segments:
  - {{ id: open, start: "01:30", duration: 30m, scene: Studio Wide, transition: cut }}
  - {{ id: panel, duration: 40m, scene: Panel, transition: cut }}
  - {{ id: pause, duration: 40m, scene: Break, transition: cut }}
  - {{ id: talk, duration: 30m, scene: Presentation, transition: cut }}
  - {{ id: end, duration: 20m, scene: Studio Close, transition: cut }}
"""
SCENES = ["Studio Wide", "Panel", "Break", "Presentation", "Studio Close"]
IDS = ["open", "panel", "pause", "talk", "end"]
# the planned instants (UTC): 01:30 CEST is 23:30 UTC the day before
STARTS = [datetime(2021, 10, 30, 23, 30, tzinfo=UTC) + timedelta(minutes=m)
          for m in (0, 30, 70, 110, 140)]
END = datetime(2021, 10, 31, 2, 10, tzinfo=UTC)  # 03:10 CET


@pytest.fixture
def show_path(tmp_path: Path) -> Path:
    path = tmp_path / "autumn.yaml"
    path.write_text(SHOW.format(catalogue=CATALOGUE), encoding="utf-8")
    return path


def test_rehearsing_the_autumn_night_airs_each_segment_once(show_path: Path,
                                                             tmp_path: Path) -> None:
    asrun = tmp_path / "autumn.rehearsal.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "rehearse", str(show_path), "--headless",
         "--speed", "600", "--from", "01:25", "--as-run", str(asrun)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    on_air = [line.split("ON AIR ", 1)[1].split("  [")[0] for line in proc.stdout.splitlines()
              if "ON AIR " in line]
    assert on_air == [f"{i} [{i}] on {s}" for i, s in zip(IDS, SCENES, strict=True)]
    # the show ends after the last segment's 20 minutes, at 03:10 CET, not an hour early
    end_line = next(line for line in proc.stdout.splitlines() if " END " in line)
    assert end_line.startswith("03:10:")
    records = [r for r in read_asrun(asrun) if r.get("kind") == "cue"]
    aired = [(r["cue"], datetime.fromisoformat(r["scheduled"])) for r in records
             if r["text"].startswith("ON AIR")]
    assert aired == list(zip(IDS, STARTS, strict=True))
    ended = [datetime.fromisoformat(r["scheduled"]) for r in records
             if r["text"] == "show ended"]
    assert ended == [END]
    switches = [c for r in records for c in r["commands"] if c["command"] == "SetProgramScene"]
    assert [c["scene"] for c in switches] == SCENES


@pytest.fixture
def sim() -> Iterator[Simulator]:
    s = Simulator(frame_ms=5.0)
    s.start()
    yield s
    s.stop()


Wall = Callable[[datetime], None]


MakeClock = Callable[[datetime, ZoneInfo], tuple[Clock, Wall, Callable[[datetime], datetime]]]


def _utc_clock(start: datetime, tz: ZoneInfo) -> tuple[Clock, Wall,
                                                        Callable[[datetime], datetime]]:
    """The real clock on a system clock that steps in UTC: show time is wall time."""
    box = [start]
    return RealClock(tz, utc_now=lambda: box[0]), lambda w: box.__setitem__(0, w), lambda t: t


def _virtual_clock(start: datetime, tz: ZoneInfo) -> tuple[Clock, Wall,
                                                            Callable[[datetime], datetime]]:
    """A rehearsal at 60x: one real second is a minute of the show."""
    box = [1_000.0]
    clock = VirtualClock(start.astimezone(tz), speed=60.0, real_time=lambda: box[0])
    return (clock, lambda w: box.__setitem__(0, w.timestamp()),
            lambda t: datetime.fromtimestamp(1_000.0 + (t - start).total_seconds() / 60, UTC))


# (zone, date, first start, its UTC instant): the clocks change within the segments that follow
NIGHTS = [
    ("Europe/Stockholm", "2021-10-31", "01:30", datetime(2021, 10, 30, 23, 30, tzinfo=UTC)),
    ("Europe/Stockholm", "2021-03-28", "01:30", datetime(2021, 3, 28, 0, 30, tzinfo=UTC)),
    ("America/New_York", "2021-11-07", "00:30", datetime(2021, 11, 7, 4, 30, tzinfo=UTC)),
    ("America/New_York", "2021-03-14", "01:00", datetime(2021, 3, 14, 6, 0, tzinfo=UTC)),
    # Lord Howe Island shifts by 30 minutes: 02:00 +11 -> 01:30 +10:30 (and back in October)
    ("Australia/Lord_Howe", "2021-04-04", "01:00", datetime(2021, 4, 3, 14, 0, tzinfo=UTC)),
    ("Australia/Lord_Howe", "2021-10-03", "01:00", datetime(2021, 10, 2, 14, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize("night", NIGHTS, ids=[f"{z}-{d}" for z, d, _, _ in NIGHTS])
@pytest.mark.parametrize("make_clock", [_utc_clock, _virtual_clock], ids=["utc", "virtual"])
def test_one_program_switch_per_cue_across_the_change(
    tmp_path: Path, sim: Simulator, make_clock: MakeClock,
    night: tuple[str, str, str, datetime],
) -> None:
    zone, day, first, first_utc = night
    tz = ZoneInfo(zone)
    show_path = tmp_path / "night.yaml"
    show_path.write_text(SHOW.format(catalogue=CATALOGUE).replace(
        "2021-10-31", day).replace("Europe/Stockholm", zone).replace('"01:30"', f'"{first}"'),
        encoding="utf-8")
    # real elapsed time from the first start (30, 40, 40, 30, 20 min), whatever the wall says
    starts = [first_utc + timedelta(minutes=m) for m in (0, 30, 70, 110, 140)]
    end = first_utc + timedelta(minutes=160)
    show = load_show(show_path)
    sim.load_catalogue(show.catalogue)
    events: queue.Queue[ObsEvent] = queue.Queue()
    viewer = ObsGateway(ObsConnectionSettings(port=sim.port), on_event=events.put)
    viewer.start()
    assert viewer.wait_connected(WAIT)
    begin = starts[0] - timedelta(minutes=1)
    clock, set_wall, wall_of = make_clock(begin, tz)
    asrun_path = tmp_path / "asrun.jsonl"
    ctl = Controller(show, clock, gateway_factory(ObsConnectionSettings(port=sim.port,
                                                                        timeout=2.0)),
                     asrun=AsRunWriter(asrun_path), scheduler_factory=ManualScheduler)
    sched = ctl.scheduler
    assert isinstance(sched, ManualScheduler)
    ctl.start()
    try:
        assert ctl.wait_for(lambda: ctl.status().connection == "connected", WAIT)
        assert ctl.flush(WAIT)
        screen: list[str | None] = []  # what the operator's screen shows on air, step by step
        t = begin
        while t < end + timedelta(minutes=2) and not ctl.finished.is_set():
            t += timedelta(seconds=20)
            # as APScheduler does: each wake-up at its wall time (clock.wall_time_for), in order
            fired = 0
            while sched.due is not None and clock.wall_time_for(sched.due) <= wall_of(t):
                fired += 1
                assert fired < 10, f"the controller keeps waking up for {sched.due}"
                set_wall(clock.wall_time_for(sched.due))
                sched.fire()
                assert ctl.flush(WAIT)
                assert ctl.wait_for(lambda: not ctl.tracker.pending, WAIT)
            set_wall(wall_of(t))
            p = ctl.projection()
            screen.append(p.on_air.segment_id if p.on_air else None)
        assert ctl.finished.is_set()
        assert clock.now() >= end and clock.now() - end < timedelta(seconds=20)
    finally:
        ctl.stop()
    programs: list[str] = []
    while len(programs) < len(SCENES):  # a flicker would show among these already
        ev = events.get(timeout=WAIT)
        if isinstance(ev, ProgramSceneChanged):
            programs.append(ev.scene)
    viewer.stop()
    while not events.empty():  # and nothing after the last one
        ev = events.get_nowait()
        if isinstance(ev, ProgramSceneChanged):
            programs.append(ev.scene)
    assert programs == SCENES  # one switch per cue, as seen by an independent client
    # the screen went through the segments once each, in order
    assert [s for k, s in enumerate(screen) if k == 0 or screen[k - 1] != s] == [None, *IDS, None]
    records = [r for r in read_asrun(asrun_path) if r.get("kind") == "cue"]
    sent = [(r["cue"], datetime.fromisoformat(r["sent"])) for r in records
            if r["text"].startswith("ON AIR")]
    assert [c for c, _ in sent] == IDS
    for (_, at), due in zip(sent, starts, strict=True):
        assert abs((at - due).total_seconds()) < 1.0  # at its instant, not an hour off
    assert json.dumps(records)  # every record is plain JSON

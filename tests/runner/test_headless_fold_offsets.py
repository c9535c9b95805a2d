"""On the autumn night the repeated hour happens twice: a headless line printed in it carries
the UTC offset (``02:40:00+02``, then ``02:20:00+01``), so the two 02:30s of the night never
read the same; outside that hour the lines stay as they were (``01:30:00``)."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from studio.clock import local_instant
from studio.runner.api import LogEntry
from studio.runner.headless import format_entry, line_printer
from studio.tui.format import clock_text, time_text

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
# open 01:30-02:00 CEST | panel 02:00-02:40 CEST | pause 02:40 CEST-02:20 CET (the repeated
# hour) | talk 02:20-02:50 CET | end 02:50-03:10 CET
SHOW = f"""\
show: Autumn night
date: 2021-10-31
timezone: Europe/Stockholm
catalogue: {CATALOGUE}
segments:
  - {{ id: open, start: "01:30", duration: 30m, scene: Studio Wide, transition: cut }}
  - {{ id: panel, duration: 40m, scene: Panel, transition: cut }}
  - {{ id: pause, duration: 40m, scene: Break, transition: cut }}
  - {{ id: talk, duration: 30m, scene: Presentation, transition: cut }}
  - {{ id: end, duration: 20m, scene: Studio Close, transition: cut }}
"""


def test_a_headless_rehearsal_of_the_autumn_night_prints_the_offset_in_the_repeated_hour(
    tmp_path: Path,
) -> None:
    show = tmp_path / "autumn.yaml"
    show.write_text(SHOW, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "studio", "rehearse", str(show), "--headless", "--speed", "max",
         "--from", "01:25", "--as-run", str(tmp_path / "asrun.jsonl")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    on_air = [line.split("  CUE")[0] + " " + line.split("ON AIR ")[1].split(" ")[0]
              for line in proc.stdout.splitlines() if "ON AIR " in line]
    assert on_air == ["01:30:00 open", "02:00:00+02 panel", "02:40:00+02 pause",
                      "02:20:00+01 talk", "02:50:00+01 end"]
    assert any(line.startswith("03:10:00  END ") for line in proc.stdout.splitlines())


def test_the_two_half_past_twos_of_the_night_read_differently() -> None:
    tz = ZoneInfo("Europe/Stockholm")
    first = local_instant(datetime(2021, 10, 31, 0, 30, tzinfo=UTC), tz)
    second = local_instant(datetime(2021, 10, 31, 1, 30, tzinfo=UTC), tz)
    out = io.StringIO()
    emit = line_printer(out, tz)
    emit(LogEntry(at=first, kind="info", text="first"))
    emit(LogEntry(at=second, kind="info", text="second"))
    assert out.getvalue().splitlines() == ["02:30:00+02  INFO     first",
                                           "02:30:00+01  INFO     second"]
    # the screen's helpers say the same when they are given the zone
    assert (clock_text(first, tz), clock_text(second, tz)) == ("02:30:00+02", "02:30:00+01")
    assert time_text(second, tz=tz) == "02:30+01"
    assert clock_text(second) == "02:30:00"  # no zone given: as before


def test_lord_howe_s_half_hour_fold_prints_its_half_hour_offset() -> None:
    tz = ZoneInfo("Australia/Lord_Howe")  # 2026-04-05: 02:00 (+11) back to 01:30 (+10:30)
    first = local_instant(datetime(2026, 4, 4, 14, 45, tzinfo=UTC), tz)
    second = local_instant(datetime(2026, 4, 4, 15, 15, tzinfo=UTC), tz)
    outside = local_instant(datetime(2026, 4, 4, 16, 0, tzinfo=UTC), tz)
    stamps = [format_entry(LogEntry(at=t, kind="cue", text="x"), tz=tz).split("  ")[0]
              for t in (first, second, outside)]
    assert stamps == ["01:45:00+11", "01:45:00+10:30", "02:30:00"]

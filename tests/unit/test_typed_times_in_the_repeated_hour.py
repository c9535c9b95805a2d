"""A time typed for the autumn's repeated hour (``--from``, an ``--actions`` line) says which of
the two it means with its UTC offset, as the screen and the headless lines print it
(``02:30+02`` the first time, ``02:30+01`` the second); typed bare it is refused, naming both,
where it used to mean the first without a word (a producer rehearsing the second 02:30 got the
first)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.runner.actions_file import load_actions
from studio.show.diagnostics import ShowError
from studio.show.loader import load_show
from studio.show.timing import show_time

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"

NIGHT = """\
show: Autumn night
date: {date}
timezone: {zone}
catalogue: {catalogue}
segments:
  - id: open
    start: "01:00"
    duration: 4h
    scene: Holding Slate
"""

# zone, date, typed time, its two offsets, and the UTC instants they are
CASES = [
    ("Europe/Stockholm", "2026-10-25", "02:30", "+02", "+01",
     datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    # Lord Howe goes back half an hour: 02:00 (+11) -> 01:30 (+10:30)
    ("Australia/Lord_Howe", "2026-04-05", "01:45", "+11", "+10:30",
     datetime(2026, 4, 4, 14, 45, tzinfo=UTC), datetime(2026, 4, 4, 15, 15, tzinfo=UTC)),
]


def night(tmp_path: Path, zone: str, date: str) -> Path:
    path = tmp_path / "night.yaml"
    path.write_text(NIGHT.format(date=date, zone=zone, catalogue=CATALOGUE), encoding="utf-8")
    return path


@pytest.mark.parametrize(("zone", "date", "typed", "first", "second", "utc1", "utc2"), CASES)
def test_the_offset_says_which(tmp_path: Path, zone: str, date: str, typed: str, first: str,
                               second: str, utc1: datetime, utc2: datetime) -> None:
    show = load_show(night(tmp_path, zone, date))
    assert show_time(show, typed + first) == utc1
    assert show_time(show, typed + second) == utc2
    assert show_time(show, typed + second).utcoffset() != show_time(show, typed + first
                                                                     ).utcoffset()


@pytest.mark.parametrize(("zone", "date", "typed", "first", "second", "utc1", "utc2"), CASES)
def test_bare_it_is_refused_naming_both(tmp_path: Path, zone: str, date: str, typed: str,
                                        first: str, second: str, utc1: datetime,
                                        utc2: datetime) -> None:
    show = load_show(night(tmp_path, zone, date))
    with pytest.raises(ValueError, match=rf"happens twice .* {typed}\{first} is the first, "
                                         rf"{typed}\{second} the second"):
        show_time(show, typed)


def test_an_offset_the_zone_is_not_on_is_refused(tmp_path: Path) -> None:
    show = load_show(night(tmp_path, "Europe/Stockholm", "2026-10-25"))
    with pytest.raises(ValueError, match=r"02:30\+05: Europe/Stockholm is on \+01 or \+02 then"):
        show_time(show, "02:30+05")
    assert show_time(show, "04:00+01") == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)


def test_an_actions_line_takes_the_offset_and_is_refused_bare(tmp_path: Path) -> None:
    show = load_show(night(tmp_path, "Europe/Stockholm", "2026-10-25"))
    start = show_time(show, "01:00")
    actions = tmp_path / "acts.txt"
    actions.write_text("02:30+01 hold\n", encoding="utf-8")
    [hold] = load_actions(actions, show, start)
    assert hold.at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    actions.write_text("# the second time round\n  02:30 hold\n", encoding="utf-8")
    with pytest.raises(ShowError) as err:
        load_actions(actions, show, start)
    [diagnostic] = err.value.diagnostics
    assert (diagnostic.line, diagnostic.column) == (2, 3)
    assert "02:30+02 is the first, 02:30+01 the second" in diagnostic.message

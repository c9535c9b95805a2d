"""The shipped Digital vecka week loads cleanly and means what the press release says."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from studio.show.loader import check_file, load_catalogue, load_show
from studio.show.timing import plan_times

ROOT = Path(__file__).resolve().parents[2]
WEEK_DIR = ROOT / "schedules" / "digital-vecka-2021"
WEEK = sorted(WEEK_DIR.glob("2021-*.yaml"))


def test_the_week_has_one_file_per_day() -> None:
    assert [load_show(p).date for p in WEEK] == [date(2021, 1, d) for d in (19, 20, 21, 22)]


@pytest.mark.parametrize("path", WEEK, ids=[p.stem for p in WEEK])
def test_each_day_checks_without_errors_or_warnings(path: Path) -> None:
    show, diagnostics = check_file(path)
    assert diagnostics == []
    assert show is not None
    assert 8 <= len(show.segments) <= 15
    assert show.timezone == "Europe/Stockholm"
    assert show.segments[0].stream == "start" and show.segments[-1].stream == "stop"
    assert show.segments[-1].scene == "End Card"
    assert any(seg.manual for seg in show.segments)
    assert any(ch in show.title for ch in "åäö–")


def test_organisers_and_partners_from_the_press_release() -> None:
    show = load_show(WEEK[0])
    names = {o.name for o in show.organisers.values()}
    assert names == {"Region Västerbotten", "Skogstekniska Klustret", "Kunskapsnoden",
                     "Skellefteå Kommun", "Umeå universitet"}
    for organiser in show.organisers.values():
        assert organiser.logo in show.catalogue.overlays
    used = {o for p in WEEK for seg in load_show(p).segments for o in seg.overlays}
    assert {"partner-sparbanksstiftelsen", "partner-skelleftea-kraft", "partner-umea-energi",
            "partner-balticgruppen"} <= used
    organisers_used = {seg.organiser for p in WEEK for seg in load_show(p).segments}
    assert set(show.organisers) <= organisers_used


def test_lower_thirds_name_the_people_of_the_press_release() -> None:
    thirds = {(lt.name, lt.role) for p in WEEK for seg in load_show(p).segments
              for lt in seg.lower_thirds}
    assert ("Krister Ruth", "Strateg Externa relationer, Region Västerbotten") in thirds
    assert ("Thomas Hartman", "chef Externa relationer och strategisk platsutveckling, "
            "Region Västerbotten") in thirds


def test_first_day_plan_in_stockholm_time() -> None:
    times = plan_times(load_show(WEEK[0]))
    assert times[0].start.isoformat() == "2021-01-19T08:45:00+01:00"
    assert times[1].start.isoformat() == "2021-01-19T09:00:00+01:00"
    assert [t.anchor for t in times[:3]] == ["hard", "hard", "soft"]
    assert times[-1].end.isoformat() == "2021-01-19T13:45:00+01:00"
    for before, after in itertools.pairwise(times):
        assert before.end == after.start  # no gaps, no overlaps in the shipped week


def test_catalogue_loads() -> None:
    catalogue = load_catalogue(ROOT / "scenes" / "campus-studio.yaml")
    assert catalogue.graphics_scene == "Graphics"
    assert "Holding Slate" in catalogue.scenes


def test_check_file_recognises_catalogue_and_organisers_files() -> None:
    assert check_file(ROOT / "scenes" / "campus-studio.yaml") == (None, [])
    assert check_file(WEEK_DIR / "organisers.yaml") == (None, [])


def test_inline_organisers(tmp_path: Path) -> None:
    (tmp_path / "show.yaml").write_text(
        "show: Inline\ndate: 2021-01-19\ntimezone: Europe/Stockholm\n"
        f"catalogue: {ROOT / 'scenes' / 'campus-studio.yaml'}\n"
        "organisers:\n  umu: { name: Umeå universitet, logo: logo-umea-universitet }\n"
        "segments:\n  - { id: a, start: \"10:00\", duration: 5m, scene: Panel, organiser: umu }\n",
        encoding="utf-8",
    )
    show = load_show(tmp_path / "show.yaml")
    assert show.organisers["umu"].name == "Umeå universitet"

"""A time typed for a spring-forward night that the clocks skip is refused, in one line that
names the gap and the times that do exist, wherever a show time is typed: a segment's ``start``
in the show file, ``studio rehearse --from`` and an ``--actions`` file. (``--from 02:30`` on the
Stockholm spring night used to start the rehearsal at 03:30, half an hour past the gap.)
Tried in two zones: Europe/Stockholm (an hour, 02:00 -> 03:00) and Australia/Lord_Howe
(30 minutes, 02:00 -> 02:30)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.cli import main
from studio.runner.actions_file import load_actions
from studio.show.diagnostics import ShowError
from studio.show.loader import load_show
from studio.show.timing import show_time

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"

# zone, spring-forward date, a time in the gap, the one-line gap text
NIGHTS = [
    ("Europe/Stockholm", "2026-03-29", "02:30",
     "the clocks go forward an hour that night, from 02:00 straight to 03:00; "
     "pick a time before 02:00 or from 03:00 on"),
    ("Australia/Lord_Howe", "2026-10-04", "02:15",
     "the clocks go forward 30 min that night, from 02:00 straight to 02:30; "
     "pick a time before 02:00 or from 02:30 on"),
]


def write_show(folder: Path, zone: str, day: str, first_start: str = "01:00") -> Path:
    path = folder / "spring.yaml"
    path.write_text(
        f"show: Spring night\ndate: {day}\ntimezone: {zone}\ncatalogue: {CATALOGUE}\n"
        "segments:\n"
        f'  - {{ id: open, start: "{first_start}", duration: 30m, scene: Studio Wide, '
        "transition: cut }\n"
        "  - { id: panel, duration: 3h, scene: Panel, transition: cut }\n",
        encoding="utf-8")
    return path


@pytest.mark.parametrize(("zone", "day", "typed", "gap"), NIGHTS, ids=["Stockholm", "Lord_Howe"])
def test_rehearse_from_a_time_in_the_gap_is_refused_naming_the_gap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str, day: str, typed: str,
    gap: str,
) -> None:
    show = write_show(tmp_path, zone, day)
    code = main(["rehearse", str(show), "--from", typed, "--speed", "max", "--as-run",
                 str(tmp_path / "asrun.jsonl")])
    err = capsys.readouterr().err
    assert code == 1
    assert err == (f"studio rehearse: error: --from: {typed} does not exist on {day} in {zone}: "
                   f"{gap}\n")


@pytest.mark.parametrize(("zone", "day", "typed", "gap"), NIGHTS, ids=["Stockholm", "Lord_Howe"])
def test_an_action_in_the_gap_is_refused_at_its_line(
    tmp_path: Path, zone: str, day: str, typed: str, gap: str,
) -> None:
    show = load_show(write_show(tmp_path, zone, day))
    actions = tmp_path / "ops.txt"
    actions.write_text("01:40 hold\n\n  " + typed + " release\n", encoding="utf-8")
    start = show_time(show, "01:00")
    with pytest.raises(ShowError) as caught:
        load_actions(actions, show, start)
    assert [d.format() for d in caught.value.diagnostics] == [
        f"{actions}:3:3: error: {typed} does not exist on {day} in {zone}: {gap}"]


@pytest.mark.parametrize(("zone", "day", "typed", "gap"), NIGHTS, ids=["Stockholm", "Lord_Howe"])
def test_a_start_in_the_gap_is_refused_with_the_same_words(
    tmp_path: Path, zone: str, day: str, typed: str, gap: str,
) -> None:
    with pytest.raises(ShowError) as caught:
        load_show(write_show(tmp_path, zone, day, first_start=typed))
    assert [d.message for d in caught.value.diagnostics] == [
        f"{typed} does not exist on {day} in {zone}: {gap}"]


@pytest.mark.parametrize(("zone", "day", "typed", "gap"), NIGHTS, ids=["Stockholm", "Lord_Howe"])
def test_the_times_either_side_of_the_gap_are_taken_as_typed(
    tmp_path: Path, zone: str, day: str, typed: str, gap: str,
) -> None:
    show = load_show(write_show(tmp_path, zone, day))
    before, after = show_time(show, "01:59:59"), show_time(show, gap.split("from ")[-1][:5])
    assert f"{before:%H:%M:%S}" == "01:59:59" and f"{after:%H:%M}" == gap.split("from ")[-1][:5]
    # the gap takes no time at all: one second of real time between the last time before it
    # and the first after
    assert after.astimezone(UTC) - before.astimezone(UTC) == datetime(1, 1, 1, 0, 0, 1) - \
        datetime(1, 1, 1)

"""``studio plan``: table, json, csv, markdown and ics of the resolved run-of-show."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.cli import main
from studio.show.export import render, to_ics
from studio.show.loader import load_show
from studio.show.model import Show

ROOT = Path(__file__).resolve().parents[2]
TUESDAY = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"
NOW = datetime(2021, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def tuesday() -> Show:
    return load_show(TUESDAY)


def write_show(folder: Path, day: str, segments: str) -> Path:
    path = folder / "show.yaml"
    path.write_text(
        f"show: Natt; test, med \"citat\"\ndate: {day}\ntimezone: Europe/Stockholm\n"
        f"catalogue: {ROOT / 'scenes' / 'campus-studio.yaml'}\nsegments:\n{segments}",
        encoding="utf-8",
    )
    return path


def test_json_has_the_promised_fields(tuesday: Show) -> None:
    data = json.loads(render(tuesday, "json", NOW))
    assert (data["show"], data["date"], data["timezone"]) == (
        "Digital vecka 2021 – tisdag 19 januari", "2021-01-19", "Europe/Stockholm")
    first, welcome = data["segments"][0], data["segments"][1]
    assert first == first | {
        "id": "slate", "title": "Sändningen börjar snart", "scene": "Holding Slate",
        "start": "2021-01-19T08:45:00+01:00", "end": "2021-01-19T09:00:00+01:00",
        "anchor": "hard", "manual": False, "stream": "start", "duration": "PT15M",
    }
    assert welcome["organiser"] == "region-vasterbotten"
    assert welcome["transition"] == "fade 500ms"
    assert welcome["lower_thirds"][0] == {
        "name": "Krister Ruth", "role": "Strateg Externa relationer, Region Västerbotten",
        "at": "2021-01-19T09:00:05+01:00", "offset_seconds": 5.0, "for_seconds": 8.0,
    }
    assert data["segments"][2]["anchor"] == "soft"
    assert [s["manual"] for s in data["segments"]].count(True) == 2


def test_json_across_the_spring_change_keeps_real_durations(tmp_path: Path) -> None:
    path = write_show(tmp_path, "2021-03-28", (
        '  - { id: a, start: "01:30", duration: 1h, scene: Panel }\n'
        '  - { id: b, duration: 30m, scene: Break }\n'))
    data = json.loads(render(load_show(path), "json", NOW))
    a, b = data["segments"]
    assert (a["start"], a["end"]) == ("2021-03-28T01:30:00+01:00", "2021-03-28T03:30:00+02:00")
    assert a["duration_seconds"] == 3600
    assert b["end"] == "2021-03-28T04:00:00+02:00"


def test_table_is_aligned_with_local_times_and_durations(tuesday: Show) -> None:
    lines = render(tuesday, "table", NOW).splitlines()
    assert lines[0] == "Digital vecka 2021 – tisdag 19 januari"
    assert lines[1] == "Tuesday 2021-01-19, times in Europe/Stockholm"
    assert lines[2] == "12 segments, 08:45–13:45 (5 h), 2 manual"
    header = lines[4]
    rows = lines[6:]
    assert len(rows) == 12
    for column in ("START", "END", "CUE", "TITLE", "SCENE"):
        at = header.index(column)
        for row in rows:
            assert row[at - 1] == " " and row[at] != " ", (column, row)
    assert rows[0].split()[:5] == ["1", "08:45", "09:00", "15", "min"]
    assert "1 h 10 min" in rows[8] and "Lunchpaus" in rows[8]
    assert "hard manual" in rows[5]


def test_table_marks_past_midnight_and_offsets_on_a_dst_night(tmp_path: Path) -> None:
    path = write_show(tmp_path, "2021-10-30", (
        '  - { id: late, start: "23:30", scene: Panel }\n'
        '  - { id: night, start: "01:00 +1d", duration: 3h, scene: Break }\n'))
    table = render(load_show(path), "table", NOW)
    night = next(line for line in table.splitlines() if " night " in line)
    # 01:00 CEST + 3 h of real time = 03:00 CET (the clocks went back at 03:00)
    assert "01:00 +1d +02:00" in night and "03:00 +1d +01:00" in night
    assert "3 h" in night


def test_csv_parses_back(tuesday: Show) -> None:
    text = render(tuesday, "csv", NOW)
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 12
    assert rows[1]["title"] == "Välkommen till Digital vecka"
    assert rows[1]["start"] == "2021-01-19T09:00:00+01:00"
    assert rows[1]["lower_thirds"] == (
        "Krister Ruth (Strateg Externa relationer, Region Västerbotten)"
    )
    assert rows[5]["manual"] == "yes"


def test_markdown_is_a_table(tuesday: Show) -> None:
    lines = render(tuesday, "markdown", NOW).splitlines()
    assert lines[0] == "# Digital vecka 2021 – tisdag 19 januari"
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 2 + 12
    assert all(line.count("|") - line.count("\\|") == 11 for line in table)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value)


def test_ics_follows_rfc_5545(tuesday: Show) -> None:
    text = to_ics(tuesday, NOW)
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert all(line.decode("utf-8") for line in physical)  # folds never split a character
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 12
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 12
    assert lines.count("DTSTAMP:20210110T120000Z") == 12
    assert "DTSTART:20210119T074500Z" in lines  # 08:45 in Stockholm, in UTC
    description = next(line for line in lines if line.startswith("DESCRIPTION:Scene: Studio Wide"))
    assert unescape(description.removeprefix("DESCRIPTION:")).split("\n")[3] == (
        "Lower third: Krister Ruth, Strateg Externa relationer, Region Västerbotten")
    assert "\\," in description and "\\n" in description


def test_ics_escapes_text(tmp_path: Path) -> None:
    path = write_show(tmp_path, "2021-01-19",
                      '  - { id: a, start: "10:00", duration: 5m, scene: Panel, '
                      'title: "A, B; C \\\\ D", notes: "rad ett\\nrad två" }\n')
    lines = unfold(to_ics(load_show(path), NOW))
    assert "SUMMARY:A\\, B\\; C \\\\ D" in lines
    assert any(line.endswith("rad ett\\nrad två") for line in lines)
    assert "X-WR-CALNAME:Natt\\; test\\, med \"citat\"" in lines


def test_uids_are_stable_between_runs(tuesday: Show) -> None:
    later = datetime(2021, 1, 18, tzinfo=UTC)
    uids = [line for line in unfold(to_ics(tuesday, NOW)) if line.startswith("UID:")]
    assert uids == [line for line in unfold(to_ics(tuesday, later)) if line.startswith("UID:")]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "ics"])
def test_plan_command(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(TUESDAY), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Välkommen till Digital vecka" in out


def test_plan_writes_a_file_with_crlf(tmp_path: Path) -> None:
    target = tmp_path / "week.ics"
    assert main(["plan", str(TUESDAY), "-f", "ics", "-o", str(target)]) == 0
    assert target.read_bytes().count(b"\r\n") > 100


def test_plan_of_a_broken_file_prints_diagnostics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_show(
        tmp_path, "2021-01-19", '  - { id: a, start: "10:00", duration: 5m, scene: Panl }\n'
    )
    assert main(["plan", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}:6:51: error: unknown scene 'Panl'")

"""An autumn night in the repeated hour, read the way a producer reads it.

At the first 02:30 (+02) the log says what comes next; when that is the second 02:30 (+01) the
line must say so, or it reads "due now" an hour early. And a time studio prints with its offset
(``02:30:00+01``) is a time the producer wants to type back (``--from``, an actions file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli import main
from tests.runner.conftest import CATALOGUE

AUTUMN = """\
show: Autumn night
date: 2021-10-31
timezone: Europe/Stockholm
catalogue: {catalogue}
segments:
  - id: a
    start: "01:30"
    duration: 2h
    scene: Studio Wide
  - id: b
    duration: 30m
    scene: Panel
"""


@pytest.fixture
def autumn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "autumn.yaml"
    path.write_text(AUTUMN.format(catalogue=CATALOGUE), encoding="utf-8")
    return path


def test_the_next_cue_in_the_second_repeated_hour_says_which_0230(
        autumn: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the first 02:30 (a bare 02:30 is refused that night, naming both)
    assert main(["rehearse", str(autumn), "--speed", "max", "--from", "02:30+02"]) == 0
    out = capsys.readouterr().out
    assert "next: b [b] at 02:30:00+01" in out, out


def test_the_second_0230_can_be_typed_back_as_printed(
        autumn: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (autumn.parent / "what-if.txt").write_text("02:30+01 hold\n02:40+01 release\n")
    assert main(["rehearse", str(autumn), "--speed", "max", "--from", "02:20+01",
                 "--actions", "what-if.txt"]) == 0
    out = capsys.readouterr().out
    assert "02:30:00+01  ACTION   hold" in out, out

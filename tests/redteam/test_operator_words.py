"""Operator commands with words after them: ``skip 3`` skips one segment, ``hold 30`` holds for
good, ``take take`` takes: the extra words are dropped without a word, and the operator believes
what they typed happened. One clear line instead (stdin and ``--actions`` share the parser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli import main

TUESDAY = (Path(__file__).resolve().parents[2] / "schedules" / "digital-vecka-2021"
           / "2021-01-19-tisdag.yaml")


@pytest.mark.parametrize("line", ["09:05 skip 3", "09:05 hold 30", "09:05 take take",
                                  "09:05 back 2"])
def test_a_command_with_words_it_does_not_take_is_a_line_error(
        line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("what-if.txt").write_text(line + "\n")
    code = main(["rehearse", str(TUESDAY), "--speed", "max", "--actions", "what-if.txt"])
    err = capsys.readouterr().err
    assert code == 1 and "what-if.txt:1:7: error: " in err and "takes nothing after it" in err, err

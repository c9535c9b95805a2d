"""``studio as-run FILE`` on a file that is not an as-run log, or whose last line a crash cut:
one line in the house style (``FILE:LINE: not an as-run line (...)``), never the JSON decoder's
own words; a torn last line is said as such and the lines before it are still shown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GOOD = '{"kind": "cue", "cue": "welcome", "text": "ON AIR", "result": "ok", "who": "auto"}'


def _asrun(path: Path, fmt: str = "csv") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "studio", "as-run", str(path), "--format", fmt],
                          capture_output=True, text=True, timeout=60, cwd=path.parent)


def test_a_text_file_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello world\nsecond line\n", encoding="utf-8")
    out = _asrun(path)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr == (f"studio as-run: error: {path}:1: not an as-run line "
                          "(not JSON, column 1)\n")


def test_a_torn_line_before_others_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """A crash tore it; the restart went on after it on a line of its own."""
    path = tmp_path / "x.asrun.jsonl"
    path.write_text(f'{GOOD}\n{{"kind": "cue", "te\n{GOOD}\n', encoding="utf-8")
    out = _asrun(path)
    assert out.returncode == 0, out.stderr
    assert [line[:12] for line in out.stdout.splitlines()[1:]] == ["cue,welcome,"] * 2
    assert out.stderr == (f"studio as-run: warning: {path}:2: a line cut short (a crash while "
                          "it was written?): left out\n")
    assert "Unterminated" not in out.stderr and "char" not in out.stderr


def test_a_torn_last_line_is_said_and_the_rest_shown(tmp_path: Path) -> None:
    for torn in ('{"kind": "cue", "confirmed": nu', '{"kind": "cue", "lateness_ms": 0.',
                 '{"kind": "cue", "cue": "x", '):
        path = tmp_path / "x.asrun.jsonl"
        path.write_text(f"{GOOD}\n{torn}", encoding="utf-8")
        out = _asrun(path)
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines()[1].startswith("cue,welcome,"), torn
        whose = " (cue 'x')" if '"cue": "x"' in torn else ""  # which cue it was, as far as it says
        assert out.stderr == (f"studio as-run: warning: {path}:2: the last line is cut short "
                              f"(a crash while it was written?): left out{whose}\n"), torn


def test_a_file_of_one_torn_line_is_an_empty_asrun(tmp_path: Path) -> None:
    """A crash while the very first line was written: nothing happened yet, and says so."""
    path = tmp_path / "x.asrun.jsonl"
    path.write_text('{"kind": "cue", "cue": "welcome", "text": "ON A', encoding="utf-8")
    out = _asrun(path, "table")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["SCHEDULED", "SENT", "LATE", "ms", "CONFIRM", "ms", "KIND",
                                  "WHO", "CUE", "RESULT", "WHAT"]
    assert "x.asrun.jsonl:1: the last line is cut short" in out.stderr

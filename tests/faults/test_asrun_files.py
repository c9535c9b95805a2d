"""Issue 9, item 12: ``studio as-run`` on a file that is not an as-run log is one line naming
the file (and line), never a traceback nor a silently empty table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _asrun(path: Path, fmt: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "studio", "as-run", str(path), "--format", fmt],
                          capture_output=True, text=True, timeout=60, cwd=path.parent)


CASES = {
    "random bytes": (os.urandom(4096), "not an as-run log (not UTF-8 text)"),
    "one line of base64": (b"QUJD" * 500, ":1: not an as-run line"),
    "a byte-order mark": (b'\xef\xbb\xbf{"kind": "cue"}\n', ":1: not an as-run line"),
    "a number as text": (b'{"kind": "cue", "lateness_ms": "abc"}\n{"kind": "cue"}\n',
                         ":1: not an as-run line: lateness_ms is not a number"),
    "commands not a list": (b'{"kind": "cue", "commands": "x"}\n{"kind": "cue"}\n',
                            ":1: not an as-run line: commands is not a list of objects"),
    "a JSON list": (b"[1, 2]\n", ":1: not an as-run line: a JSON list, not an object"),
}


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_file_that_is_not_an_asrun_log_is_one_line(tmp_path: Path, case: str,
                                                     fmt: str) -> None:
    content, message = CASES[case]
    path = tmp_path / "x.asrun.jsonl"
    path.write_bytes(content)
    out = _asrun(path, fmt)
    assert out.returncode == 1, out.stdout
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
    assert str(path) in out.stderr and message in out.stderr, out.stderr
    assert out.stdout == ""


def test_a_torn_last_line_is_left_out_and_said(tmp_path: Path) -> None:
    path = tmp_path / "x.asrun.jsonl"
    path.write_bytes(b'{"kind": "cue", "cue": "welcome", "result": "ok"}\n{"kind": "cu')
    out = _asrun(path, "csv")
    assert out.returncode == 0
    assert out.stdout.splitlines()[1].startswith("cue,welcome,")
    assert f"warning: {path}:2: the last line is cut short" in out.stderr

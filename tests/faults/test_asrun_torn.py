"""Red team: a crash mid-write tore the as-run's last line, the restart glued its next line
onto it and ``studio as-run`` then refused the whole file. The torn bytes are now kept on their
own line (the as-run is the show's record: nothing is taken out of it), the restart says so
in one line, and ``studio as-run`` leaves a torn line out with a warning naming FILE:LINE."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from studio.obs.simulator import Simulator
from studio.runner.asrun import AsRunRecord, AsRunWriter, read_asrun
from tests.runner.live import StudioProcess, live_show

GOOD = '{"kind": "cue", "cue": "welcome", "text": "ON AIR", "result": "ok", "who": "auto"}'
TORN = '{"kind": "cue", "cue": "intro", "text": "ON AIR intro", "ref": 511, "out'


def _asrun(path: Path, fmt: str = "csv") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    return subprocess.run([sys.executable, "-m", "studio", "as-run", str(path), "--format", fmt],
                          capture_output=True, text=True, timeout=60, cwd=path.parent, env=env)


def _note(text: str) -> AsRunRecord:
    return AsRunRecord(kind="info", text=text, scheduled=datetime(2026, 12, 1, 12, tzinfo=UTC))


def test_a_torn_last_line_is_kept_on_its_own_line_and_said(tmp_path: Path) -> None:
    path = tmp_path / "show.asrun.jsonl"
    path.write_text(f"{GOOD}\n{TORN}", encoding="utf-8")
    writer = AsRunWriter(path)
    writer.write(_note("after the restart"))
    writer.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == [GOOD, TORN] and len(lines) == 3  # nothing of the record taken out
    assert writer.notes == [f"as-run {path}:2: the last line was cut short by a crash "
                            f"({len(TORN)} bytes): kept on its own line (studio as-run leaves "
                            "it out with a warning); new lines go after it"]
    notes: list[str] = []
    assert [r["text"] for r in read_asrun(path, notes)] == ["ON AIR", "after the restart"]
    assert notes == [f"{path}:2: a line cut short (a crash while it was written?): left out "
                     "(cue 'intro')"]


def test_a_whole_last_line_without_its_newline_gets_it(tmp_path: Path) -> None:
    path = tmp_path / "show.asrun.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    writer = AsRunWriter(path)
    writer.write(_note("next"))
    writer.close()
    assert writer.notes == []
    assert [r["text"] for r in read_asrun(path)] == ["ON AIR", "next"]


def test_a_line_an_older_studio_glued_onto_a_torn_one_is_exported(tmp_path: Path) -> None:
    path = tmp_path / "show.asrun.jsonl"
    path.write_text(f"{GOOD}\n{TORN}{GOOD.replace('welcome', 'news')}\n{GOOD}\n",
                    encoding="utf-8")
    for fmt in ("table", "csv"):
        out = _asrun(path, fmt)
        assert out.returncode == 0, out.stderr
        assert out.stderr == (f"studio as-run: warning: {path}:2: begins with a line cut short "
                              "(a crash while it was written?): that part left out (cue "
                              "'intro'), the line after it shown\n")
        assert "news" in out.stdout and out.stdout.count("welcome") == 2


def test_kill_9_truncate_restart_and_the_asrun_still_exports(
    tmp_path: Path, sim: Simulator
) -> None:
    show, _ = live_show(tmp_path, [("Holding Slate", 1.5, ""), ("Studio Wide", 8, ""),
                                   ("Presentation", 120, "")], lead=2.0)
    url = f"ws://127.0.0.1:{sim.port}"
    asrun = tmp_path / "asrun.jsonl"
    first = StudioProcess.start(show, url, tmp_path)
    try:
        first.wait_line("ON AIR seg1 [seg1]")
    finally:
        first.kill()
    os.truncate(asrun, asrun.stat().st_size - 20)  # the crash cut the last line's write
    torn_at = asrun.read_bytes().count(b"\n") + 1
    second = StudioProcess.start(show, url, tmp_path)
    try:
        second.wait_line(f"as-run {asrun}:{torn_at}: the last line was cut short by a crash")
        second.wait_line("ON AIR seg2 [seg2]", timeout=20)
        assert second.terminate() == 0
    finally:
        if second.proc.poll() is None:
            second.kill()
    for fmt in ("table", "csv"):
        out = _asrun(asrun, fmt)
        assert out.returncode == 0, out.stderr
        assert out.stderr.startswith(f"studio as-run: warning: {asrun}:{torn_at}: a line cut "
                                     "short (a crash while it was written?): left out (cue '")
        assert out.stderr.count("\n") == 1 and "seg2" in out.stdout


def test_the_warning_names_the_cue_and_time_of_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "show.asrun.jsonl"
    torn = ('{"kind": "cue", "cue": "b", "text": "ON AIR b [b] on Studio Wide", '
            '"scheduled": "2026-12-01T15:58:35+00:00", "sent": "2026-12-01T15:58:34.99')
    path.write_text(f"{GOOD}\n{torn}\n{GOOD}\n", encoding="utf-8")
    out = _asrun(path, "table")
    assert out.returncode == 0, out.stderr
    assert out.stderr == (f"studio as-run: warning: {path}:2: a line cut short (a crash while "
                          "it was written?): left out (cue 'b', scheduled 15:58:35)\n")

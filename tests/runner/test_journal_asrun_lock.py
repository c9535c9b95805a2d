"""The runner's durable files: the crash journal, the as-run log and its export, the show lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.cli import main
from studio.engine.actions import Hold, Nudge, Take, ToggleOverlay
from studio.engine.state import SetProgramScene
from studio.runner.asrun import AsRunRecord, AsRunWriter, export
from studio.runner.journal import Journal, JournalError, read_journal
from studio.runner.lock import ShowLock, ShowLocked

T0 = datetime(2021, 1, 19, 9, 0, tzinfo=UTC)
SHOW = {"id": "abc", "title": "Digital vecka"}


def test_journal_replays_actions_after_reopen(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path, show_id=SHOW)
    actions = [Hold(at=T0), Nudge(at=T0, seconds=-30), ToggleOverlay(at=T0, overlay="clock"),
               Take(at=T0, who="operator")]
    for a in actions:
        j.append_action(a)
    j.close()
    assert Journal(path, show_id=SHOW).state.actions == actions


def test_journal_tolerates_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path, show_id=SHOW)
    j.append_action(Hold(at=T0))
    j.close()
    with path.open("a") as fh:
        fh.write('{"type": "action", "act')  # killed mid-write
    assert read_journal(path).actions == [Hold(at=T0)]


def test_journal_of_another_show_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    Journal(path, show_id=SHOW).close()
    with pytest.raises(JournalError, match="another show"):
        Journal(path, show_id={"id": "other", "title": "x"})


def test_intent_without_done_is_indeterminate(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = Journal(path, show_id=SHOW)
    done = j.intent("record", True, "welcome", T0)
    j.done(done, True)
    j.intent("stream", True, "welcome", T0)
    j.close()
    state = read_journal(path)
    assert [i.what for i in state.indeterminate] == ["stream"]
    assert state.requested_keys() == {("record", True, "welcome"), ("stream", True, "welcome")}
    assert "stream start was requested at 09:00:00" in state.indeterminate[0].describe()


def _records(tmp_path: Path) -> Path:
    path = tmp_path / "show.asrun.jsonl"
    w = AsRunWriter(path)
    w.write(AsRunRecord(
        kind="cue", cue="welcome", text="ON AIR Välkommen", scheduled=T0, sent=T0,
        lateness_ms=1.25, confirm_ms=24.0, apply_ms=0.5, result="ok", outcome="confirmed",
        commands=({"command": "SetProgramScene", "scene": "Studio Wide", "ok": True,
                   "reason": "segment welcome starts"},)))
    w.write(AsRunRecord(kind="action", cue="hold", text="hold", scheduled=T0, sent=T0,
                        lateness_ms=0.5, apply_ms=0.0, result="ok (nothing to change in OBS)",
                        who="operator", outcome="unchanged"))
    w.close()
    return path


def test_asrun_export_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _records(tmp_path)
    assert main(["as-run", str(path), "--format", "csv"]) == 0
    csv_out = capsys.readouterr().out.splitlines()
    assert csv_out[0].startswith("kind,cue,scheduled,sent,confirmed,lateness_ms")
    assert "SetProgramScene: segment welcome starts" in csv_out[1]
    assert main(["as-run", str(path), "--format", "json"]) == 0
    assert [r["cue"] for r in json.loads(capsys.readouterr().out)] == ["welcome", "hold"]
    assert main(["as-run", str(path)]) == 0
    table = capsys.readouterr().out
    assert "09:00:00" in table and "ON AIR Välkommen" in table and "operator" in table


def test_asrun_bad_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n{}\n")
    assert main(["as-run", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}:1:" in err
    assert main(["as-run", str(tmp_path / "missing.jsonl")]) == 1
    assert "missing.jsonl" in capsys.readouterr().err


def test_asrun_describes_commands_with_reasons() -> None:
    out = export([{"kind": "cue", "commands": [
        {"command": "SetProgramScene", "reason": "segment x starts", "ok": False, "code": 600}]}],
        "csv")
    assert "SetProgramScene: segment x starts [failed 600]" in out
    assert SetProgramScene("A", reason="r").reason == "r"


def test_second_controller_is_refused_naming_the_holder(tmp_path: Path) -> None:
    show = tmp_path / "show.yaml"
    show.write_text("")
    held = ShowLock.on_obs(show, "ws://127.0.0.1:4455")
    held.acquire()
    try:
        code = (
            "import sys; from studio.runner.lock import ShowLock, ShowLocked\n"
            f"l = ShowLock.on_obs({str(show)!r}, 'ws://127.0.0.1:4455')\n"
            "try:\n    l.acquire()\nexcept ShowLocked as e:\n    print(e); sys.exit(3)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.returncode == 3


        assert f"pid {os.getpid()}" in out.stdout and "already running" in out.stdout
        # another OBS is another lock
        other = ShowLock.on_obs(show, "ws://127.0.0.1:4456")
        other.acquire()
        other.release()
    finally:
        held.release()
    again = ShowLock.on_obs(show, "ws://127.0.0.1:4455")
    again.acquire()  # released: free again
    again.release()
    with pytest.raises(ShowLocked):
        a, b = ShowLock.on_obs(show, "u"), ShowLock.on_obs(show, "u")
        a.acquire()
        try:
            b.acquire()
        finally:
            a.release()


def test_a_retitled_show_resumes_from_its_journal_and_another_day_does_not(
    tmp_path: Path
) -> None:
    """A producer mends a typo in the title mid-show, then the service dies: the restart
    refused the journal ("belongs to another show") and systemd gave up; the show stopped.
    The file (its path) and its day say which show a journal is; the title does not."""
    from studio.cli.launch import show_identity
    from studio.show.loader import load_show
    from tests.runner.conftest import write_show

    show_path = write_show(tmp_path)
    path = tmp_path / "j.jsonl"
    j = Journal(path, show_id=show_identity(load_show(show_path), show_path))
    j.append_action(Hold(at=T0))
    j.close()
    text = show_path.read_text(encoding="utf-8")
    show_path.write_text(text.replace("show: Runner test", "show: Runner test, mended"),
                         encoding="utf-8")
    retitled = load_show(show_path)
    assert retitled.title == "Runner test, mended"
    assert Journal(path, show_id=show_identity(retitled, show_path)).state.actions == [
        Hold(at=T0)]
    show_path.write_text(text.replace("date: 2021-01-19", "date: 2021-01-20"), encoding="utf-8")
    with pytest.raises(JournalError, match="another show"):
        Journal(path, show_id=show_identity(load_show(show_path), show_path))

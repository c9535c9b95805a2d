"""Items 6 and 7 of issue 9: the journal survives any number of crashes in a row, refuses a file
that is not a journal in one line, and is written again from memory when it is deleted or
emptied under a running show. Real ``studio run`` processes, killed with SIGKILL."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.engine.actions import Hold, Nudge
from studio.obs.connection import ObsConnectionSettings
from studio.obs.gateway import ObsGateway
from studio.obs.simulator import Simulator
from studio.runner.journal import read_journal
from tests.runner.conftest import WAIT
from tests.runner.live import StudioProcess, live_show, observer

TORN = b'{"type": "action", "action": "nudge", "at": "2021-'  # a write cut by the kill


def _studio(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=60, env=env)


def test_kill_9_twice_in_a_row_with_torn_lines_resumes_each_time(
    tmp_path: Path, sim: Simulator
) -> None:
    show, _ = live_show(tmp_path, [("Holding Slate", 1.5, ""), ("Studio Wide", 120, ""),
                                   ("Presentation", 120, "")], lead=2.0)
    url = f"ws://127.0.0.1:{sim.port}"
    journal = tmp_path / "journal.jsonl"
    first = StudioProcess.start(show, url, tmp_path)
    try:
        first.wait_line("ON AIR seg1 [seg1]")
        first.send("hold")
        first.wait_line("ACTION")
    finally:
        first.kill()
    with journal.open("ab") as fh:
        fh.write(TORN)
    second = StudioProcess.start(show, url, tmp_path)
    try:
        second.wait_line("the last line was cut short by a crash")
        second.wait_line("1 operator action(s) replayed")
        second.send("nudge +30")
        second.wait_line("ACTION")
    finally:
        second.kill()
    with journal.open("ab") as fh:
        fh.write(TORN)
    third = StudioProcess.start(show, url, tmp_path)
    try:
        third.wait_line("the last line was cut short by a crash")
        third.wait_line("2 operator action(s) replayed")
        third.wait_line("starting mid-show: seg1 [seg1] is on air")
        assert third.terminate() == 0
    finally:
        if third.proc.poll() is None:
            third.kill()
    state = read_journal(journal)
    assert [type(a) for a in state.actions] == [Hold, Nudge] and not state.notes


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 8,  # binary
    b'{"kind": "cue", "cue": "welcome", "result": "ok"}\n',  # an as-run log, not a journal
    b"\xff\xfe" + "en journal".encode("utf-16-le"),
])
def test_a_file_that_is_not_a_journal_is_refused_in_one_line_and_left_alone(
    tmp_path: Path, content: bytes
) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 120, "")], lead=5.0)
    journal = tmp_path / "not-a-journal.bin"
    journal.write_bytes(content)
    out = _studio("run", str(show), "--obs", "ws://127.0.0.1:1", "--headless", "--journal",
                  str(journal), cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
    assert f"{journal}: not a studio journal" in out.stderr
    assert journal.read_bytes() == content


def _streaming(port: int) -> bool:
    q: queue.Queue[object] = queue.Queue()
    gw = ObsGateway(ObsConnectionSettings(port=port), on_event=q.put)
    gw.start()
    assert gw.wait_connected(WAIT)
    try:
        return bool(gw.call("GetStreamStatus")["outputActive"])
    finally:
        gw.stop()


def _stop_stream(port: int) -> None:
    gw = ObsGateway(ObsConnectionSettings(port=port), on_event=lambda ev: None)
    gw.start()
    assert gw.wait_connected(WAIT)
    try:
        gw.call("StopStream")
    finally:
        gw.stop()


@pytest.mark.parametrize("harm", ["deleted", "emptied"])
def test_a_journal_deleted_or_emptied_while_running_is_written_again_from_memory(
    tmp_path: Path, sim: Simulator, harm: str
) -> None:
    show, first_at = live_show(tmp_path, [("Holding Slate", 1.5, "stream: start"),
                                          ("Studio Wide", 4.0, ""), ("Presentation", 120, "")],
                               lead=2.0)
    url = f"ws://127.0.0.1:{sim.port}"
    journal = tmp_path / "journal.jsonl"
    first = StudioProcess.start(show, url, tmp_path)
    try:
        first.wait_line("ON AIR seg1 [seg1]")
        first.send("hold")
        first.wait_line("ACTION")
        if harm == "deleted":
            journal.unlink()
        else:
            journal.write_bytes(b"")
        first.wait_line(f"journal: {journal} was {harm} while running: written again from memory")
    finally:
        first.kill()
    assert len(read_journal(journal).actions) == 1
    _stop_stream(sim.port)  # stopped in OBS meanwhile: studio must not start it again
    watch = observer(sim.port)
    second = StudioProcess.start(show, url, tmp_path)
    try:
        second.wait_line("1 operator action(s) replayed")
        second.wait_line("starting mid-show: seg1 [seg1] is on air")
        second.wait_line("stream start was already requested")
        # the hold holds: past seg1's planned end (first + 5.5 s) Presentation does not come
        left = (first_at.timestamp() + 6.5) - datetime.now(UTC).timestamp()
        with pytest.raises(queue.Empty):
            watch.wait_program("Presentation", timeout=max(left, 0.5))
        assert not _streaming(sim.port)
        assert second.terminate() == 0
    finally:
        if second.proc.poll() is None:
            second.kill()
        watch.gateway.stop()

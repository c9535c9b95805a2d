"""Item 1 of issue 9: a failing as-run, journal or stdout write never stops a cue.

Real faults only: a 160 KiB tmpfs filled to the last page under a running ``studio run``, and a
reader that closes its end of studio's stdout. An independent client on the same OBS counts
what really went on air."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from studio.obs.simulator import Simulator
from studio.runner.journal import read_journal
from tests.faults.conftest import SmallDisk
from tests.runner.live import StudioProcess, live_show, observer

SCENES = ["Holding Slate", "Studio Wide", "Presentation", "Panel", "Studio Close", "Break",
          "Remote Guest", "End Card"]


def _cues(asrun: Path) -> list[str]:
    records = [json.loads(x) for x in asrun.read_text(encoding="utf-8").splitlines()]
    return [r["cue"] for r in records if r["kind"] == "cue" and r["cue"] != "resync"]


def test_a_full_disk_never_stops_a_cue_and_loses_no_asrun_line(
    tmp_path: Path, sim: Simulator, small_disk: SmallDisk
) -> None:
    show, _ = live_show(tmp_path, [(s, 1.5, "") for s in SCENES], lead=2.5)
    watch = observer(sim.port)
    sp = StudioProcess.start(show, f"ws://127.0.0.1:{sim.port}", small_disk.mount)
    try:
        sp.wait_line("[seg0]")
        small_disk.fill()
        alarm = sp.wait_line("no space left on device", timeout=15)
        assert "line waiting" in alarm or "lines waiting" in alarm, alarm
        # cues keep going out while the disk is full
        on_air = watch.wait_program(SCENES[5], timeout=15)
        assert on_air, "no cue went out while the disk was full"
        small_disk.free()
        sp.wait_line("writing again", timeout=10)
        assert sp.proc.wait(30) == 0, "\n".join(sp.seen)
    finally:
        if sp.proc.poll() is None:
            sp.kill()
        watch.gateway.stop()
    # nothing lost, nothing twice, in order
    assert _cues(small_disk.mount / "asrun.jsonl") == [f"seg{i}" for i in range(8)] + ["end"]
    journal = read_journal(small_disk.mount / "journal.jsonl")
    assert journal.show and journal.checkpoint is not None and not journal.notes


def test_a_closed_stdout_is_ignored_and_the_show_runs_to_its_end(
    tmp_path: Path, sim: Simulator
) -> None:
    show, _ = live_show(tmp_path, [(s, 1.0, "") for s in SCENES[:5]], lead=2.5)
    watch = observer(sim.port)
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "run", str(show), "--obs", f"ws://127.0.0.1:{sim.port}",
         "--headless", "--as-run", str(tmp_path / "asrun.jsonl"), "--journal",
         str(tmp_path / "journal.jsonl")],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()  # the first line, as `| head -1` would; then the reader goes
        proc.stdout.close()
        assert watch.wait_program(SCENES[4], timeout=20)[-1] == SCENES[4]
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        watch.gateway.stop()
    assert proc.stderr is not None
    assert b"Traceback" not in proc.stderr.read()
    assert _cues(tmp_path / "asrun.jsonl") == [f"seg{i}" for i in range(5)] + ["end"]

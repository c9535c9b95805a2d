"""Issue 9, item 8: every cue has exactly one as-run record of what really happened, and no
record claims what OBS did not do."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.obs.simulator import Simulator
from tests.runner.conftest import WAIT, at
from tests.runner.live import StudioProcess, live_show


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_a_cue_sent_just_before_a_kill_9_is_in_the_asrun_once_as_unconfirmed(
    tmp_path: Path, sim: Simulator
) -> None:
    # seg1's fade takes 5 s: OBS confirms the switch at its end; studio dies 2 s into it
    show, first = live_show(tmp_path, [("Holding Slate", 1.5, ""), ("Studio Wide", 120, "")],
                            lead=2.0)
    text = show.read_text(encoding="utf-8")
    cut = text.rindex("transition: cut")
    show.write_text(text[:cut] + "transition: fade 5s" + text[cut + 15:], encoding="utf-8")
    url = f"ws://127.0.0.1:{sim.port}"
    sp = StudioProcess.start(show, url, tmp_path)
    try:
        sp.wait_line("ON AIR seg0 [seg0]")
        kill_at = first.timestamp() + 1.5 + 2.0
        threading.Event().wait(max(0.0, kill_at - datetime.now(UTC).timestamp()))
    finally:
        sp.kill()
    assert [r["cue"] for r in _records(tmp_path / "asrun.jsonl") if r["kind"] == "cue"
            and r["cue"] != "resync"] == ["seg0"]  # seg1 waits for OBS's confirmation
    again = StudioProcess.start(show, url, tmp_path)
    try:
        line = again.wait_line("studio stopped before OBS confirmed it")
        assert "ON AIR seg1 [seg1]" in line
        assert "written to the as-run as sent, unconfirmed" in line
        assert again.terminate() == 0
    finally:
        if again.proc.poll() is None:
            again.kill()
    cues = [r for r in _records(tmp_path / "asrun.jsonl")
            if r["kind"] == "cue" and r["cue"] != "resync"]
    assert [(r["cue"], r["outcome"]) for r in cues] == [("seg0", "confirmed"),
                                                        ("seg1", "unconfirmed")]
    assert "SetProgramScene" in [c["command"] for c in cues[1]["commands"]] and cues[1]["sent"]


def test_a_cue_during_a_manual_override_is_withheld_never_on_air_ok(
    sim: Simulator, make_harness: Any
) -> None:
    h = make_harness(sim.port, at(8, 59, 30))
    h.fire()  # slate
    sim.switch_program_by_hand("Panel")
    assert h.ctl.wait_for(lambda: h.ctl.status().override is not None, WAIT)
    h.fire()  # welcome falls due: its scene is not sent, its graphics are
    assert sim.snapshot()["program"] == "Panel"
    welcome = [r for r in h.asrun() if r.get("cue") == "welcome"]
    assert len(welcome) == 1
    assert welcome[0]["outcome"] == "withheld"
    assert welcome[0]["result"].startswith(
        "withheld: Studio Wide not sent (manual override: desired Holding Slate, OBS shows "
        "Panel; a: re-assert)")
    assert not any(c.get("scene") == "Studio Wide" for c in welcome[0]["commands"])
    line = next(e.text for e in h.ctl.recent_log() if "[welcome]" in e.text and e.kind == "cue")
    assert "WITHHELD: STUDIO WIDE NOT SENT" in line

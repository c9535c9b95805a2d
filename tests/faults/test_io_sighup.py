"""Issue 9, item 12: SIGHUP (the terminal went away, or ``systemctl kill -s HUP``) ends a
headless run like SIGTERM: the END line and the summary, exit 0."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from studio.obs.simulator import Simulator
from tests.runner.live import StudioProcess, live_show


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_sighup_ends_like_sigterm_with_the_summary(tmp_path: Path, sim: Simulator,
                                                   sig: signal.Signals) -> None:
    # seg1 a few seconds out: a process slow to start (a loaded machine) still sees it go on air
    show, _ = live_show(tmp_path, [("Holding Slate", 4.0, ""), ("Studio Wide", 120, "")])
    sp = StudioProcess.start(show, f"ws://127.0.0.1:{sim.port}", tmp_path)
    try:
        sp.wait_line("ON AIR seg1 [seg1]")
        sp.proc.send_signal(sig)
        assert sp.proc.wait(15) == 0
        sp.wait_line(f"END      stopped by {sig.name}")
        sp.wait_line("cue(s): ")
    finally:
        if sp.proc.poll() is None:
            sp.kill()

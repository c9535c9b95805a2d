"""OBS restarted empty and then provisioned, mid-show, on the real headless OBS (issue 9, item 9):
what OBS refuses is retried with backoff and told once as an alarm naming ``studio provision``,
not once per cue; once provisioned, nothing is sent over and over."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.runner.conftest import CATALOGUE
from tests.runner.live import StudioProcess, live_show, provisioned

pytestmark = pytest.mark.obs


def _rest(p: StudioProcess) -> list[str]:
    while not p.lines.empty():
        p.seen.append(p.lines.get_nowait())
    return p.seen


def _resends(lines: list[str]) -> list[str]:
    """Follow-up lines: commands sent again outside a cue (their text is the reasons)."""
    return [line for line in lines if line[10:19] == "CUE      "
            and line[19:].startswith(("overlay ", "scene ", "lower third "))]


def test_obs_restarted_empty_then_provisioned_is_one_alarm_and_no_resend_storm(
    obs_factory: Any, tmp_path: Path
) -> None:
    obs = obs_factory()
    provisioned(obs.port)
    segments = [("Studio Wide", 3.0, "overlays: [live-bug, partners]"),
                ("Panel", 3.0, "overlays: [clock]")] * 6
    show, _ = live_show(tmp_path, segments, lead=3.0)
    p = StudioProcess.start(show, obs.url, tmp_path)
    try:
        p.wait_line("OBS (re)connected", timeout=20)  # on air, however late studio started
        obs.restart()  # a fresh, empty OBS on the same port
        alarm = p.wait_line("OBS refuses", timeout=20)
        assert "studio provision" in alarm and "retries with backoff" in alarm
        p.wait_line("ON AIR", timeout=10)
        p.wait_line("ON AIR", timeout=10)  # two cues while OBS is empty
        refusing = len(p.seen)
        done = subprocess.run([sys.executable, "-m", "studio", "provision", str(CATALOGUE),
                               "--obs", obs.url], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        # provisioning changes OBS's scenes: the retry comes at once, not at the next backoff step
        healed = p.wait_line("OBS accepts what it refused again", timeout=15)
        at_heal = len(p.seen)
        p.wait_line("ON AIR", timeout=10)
        p.wait_line("ON AIR", timeout=10)
        assert p.terminate() == 0
    finally:
        if p.proc.poll() is None:
            p.kill()
    lines = _rest(p)
    text = "\n".join(lines)
    assert text.count("OBS refuses") == 1, text  # one alarm, not one per cue
    assert text.count("FAILED:") <= 1, text  # the full refusal is spelled out once
    # while OBS was empty: the backoff's retries (1 s, 2 s, 5 s, ...), not a resend per event
    assert len(_resends(lines[:refusing])) <= 6, text
    # once provisioned: the one follow-up that put things right, then cues only
    assert len(_resends(lines[at_heal:])) <= 1, text
    assert "on air +" in lines[-4] or "on air +" in text.split(healed, 1)[1], text

"""``studio run`` on the real headless OBS while OBS is restarted with another password: the show
says so in one line (not one per retry), never shows the password (output, as-run, journal,
argv), keeps an as-run line for every cue, and carries on once the right password is back,
through the two ways the README names: the new password written into ``--obs-password-file``,
or OBS back with the one in ``STUDIO_OBS_PASSWORD``. (The gateway alone is in
tests/obs/test_auth_retry.py; ``studio run`` on the simulator in test_auth_run.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from studio.obs.connection import ObsConnectionSettings, Secret
from studio.obs.gateway import ObsGateway
from studio.obs.provision import provision
from studio.show.loader import load_catalogue
from tests.faults.test_auth_run import _env, _run_with_file
from tests.runner.conftest import CATALOGUE, WAIT
from tests.runner.live import StudioProcess, live_show

pytestmark = pytest.mark.obs

FIRST, OTHER = "first-pw-3141", "other-pw-2718"
SCENES = ["Studio Wide", "Panel"]
SEGMENT_S = 3.0


def gateway(obs: Any) -> ObsGateway:
    gw = ObsGateway(ObsConnectionSettings(port=obs.port, password=Secret(obs.password)),
                    on_event=lambda ev: None)
    gw.start()
    assert gw.wait_connected(WAIT)
    return gw


def provisioned(obs: Any) -> None:
    """What the technician does after an OBS restart: ``studio provision`` (with OBS's new
    password)."""
    gw = gateway(obs)
    try:
        provision(gw, load_catalogue(CATALOGUE))
    finally:
        gw.stop()


def program(obs: Any) -> str:
    gw = gateway(obs)
    try:
        return str(gw.call("GetCurrentProgramScene")["currentProgramSceneName"])
    finally:
        gw.stop()


def show_of(tmp_path: Path, n: int) -> Path:
    # lead: studio is up (it reads OBS first) before the first cue, under load too
    show, _ = live_show(tmp_path, [(SCENES[i % 2], SEGMENT_S, "") for i in range(n)], lead=6.0)
    return show


def restart_with_another_password(p: StudioProcess, obs: Any) -> int:
    """OBS restarted with OTHER while the show runs: the one line, then two retry periods
    of cues (each said late, OBS away); returns the number of the segment on air then."""
    line = p.wait_line("ON AIR seg1 ", timeout=20)
    assert "OBS is not connected" not in line
    obs.password = OTHER
    obs.restart()
    provisioned(obs)
    failed = p.wait_line("authentication failed", timeout=20)
    assert "retrying in 5 s" in failed and "refused the password" in failed
    late = p.wait_line("OBS is not connected", timeout=20)
    seg = int(late.split("ON AIR seg")[1].split()[0])
    p.wait_line(f"ON AIR seg{seg + 4} ", timeout=20)  # 12 s: two more tries, refused quietly
    return seg + 4


def no_password_anywhere(p: StudioProcess, tmp_path: Path) -> None:
    files = (tmp_path / "asrun.jsonl").read_text() + (tmp_path / "journal.jsonl").read_text()
    for pw in (FIRST, OTHER):
        assert pw not in "\n".join(p.seen) and pw not in files


def test_the_new_password_in_the_file_and_the_show_carries_on(obs_factory: Any,
                                                              tmp_path: Path) -> None:
    n = 14
    obs = obs_factory(password=FIRST)
    provisioned(obs)
    show = show_of(tmp_path, n)
    pw = tmp_path / "obs.pw"
    pw.write_text(FIRST + "\n")
    p = _run_with_file(show, obs.url, pw, tmp_path)
    try:
        cmdline = Path(f"/proc/{p.proc.pid}/cmdline").read_bytes()
        assert FIRST.encode() not in cmdline
        on_air = restart_with_another_password(p, obs)
        pw.write_text(OTHER + "\n")  # the technician fixes the file; studio keeps running
        p.wait_line("connected to OBS", timeout=15)
        back = p.wait_line("OBS (re)connected", timeout=WAIT)
        assert "FAILED" not in back, back
        line = p.wait_line(f"ON AIR seg{on_air + 2} ", timeout=20)  # the next cues land again
        assert "not connected" not in line and "late" not in line.lower(), line
        assert program(obs) == SCENES[(on_air + 2) % 2]
        assert p.proc.wait(timeout=n * SEGMENT_S + 30) == 0  # to the show's end
    finally:
        if p.proc.poll() is None:
            p.kill()
    assert sum("authentication failed" in x for x in p.seen) == 1, "\n".join(p.seen)
    no_password_anywhere(p, tmp_path)
    # the as-run: one line for every cue, those of the refused stretch included
    asrun = [json.loads(x) for x in (tmp_path / "asrun.jsonl").read_text().splitlines()]
    cues = [r["cue"] for r in asrun
            if r.get("kind") in ("cue", "missed") and r["cue"].startswith("seg")]
    assert cues == [f"seg{i}" for i in range(n)], cues
    assert {r["outcome"] for r in asrun if r.get("cue") == f"seg{on_air - 2}"} == {"withheld"}


def test_obs_back_with_the_password_in_the_environment_and_the_show_carries_on(
        obs_factory: Any, tmp_path: Path) -> None:
    obs = obs_factory(password=FIRST)
    provisioned(obs)
    show = show_of(tmp_path, 14)
    env = {**_env(), "STUDIO_OBS_PASSWORD": FIRST}
    p = StudioProcess.start(show, obs.url, tmp_path, env=env)
    try:
        on_air = restart_with_another_password(p, obs)
        obs.password = FIRST  # OBS set back to the show's password: nothing to do in studio
        obs.restart()
        provisioned(obs)
        p.wait_line("connected to OBS", timeout=20)
        line = p.wait_line(f"ON AIR seg{on_air + 3} ", timeout=25)
        assert "not connected" not in line, line
        assert program(obs) == SCENES[(on_air + 3) % 2]
        assert p.terminate() == 0
    finally:
        if p.proc.poll() is None:
            p.kill()
    assert sum("authentication failed" in x for x in p.seen) == 1, "\n".join(p.seen)
    no_password_anywhere(p, tmp_path)

"""`studio rehearse`, `studio run` and `studio as-run` as a producer runs them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from studio.obs.simulator import Simulator
from tests.runner.conftest import write_show
from tests.runner.live import StudioProcess, live_show


def studio(*args: str, cwd: Path, timeout: float = 60,
           env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, env=env)


def test_rehearsal_runs_the_show_to_its_end_and_writes_the_predicted_asrun(
    tmp_path: Path,
) -> None:
    show = write_show(tmp_path)
    out = studio("rehearse", str(show), "--speed", "600", "--headless", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Rehearsal of Runner test: the built-in simulator, 600x, from "
                               "08:59:00 (Europe/Stockholm); predicted as-run: as-run/")
    on_air = [ln for ln in lines if "ON AIR" in ln]
    assert [ln[:8] for ln in on_air] == ["09:00:00", "09:01:00", "09:03:00", "09:10:00"]
    assert "ON AIR Welcome [welcome] on Studio Wide" in on_air[1]
    assert re.search(r"\[sent [+-]\d+ ms, on air [+-]\d+ ms\]", on_air[1]), on_air[1]
    assert any("lower third up: Krister Ruth, Strateg" in ln for ln in lines)
    assert any("recording starts" in ln for ln in lines)
    assert any("END      the show has ended" in ln for ln in lines)
    assert any("0 missed, 0 with a failed command" in ln for ln in lines)
    asrun = tmp_path / "as-run" / "show.rehearsal.jsonl"
    records = [json.loads(x) for x in asrun.read_text().splitlines()]
    assert all(r.get("rehearsal") for r in records if r["kind"] == "cue")
    table = studio("as-run", str(asrun), cwd=tmp_path)
    assert table.returncode == 0 and "welcome" in table.stdout
    assert "password" not in asrun.read_text().lower()


def test_rehearsal_from_mid_show_does_not_replay_earlier_cues(tmp_path: Path) -> None:
    show = write_show(tmp_path)
    out = studio("rehearse", str(show), "--speed", "600", "--from", "09:03:30", "--headless",
                 cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "starting mid-show: The talk [talk] is on air" in out.stdout
    on_air = [ln for ln in out.stdout.splitlines() if "ON AIR" in ln]
    assert [ln[:8] for ln in on_air] == ["09:10:00"]


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    show = write_show(tmp_path)
    for args, text in [
        (("rehearse", str(show), "--speed", "0"), "bad --speed 0"),
        (("rehearse", str(show), "--from", "25:00"), "--from: bad time of day"),
        (("run", str(show), "--headless"), "studio run needs --obs"),
        (("run", str(tmp_path / "nope.yaml"), "--obs", "ws://127.0.0.1:1"), "nope.yaml"),
        # yesterday's file run live today would put its last look on air
        (("run", str(show), "--obs", "ws://127.0.0.1:1"), "this show ended 2021-01-19"),
    ]:
        out = studio(*args, cwd=tmp_path)
        assert out.returncode == 1, (args, out)
        assert out.stderr.count("\n") == 1 and text in out.stderr, (args, out.stderr)
        assert "Traceback" not in out.stderr


def test_a_second_run_of_the_same_show_is_refused_naming_the_first(tmp_path: Path) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 120.0, "")])
    with Simulator() as sim:
        first = StudioProcess.start(show, sim.url, tmp_path)
        try:
            first.wait_line("studio run: Live test on " + sim.url)
            second = studio("run", str(show), "--obs", sim.url, "--headless", cwd=tmp_path)
            assert second.returncode == 1
            assert f"is already running against {sim.url} (pid {first.proc.pid}" in second.stderr
            assert first.terminate() == 0
            assert "END      stopped by SIGTERM" in "\n".join(first.seen + _drain(first))
        finally:
            if first.proc.poll() is None:
                first.kill()


def _drain(p: StudioProcess) -> list[str]:
    out = []
    while not p.lines.empty():
        out.append(p.lines.get_nowait())
    return out


def test_rehearsal_on_a_password_protected_obs_never_shows_the_password(tmp_path: Path) -> None:
    secret = "pw-Secret-7781"
    show = write_show(tmp_path)
    with Simulator(password=secret) as sim:
        from studio.show.loader import load_catalogue
        from tests.runner.conftest import CATALOGUE

        sim.load_catalogue(load_catalogue(CATALOGUE))
        out = studio("rehearse", str(show), "--obs", sim.url, "--speed", "900", "--from",
                     "09:00:30", "--headless", cwd=tmp_path,
                     env_extra={"STUDIO_OBS_PASSWORD": secret})
    assert out.returncode == 0, out.stderr
    assert f"Rehearsal of Runner test: {sim.url}, 900x" in out.stdout
    # the rehearsal drove OBS: the 09:10 anchor, ~0.6 s of real time after the start (Welcome,
    # 33 ms after it, may already be due when the authenticated connection is up: then it goes
    # out as the reconnect's resync instead of its own cue line)
    assert "ON AIR Panel [panel]" in out.stdout
    asrun = (tmp_path / "as-run" / "show.rehearsal.jsonl").read_text()
    for text in (out.stdout, out.stderr, asrun):
        assert secret not in text

"""The show service and its screens as separate processes, as a technician runs them: a screen
killed with kill -9 changes nothing on air; the service process never imports Textual."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.service.client import RemoteController, Where
from tests.runner.conftest import write_show
from tests.runner.live import StudioProcess

WAIT = 20.0
STUDIO = [sys.executable, "-m", "studio"]

# tmux is installed by scripts/test: without it these tests fail, they are never skipped


def rehearsal_service(show: Path, workdir: Path) -> StudioProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    proc = subprocess.Popen(
        [*STUDIO, "rehearse", str(show), "--headless", "--speed", "20", "--from", "08:59:58",
         "--control", "127.0.0.1:0"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=workdir, env=env)
    sp = StudioProcess(proc)
    import threading

    threading.Thread(target=sp._pump, daemon=True).start()
    return sp


class Tmux:
    """A real terminal (tmux, 120x36) running one command."""

    def __init__(self, name: str, command: list[str], cwd: Path,
                 env: dict[str, str] | None = None) -> None:
        self.name = name
        exports = " ".join(f"{k}={v}" for k, v in (env or {}).items())
        line = " ".join(command)
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "36",
                        "-c", str(cwd), f"{exports} exec {line}" if exports else f"exec {line}"],
                       check=True)

    def text(self) -> str:
        out = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                             capture_output=True, text=True)
        return out.stdout

    def wait_text(self, needle: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if needle in text:
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never on the screen:\n{text}")
            time.sleep(0.1)  # nothing to await in another process's terminal

    def pid(self) -> int:
        out = subprocess.run(["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
                             capture_output=True, text=True, check=True)
        return int(out.stdout.strip())

    def kill(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def tmux_sessions() -> Iterator[list[Tmux]]:
    made: list[Tmux] = []
    yield made
    for t in made:
        t.kill()


def test_a_screen_killed_with_kill_9_changes_nothing_on_air(
        tmp_path: Path, tmux_sessions: list[Tmux]) -> None:
    show = write_show(tmp_path)
    service = rehearsal_service(show, tmp_path)
    try:
        service.wait_line("control API on http://127.0.0.1:")
        screen = Tmux(f"h6-attach-{os.getpid()}", [*STUDIO, "attach", str(show), "--rehearsal"],
                      tmp_path)
        tmux_sessions.append(screen)
        screen.wait_text("Welcome")  # the screen shows the rundown
        os.kill(screen.pid(), signal.SIGKILL)
        discovery = tmp_path / "as-run" / "show.rehearsal.control.json"
        rc = RemoteController(show_obj(show), Where(None, discovery, None))
        rc.start()  # a new screen attaches and sees the show where it is
        try:
            nxt = rc.projection().next
            assert nxt is not None
        finally:
            rc.close()
        # the cues go on after the kill: the next one goes on air at its time
        line = service.wait_line(f"[{nxt.segment_id}] on ", timeout=45)
        assert "CUE      ON AIR" in line
        assert service.proc.poll() is None
        assert not any("ACTION" in ln for ln in service.seen)  # nothing was done on its behalf
    finally:
        service.terminate()


def show_obj(path: Path):  # type: ignore[no-untyped-def]
    from studio.show.loader import load_show

    return load_show(path)


def test_the_service_process_of_a_rehearsal_with_a_screen_imports_no_textual(
        tmp_path: Path, tmux_sessions: list[Tmux]) -> None:
    show = write_show(tmp_path)
    screen = Tmux(f"h6-rehearse-{os.getpid()}",
                  [*STUDIO, "rehearse", str(show), "--speed", "20", "--from", "08:59:58"],
                  tmp_path, env={"PYTHONPROFILEIMPORTTIME": "1"})
    tmux_sessions.append(screen)
    screen.wait_text("Welcome")  # the screen is up: the service it started is running
    log = tmp_path / "as-run" / "show.rehearsal.service.log"
    record = json.loads((tmp_path / "as-run" / "show.rehearsal.control.json").read_text())
    imports = [ln for ln in log.read_text().splitlines() if ln.startswith("import time:")]
    modules = {ln.rsplit("|", 1)[-1].strip() for ln in imports}
    assert "studio.service.server" in modules and "studio.runner.controller" in modules
    assert not [m for m in modules if re.fullmatch(r"textual(\..*)?", m)]
    token = Path(record["token_file"]).read_text().strip()
    req = urllib.request.Request(record["url"] + "/api/v1/stop", method="POST",
                                 headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.status == 200
    screen.wait_text("SHOW SERVICE LOST")  # the screen says so


def test_studio_run_with_a_screen_is_a_service_the_screen_can_stop(
        tmp_path: Path, tmux_sessions: list[Tmux]) -> None:
    from studio.obs.simulator import Simulator
    from studio.show.loader import load_catalogue
    from tests.runner.conftest import CATALOGUE
    from tests.runner.live import live_show

    sim = Simulator(frame_ms=5.0)
    sim.start()
    try:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        show, _ = live_show(tmp_path, [("Holding Slate", 60, ""), ("Studio Wide", 60, "")])
        password = "pw-never-in-argv"
        screen = Tmux(f"h6-run-{os.getpid()}",
                      [*STUDIO, "run", str(show), "--obs", sim.url, "--control", "127.0.0.1:0"],
                      tmp_path, env={"STUDIO_OBS_PASSWORD": password})
        tmux_sessions.append(screen)
        screen.wait_text("Holding Slate")
        record = json.loads((tmp_path / "as-run" / "live.control.json").read_text())
        cmdline = Path(f"/proc/{record['pid']}/cmdline").read_bytes().decode()
        assert "--headless" in cmdline and password not in cmdline
        assert os.getsid(record["pid"]) != os.getsid(screen.pid())  # not the terminal's session
        screen.wait_text("ON AIR")
        subprocess.run(["tmux", "send-keys", "-t", screen.name, "q"], check=True)
        screen.wait_text("stop the show")
        subprocess.run(["tmux", "send-keys", "-t", screen.name, "s"], check=True)
        deadline = time.monotonic() + WAIT
        while Path(f"/proc/{record['pid']}").exists():  # the service's pid, not our child
            assert time.monotonic() < deadline, "the service did not stop"
            time.sleep(0.1)
        log = (tmp_path / "as-run" / "live.service.log").read_text()
        assert "show service stopped by operator from a screen" in log
        assert "END      stopped by operator from a screen" in log  # not its own SIGTERM
    finally:
        sim.stop()

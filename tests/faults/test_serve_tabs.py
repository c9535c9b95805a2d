"""``studio serve`` as a hostile page and a vanishing browser meet it (issue 9, items 10 and 11):
only its own page may drive the show, a tab process whose browser is gone ends within seconds
(and on SIGTERM), ``studio serve`` ends its tab processes when it ends, and with a password file
the password sits in no tab process's environment."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE, write_show

ENDS_WITHIN = 12.0  # the tab's guard ends it within 6 s; generous for a loaded machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}


@contextmanager
def serving(tmp_path: Path, *extra: str, env: dict[str, str] | None = None
            ) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = _free_port()
    show = write_show(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "serve", str(show), "--rehearse", "--speed", "10",
         "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**_env(), **(env or {})})
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the server says where to go once it is about to listen
            if "open http://" in line:
                break
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # never let it block
        _wait_listening(port)
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)


def _wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            select.select([], [], [], 0.05)  # the server binds right after its banner
    pytest.fail(f"studio serve never listened on {port}")


@contextmanager
def tab(port: int, origin: str | None) -> Iterator[ClientConnection]:
    """A browser tab's websocket, once the tab's screen has sent its first frame."""
    with connect(f"ws://localhost:{port}/ws?width=100&height=30",
                 origin=origin, open_timeout=10) as ws:  # type: ignore[arg-type]
        ws.recv(timeout=30)
        yield ws


SEEN: set[int] = set()  # every tab process a test saw: none may be left behind, pass or fail


@pytest.fixture(autouse=True)
def _no_tab_left_behind() -> Iterator[None]:
    yield
    for pid in list(SEEN):
        if not ends_within(pid, 0):  # a test that failed: do not leave it spinning
            with contextlib.suppress(OSError):
                SEEN.update(children(pid))  # what a shell in between started
            for each in (pid, *children_of_seen(pid)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(each, signal.SIGKILL)
    SEEN.clear()


def children_of_seen(pid: int) -> list[int]:
    try:
        return children(pid)
    except OSError:
        return []


def children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except FileNotFoundError:  # a thread that has just ended
            continue
        kids += [int(k) for k in text.split()]
    SEEN.update(kids)
    return kids


def ends_within(pid: int, seconds: float) -> bool:
    """Waits on the process itself (a pidfd), no polling."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([fd], [], [], seconds)
        return bool(ready)
    finally:
        os.close(fd)


@pytest.mark.parametrize("origin", ["http://evil.example.com", "http://localhost.evil.com:{p}",
                                    "http://127.0.0.1:1", "null", None])
def test_a_foreign_page_cannot_drive_the_show(tmp_path: Path, origin: str | None) -> None:
    with serving(tmp_path) as (server, port):
        with pytest.raises(InvalidStatus) as refused, \
                tab(port, origin.format(p=port) if origin else None):
            pass
        assert refused.value.response.status_code == 403
        assert children(server.pid) == []  # no tab process was started for it
        with tab(port, f"http://localhost:{port}"):  # the served page itself is welcome
            assert len(children(server.pid)) == 1


def test_a_tab_whose_browser_vanished_ends_and_serve_ends_the_rest(tmp_path: Path) -> None:
    with serving(tmp_path) as (server, port):
        with tab(port, f"http://127.0.0.1:{port}") as ws:
            [first] = children(server.pid)
            ws.socket.shutdown(socket.SHUT_RDWR)  # the browser dies: no close frame
            assert ends_within(first, ENDS_WITHIN), "the tab's process outlived its browser"
        with tab(port, f"http://localhost:{port}"):
            [second] = children(server.pid)
            os.kill(second, signal.SIGTERM)
            assert ends_within(second, ENDS_WITHIN), "the tab's process ignored SIGTERM"
        with tab(port, f"http://localhost:{port}"):
            [third] = children(server.pid)
            server.send_signal(signal.SIGTERM)
            assert server.wait(30) == 0
            assert ends_within(third, ENDS_WITHIN), "a tab's process outlived studio serve"


def test_a_headless_chromium_that_exits_abruptly_leaves_no_tab_process(tmp_path: Path) -> None:
    """The issue's own case: ``chromium --screenshot`` opens the page and exits at once."""
    with serving(tmp_path) as (server, port):
        shot = subprocess.run(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             f"--user-data-dir={tmp_path / 'chromium'}", f"--screenshot={tmp_path / 'shot.png'}",
             "--window-size=1280,800", f"http://localhost:{port}/"],
            capture_output=True, timeout=120)
        assert shot.returncode == 0, shot.stderr[-500:]
        # the server may be starting the tab's process just as the browser exits: look until
        # no tab process is left running
        deadline = time.monotonic() + 2 * ENDS_WITHIN
        while live := [pid for pid in children(server.pid) if not ends_within(pid, 0)]:
            for pid in live:
                left = max(0.0, deadline - time.monotonic())
                assert ends_within(pid, left), "a tab's process outlived its browser"


@pytest.mark.parametrize("given", ["file", "environment"])
def test_the_password_is_in_no_tab_process_environment(tmp_path: Path, given: str) -> None:
    secret = "pw-in-a-file-4471"
    pw = tmp_path / "obs.pw"
    pw.write_text(secret + "\n")
    with Simulator(password=secret) as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        args = ("--obs", sim.url) + (("--obs-password-file", str(pw)) if given == "file" else ())
        env = {"STUDIO_OBS_PASSWORD": secret} if given == "environment" else {}
        with serving(tmp_path, *args, env=env) as (server, port), \
                tab(port, f"http://localhost:{port}") as tab_ws:
            while sim.snapshot()["clients"] < 2:  # the tab logged in with the password
                tab_ws.recv(timeout=20)  # (its gateway's two connections); each frame: look again
            [child] = children(server.pid)
            environ = Path(f"/proc/{child}/environ").read_bytes()
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            assert b"STUDIO_OBS_PASSWORD" not in environ
            assert secret.encode() not in environ and secret.encode() not in b" ".join(cmdline)
            read = Path(cmdline[cmdline.index(b"--obs-password-file") + 1].decode())
            if given == "file":
                assert read == pw  # it reads the operator's file itself
            else:
                assert read.stat().st_mode & 0o077 == 0 and read.parent.stat().st_mode & 0o077 == 0
            server.send_signal(signal.SIGTERM)
            assert server.wait(30) == 0
        if given == "environment":
            assert not read.exists()  # the private copy goes with studio serve

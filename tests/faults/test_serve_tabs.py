"""``studio serve`` as a hostile page and a vanishing browser meet it (issue 9, items 10 and 11):
only its own page may drive the show, a tab process whose browser is gone ends within seconds
(and on SIGTERM), ``studio serve`` ends its tab processes when it ends, and neither the OBS
password nor the control token sits in a tab process's command line or environment."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus

from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue
from tests.faults.serving import ENDS_WITHIN, ends_within, serving, tab, tabs
from tests.runner.conftest import CATALOGUE

SEEN: set[int] = set()  # every tab process a test saw: none may be left behind, pass or fail


def seen(pids: list[int]) -> list[int]:
    SEEN.update(pids)
    return pids


@pytest.fixture(autouse=True)
def _no_tab_left_behind() -> Iterator[None]:
    yield
    for pid in list(SEEN):
        if not ends_within(pid, 0):  # a test that failed: do not leave it spinning
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    SEEN.clear()


@pytest.mark.parametrize("origin", ["http://evil.example.com", "http://localhost.evil.com:{p}",
                                    "http://127.0.0.1:1", "null", None])
def test_a_foreign_page_cannot_drive_the_show(tmp_path: Path, origin: str | None) -> None:
    with serving(tmp_path) as served:
        server, port = served.proc, served.port
        with pytest.raises(InvalidStatus) as refused, \
                tab(port, origin.format(p=port) if origin else None):
            pass
        assert refused.value.response.status_code == 403
        assert tabs(server.pid) == []  # no tab process was started for it
        with tab(port, f"http://localhost:{port}"):  # the served page itself is welcome
            assert len(seen(tabs(server.pid))) == 1


def test_a_tab_whose_browser_vanished_ends_and_serve_ends_the_rest(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        server, port = served.proc, served.port
        with tab(port, f"http://127.0.0.1:{port}") as ws:
            [first] = seen(tabs(server.pid))
            ws.socket.shutdown(2)  # the browser dies: no close frame
            assert ends_within(first, ENDS_WITHIN), "the tab's process outlived its browser"
        with tab(port, f"http://localhost:{port}"):
            [second] = seen(tabs(server.pid))
            os.kill(second, signal.SIGTERM)
            assert ends_within(second, ENDS_WITHIN), "the tab's process ignored SIGTERM"
        with tab(port, f"http://localhost:{port}"):
            [third] = seen(tabs(server.pid))
            server.send_signal(signal.SIGTERM)
            assert server.wait(30) == 0
            assert ends_within(third, ENDS_WITHIN), "a tab's process outlived studio serve"


def test_a_headless_chromium_that_exits_abruptly_leaves_no_tab_process(tmp_path: Path) -> None:
    """The issue's own case: ``chromium --screenshot`` opens the page and exits at once."""
    with serving(tmp_path) as served:
        server, port = served.proc, served.port
        shot = subprocess.run(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             f"--user-data-dir={tmp_path / 'chromium'}", f"--screenshot={tmp_path / 'shot.png'}",
             "--window-size=1280,800", f"http://localhost:{port}/"],
            capture_output=True, timeout=120)
        assert shot.returncode == 0, shot.stderr[-500:]
        # the server may be starting the tab's process just as the browser exits: look until
        # no tab process is left running
        deadline = time.monotonic() + 2 * ENDS_WITHIN
        while live := [pid for pid in seen(tabs(server.pid)) if not ends_within(pid, 0)]:
            for pid in live:
                left = max(0.0, deadline - time.monotonic())
                assert ends_within(pid, left), "a tab's process outlived its browser"


@pytest.mark.parametrize("given", ["file", "environment"])
def test_no_secret_is_in_a_tab_process(tmp_path: Path, given: str) -> None:
    """The show's service logs in to OBS; the tabs need no password, and get the control
    token's file, never the token."""
    secret = "pw-in-a-file-4471"
    pw = tmp_path / "obs.pw"
    pw.write_text(secret + "\n")
    with Simulator(password=secret) as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        args = ("--obs", sim.url) + (("--obs-password-file", str(pw)) if given == "file" else ())
        env = {"STUDIO_OBS_PASSWORD": secret} if given == "environment" else {}
        with serving(tmp_path, *args, env=env) as served, \
                tab(served.port, f"http://localhost:{served.port}", until=b"RUNDOWN"):
            assert sim.snapshot()["clients"] >= 2  # the service logged in (its two connections)
            token_file = Path(str(served.service()["token_file"]))
            token = token_file.read_text().strip()
            [child] = seen(tabs(served.proc.pid))
            environ = Path(f"/proc/{child}/environ").read_bytes()
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            for value in (secret.encode(), token.encode()):
                assert value not in environ and value not in b" ".join(cmdline)
            assert b"STUDIO_OBS_PASSWORD" not in environ
            assert b"STUDIO_CONTROL_TOKEN" not in environ
            assert b"--obs-password-file" not in cmdline
            assert cmdline[cmdline.index(b"--control-token-file") + 1] == str(token_file).encode()

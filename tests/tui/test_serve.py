"""``studio serve``: the same screen in a browser tab (textual-serve's websocket, as a browser
uses it), every tab a screen on the one show's service: a second tab is a second screen, and
neither the OBS password nor the control token is on a tab process's command line or in its
environment."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets

from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue
from studio.tui.screens.refused import RefusedApp
from tests.faults.serving import stop_services
from tests.tui.conftest import CATALOGUE, ROOT, SHOW_YAML
from tests.tui.screen_text import screen_text

PASSWORD = "tab-secret-4471"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def sim_pw() -> Iterator[Simulator]:
    s = Simulator(frame_ms=5.0, password=PASSWORD)
    s.start()
    s.load_catalogue(load_catalogue(CATALOGUE))
    yield s
    s.stop()


async def tab(port: int, until: bytes, timeout: float = 20.0) -> bytes:
    """Open a tab (websocket) and collect what the app sends until ``until`` shows up."""
    data = b""
    async with websockets.connect(f"ws://localhost:{port}/ws?width=100&height=30",
                                  origin=f"http://localhost:{port}") as ws:  # type: ignore[arg-type]
        await ws.send(json.dumps(["resize", {"width": 100, "height": 30}]))
        deadline = time.monotonic() + timeout
        while until not in data:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"tab never showed {until!r}")
            message = await asyncio.wait_for(ws.recv(), left)
            data += message if isinstance(message, bytes) else message.encode()
    return data


def tab_processes(show: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if (b"studio.cli.serve_tab" in cmdline and b"/bin/sh" not in cmdline
                    and str(show).encode() in cmdline):  # not another test's tabs
                pids.append(int(entry.name))
    return pids


async def test_a_second_tab_is_a_second_screen_on_the_same_show(
    sim_pw: Simulator, tmp_path: Path
) -> None:
    show = tmp_path / "show.yaml"
    show.write_text(SHOW_YAML.format(catalogue=CATALOGUE), encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)  # the lock file lives here
    env["PYTHONPATH"] = str(ROOT)
    env["STUDIO_OBS_PASSWORD"] = PASSWORD
    server = subprocess.Popen(
        [sys.executable, "-m", "studio", "serve", str(show), "--rehearse", "--speed", "1",
         "--from", "09:01", "--obs", sim_pw.url, "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:  # wait for the HTTP port (the server prints before it listens)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "studio serve never listened"
                await asyncio.sleep(0.05)

        # open the second tab while the first is still connected: both are the operator's
        # screen on the one show (its service), neither is refused
        async with websockets.connect(f"ws://localhost:{port}/ws?width=100&height=30",
                                      origin=f"http://localhost:{port}") as ws1:  # type: ignore[arg-type]
            await ws1.send(json.dumps(["resize", {"width": 100, "height": 30}]))
            first = b""
            end = time.monotonic() + 20
            while b"RUNDOWN" not in first and time.monotonic() < end:
                m = await asyncio.wait_for(ws1.recv(), 20)
                first += m if isinstance(m, bytes) else m.encode()
            assert b"Opening" in first  # the operator's screen, on air
            second = await tab(port, b"RUNDOWN")
            assert b"Opening" in second
            assert b"controls nothing" not in first + second
            assert sim_pw.snapshot()["clients"] == 2  # one show on OBS: the service's gateway
            record = json.loads((tmp_path / "as-run" / "show.rehearsal.control.json").read_text())
            token = Path(record["token_file"]).read_text().strip()
            pids = tab_processes(show)
            assert pids, "no tab process found"
            for pid in pids:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                environ = Path(f"/proc/{pid}/environ").read_bytes()
                assert b"\0attach\0" in cmdline
                for secret in (PASSWORD.encode(), token.encode()):
                    assert secret not in cmdline and secret not in environ
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        stop_services(tmp_path)


async def test_refused_screen_says_why_and_quits() -> None:
    app = RefusedApp("show.yaml is already running against ws://127.0.0.1:4455 (pid 4242)")
    async with app.run_test(size=(80, 24)) as pilot:
        text = screen_text(app)
        assert "pid 4242" in text and "controls nothing" in text
        await pilot.press("q")
    assert app.return_value == 1

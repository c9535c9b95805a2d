"""``studio serve`` run as a user runs it, for the serve tests: the server's process, its tabs'
processes (told apart from the show's service process, also its child) and the show service it
started, which outlives it and is stopped when the test is done."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.runner.conftest import write_show

ENDS_WITHIN = 12.0  # the tab's guard ends it within 6 s; generous for a loaded machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}


@dataclass
class Serve:
    proc: subprocess.Popen[str]
    port: int
    cwd: Path
    lines: list[str] = field(default_factory=list)  # everything it printed, as it comes
    drained: threading.Event = field(default_factory=threading.Event)  # set at its output's end

    def service(self) -> dict[str, object]:
        """The show service's control.json (url, pid, token_file)."""
        record = json.loads(discovery(self.cwd).read_text(encoding="utf-8"))
        assert isinstance(record, dict)
        return record

    def output(self) -> str:
        return "".join(self.lines)


def discovery(cwd: Path, rehearsal: bool = True) -> Path:
    return cwd / "as-run" / ("show.rehearsal.control.json" if rehearsal else "show.control.json")


@contextmanager
def serving(tmp_path: Path, *extra: str, env: dict[str, str] | None = None,
            speed: str = "10") -> Iterator[Serve]:
    """``studio serve SHOW --rehearse`` in ``tmp_path``; afterwards no tab process and no show
    service of it is left running."""
    port = free_port()
    show = tmp_path / "show.yaml"
    if not show.exists():
        write_show(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "serve", str(show), "--rehearse", "--speed", speed,
         "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**clean_env(), **(env or {})})
    served = Serve(proc, port, tmp_path)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # the server says where to go once it is about to listen
            served.lines.append(line)
            if "open http://" in line:
                break
        else:
            pytest.fail(f"studio serve ended: {served.output()}")

        def drain() -> None:  # never let it block on a full pipe
            assert proc.stdout is not None
            for line in proc.stdout:
                served.lines.append(line)
            served.drained.set()

        threading.Thread(target=drain, daemon=True).start()
        wait_listening(port)
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
        stop_services(tmp_path)


def stop_services(cwd: Path) -> None:
    for path in (discovery(cwd), discovery(cwd, rehearsal=False)):
        with contextlib.suppress(OSError, ValueError, KeyError, ProcessLookupError):
            pid = int(json.loads(path.read_text(encoding="utf-8"))["pid"])
            if b"studio" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGTERM)
                if not ends_within(pid, 20):
                    os.kill(pid, signal.SIGKILL)


def wait_listening(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            select.select([], [], [], 0.05)  # the server binds right after its banner
    pytest.fail(f"studio serve never listened on {port}")


@contextmanager
def tab(port: int, origin: str | None, *, until: bytes | None = None
        ) -> Iterator[ClientConnection]:
    """A browser tab's websocket, once the tab's screen has sent its first frame (or, with
    ``until``, once what it sent holds that)."""
    with connect(f"ws://localhost:{port}/ws?width=100&height=30",
                 origin=origin, open_timeout=10) as ws:  # type: ignore[arg-type]
        ws.send(json.dumps(["resize", {"width": 100, "height": 30}]))
        seen = b""
        while True:
            message = ws.recv(timeout=30)
            seen += message if isinstance(message, bytes) else message.encode()
            if until is None or until in seen:
                break
        yield ws


def children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except FileNotFoundError:  # a thread that has just ended
            continue
        kids += [int(k) for k in text.split()]
    return kids


def tabs(pid: int) -> list[int]:
    """The tab processes among ``pid``'s children (not the show's service)."""
    out = []
    for kid in children(pid):
        try:
            cmdline = Path(f"/proc/{kid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"studio.cli.serve_tab" in cmdline:
            out.append(kid)
    return out


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

"""``studio rehearse --headless --control`` as a process on a port of its own, the way the views
meet it: started, killed with SIGKILL, started again on the same port."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

from tests.runner.conftest import CATALOGUE

STUDIO = [sys.executable, "-m", "studio"]
WAIT = 30.0

SHOW_YAML = """\
show: Views test
date: 2021-01-19
timezone: Europe/Stockholm
catalogue: {catalogue}
segments:
  - id: alpha
    start: "09:00"
    duration: 10m
    title: Alpha talk
    scene: Studio Wide
    transition: cut
    warn: 5m
  - id: bravo
    duration: 10m
    title: Bravo panel
    scene: Panel
    transition: cut
  - id: charlie
    duration: 10m
    title: Charlie closes
    scene: End Card
    transition: cut
"""


def write_views_show(folder: Path) -> Path:
    path = folder / "views.yaml"
    path.write_text(SHOW_YAML.format(catalogue=CATALOGUE), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """One rehearsal process serving the control API (and the views) on ``port``."""

    def __init__(self, show: Path, workdir: Path, port: int, *args: str,
                 host: str = "127.0.0.1", env: dict[str, str] | None = None) -> None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
        self.proc = subprocess.Popen(
            [*STUDIO, "rehearse", str(show), "--headless", "--control", f"{host}:{port}", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, cwd=workdir, env={**clean, **(env or {})})
        self.url = f"http://127.0.0.1:{port}"
        self.workdir = workdir
        self.show = show
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.wait_line("views: ")

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_line(self, needle: str, timeout: float = WAIT) -> str:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"{needle!r} never printed; saw:\n"
                                     + "\n".join(self.seen)) from None
            self.seen.append(line)
            if needle in line:
                return line

    def base(self) -> Path:
        return self.workdir / "as-run" / (self.show.stem + ".rehearsal")

    def token(self) -> str:
        return self.workdir.joinpath("as-run", self.show.stem + ".rehearsal.control-token"
                                     ).read_text(encoding="utf-8").strip()

    def post(self, body: dict[str, Any], token: str | None = None) -> tuple[int, dict[str, Any]]:
        req = urllib.request.Request(
            f"{self.url}/api/v1/actions", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {token or self.token()}",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=WAIT) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def kill(self) -> None:
        """SIGKILL: the service is gone at once, no goodbye to its viewers."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=WAIT)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.kill()

"""Helpers for the real-OBS runner tests: shows timed from *now* (RealClock), provisioning, and
``studio run --headless`` as a subprocess whose output lines the test reads."""

from __future__ import annotations

import math
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studio.obs.connection import ObsConnectionSettings
from studio.obs.events import ObsEvent, RecordStateChanged, TransitionEnded
from studio.obs.gateway import ObsGateway
from studio.obs.provision import provision
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE, WAIT, Observer

ROOT = Path(__file__).resolve().parents[2]


def live_show(folder: Path, segments: list[tuple[str, float, str]], *, lead: float = 2.0,
              name: str = "live.yaml") -> tuple[Path, datetime]:
    """A show starting ``lead`` s from now (whole second, UTC); ``segments`` are
    (scene, duration in seconds, extra YAML lines such as "record: start")."""
    first = datetime.fromtimestamp(math.ceil(datetime.now(UTC).timestamp() + lead), UTC)
    lines = ["show: Live test", f"date: {first.date().isoformat()}", "timezone: UTC",
             f"catalogue: {CATALOGUE}", "segments:"]
    for i, (scene, seconds, extra) in enumerate(segments):
        lines.append(f"  - id: seg{i}")
        if i == 0:
            lines.append(f'    start: "{first:%H:%M:%S}"')
        lines += [f"    duration: {int(seconds * 1000)}ms", f"    scene: {scene}",
                  "    transition: cut"]
        lines += [f"    {x}" for x in extra.split(";") if x]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, first


def observer(port: int) -> Observer:
    q: queue.Queue = queue.Queue()  # type: ignore[type-arg]
    gw = ObsGateway(ObsConnectionSettings(port=port), on_event=q.put)
    gw.start()
    assert gw.wait_connected(WAIT)
    return Observer(gw, q)


def provisioned(port: int, program: str | None = "Holding Slate") -> None:
    """The catalogue in OBS, ``program`` on air (its transition over; None: untouched), not
    recording."""
    q: queue.Queue[ObsEvent] = queue.Queue()
    gw = ObsGateway(ObsConnectionSettings(port=port), on_event=q.put)
    gw.start()
    assert gw.wait_connected(WAIT)
    provision(gw, load_catalogue(CATALOGUE))
    if program and gw.call("GetCurrentProgramScene")["currentProgramSceneName"] != program:
        gw.call("SetCurrentProgramScene", {"sceneName": program})
        while not isinstance(ev := q.get(timeout=WAIT), TransitionEnded):
            pass
    if gw.call("GetRecordStatus").get("outputActive"):
        gw.call("StopRecord")
        while not (isinstance(ev := q.get(timeout=WAIT), RecordStateChanged) and not ev.active):
            pass
    gw.stop()


@dataclass
class StudioProcess:
    """``studio run SHOW --headless`` in a subprocess; its stdout lines arrive on a queue."""

    proc: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, show: Path, url: str, workdir: Path, env: dict[str, str] | None = None
              ) -> StudioProcess:
        full_env = {**os.environ, **(env or {})}
        proc = subprocess.Popen(
            [sys.executable, "-m", "studio", "run", str(show), "--obs", url, "--headless",
             "--journal", str(workdir / "journal.jsonl"), "--as-run",
             str(workdir / "asrun.jsonl")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=workdir, env=full_env,
        )
        sp = cls(proc)
        threading.Thread(target=sp._pump, daemon=True).start()
        return sp

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_line(self, text: str, timeout: float = 30.0) -> str:  # (a loaded machine)
        deadline = datetime.now(UTC) + timedelta(seconds=timeout)
        while True:
            left = (deadline - datetime.now(UTC)).total_seconds()
            if left <= 0:
                raise AssertionError(f"no line with {text!r}; output so far:\n"
                                     + "\n".join(self.seen))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def terminate(self) -> int:
        self.proc.terminate()
        return self.proc.wait(15)

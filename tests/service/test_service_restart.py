"""kill -9 of the show service (``studio run --headless --control``, live against the simulator):
an attached screen says the show is lost, and reattaches by itself when the service is back,
resumed from its journal (the hold survives)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from studio.engine.actions import Hold
from studio.obs.simulator import Simulator
from studio.service.client import RemoteController, Where
from studio.show.loader import load_catalogue, load_show
from tests.runner.conftest import CATALOGUE
from tests.runner.live import StudioProcess, live_show

WAIT = 20.0


def service(show: Path, url: str, workdir: Path) -> StudioProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "run", str(show), "--obs", url, "--headless",
         "--control", "127.0.0.1:0"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=workdir, env=env)
    sp = StudioProcess(proc)
    threading.Thread(target=sp._pump, daemon=True).start()
    return sp


def until(rc: RemoteController, predicate: Callable[[], bool], what: str) -> None:
    """Wait on the screen's own notifications until ``predicate()`` holds."""
    news = threading.Event()
    rc.subscribe(news.set)
    deadline = time.monotonic() + WAIT
    while not predicate():
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timed out waiting for {what}")
        news.wait(left)
        news.clear()


def test_kill_9_of_the_service_then_back_resumed_from_its_journal(tmp_path: Path) -> None:
    sim = Simulator(frame_ms=5.0)
    sim.start()
    sim.load_catalogue(load_catalogue(CATALOGUE))
    show, _first = live_show(tmp_path, [("Holding Slate", 15, ""), ("Studio Wide", 60, ""),
                                        ("Panel", 30, "")], lead=2.0)
    first = service(show, sim.url, tmp_path)
    second: StudioProcess | None = None
    rc: RemoteController | None = None
    try:
        first.wait_line("control API on", timeout=WAIT)
        discovery = tmp_path / "as-run" / "live.control.json"
        rc = RemoteController(load_show(show), Where(None, discovery, None))
        rc.start()
        until(rc, lambda: bool(rc and rc.projection().on_air
                               and rc.projection().on_air.segment_id == "seg0"), "seg0 on air")
        rc.submit(Hold(at=rc.clock.now()))
        until(rc, lambda: bool(rc and rc.projection().on_air and rc.projection().on_air.held),
              "the hold")
        first.proc.kill()  # kill -9
        first.proc.wait(10)
        until(rc, lambda: bool(rc and rc.lost), "the screen to notice")
        assert "SHOW SERVICE LOST" in rc.projection().warnings[0]
        second = service(show, sim.url, tmp_path)  # systemd's Restart=on-failure
        second.wait_line("resumed from journal", timeout=WAIT)
        until(rc, lambda: bool(rc and not rc.lost), "the screen to reattach")
        on_air = rc.projection().on_air
        assert on_air is not None and on_air.segment_id == "seg0" and on_air.held
        assert not rc.projection().warnings or "LOST" not in rc.projection().warnings[0]
    finally:
        if rc is not None:
            rc.close()
        for sp in (first, second):
            if sp is not None and sp.proc.poll() is None:
                sp.terminate()
        sim.stop()

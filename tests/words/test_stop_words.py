"""Who stopped the show: the END line and the as-run say the operator and the surface when
the stop came from a screen or the control API (the service then sends itself a SIGTERM, which
they used to name), and the signal when it came from outside (systemd, kill)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from studio.obs.simulator import Simulator
from studio.service.client import RemoteController, Where
from studio.show.loader import load_show
from tests.runner.live import StudioProcess, live_show

CONTROL = re.compile(r"control API on (?P<url>http://\S+) \(token: (?P<token>[^;]+);"
                     r" studio attach finds it in (?P<found>[^)]+)\)")


def _service(tmp_path: Path, url: str) -> tuple[StudioProcess, re.Match[str]]:
    show, _ = live_show(tmp_path, [("Holding Slate", 600, ""), ("Studio Wide", 60, "")])
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "run", str(show), "--obs", url, "--headless",
         "--control", "127.0.0.1:0", "--journal", str(tmp_path / "journal.jsonl"),
         "--as-run", str(tmp_path / "asrun.jsonl")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=tmp_path, env=env)
    sp = StudioProcess(proc)
    threading.Thread(target=sp._pump, daemon=True).start()
    found = CONTROL.search(sp.wait_line("control API on"))
    assert found is not None
    sp.wait_line("connected to OBS")  # running (its first segment may start before)
    return sp, found


def _end(sp: StudioProcess) -> str:
    assert sp.proc.wait(15) == 0
    return sp.wait_line("END ").split("END", 1)[1].strip()


def _last_asrun(tmp_path: Path) -> dict[str, object]:
    lines = (tmp_path / "asrun.jsonl").read_text(encoding="utf-8").splitlines()
    last: dict[str, object] = json.loads(lines[-1])
    return last




def test_a_stop_over_the_api_names_the_client(tmp_path: Path, sim: Simulator) -> None:
    sp, found = _service(tmp_path, sim.url)
    try:
        token = Path(found["token"]).read_text(encoding="utf-8").strip()
        req = urllib.request.Request(found["url"] + "/api/v1/stop?client=anna", method="POST",
                                     headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=5) as r:
            assert r.status == 200
        end = _end(sp)
        assert end == "stopped by anna over the control API"
        assert "SIGTERM" not in "\n".join(sp.seen)
        last = _last_asrun(tmp_path)
        assert (last["kind"], last["text"], last["who"]) == (
            "info", "stopped by anna over the control API", "anna")
    finally:
        if sp.proc.poll() is None:
            sp.kill()


def test_a_stop_from_a_screen_says_so(tmp_path: Path, sim: Simulator) -> None:
    sp, found = _service(tmp_path, sim.url)
    try:
        show = load_show(tmp_path / "live.yaml")
        screen = RemoteController(show, Where(None, Path(found["found"]), None))  # its client
        screen.start()
        try:
            assert screen.stop_show() is None
        finally:
            screen.close()
        end = _end(sp)
        assert end == "stopped by operator from a screen"
        assert "show service stopped by operator from a screen" in "\n".join(sp.seen)
        last = _last_asrun(tmp_path)
        assert (last["text"], last["who"]) == ("stopped by operator from a screen", "operator")
    finally:
        if sp.proc.poll() is None:
            sp.kill()


def test_a_signal_from_outside_still_names_the_signal(tmp_path: Path, sim: Simulator) -> None:
    sp, _ = _service(tmp_path, sim.url)
    try:
        sp.proc.terminate()  # as systemd stops it
        end = _end(sp)
        assert end == "stopped by SIGTERM"
        last = _last_asrun(tmp_path)
        assert (last["kind"], last["text"], last["who"]) == ("info", "stopped by SIGTERM",
                                                             "signal")
    finally:
        if sp.proc.poll() is None:
            sp.kill()

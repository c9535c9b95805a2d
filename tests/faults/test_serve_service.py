"""``studio serve`` is a client of the show's service (the show is a service, screens come and
go): a tab whose browser vanishes mid-show leaves the show running, ``studio serve`` ended
leaves it running and says how to reach it, and a second ``studio serve`` of the same show
attaches to the one service instead of starting another."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from tests.faults.serving import ENDS_WITHIN, clean_env, ends_within, serving, tab, tabs
from tests.runner.conftest import write_show


def state(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/api/v1/state", timeout=10) as answer:
        data: dict[str, Any] = json.load(answer)
    return data


def on_air(data: dict[str, Any]) -> str | None:
    air = data["projection"]["on_air"]
    return str(air["segment_id"]) if air else None


def next_on_air(url: str, now: str | None, timeout: float = 120.0) -> str | None:
    """Awaits, on the service's events WebSocket, a state whose on-air segment is not ``now``."""
    with connect(url.replace("http://", "ws://") + "/api/v1/events", open_timeout=10) as ws:
        while True:
            message = json.loads(ws.recv(timeout=timeout))
            if message["type"] == "state" and on_air(message["state"]) != now:
                return on_air(message["state"])


def in_asrun(url: str, asrun: Path, text: str, timeout: float = 30.0) -> bool:
    """Whether ``text`` reaches the as-run: it is written once OBS confirmed the cue, a moment
    after the state went out, so each event the service pushes after that is a look."""
    with connect(url.replace("http://", "ws://") + "/api/v1/events", open_timeout=10) as ws:
        while True:
            if any(text in line for line in asrun.read_text().splitlines()):
                return True
            try:
                ws.recv(timeout=timeout)
            except TimeoutError:
                return any(text in line for line in asrun.read_text().splitlines())


def test_a_tab_whose_browser_vanishes_leaves_the_show_running(tmp_path: Path) -> None:
    # at 10x from 08:59:50: cues at 09:00, 09:01, 09:03, 09:10 (1 s, 7 s, 19 s, 61 s from now)
    with serving(tmp_path, "--from", "08:59:50") as served:
        with tab(served.port, f"http://localhost:{served.port}", until=b"RUNDOWN") as ws:
            [tab_pid] = tabs(served.proc.pid)
            ws.socket.shutdown(2)  # the browser dies: no close frame
            assert ends_within(tab_pid, ENDS_WITHIN), "the tab's process outlived its browser"
        url = str(served.service()["url"])
        before = state(url)
        after = next_on_air(url, on_air(before))  # the next cue fires with no screen at all
        assert after is not None and after != on_air(before)
        assert in_asrun(url, tmp_path / "as-run" / "show.rehearsal.jsonl", f"[{after}]")
        assert served.proc.poll() is None  # and serve still serves new tabs
        with tab(served.port, f"http://localhost:{served.port}", until=b"RUNDOWN"):
            pass


def test_serve_ended_leaves_the_show_running_and_a_second_serve_attaches(
        tmp_path: Path) -> None:
    with serving(tmp_path, "--from", "08:59:50") as served, \
            tab(served.port, f"http://localhost:{served.port}", until=b"RUNDOWN"):
        service = served.service()
        served.proc.send_signal(signal.SIGTERM)  # what Ctrl+C does too
        assert served.proc.wait(30) == 0
        said = served.output()
        assert f"the show goes on (service pid {service['pid']}" in said
        assert "studio attach" in said and "--rehearsal" in said
        url = str(service["url"])
        assert next_on_air(url, on_air(state(url))) is not None  # cues go on firing
        with serving(tmp_path) as again:  # a second serve of the show: the same service
            assert again.service()["pid"] == service["pid"]
            assert f"already running (pid {service['pid']}" in again.output()
            with tab(again.port, f"http://localhost:{again.port}", until=b"RUNDOWN"):
                pass


@pytest.mark.parametrize(("args", "says"), [
    (["--speed", "max"], ["--speed max", "studio rehearse"]),  # before any service starts
    (["--from", "11:00"], ["--from 11:00", "ended by then"]),  # the service's own refusal
])
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], says: list[str]) -> None:
    show = write_show(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "studio", "serve", str(show), "--rehearse", *args],
        capture_output=True, text=True, cwd=tmp_path, env=clean_env(), timeout=60)
    assert done.returncode != 0
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("studio serve: error: ") and line.count("error:") == 1, line
    assert all(word in line for word in says), line
    assert not (tmp_path / "as-run" / "show.rehearsal.control.json").exists()


def test_a_tabs_quit_key_detaches_or_stops_the_show(tmp_path: Path) -> None:
    with serving(tmp_path, "--from", "08:59:50") as served:
        origin = f"http://localhost:{served.port}"
        service = served.service()
        with tab(served.port, origin, until=b"RUNDOWN") as ws:
            [first] = tabs(served.proc.pid)
            ws.send(json.dumps(["stdin", "q"]))
            seen = b""
            while b"the show goes on" not in seen:  # the same choice as studio attach's
                message = ws.recv(timeout=30)
                seen += message if isinstance(message, bytes) else message.encode()
            ws.send(json.dumps(["stdin", "d"]))  # detach: this screen goes, the show stays
            assert ends_within(first, ENDS_WITHIN)
        url = str(service["url"])
        assert next_on_air(url, on_air(state(url))) is not None
        with tab(served.port, origin, until=b"RUNDOWN") as ws:
            ws.send(json.dumps(["stdin", "q"]))
            seen = b""
            while b"the show goes on" not in seen:
                message = ws.recv(timeout=30)
                seen += message if isinstance(message, bytes) else message.encode()
            ws.send(json.dumps(["stdin", "s"]))  # stop the show: the service ends, serve too
            assert ends_within(int(str(service["pid"])), 30), "the show did not stop"
            assert served.proc.wait(30) == 0
        said = served.output()
        assert "the show service has ended" in said and "the show goes on" not in said


def test_closing_a_real_browser_tab_leaves_the_show_running(tmp_path: Path) -> None:
    """Headless Chromium opens the page (the screen draws in it), then the tab is closed."""
    from tests.views.cdp import Chromium, Tab

    with serving(tmp_path, "--from", "08:59:50") as served:
        chromium = Chromium()
        try:
            new = urllib.request.Request(
                f"http://127.0.0.1:{chromium.port}/json/new?about:blank", method="PUT")
            with urllib.request.urlopen(new, timeout=30) as answer:
                target = json.load(answer)
            page = Tab(target["webSocketDebuggerUrl"])
            page.size(1280, 800)
            page.navigate(f"http://localhost:{served.port}/")
            page.until("document.querySelector('canvas, .xterm-screen') !== null", timeout=30)
            url = str(served.service()["url"])
            with connect(url.replace("http://", "ws://") + "/api/v1/events") as viewer:
                while not tabs(served.proc.pid):  # the tab's process: a screen on the show
                    viewer.recv(timeout=30)  # (each state the service pushes: look again)
            [tab_pid] = tabs(served.proc.pid)
            page.close()
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{chromium.port}/json/close/{target['id']}", timeout=30):
                pass
            assert ends_within(tab_pid, ENDS_WITHIN), "the tab's process outlived its tab"
        finally:
            chromium.close()
        before = on_air(state(url))
        assert next_on_air(url, before) not in (None, before)  # the show went on

"""``studio serve`` on a studio network without internet: the page loads nothing from any host
but the server (textual-serve's own fetched its font from Google: offline, the page waited on it;
online, Google learnt who watched), seen by a real headless Chromium's DevTools Network domain;
and the operator's terminal gets serve's own lines only, never textual-serve's banner, its
per-request log or the tab's command line, and no secret."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue
from tests.faults.serving import serving, tab
from tests.runner.conftest import CATALOGUE
from tests.views.cdp import Chromium

DRAWN = "document.body.classList.contains('-first-byte')"  # the tab's screen has drawn


def requested(events: list[dict[str, Any]]) -> list[str]:
    """Every URL the page asked for (documents, styles, scripts, fonts, images, websockets)."""
    urls = [e["params"]["request"]["url"] for e in events
            if e["method"] == "Network.requestWillBeSent"]
    return urls + [e["params"]["url"] for e in events if e["method"] == "Network.webSocketCreated"]


@pytest.mark.parametrize("host", ["localhost", "0.0.0.0"])
def test_the_page_loads_nothing_but_from_its_server(tmp_path: Path, host: str) -> None:
    """Served on localhost (the default) and on every interface, opened as another machine
    would: at the address it reached (here 127.0.0.1), never at a name the page made up."""
    extra = () if host == "localhost" else ("--host", host)
    with serving(tmp_path, "--from", "08:59:50", *extra) as served:
        here = "localhost" if host == "localhost" else "127.0.0.1"
        server = (here, served.port)
        chromium = Chromium()
        try:
            page = chromium.tab()
            page.call("Network.enable")
            page.size(1280, 800)
            page.navigate(f"http://{here}:{served.port}/")
            page.until(DRAWN, timeout=30)  # its websocket is up and the screen draws
            # the terminal's font is the one the server sent, loaded
            assert page.eval("document.fonts.check('16px \"Roboto Mono\"') && [...document.fonts]"
                             ".some(f => f.family.includes('Roboto Mono') && "
                             "f.status === 'loaded')")
            # page level: every link and script names this server
            linked = page.eval("[...document.querySelectorAll('link[href], script[src]')]"
                               ".map(e => e.href || e.src)")
            urls = requested(page.events)
            page.close()
        finally:
            chromium.close()
    assert any(u.endswith("/static/js/textual.js") for u in urls), urls
    assert any(urlsplit(u).scheme == "ws" and urlsplit(u).path == "/ws" for u in urls), urls
    foreign = [u for u in urls + linked
               if urlsplit(u).scheme != "data"
               and (urlsplit(u).hostname, urlsplit(u).port) != server]
    assert foreign == [], f"the page asked another host than {here}:{served.port}: {foreign}"


def test_the_terminal_gets_serves_own_lines_and_no_secret(tmp_path: Path) -> None:
    secret = "pw-serve-out-5521"
    with Simulator(password=secret) as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        with serving(tmp_path, "--obs", sim.url, env={"STUDIO_OBS_PASSWORD": secret}) as served:
            with urllib.request.urlopen(f"http://localhost:{served.port}/", timeout=30) as r:
                assert r.status == 200  # a request: textual-serve logged each to the terminal
            with tab(served.port, f"http://localhost:{served.port}", until=b"RUNDOWN"):
                pass  # a tab: textual-serve's banner had printed its whole command line
            with socket.create_connection(("127.0.0.1", served.port), timeout=30) as bad:
                # a malformed request: aiohttp logged its traceback to the terminal
                bad.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nOrigin: a\x1bb\r\n\r\n")
                assert bad.recv(100).startswith(b"HTTP/1.0 400")
            token = Path(str(served.service()["token_file"])).read_text().strip()
            log = tmp_path / "as-run" / "show.rehearsal.serve.log"
        assert served.drained.wait(30), "studio serve's output never ended"
    lines = served.output().splitlines()
    assert lines, "studio serve printed nothing"
    assert [line for line in lines if not line.startswith("studio serve: ")] == [], lines
    [first] = [line for line in lines if "open http://" in line]
    assert f"open http://localhost:{served.port} " in first
    said = served.output()
    for unwanted in ("Serving", "serve_tab", "--control-token-file", "GET /", "INFO",
                     "Ctrl+C to quit", "Traceback", "Error handling request", secret, token):
        assert unwanted not in said, f"{unwanted!r} in studio serve's output:\n{said}"
    # the requests are in serve's own log, next to the service's, and no secret with them
    logged = log.read_text(encoding="utf-8")
    assert '"GET / HTTP/1.1" 200' in logged and '"GET /ws?' in logged, logged
    assert "Error handling request" in logged
    assert secret not in logged and token not in logged
    assert str(log.relative_to(tmp_path)) in lines[-1]  # serve's last line names it

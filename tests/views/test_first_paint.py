"""What a phone shows in its first second: the views say they are *connecting* until the first
state arrives, and NOT CONNECTED only after a real failure (the events socket refused or lost,
or no answer within the page's 3 s). Seen by a real headless Chromium: as
``chromium --headless --screenshot URL`` sees it (the page as it stands once loaded, before its
socket has opened: there ``--dump-dom``, the same moment, as text), and over DevTools with a
recorder installed before the page's first byte, so every state the page ever showed is known.

The pages' own HTML, CSS and JS (``studio.service.views.page``) are served here by a stand-in
whose events endpoint never answers, or refuses, so "not yet" and "failed" can be held as long
as a test needs; the last test meets a real rehearsal service."""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from studio.service.views import VIEWS, page
from tests.views.cdp import CHROMIUM, Chromium, Tab
from tests.views.service import Service, free_port, write_views_show

NOT_CONNECTED = "NOT CONNECTED"
# installed before the page's first byte: every change of what the page says, with its time
RECORDER = """
window.__seen = [];
(function () {
  function look() {
    var conn = document.getElementById("conn");
    if (!conn) return;  // the page's body is not parsed that far yet
    var wait = document.getElementById("connecting");
    var now = !conn.hidden ? "NOT CONNECTED" : (wait && !wait.hidden) ? "connecting" : "live";
    var seen = window.__seen;
    if (!seen.length || seen[seen.length - 1].what !== now)
      seen.push({what: now, at: performance.now()});
  }
  new MutationObserver(look).observe(document, {subtree: true, childList: true,
                                                attributes: true, characterData: true});
})();
"""


@contextmanager
def stand_in(events: str) -> Iterator[str]:
    """The views' pages on a port of their own; ``/api/v1/events`` either never answers
    (``hang``: the connection is accepted, the handshake never comes) or is refused (503)."""
    done = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            name = self.path.lstrip("/").split("?")[0]
            if name in VIEWS:
                body = page(name)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path.startswith("/api/v1/events") and events == "hang":
                done.wait()
            else:
                self.send_error(503)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        done.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    browser = Chromium()
    yield browser
    browser.close()


def recorded_tab(chromium: Chromium, url: str) -> Tab:
    tab = chromium.tab()
    tab.size(390, 844, mobile=True)
    tab.call("Page.enable")
    tab.call("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
    tab.navigate(url)
    return tab


def seen(tab: Tab) -> list[dict[str, Any]]:
    return list(tab.eval("window.__seen"))


@pytest.mark.parametrize("view", VIEWS)
def test_a_page_loaded_before_its_socket_opens_says_connecting(view: str) -> None:
    """What ``chromium --headless --screenshot URL`` captured: the page once loaded, its
    socket not open yet. It said NOT CONNECTED; now it says it is connecting."""
    with stand_in("hang") as url, tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={profile}", "--dump-dom", f"{url}/{view}"],
            capture_output=True, text=True, timeout=60, check=True, start_new_session=True,
        ).stdout
    assert 'id="connecting" role="status">connecting to the show service' in dom, dom
    assert 'id="conn" role="alert" hidden=""' in dom, dom  # NOT CONNECTED is there, hidden
    assert f'class="{view} connecting"' in dom, dom


@pytest.mark.parametrize("view", VIEWS)
def test_no_answer_is_connecting_first_and_not_connected_after_three_seconds(
        chromium: Chromium, view: str) -> None:
    with stand_in("hang") as url:
        tab = recorded_tab(chromium, f"{url}/{view}")
        try:
            tab.until("document.body.classList.contains('offline')", 10)
            states = seen(tab)
            assert [s["what"] for s in states] == ["connecting", NOT_CONNECTED], states
            # the page's own 3 s without a state: never an alarm within its first second
            assert states[1]["at"] - states[0]["at"] >= 2500, states
            assert NOT_CONNECTED in tab.text()
            assert not tab.eval("document.querySelector('main')"
                                ".checkVisibility({visibilityProperty: true})")
        finally:
            tab.close()


@pytest.mark.parametrize("view", VIEWS)
def test_a_refused_socket_is_not_connected_at_once(chromium: Chromium, view: str) -> None:
    with stand_in("refuse") as url:
        tab = recorded_tab(chromium, f"{url}/{view}")
        try:
            tab.until("document.body.classList.contains('offline')", 2.5)
            assert [s["what"] for s in seen(tab)] == ["connecting", NOT_CONNECTED]
            assert NOT_CONNECTED in tab.text()
        finally:
            tab.close()


def test_a_page_on_a_live_service_never_says_not_connected(tmp_path: Any,
                                                           chromium: Chromium) -> None:
    svc = Service(write_views_show(tmp_path), tmp_path, free_port(), "--from", "09:00:05")
    tabs = [recorded_tab(chromium, f"{svc.url}/{view}") for view in VIEWS]
    try:
        for tab in tabs:
            tab.until("window.__seen.length && "
                      "window.__seen[window.__seen.length - 1].what === 'live'", 10)
            states = [s["what"] for s in seen(tab)]
            assert states == ["connecting", "live"], json.dumps(seen(tab))
            assert "Alpha talk" in tab.text()
    finally:
        for tab in tabs:
            tab.close()
        svc.stop()

"""The views in a real browser: Debian's Chromium, headless, driven over the DevTools protocol,
against a rehearsal on the simulator in its own process. What a speaker and a producer see:
the countdown moves, a TAKE shows within a second, a dead service reads NOT CONNECTED (never a
stale countdown), and the pages come back by themselves when the service is back."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.views.cdp import Chromium, Tab
from tests.views.service import Service, free_port, write_views_show

DIGITS = r"^\+?\d\d:\d\d$"
ONLINE = ("!document.body.classList.contains('offline') && "
          "!document.body.classList.contains('connecting')")
OFFLINE = ("document.body.classList.contains('offline') && "
           "!document.getElementById('conn').hidden")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    browser = Chromium()
    yield browser
    browser.close()


def remaining(tab: Tab) -> str:
    return str(tab.eval("document.getElementById('remaining').textContent"))


def seconds(text: str) -> int:
    m, s = text.lstrip("+").split(":")
    return int(m) * 60 + int(s)


def test_presenter_and_rundown_follow_the_show_and_the_service(
        tmp_path: Path, chromium: Chromium) -> None:
    show = write_views_show(tmp_path)
    port = free_port()
    svc = Service(show, tmp_path, port, "--from", "09:00:05")
    presenter = chromium.tab()
    rundown = chromium.tab()
    try:
        presenter.size(1920, 1080)
        presenter.navigate(f"{svc.url}/presenter")
        rundown.size(390, 844, mobile=True)
        rundown.navigate(f"{svc.url}/rundown")

        # the countdown, read from the page, and the segment it belongs to
        presenter.until(f"{ONLINE} && /{DIGITS}/.test("
                        "document.getElementById('remaining').textContent)")
        first = remaining(presenter)
        assert 9 * 60 + 40 <= seconds(first) <= 9 * 60 + 55, first
        text = presenter.text()
        assert "Alpha talk" in text and "Bravo panel" in text and "09:10" in text
        assert "warn" not in str(presenter.eval("document.getElementById('remaining').className"))
        # it counts down by itself
        presenter.until(f"document.getElementById('remaining').textContent !== '{first}'", 5)
        assert seconds(remaining(presenter)) < seconds(first)

        rundown.until(f"{ONLINE} && document.getElementById('row-alpha').className === 'on_air'")
        assert rundown.eval("document.getElementById('row-bravo').className") == "next"

        # a TAKE through the API: the title changes within one second
        t0 = time.monotonic()
        status, body = svc.post({"action": "take", "expect": "bravo", "client": "browser-test"})
        assert status == 200, body
        presenter.until("document.getElementById('title').textContent === 'Bravo panel'", 1.0)
        assert time.monotonic() - t0 < 1.0
        rundown.until("document.getElementById('row-bravo').className === 'on_air'", 1.0)
        assert rundown.eval("document.getElementById('row-alpha').className") == "done"

        # the operator's message, large until cleared
        assert svc.post({"action": "message", "text": "Two minutes, please wrap up"})[0] == 200
        presenter.until("!document.getElementById('message').hidden", 2)
        assert "Two minutes, please wrap up" in presenter.text()
        assert svc.post({"action": "clear_message"})[0] == 200
        presenter.until("document.getElementById('message').hidden", 2)

        # the service hangs (SIGSTOP: the socket stays open, nothing comes): within the
        # page's 3 s the countdown gives way to NOT CONNECTED, and comes back with the service
        os.kill(svc.proc.pid, signal.SIGSTOP)
        try:
            presenter.until(OFFLINE, 6)
        finally:
            os.kill(svc.proc.pid, signal.SIGCONT)
        presenter.until(f"{ONLINE} && /{DIGITS}/.test("
                        "document.getElementById('remaining').textContent)", 10)

        # the service dies: both pages say so at once, no countdown stays up
        svc.kill()
        presenter.until(OFFLINE, 5)
        rundown.until(OFFLINE, 5)
        assert "NOT CONNECTED" in presenter.text()
        assert not presenter.eval("document.getElementById('remaining')"
                                  ".checkVisibility({visibilityProperty: true})")

        # back on the same port (a rehearsal starts afresh: 09:05:50, alpha in its last 5 min,
        # its `warn: 5m` turns the countdown amber); the pages reconnect by themselves
        svc = Service(show, tmp_path, port, "--from", "09:05:50", "--speed", "30")
        presenter.until(f"{ONLINE} && /{DIGITS}/.test("
                        "document.getElementById('remaining').textContent)", 10)
        rundown.until(f"{ONLINE} && document.getElementById('row-alpha').className === "
                      "'on_air'", 10)
        presenter.until("document.getElementById('remaining').className.includes('warn')", 2)
        # held past its end: red, counting up
        assert svc.post({"action": "hold"})[0] == 200
        presenter.until("document.getElementById('remaining').className.includes('over')", 30)
        over = remaining(presenter)
        assert re.fullmatch(r"\+\d\d:\d\d", over), over
        presenter.until(f"document.getElementById('remaining').textContent !== '{over}'", 5)
        assert seconds(remaining(presenter)) > seconds(over)
    finally:
        presenter.close()
        rundown.close()
        svc.stop()

"""Debian's Chromium, headless, driven over the DevTools protocol with nothing but
``websockets``: open a tab, set its size, evaluate JavaScript, await a condition in the page,
take a screenshot. A real browser running the views' own HTML, CSS and JS."""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
START_S = 30.0


class Tab:
    def __init__(self, ws_url: str) -> None:
        self.ws: ClientConnection = connect(ws_url, max_size=None, open_timeout=START_S)
        self.ws.__enter__()  # websockets 17 wants the context-manager form; this is that
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []  # the page's events (Network.*, once enabled)

    def call(self, method: str, params: dict[str, Any] | None = None,
             timeout: float = 20.0) -> dict[str, Any]:
        n = next(self._ids)
        self.ws.send(json.dumps({"id": n, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if msg.get("id") != n:
                if "method" in msg:
                    self.events.append(msg)  # an event of the page: kept, not waited for
                continue
            if "error" in msg:
                raise RuntimeError(f"{method}: {msg['error']}")
            result: dict[str, Any] = msg["result"]
            return result

    def wait_event(self, method: str, contains: str, timeout: float = 20.0) -> dict[str, Any]:
        """The first event ``method`` of the page whose JSON holds ``contains`` (kept ones
        first, then as they come); AssertionError when none came within ``timeout``."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event["method"] == method and contains in json.dumps(event):
                    return event
            seen = len(self.events)
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {method} with {contains!r} within {timeout} s")
            try:
                msg = json.loads(self.ws.recv(timeout=left))
            except TimeoutError:
                continue
            if "method" in msg:
                self.events.append(msg)

    def eval(self, expression: str, timeout: float = 20.0) -> Any:
        """The value of a JavaScript expression (a promise is awaited)."""
        res = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                             "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in res:
            raise AssertionError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def until(self, predicate: str, timeout: float = 10.0) -> float:
        """Wait in the page until the JS expression ``predicate`` is truthy (checked on every
        animation frame and DOM change); the seconds it took. AssertionError on timeout."""
        js = f"""new Promise((resolve) => {{
            const t0 = performance.now(), limit = {timeout * 1000};
            const check = () => {{
                let ok = false; try {{ ok = !!({predicate}); }} catch (e) {{}}
                const took = (performance.now() - t0) / 1000;
                if (!ok && took * 1000 <= limit) return false;
                obs.disconnect(); resolve(ok ? took : -1); return true;
            }};
            const obs = new MutationObserver(check);
            obs.observe(document, {{subtree: true, childList: true, characterData: true,
                                   attributes: true}});
            const frame = () => {{ if (!check()) requestAnimationFrame(frame); }};
            frame();
        }})"""
        took = float(self.eval(js, timeout=timeout + 10))
        if took < 0:
            raise AssertionError(f"not within {timeout} s: {predicate}\n"
                                 f"page text: {self.text()!r}")
        return took

    def text(self) -> str:
        return str(self.eval("document.body.innerText"))

    def size(self, width: int, height: int, *, mobile: bool = False) -> None:
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def navigate(self, url: str) -> None:
        """Open ``url`` and wait until it has loaded. The tab's previous document (about:blank)
        may still answer first, and be replaced while it does (seen: "Inspected target
        navigated or closed"): wait for the new one."""
        self.call("Page.enable")
        self.call("Page.navigate", {"url": url})
        for _ in range(5):
            try:
                self.until("location.href !== 'about:blank' && "
                           "document.readyState === 'complete'", timeout=20)
                return
            except RuntimeError as exc:
                if "navigated" not in str(exc):
                    raise
        raise AssertionError(f"{url} kept navigating")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.ws.close()


class Chromium:
    """One headless Chromium with its own throw-away profile; the DevTools port it picked."""

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="studio-chromium-")
        profile = Path(self._dir)
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking",
             "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
             f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, start_new_session=True)  # its helpers in one group: close ends them all
        assert self.proc.stderr is not None
        port = None
        deadline = time.monotonic() + START_S
        for line in self.proc.stderr:  # "DevTools listening on ws://127.0.0.1:PORT/devtools/..."
            if "DevTools listening on" in line:
                port = int(line.split("ws://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
                break
            if time.monotonic() > deadline:
                break
        if port is None:
            self.close()
            raise RuntimeError(f"{CHROMIUM} did not open its DevTools port")
        self.port = port
        import threading

        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for _ in self.proc.stderr:
            pass

    def tab(self, url: str = "about:blank") -> Tab:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?{url}", method="PUT")
        with urllib.request.urlopen(req, timeout=START_S) as r:
            info = json.loads(r.read())
        return Tab(info["webSocketDebuggerUrl"])

    def close(self) -> None:
        """End Chromium and every helper it started (a crashpad handler or a utility process
        outliving the browser still writes to the profile: removing it then failed, 'Directory
        not empty'), then remove the profile."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # the group's leftovers: none can write
        deadline = time.monotonic() + 10
        while True:
            try:
                shutil.rmtree(self._dir)
                break
            except FileNotFoundError:
                break
            except OSError:  # a last write landing as the group dies
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

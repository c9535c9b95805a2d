"""textual-serve's server, as ``studio serve`` needs it: only its own pages may drive the show,
and no tab process outlives it.

- textual-serve checks no ``Origin`` on its websocket: any page the operator's browser opened
  could connect and drive the show. Here a websocket is accepted only when both its ``Origin``
  and its ``Host`` name the served host (or a loopback spelling of it) on the served port;
  anything else is refused with 403 before a tab process is started (a page that rebinds its
  own name to 127.0.0.1 still sends its own name).
- A browser that went away without closing is noticed by a websocket heartbeat of
  ``HEARTBEAT_S`` (textual-serve's is 15 s).
- When a tab's websocket has ended, however it ended, its process is asked to quit and, if it
  still runs ``QUIT_WAIT_S`` later, gets SIGTERM, and SIGKILL ``KILL_AFTER_S`` after that
  (seen: a headless Chromium that exited at once left its tab's process rendering for good,
  textual-serve's "quit" never got through).
- Every tab process is remembered until it has ended; when the server ends, those still
  running get SIGTERM and, ``KILL_AFTER_S`` later, SIGKILL.
- The page (``serve_page.html``) loads nothing but from this server: textual-serve's own
  fetched its font from Google (an offline studio network waited on it; Google learnt who
  watched), and a Content-Security-Policy holds the browser to that. Its links are relative and
  its websocket is on the address the browser used (textual-serve wrote ``http://0.0.0.0:P``
  into a page served on every interface: nothing loaded on another machine).
- textual-serve's banner (with the tab's command line), its log and aiohttp's per-request log
  go to ``log`` (a file), not to the operator's terminal: ``studio serve`` prints its own lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import signal
import socket
import sys
import time
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

HEARTBEAT_S = 3.0
QUIT_WAIT_S = 3.0  # a tab asked to quit has this long before it gets SIGTERM
KILL_AFTER_S = 8.0  # the tab's own guard ends it within 6 s of a SIGTERM
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
PAGE_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
            "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
LOGGERS = ("textual-serve", "aiohttp")  # their lines go to the server's log file


@cache
def _page() -> str:
    return (files(__package__) / "serve_page.html").read_text(encoding="utf-8")


def page_html(title: str, websocket_url: str, font_size: int) -> str:
    """The served page: textual-serve's, with nothing from outside this server."""
    return (_page().replace("{{ title }}", html.escape(title))
            .replace("{{ app_websocket_url }}", html.escape(websocket_url))
            .replace("{{ font_size }}", str(font_size)))


def allowed_names(host: str) -> frozenset[str]:
    """The host names a page of ours may carry: the bound one and, for a loopback bind or
    every interface, the loopback spellings."""
    name = host.strip("[]").lower()
    if name in ("0.0.0.0", "::", ""):  # every interface: this machine's own names too
        own = {socket.gethostname().lower()}
        with contextlib.suppress(OSError):
            own |= {str(i[4][0]).lower() for i in socket.getaddrinfo(socket.gethostname(), None)}
        return LOOPBACK | frozenset(own)
    return LOOPBACK | {name}


def origin_allowed(origin: str | None, host_header: str | None, names: frozenset[str],
                   port: int) -> bool:
    """True when a websocket's Origin and Host are both this server (see the module doc)."""
    if not origin or not host_header:
        return False
    try:
        o = urlsplit(origin)
        h = urlsplit("//" + host_header)
        o_port = o.port or (443 if o.scheme == "https" else 80)
        h_port = h.port or 80
    except ValueError:
        return False
    if o.scheme not in ("http", "https") or not o.hostname or not h.hostname:
        return False
    return (o.hostname.lower() in names and h.hostname.lower() in names
            and o_port == port and h_port == port)


class StudioServer(Server):
    def __init__(self, command: str, *, host: str, port: int, log: Path | None = None,
                 **kwargs: Any) -> None:
        super().__init__(command, host=host, port=port, **kwargs)
        self.names = allowed_names(host)
        self.children: dict[int, asyncio.subprocess.Process] = {}
        self.refused = 0
        self.log = log

    def initialize_logging(self) -> None:
        """textual-serve's and aiohttp's lines (each request, a tab that failed to start) to
        ``self.log``, never to the terminal (without a file: dropped)."""
        handler: logging.Handler
        if self.log is None:
            handler = logging.NullHandler()
        else:
            handler = logging.FileHandler(self.log, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s "
                                                   "%(message)s"))
        for name in LOGGERS:
            logger = logging.getLogger(name)
            logger.handlers[:] = [handler]
            logger.setLevel(logging.INFO)
            logger.propagate = False

    async def on_startup(self, app: web.Application) -> None:
        """No banner: ``studio serve`` has said where to go (textual-serve printed its logo
        and the tab's whole command line)."""

    async def handle_index(self, request: web.Request) -> web.Response:
        scheme = "wss" if request.secure else "ws"
        body = page_html(self.title, f"{scheme}://{request.host}/ws",
                         _to_int(request.query.get("fontsize", "16"), 16))
        return web.Response(text=body, content_type="text/html", charset="utf-8",
                            headers={"Content-Security-Policy": PAGE_CSP,
                                     "Cache-Control": "no-store",
                                     "Referrer-Policy": "no-referrer",
                                     "X-Content-Type-Options": "nosniff",
                                     # never in another page's frame (clickjacking: a hidden
                                     # TAKE under a foreign page; CSP says it too)
                                     "X-Frame-Options": "DENY"})

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if not origin_allowed(origin, request.headers.get("Host"), self.names, self.port):
            self.refused += 1
            print(f"studio serve: refused a websocket from origin {origin or '(none)'}: only "
                  f"this server's own page may drive the show", file=sys.stderr, flush=True)
            raise web.HTTPForbidden(text="studio serve: this page may not drive the show\n")
        # textual-serve's handler, with a shorter heartbeat and the tab process remembered
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_S)
        width = _to_int(request.query.get("width", "80"), 80)
        height = _to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = AppService(
                self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close,  # type: ignore[arg-type]
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            process = app_service._process
            if process is not None:
                self.children[process.pid] = process
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            print(f"studio serve: a tab failed: {type(error).__name__}: {error}",
                  file=sys.stderr, flush=True)
        finally:
            if app_service is not None:
                # shielded: a handler cancelled by its client's disconnect still ends its tab
                await asyncio.shield(self._end_tab(app_service))
        return websocket

    async def _end_tab(self, app_service: AppService) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(app_service.stop()), QUIT_WAIT_S)
        process = app_service._process
        if process is None:
            return
        try:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), KILL_AFTER_S)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
                    await process.wait()
        finally:
            self.children.pop(process.pid, None)

    def end_children(self) -> None:
        """SIGTERM to every tab process still running, SIGKILL to those left after a while."""
        pids = [pid for pid, proc in self.children.items() if proc.returncode is None]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + KILL_AFTER_S
        while pids and time.monotonic() < deadline:
            pids = [pid for pid in pids if not _reaped(pid)]
            if pids:
                time.sleep(0.05)  # nothing to wait on: the event loop has ended
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _reaped(pid)
        self.children.clear()


def _reaped(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == pid


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default

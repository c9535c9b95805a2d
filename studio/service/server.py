"""The control API, served by aiohttp in its own thread and event loop in the show's process.

Why aiohttp: one library for HTTP and WebSocket on one port, with a request-size limit, and it
is already installed (textual-serve depends on it). It never touches the firing path: actions
are queued to the controller like keys (``Controller.submit_checked``) and the controller's
notifications only schedule a coalesced push on this loop (``call_soon_threadsafe``).

- ``GET /api/v1/state``    the projection as JSON (token needed unless bound to loopback)
- ``GET /api/v1/show``     the show as the service loaded it: what an attached screen shows
- ``GET /api/v1/events``   WebSocket: ``{"type": "state", ...}`` and ``{"type": "log", ...}``
  messages, pushed as they change; a viewer that falls behind is dropped, never waited for
- ``POST /api/v1/actions`` an operator action (always with ``Authorization: Bearer TOKEN``)
- ``POST /api/v1/stop``    stop the show process cleanly (what "stop the show" on a screen does)
- ``GET /presenter``, ``GET /rundown``, ``GET /api/v1/surface``: the read-only views and the
  values for Stream Deck buttons (studio/service/views; off loopback the view token opens them)

A browser ``Origin`` other than the service's own is refused (403) on every route; requests
without an Origin (curl, scripts, screens) are not browsers and pass on to the token check.

Connections are guarded before any request is read (a slowloris holds many half-open ones,
needing no token): a connection that has not sent a whole request (headers, and an action's
body) within ``request_timeout`` seconds is closed, an idle keep-alive one after
``idle_timeout``; at ``connection_room()`` open connections a new one makes room by closing the
oldest that is not being served, those that never presented a token first, then untokened
event viewers, then idle ones that did; it is refused only when every open connection is an
authenticated one being served. What is shed is logged, one line at most every
``SHED_TELL_EVERY_S`` seconds, naming the peer most of it came from.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import resource
import signal
import threading
import time
import weakref
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from studio.engine.actions import Action
from studio.engine.projection import Projection
from studio.runner.api import LogEntry
from studio.runner.controller import Controller
from studio.service import API_VERSION
from studio.service.actions import BadRequest, Request, expectation_failed, parse_request
from studio.service.state_json import log_json, show_json, state_json, summary_json
from studio.service.token import ControlToken
from studio.service.views import add_routes as add_view_routes
from studio.service.views import same_host_origin, view_token_ok

MIN_TOKEN = 16  # characters, off loopback
MAX_BODY = 4096  # bytes: an action is a few dozen
VIEWER_QUEUE = 64  # messages a viewer may lag behind before it is dropped
TICK_S = 0.2  # state push while viewers are attached, so countdowns move between changes
ACTION_TIMEOUT_S = 10.0


def _loopback_host(host_header: str) -> bool:
    """``Host: 127.0.0.1:8460``, ``localhost:8460``, ``[::1]:8460``: a name for this machine's
    loopback, not some other name that happens to resolve to it now."""
    host = host_header.strip()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return is_loopback(host.lower().rstrip("."))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different: ``{"action": "take", "action": "hold"}`` is
    refused, never read as its last key (a client that sent it meant something)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(repr(key))
        out[key] = value
    return out


def _error(status: int, text: str) -> web.Response:
    return web.json_response({"error": text}, status=status)


class _Viewer:
    __slots__ = ("__weakref__", "dropped", "queue", "ws")

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=VIEWER_QUEUE)
        self.dropped = False


MAX_CONNECTIONS = 1024
REQUEST_TIMEOUT_S = 5.0  # a whole request (headers and body) within this (nginx: 60 s each)
IDLE_TIMEOUT_S = 60.0  # an idle keep-alive connection is closed after this (nginx: 75 s)
SHED_TELL_EVERY_S = 10.0  # at most one log line this often about connections shed
OUT_OF_FDS = "socket.accept() out of system resource"  # asyncio's words for EMFILE and kin
OUT_OF_FDS_EVERY_S = 60.0


def connection_room() -> int:
    """How many connections the API keeps open at once: half the process's descriptors less a
    margin (asyncio accepts up to 100 in one go before a shed one is closed), so that a flood
    of clients never takes the descriptors the journal, the as-run and OBS need."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft // 2 - 100))


def _peer_host(transport: asyncio.BaseTransport) -> str:
    peer = transport.get_extra_info("peername")
    if isinstance(peer, tuple) and peer:
        return str(peer[0])
    return "an unknown peer"


def _abort(transport: asyncio.BaseTransport) -> None:
    if isinstance(transport, asyncio.Transport):
        transport.abort()
    else:
        transport.close()


class _Shed(asyncio.Protocol):
    """A connection over ``connection_room``: closed at once, its descriptor given back."""

    def __init__(self, server: ControlServer) -> None:
        self._server = server

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._server._shed_note("refused", _peer_host(transport))
        _abort(transport)


class _Conn(asyncio.Protocol):
    """One API connection: aiohttp's request handler inside, and what the guard knows of it
    (all on the server's loop)."""

    def __init__(self, server: ControlServer, inner: asyncio.Protocol) -> None:
        self.server = server
        self.inner = inner
        self.transport: asyncio.BaseTransport | None = None
        self.peer = ""
        self.made = time.monotonic()
        self.since = self.made  # waiting for its next request since
        self.got_bytes = False  # ...and some of that request has come
        self.requests = 0  # requests served
        self.busy = 0  # requests being served now
        self.trusted = False  # it presented the control or the view token
        self.websocket = False  # it is an events viewer (served for as long as it stays)
        self.overdue = False  # found over its time once: closed if it still is at the next look
        self.doomed = False  # closed to make room before asyncio had made it

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.peer = _peer_host(transport)
        if self.doomed:  # (asyncio makes a batch of accepted connections after their factories)
            self.server._shed_note(self.server._room_why(None), self.peer)
            _abort(transport)
            return
        self.server._by_transport[transport] = self
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if not self.busy:
            self.got_bytes = True
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self.server._left(self)
        if not self.doomed:
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def close(self, *, at_once: bool) -> None:
        self.server._left(self)
        if self.transport is None:
            self.doomed = True
        else:
            if at_once:
                _abort(self.transport)
            else:
                self.transport.close()


class ControlServer:
    """The API over one controller. ``start()`` binds (raising ``OSError`` if it cannot) and
    serves from its own thread; ``stop()`` ends it."""

    def __init__(self, controller: Controller, host: str, port: int, token: ControlToken, *,
                 explicit_token: bool = True,
                 on_stop: Callable[[], None] | None = None,
                 request_timeout: float = REQUEST_TIMEOUT_S,
                 idle_timeout: float = IDLE_TIMEOUT_S,
                 max_connections: int | None = None) -> None:
        if not is_loopback(host) and len(token.reveal()) < MIN_TOKEN:
            raise ValueError(f"--control {host}:{port} is not loopback: its token must be at "
                             f"least {MIN_TOKEN} characters (anyone on the network could guess "
                             "a shorter one), e.g. from: openssl rand -hex 16")
        if not is_loopback(host) and not explicit_token:
            raise ValueError(f"--control {host}:{port} is not loopback: it needs a token "
                             "(STUDIO_CONTROL_TOKEN or --control-token-file)")
        self.controller = controller
        self.host = host
        self.port = port
        self._token = token
        self._open_reads = is_loopback(host)
        self._on_stop = on_stop or (lambda: os.kill(os.getpid(), signal.SIGTERM))
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._viewers: set[_Viewer] = set()
        self._pending = False
        self._last_entry: LogEntry | None = None  # the last log line pushed to viewers
        self._tracking = False  # viewers are attached: log lines are being followed
        self.dropped_viewers = 0
        self.pushes = 0
        self.shed_connections = 0  # connections closed at once: over connection_room()
        self.timed_out_connections = 0  # closed: no whole request in request_timeout
        self._server: asyncio.Server | None = None
        self._fds_told_at: float | None = None
        self._request_timeout = request_timeout
        self._idle_timeout = idle_timeout
        self._max_connections = max_connections
        self._conns: dict[_Conn, None] = {}  # open connections, oldest first
        self._by_transport: dict[asyncio.BaseTransport, _Conn] = {}
        self._shed: Counter[str] = Counter()  # shed since the last line, by why
        self._shed_from: Counter[str] = Counter()  # ...and by peer
        self._shed_told_at: float | None = None
        self._room = MAX_CONNECTIONS  # set when bound

    def __repr__(self) -> str:
        return f"ControlServer({self.url})"

    @property
    def token(self) -> ControlToken:
        """The control token (its repr hides it); the views' read-only links are made from it."""
        return self._token

    @property
    def open_reads(self) -> bool:
        """On loopback, reads (state, events, views) need no token."""
        return self._open_reads

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._serve, args=(ready, failure),
                                        name="studio-control-api", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        self.controller.subscribe(self.notify)

    def stop(self) -> None:
        loop = self._loop
        if loop is None or self._thread is None:
            return
        fut = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
        with contextlib.suppress(Exception):
            fut.result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout=5)
        self._loop = None

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._bind())
        except BaseException as exc:
            failure.append(exc)
            ready.set()
            loop.close()
            return
        self._loop = loop
        ready.set()
        ticker = loop.create_task(self._tick())
        sweeper = loop.create_task(self._sweep())
        try:
            loop.run_forever()
        finally:
            ticker.cancel()
            sweeper.cancel()
            with contextlib.suppress(BaseException):
                loop.run_until_complete(asyncio.sleep(0))
            loop.close()

    async def _bind(self) -> None:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        app.router.add_get("/api/v1/state", self._state)
        app.router.add_get("/api/v1/show", self._show)
        app.router.add_get("/api/v1/events", self._events)
        app.router.add_post("/api/v1/actions", self._actions)
        app.router.add_post("/api/v1/stop", self._stop)
        add_view_routes(app, self.controller)  # /presenter and /rundown (studio/service/views)
        # no access log: it would only repeat what the as-run says, and headers stay out of logs
        # (lingering_time: the unread rest of a refused or late body is drained this long)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False,
                                     lingering_time=self._request_timeout)
        await self._runner.setup()
        handlers = self._runner.server
        assert handlers is not None

        room = self._room = self._max_connections or connection_room()

        def connection() -> asyncio.BaseProtocol:
            if len(self._conns) >= room and not self._make_room(room):
                self.shed_connections += 1
                return _Shed(self)
            conn = _Conn(self, handlers())
            self._conns[conn] = None
            return conn

        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self._loop_trouble)
        self._server = await loop.create_server(connection, self.host, self.port,
                                                reuse_address=True)
        sockets = self._server.sockets
        if sockets:
            self.port = int(sockets[0].getsockname()[1])

    def _loop_trouble(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Out of descriptors anyway (asyncio says so at every accept it tries, each time with
        a traceback): one line in the log a minute instead; anything else as asyncio would."""
        if context.get("message") != OUT_OF_FDS:
            loop.default_exception_handler(context)
            return
        now = time.monotonic()
        if self._fds_told_at is not None and now - self._fds_told_at < OUT_OF_FDS_EVERY_S:
            return
        self._fds_told_at = now
        exc = context.get("exception")
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "no resources"
        self.controller.log("error", f"control API: cannot take new connections ({why}); "
                                     "those open are served, new ones wait")

    # ------------------------------------------------------------------ connections
    def _make_room(self, room: int) -> bool:
        """Close the oldest connection that may go for a new one: not being served and never
        authenticated, then an untokened events viewer, then an idle authenticated one. False:
        every open connection is an authenticated one being served."""
        rules: tuple[Callable[[_Conn], bool], ...] = (
            lambda c: not c.busy and not c.trusted,
            lambda c: c.websocket and not c.trusted,
            lambda c: not c.busy)
        for may_go in rules:
            for conn in self._conns:
                if may_go(conn):
                    self.shed_connections += 1
                    if conn.transport is not None:  # (else told once its peer is known)
                        self._shed_note(self._room_why(room), conn.peer)
                    conn.close(at_once=True)
                    return True
        return False

    def _room_why(self, room: int | None) -> str:
        return f"made room ({room or self._room} open at most)"

    def _left(self, conn: _Conn) -> None:
        self._conns.pop(conn, None)
        if conn.transport is not None:
            self._by_transport.pop(conn.transport, None)

    def _conn_of(self, request: web.Request) -> _Conn | None:
        transport = request.transport
        return self._by_transport.get(transport) if transport is not None else None

    async def _sweep(self) -> None:
        """Close what has not sent a whole request in time, and idle keep-alive connections."""
        every = max(0.05, min(1.0, self._request_timeout / 4, self._idle_timeout / 4))
        while True:
            await asyncio.sleep(every)
            now = time.monotonic()
            for conn in list(self._conns):
                if conn.transport is None:
                    if now - conn.made > 10 * every + self._request_timeout:
                        self._left(conn)  # accepted, then never made: asyncio gave up on it
                    continue
                if conn.busy:
                    continue
                waiting = conn.got_bytes or not conn.requests
                limit = self._request_timeout if waiting else self._idle_timeout
                if now - conn.since < limit:
                    conn.overdue = False
                elif not conn.overdue:  # its request may be starting on this very turn
                    conn.overdue = True
                elif waiting:
                    self.timed_out_connections += 1
                    self._shed_note(f"sent no whole request within {self._request_timeout:g} s",
                                    conn.peer)
                    conn.close(at_once=True)
                else:
                    conn.close(at_once=False)  # idle keep-alive: routine, not worth a line
            if self._shed and (self._shed_told_at is None
                               or now - self._shed_told_at >= SHED_TELL_EVERY_S):
                self._tell_shed(now)

    def _shed_note(self, why: str, peer: str) -> None:
        self._shed[why] += 1
        self._shed_from[peer] += 1
        now = time.monotonic()
        if self._shed_told_at is None or now - self._shed_told_at >= SHED_TELL_EVERY_S:
            self._tell_shed(now)

    def _tell_shed(self, now: float) -> None:
        total = sum(self._shed.values())
        parts = "; ".join(f"{n} {why}" for why, n in self._shed.most_common())
        peer, n = self._shed_from.most_common(1)[0]
        source = f"all from {peer}" if n == total else f"{n} from {peer}, the rest from others"
        self.controller.log("error", f"control API: closed {total} connection(s) ({parts}), "
                                     f"{source}; authenticated clients are served first (one such "
                                     f"line every {SHED_TELL_EVERY_S:g} s at most)")
        self._shed.clear()
        self._shed_from.clear()
        self._shed_told_at = now

    async def _shutdown(self) -> None:
        for viewer in list(self._viewers):
            with contextlib.suppress(Exception):
                await viewer.ws.close(code=1001, message=b"the show service is stopping")
        if self._server is not None:
            self._server.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------------ checks
    def _own_origins(self) -> set[str]:
        ports = {self.port}
        hosts = {self.host, "127.0.0.1", "localhost", "[::1]"} if self._open_reads else {self.host}
        return {f"{scheme}://{h}:{p}" for h in hosts for p in ports for scheme in ("http", "https")}

    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        conn = self._conn_of(request)
        if conn is None:
            return await self._checked(request, handler)
        conn.busy += 1
        conn.trusted = conn.trusted or self._authorised(request) or view_token_ok(request,
                                                                                self._token)
        try:
            return await self._checked(request, handler)
        finally:
            conn.busy -= 1
            conn.requests += 1
            conn.since, conn.got_bytes, conn.overdue = time.monotonic(), False, False

    async def _checked(self, request: web.Request,
                       handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        if self._open_reads and not _loopback_host(request.host):
            # a DNS-rebinding page (evil.example re-pointed at 127.0.0.1) sends its own name
            return _error(421, f"Host {request.host!r} is not this service's loopback address: "
                               "refused")
        origin = request.headers.get("Origin")
        if (origin is not None and origin not in self._own_origins()
                and not (not self._open_reads and same_host_origin(request))):
            return _error(403, f"Origin {origin} is not this service's own "
                               f"({self.url}): refused")
        reading = request.method == "GET"
        if (not (reading and (self._open_reads or view_token_ok(request, self._token)))
                and not self._authorised(request)):
            return _error(401, "missing or wrong token: send Authorization: Bearer TOKEN")
        response: web.StreamResponse = await handler(request)
        return response

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, offered = header.partition(" ")
        return scheme.lower() == "bearer" and self._token.matches(offered.strip())

    # ------------------------------------------------------------------ routes
    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response(self._state_now())

    async def _show(self, request: web.Request) -> web.Response:
        return web.json_response(show_json(self.controller.show))

    def _state_now(self) -> dict[str, Any]:
        c = self.controller
        return state_json(c.show, c.projection(), c.status())

    async def _actions(self, request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY:
            return _error(413, f"body of {request.content_length} bytes: at most {MAX_BODY}")
        try:
            raw = await asyncio.wait_for(request.read(), self._request_timeout)
        except web.HTTPRequestEntityTooLarge:
            return _error(413, f"body over {MAX_BODY} bytes")
        except TimeoutError:
            late = _error(408, f"the body did not arrive within {self._request_timeout:g} s")
            late.force_close()
            return late
        try:
            body = json.loads(raw or b"null", object_pairs_hook=_no_duplicates)
        except _Duplicate as exc:
            return _error(400, f"field {exc}: given twice; say it once")
        except (ValueError, UnicodeDecodeError) as exc:
            return _error(400, f"the body is not JSON: {exc}")
        except RecursionError:  # 4 KB of '[': no action is nested that deep
            return _error(400, "the body is not JSON an action can be: nested too deep")
        try:
            req = parse_request(body, self.controller.show)
        except BadRequest as exc:
            return _error(400, str(exc))
        if req.name == "reconnect":
            self.controller.log("action", f"reconnect to OBS requested by {req.client}")
            self.controller.reconnect()
            return web.json_response({"ok": True, "action": "reconnect",
                                      "state": summary_json(self.controller.projection())})
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[tuple[str | None, Projection]] = loop.create_future()

        moved: list[bool] = []

        def check(proj: Projection) -> Action | str:
            refusal = expectation_failed(req, proj)
            if refusal is not None:
                moved.append(True)
                return refusal
            action = _make(req, proj)
            assert action is not None
            return action  # the controller checks it and replies with its refusal, if any

        def reply(refusal: str | None, proj: Projection) -> None:
            def settle() -> None:
                if not answer.done():
                    answer.set_result((refusal, proj))
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits
                loop.call_soon_threadsafe(settle)

        self.controller.submit_checked(check, reply)
        try:
            refusal, proj = await asyncio.wait_for(answer, ACTION_TIMEOUT_S)
        except TimeoutError:
            return _error(503, "the controller did not answer in time; the action may still "
                               "be applied: check the state")
        if moved:  # with the state it moved on to, for the client's own words
            return web.json_response({"error": refusal, "moved_on": True,
                                      "state": summary_json(proj)}, status=409)
        if refusal is not None:
            status = 500 if refusal.startswith("internal error") else 409
            return _error(status, refusal)
        return web.json_response({"ok": True, "action": req.name, "state": summary_json(proj)})

    async def _stop(self, request: web.Request) -> web.Response:
        client = request.query.get("client", "api")[:40]
        via = "from a screen" if request.query.get("via") == "screen" else \
            "over the control API"
        self.controller.request_stop(f"stopped by {client} {via}", client)
        asyncio.get_running_loop().call_later(0.05, self._on_stop)
        return web.json_response({"ok": True, "stopping": True})

    async def _events(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=10.0, max_msg_size=MAX_BODY)
        await ws.prepare(request)
        conn = self._conn_of(request)
        if conn is not None:
            conn.websocket = True
        viewer = _Viewer(ws)
        # no await from reading the log to joining the viewers: no line is lost or doubled
        state = self._state_now()
        recent = self.controller.recent_log(50)
        if not self._tracking:
            self._tracking, self._last_entry = True, (recent[-1] if recent else None)
        elif self._last_entry is not None:  # later lines come with the next push
            cut = [i for i, e in enumerate(recent) if e is self._last_entry]
            recent = recent[:cut[-1] + 1] if cut else recent
        else:
            recent = []
        self._viewers.add(viewer)
        sender: asyncio.Task[None] | None = None
        try:
            await ws.send_str(json.dumps({"type": "hello", "api": API_VERSION}))
            await ws.send_str(json.dumps({"type": "state", "state": state}))
            if recent:
                await ws.send_str(json.dumps({"type": "log",
                                              "entries": [log_json(e) for e in recent]}))
            sender = asyncio.get_running_loop().create_task(self._send_loop(viewer))
            async for msg in ws:  # viewers only listen; anything they send is ignored
                if msg.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                    break
        except (ConnectionError, RuntimeError):
            pass  # gone while answered (a ping's pong, the first state): routine, no traceback
        finally:
            self._viewers.discard(viewer)
            if sender is not None:
                sender.cancel()
                with contextlib.suppress(BaseException):
                    await sender
        return ws

    async def _send_loop(self, viewer: _Viewer) -> None:
        ws = viewer.ws
        while True:
            text = await viewer.queue.get()
            try:
                await ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return

    # ------------------------------------------------------------------ pushing
    def notify(self) -> None:
        """Controller listener (its thread): schedule one push on this loop, coalesced."""
        loop = self._loop
        if self._pending or loop is None or not self._viewers:
            return
        self._pending = True
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._push)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            if self._viewers and not self._pending:
                self._push()

    def _new_log(self) -> list[LogEntry]:
        entries = self.controller.recent_log(1000)
        last = self._last_entry
        if entries:
            self._last_entry = entries[-1]
        if last is None:
            return entries
        for i in range(len(entries) - 1, -1, -1):
            if entries[i] is last:
                return entries[i + 1:]
        return entries

    def _push(self) -> None:
        self._pending = False
        if not self._viewers:
            self._tracking, self._last_entry = False, None
            return
        self.pushes += 1
        messages = [json.dumps({"type": "state", "state": self._state_now()})]
        fresh = self._new_log()
        if fresh:
            messages.insert(0, json.dumps({"type": "log",
                                           "entries": [log_json(e) for e in fresh]}))
        for viewer in list(self._viewers):
            for text in messages:
                try:
                    viewer.queue.put_nowait(text)
                except asyncio.QueueFull:
                    self._drop(viewer)
                    break

    def _drop(self, viewer: _Viewer) -> None:
        """A viewer that cannot keep up is let go (it may reconnect): never waited for."""
        self._viewers.discard(viewer)
        if viewer.dropped:
            return
        viewer.dropped = True
        self.dropped_viewers += 1
        ref = weakref.ref(viewer)

        async def close() -> None:
            v = ref()
            if v is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(
                        v.ws.close(code=1008, message=b"too slow: dropped"), 1.0)

        asyncio.get_running_loop().create_task(close())


def _make(req: Request, proj: Projection) -> Action | None:
    return req.action(proj.now)

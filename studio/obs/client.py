"""A minimal obs-websocket v5 client: replies matched to requests by id (``ObsLink``, in
studio/obs/link.py, pairs a request connection with an event connection).

Why not obsws-python's ReqClient/EventClient: it never checks a reply's request id (two threads,
or one timeout, give crossed answers), it cannot send a RequestBatch (op 8), it logs the password
at INFO and shows it in ``repr()``, it hides close code 4009 (wrong password), and its event
thread dies silently. This client speaks the protocol directly on ``websockets``' thread-safe
sync connection (already a dependency): each RequestResponse (op 7) and RequestBatchResponse
(op 9) goes to the caller waiting for that id (read by the caller itself, on a request-only
connection), each Event (op 5) to a callback (on an event connection's reader thread, which
makes no requests). A reply can only ever reach the request that asked
for it; anything else is dropped.

Not meant to be used alone: ``ObsGateway`` owns one ``ObsLink`` at a time, serialises requests,
and throws it away after any timeout or dropped socket. The password is used for the handshake
and not kept.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import inspect
import itertools
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.sync.client import ClientConnection, connect

from studio.obs.connection import host_port
from studio.obs.errors import (
    AuthenticationFailed,
    ConnectionLost,
    GatewayError,
    NotConnected,
    RequestFailed,
    RequestTimeout,
)

log = logging.getLogger("studio.obs.client")

RPC_VERSION = 1
EVENTS_ALL_LOW_VOLUME = (1 << 11) - 1  # General .. Ui; no high-volume events
CLOSE_AUTH_FAILED = 4009
CLOSE_NOT_IDENTIFIED = 4007
BATCH_SERIAL_REALTIME = 0

EventHandler = Callable[[str, dict[str, Any]], None]

# Arguments newer websockets releases take: no HTTP proxy from the environment for OBS (15+),
# keepalive pings to notice a dead peer while idle, and a plain connection object (17+).
_OPTIONAL_CONNECT_ARGS: dict[str, Any] = {
    name: value
    for name, value in {
        "proxy": None,
        "ping_interval": 10.0,
        "ping_timeout": 10.0,
        "legacy": True,
    }.items()
    if name in inspect.signature(connect).parameters
}


def auth_string(password: str, salt: str, challenge: str) -> str:
    """obs-websocket's challenge response: b64(sha256(b64(sha256(password + salt)) + challenge))."""
    secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest())
    return base64.b64encode(hashlib.sha256(secret + challenge.encode()).digest()).decode()


class ObsWsClient:
    """One identified connection: request-only (``reader=False``: ``request``/``batch`` from
    any thread, one at a time) or events-only (a reader thread hands events to ``on_event``)."""

    def __init__(
        self,
        host: str,
        port: int,
        password: str,
        timeout: float,
        *,
        on_event: EventHandler,
        on_close: Callable[[], None],
        subscriptions: int = EVENTS_ALL_LOW_VOLUME,
        quickack: bool = False,
        reader: bool = True,
    ) -> None:
        self.url = f"ws://{host_port(host, port)}"
        self._quickack = getattr(socket, "TCP_QUICKACK", None) if quickack else None
        self.timeout = timeout
        self._on_event = on_event
        self._on_close = on_close
        self._ids = itertools.count(1)
        self._closed = threading.Event()
        self.server_version = ""
        self._ws = self._open(host, port, password, timeout, subscriptions)
        # a request-only connection (``reader=False``): the caller reads its own reply, one
        # thread hop less; an event connection's reader thread only reads events
        self._direct_lock = threading.Lock()
        self._reader: threading.Thread | None = None
        if reader:
            self._reader = threading.Thread(
                target=self._read_loop, name=f"obs-reader-{port}", daemon=True
            )
            self._reader.start()

    def __repr__(self) -> str:
        return f"ObsWsClient({self.url}, {'closed' if self.closed else 'open'})"

    # ------------------------------------------------------------------ handshake

    def _open(
        self, host: str, port: int, password: str, timeout: float, subscriptions: int
    ) -> ClientConnection:
        where = f"OBS at ws://{host_port(host, port)}"
        # A starting OBS accepts and then drops connections mid-handshake: websockets raises
        # ConnectionClosedError, InvalidMessage (from EOFError), OSError... Each is a failed
        # attempt (NotConnected, retried with backoff), never an escape from the supervisor.
        try:
            ws = connect(
                f"ws://{host_port(host, port)}",
                subprotocols=["obswebsocket.json"],  # type: ignore[list-item]
                compression=None,
                open_timeout=timeout,
                close_timeout=1.0,
                max_size=64 * 1024 * 1024,
                **_OPTIONAL_CONNECT_ARGS,
            )
        except (OSError, TimeoutError, EOFError, WebSocketException) as exc:
            raise NotConnected(f"cannot reach {where}: {_describe(exc)}") from None
        try:
            hello = self._recv_json(ws, timeout, where)
            if hello.get("op") != 0:
                raise GatewayError(f"{where} did not say Hello: is this obs-websocket v5?")
            data = hello.get("d", {})
            self.server_version = str(data.get("obsWebSocketVersion", ""))
            identify: dict[str, Any] = {
                "rpcVersion": RPC_VERSION,
                "eventSubscriptions": subscriptions,
            }
            auth = data.get("authentication")
            if auth:
                if not password:
                    raise AuthenticationFailed(
                        f"{where} requires a password and none was given "
                        "(STUDIO_OBS_PASSWORD or --obs-password-file)"
                    )
                identify["authentication"] = auth_string(
                    password, str(auth["salt"]), str(auth["challenge"])
                )
            try:
                ws.send(json.dumps({"op": 1, "d": identify}))
            except (ConnectionClosed, OSError):
                raise NotConnected(f"{where} closed the connection during the login") from None
            reply = self._recv_json(ws, timeout, where)
            if reply.get("op") != 2:
                raise GatewayError(f"{where} did not confirm the login (op {reply.get('op')})")
            return ws
        except BaseException as exc:
            with contextlib.suppress(Exception):
                ws.close()
            if isinstance(exc, OSError | EOFError | WebSocketException):
                raise NotConnected(f"{where} dropped the login: {_describe(exc)}") from None
            if isinstance(exc, KeyError | TypeError | AttributeError):
                raise GatewayError(f"{where} sent an odd Hello (obs-websocket v5?)") from None
            raise

    @staticmethod
    def _recv_json(ws: ClientConnection, timeout: float, where: str) -> dict[str, Any]:
        try:
            raw = ws.recv(timeout=timeout)
        except TimeoutError:
            raise NotConnected(f"{where} did not answer within {timeout:g} s") from None
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd is not None else None
            if code == CLOSE_AUTH_FAILED:
                raise AuthenticationFailed(f"{where} refused the password") from None
            reason = exc.rcvd.reason if exc.rcvd is not None and exc.rcvd.reason else ""
            raise NotConnected(
                f"{where} closed the connection" + (f" ({code}: {reason})" if code else "")
            ) from None
        except OSError as exc:
            raise NotConnected(f"{where}: {_describe(exc)}") from None
        try:
            msg = json.loads(raw)
        except ValueError:
            msg = None
        if not isinstance(msg, dict):
            raise GatewayError(f"{where} sent something that is not an obs-websocket message")
        return msg

    # ------------------------------------------------------------------ reader thread

    def _read_loop(self) -> None:
        quickack = self._quickack
        try:
            for raw in self._ws:
                if quickack is not None:
                    # OBS's server keeps Nagle on: while one event is unacknowledged the next
                    # waits for our delayed ACK (40 ms on Linux). Acknowledge at once.
                    with contextlib.suppress(OSError):
                        self._ws.socket.setsockopt(socket.IPPROTO_TCP, quickack, 1)
                try:
                    msg = json.loads(raw)
                    op = msg.get("op")
                    data = msg.get("d") or {}
                except (ValueError, AttributeError):
                    log.warning("ignored a message from OBS that is not JSON")
                    continue
                if op == 5:
                    try:
                        self._on_event(str(data.get("eventType", "")), data.get("eventData") or {})
                    except Exception:  # a handler bug must not kill the connection
                        log.exception("OBS event handler failed")
        except ConnectionClosed:
            pass
        except Exception as exc:  # socket errors: the connection is gone either way
            log.debug("OBS reader ended: %s", type(exc).__name__)
        finally:
            self._closed.set()
            try:
                self._on_close()
            except Exception:
                log.exception("OBS close handler failed")

    # ------------------------------------------------------------------ requests

    @property
    def closed(self) -> bool:
        if self._closed.is_set():
            return True
        if self._reader is not None:
            return not self._reader.is_alive()
        state = getattr(self._ws, "state", None)
        return getattr(state, "name", "OPEN") in ("CLOSING", "CLOSED")

    def _exchange(self, op: int, data: dict[str, Any], what: str) -> dict[str, Any]:
        if self.closed:
            raise NotConnected("not connected to OBS")
        request_id = f"s{next(self._ids)}"
        data["requestId"] = request_id
        if self._reader is not None:  # its reader thread reads every message: no replies here
            raise TypeError("an event connection makes no requests (open one with reader=False)")
        with self._direct_lock:
            return self._exchange_direct(op, data, what, request_id)

    def _exchange_direct(
        self, op: int, data: dict[str, Any], what: str, request_id: str
    ) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        try:
            self._ws.send(json.dumps({"op": op, "d": data}))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                msg = json.loads(self._ws.recv(timeout=remaining))
                reply = msg.get("d") if isinstance(msg, dict) else None
                if isinstance(reply, dict) and msg.get("op") in (7, 9) and str(
                    reply.get("requestId")
                ) == request_id:
                    return reply
                # anything else (an answer nobody waits for any more) is dropped
        except TimeoutError:
            self._closed.set()  # out of step from here on: the owner throws it away
            raise RequestTimeout(f"OBS did not answer {what} within {self.timeout:g} s") from None
        except (ConnectionClosed, OSError, ValueError):
            self._closed.set()
            raise ConnectionLost(f"the connection to OBS dropped during {what}") from None

    def request(self, request_type: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one request; its responseData, or RequestFailed with OBS's code and comment."""
        body: dict[str, Any] = {"requestType": request_type}
        if data:
            body["requestData"] = data
        reply = self._exchange(6, body, request_type)
        status = reply.get("requestStatus") or {}
        if not status.get("result"):
            raise RequestFailed(
                request_type, int(status.get("code", 0)), str(status.get("comment", ""))
            )
        response: dict[str, Any] = reply.get("responseData") or {}
        return response

    def batch(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One RequestBatch, executed serially in order, not halted on failure.

        ``requests`` are ``{"requestType": ..., "requestData": ...}``; returns one result per
        request, in order (each with ``requestStatus`` and maybe ``responseData``).
        """
        if not requests:
            return []
        body: dict[str, Any] = {
            "haltOnFailure": False,
            "executionType": BATCH_SERIAL_REALTIME,
            "requests": [{**r, "requestId": str(i)} for i, r in enumerate(requests)],
        }
        reply = self._exchange(8, body, f"a batch of {len(requests)} requests")
        by_id = {str(r.get("requestId")): r for r in reply.get("results") or []}
        missing = {"requestStatus": {"result": False, "code": 0, "comment": "no result"}}
        return [by_id.get(str(i), missing) for i in range(len(requests))]

    def send_together(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``requests`` as one unit, one result each, in order: a single request goes alone
        (op 6: OBS answers it ~3 ms sooner than a one-request batch), two or more as one
        RequestBatch (op 8; OBS runs a connection's separate requests on a thread pool, so
        only a batch keeps them together and in order)."""
        if len(requests) != 1:
            return self.batch(requests)
        body = dict(requests[0])
        return [self._exchange(6, body, str(body.get("requestType")))]

    def close(self) -> None:
        self._closed.set()
        try:
            self._ws.close()
        except Exception:
            log.debug("closing the OBS socket failed", exc_info=False)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return type(exc).__name__

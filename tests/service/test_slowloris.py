"""A slowloris against the control API: many connections that open a request and never finish
it (a header line every few seconds), no token needed. Before, at the connection cap every new
connection was reset (curl, the operator's screen, Companion all cut off), the log said nothing
and half-open connections never timed out. Real sockets against the real ControlServer; the
timeouts and the cap are the server's own settings, made short and small here."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from studio.obs.simulator import Simulator
from studio.service.server import ControlServer
from studio.service.token import ControlToken
from tests.runner.conftest import WAIT, Harness, at
from tests.service.conftest import TOKEN, auth

ROOM = 32  # connections the server keeps open at once, in these tests


@pytest.fixture
def serve(make_harness: Callable[..., Harness]) -> Iterator[Callable[..., ControlServer]]:
    made: list[ControlServer] = []

    def make(port: int, **settings: Any) -> ControlServer:
        h = make_harness(port, at(8, 59, 30))
        server = ControlServer(h.ctl, "127.0.0.1", 0, ControlToken(TOKEN), **settings)
        server.start()
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


def half_open(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    s.sendall(b"POST /api/v1/actions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: b\r\n")  # never ends
    return s


def post(port: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        conn.request("POST", "/api/v1/actions", json.dumps(body),
                     {**auth(), "Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status, json.loads(r.read())
    finally:
        conn.close()


def closed_by_server(s: socket.socket) -> bool:
    """Waits (on the socket, up to WAIT) for the server to close it: True once it has."""
    s.settimeout(WAIT)
    try:
        while True:
            if not s.recv(4096):
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def log(server: ControlServer, needle: str) -> list[str]:
    return [e.text for e in server.controller.recent_log(500) if needle in e.text]


def test_half_open_connections_cannot_lock_out_an_authenticated_client(
        sim: Simulator, serve: Callable[..., ControlServer]) -> None:
    server = serve(sim.port, max_connections=ROOM, request_timeout=60.0)
    held = [half_open(server.port) for _ in range(ROOM + 16)]
    try:

        status, body = post(server.port, {"action": "hold", "client": "operator"})
        assert status == 200 and body["ok"], body
        status, body = post(server.port, {"action": "release", "client": "operator"})
        assert status == 200 and body["ok"], body
    finally:
        for s in held:
            s.close()
    told = log(server, "control API: closed")
    assert len(told) == 1, told  # said once, not once per connection
    assert "made room (32 open at most)" in told[0] and "all from 127.0.0.1" in told[0]


def test_a_connection_that_sends_no_whole_request_in_time_is_closed(
        sim: Simulator, serve: Callable[..., ControlServer]) -> None:
    server = serve(sim.port, request_timeout=0.5)
    started = time.monotonic()
    slow, silent = half_open(server.port), socket.create_connection(("127.0.0.1", server.port))
    try:
        status, _ = post(server.port, {"action": "hold", "client": "operator"})
        assert status == 200  # served meanwhile
        assert closed_by_server(slow) and closed_by_server(silent)
        assert time.monotonic() - started >= 0.5
    finally:
        slow.close()
        silent.close()
    assert server.timed_out_connections == 2
    told = log(server, "control API: closed")
    assert told and "sent no whole request within 0.5 s" in told[0], told
    assert "from 127.0.0.1" in told[0]


def test_an_action_whose_body_never_arrives_is_answered_408(
        sim: Simulator, serve: Callable[..., ControlServer]) -> None:
    server = serve(sim.port, request_timeout=0.5)
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as s:
        s.sendall(f"POST /api/v1/actions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Authorization: Bearer {TOKEN}\r\nContent-Length: 40\r\n\r\n"
                  '{"action": '.encode())
        answer = s.recv(4096).decode()
        assert answer.startswith("HTTP/1.1 408"), answer
        assert "the body did not arrive within 0.5 s" in answer
        assert closed_by_server(s)


def test_an_idle_keep_alive_connection_is_closed_after_a_while(
        sim: Simulator, serve: Callable[..., ControlServer]) -> None:
    server = serve(sim.port, idle_timeout=0.5)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    try:
        conn.request("GET", "/api/v1/state")
        r = conn.getresponse()
        assert r.status == 200 and not r.will_close
        r.read()
        assert conn.sock is not None
        assert closed_by_server(conn.sock)
    finally:
        conn.close()
    assert server.timed_out_connections == 0  # routine: no line about it
    assert log(server, "control API: closed") == []


def test_untokened_viewers_cannot_crowd_out_an_authenticated_screen(
        sim: Simulator, serve: Callable[..., ControlServer]) -> None:
    """Event viewers are served for as long as they stay: a crowd of them without a token (reads
    are open on loopback) still makes way for the operator's screen, which sends its token."""
    from websockets.sync.client import connect

    server = serve(sim.port, max_connections=8)
    url = f"ws://127.0.0.1:{server.port}/api/v1/events"
    with contextlib.ExitStack() as crowd:
        for _ in range(8):
            ws = crowd.enter_context(connect(url, open_timeout=WAIT))
            assert json.loads(ws.recv(timeout=WAIT))["type"] == "hello"
        with connect(url, additional_headers=auth(), open_timeout=WAIT) as screen:
            assert json.loads(screen.recv(timeout=WAIT))["type"] == "hello"
            status, body = post(server.port, {"action": "hold", "client": "operator"})
            assert status == 200 and body["ok"], body
    assert log(server, "made room (8 open at most)")

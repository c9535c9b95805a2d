"""Red team, round 2: with the service stalled (SIGSTOP) under a /presenter tab and three
screens, four aiohttp tracebacks (``Cannot write to closing transport``, from answering a
viewer's ping, about 28 lines each) landed on the headless service's stdout when it resumed.
A viewer gone while the service answers it is routine: it leaves, nothing is printed."""

from __future__ import annotations

import base64
import logging
import os
import socket
import struct
from collections.abc import Callable

import pytest

from studio.obs.simulator import Simulator
from studio.service.server import ControlServer
from studio.service.token import ControlToken
from tests.runner.conftest import WAIT, Harness, at
from tests.service.conftest import TOKEN


def _gone_after_a_ping(port: int) -> None:
    """A websocket viewer that sends a ping and vanishes at once (a reset, not a close)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket"
               f"\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 101"), answer[:80]
    mask = os.urandom(4)
    s.sendall(bytes([0x89, 0x80 | 4]) + mask + bytes(b ^ mask[i % 4]
                                                     for i, b in enumerate(b"ping")))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()  # RST: the server's answer meets a closing transport


def test_a_viewer_gone_mid_answer_prints_no_traceback(
    sim: Simulator, make_harness: Callable[..., Harness], caplog: pytest.LogCaptureFixture
) -> None:
    h = make_harness(sim.port, at(8, 59, 30))
    server = ControlServer(h.ctl, "127.0.0.1", 0, ControlToken(TOKEN))
    server.start()
    try:
        with caplog.at_level(logging.DEBUG):
            for _ in range(20):
                _gone_after_a_ping(server.port)
            # a viewer after them is served: every one before it was handled (in turn)
            with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as s:
                s.sendall(b"GET /api/v1/state HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Connection: close\r\n\r\n")
                assert s.recv(100).startswith(b"HTTP/1.1")
    finally:
        server.stop()
    tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert tracebacks == [], [r.getMessage() for r in tracebacks]

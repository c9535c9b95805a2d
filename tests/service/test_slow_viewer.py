"""A viewer that stops reading is dropped; it never holds up the show or the other viewers."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from studio.engine.actions import Nudge
from studio.obs.simulator import Simulator

pytestmark = pytest.mark.asyncio

HANDSHAKE = (b"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
             b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             b"Sec-WebSocket-Version: 13\r\n\r\n")


async def test_a_viewer_that_stops_reading_is_dropped_and_the_show_goes_on(
        sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    stuck = socket.socket()
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    stuck.connect(("127.0.0.1", api.server.port))
    stuck.sendall(HANDSHAKE)  # ... and never reads a byte
    loop = api.server._loop
    assert loop is not None
    try:
        async with aiohttp.ClientSession() as s:
            good = await s.ws_connect(f"{api.url}/api/v1/events")
            rounds = logged = 0
            while api.server.dropped_viewers == 0 and rounds < 400:
                rounds += 1
                api.h.ctl.submit(Nudge(at=api.h.clock.now(), seconds=1, who="deck"))
                assert api.h.ctl.flush(5.0)  # the controller is never held up by the viewer
                for _ in range(10):  # changes as fast as the service can push them
                    loop.call_soon_threadsafe(api.server._push)
                while logged < rounds:  # the good viewer gets every change, every line
                    msg = await good.receive_json(timeout=5)
                    if msg["type"] == "log":
                        logged += sum("(deck)" in e["text"] for e in msg["entries"])
            assert api.server.dropped_viewers == 1
            assert len(api.h.ctl.actions) == rounds
            await good.close()
    finally:
        stuck.close()


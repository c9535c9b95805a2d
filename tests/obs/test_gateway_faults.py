"""A server that is not a well-behaved OBS: the gateway keeps trying (with reported attempts)
instead of its reconnect thread dying on an unexpected reply."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.sync.server import ServerConnection, serve

from studio.obs.events import ConnectionChanged
from studio.obs.gateway import ObsGateway


@pytest.fixture
def odd_server() -> Iterator[int]:
    """Says "[]" instead of Hello, then hangs up."""

    def handler(ws: ServerConnection) -> None:
        ws.send("[]")
        ws.close()

    with serve(handler, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield int(server.socket.getsockname()[1])
        server.shutdown()


def test_odd_replies_are_failed_attempts_and_retried(
    odd_server: int, obs_settings: Callable[..., Any], recorder: Any
) -> None:
    gw = ObsGateway(obs_settings(odd_server), on_event=recorder)
    gw.start()
    try:
        third = recorder.wait_for(
            lambda e: isinstance(e, ConnectionChanged) and e.state == "reconnecting"
            and e.attempt == 3
        )
        assert isinstance(third, ConnectionChanged)
        assert "not an obs-websocket message" in third.detail
        assert gw.connection_state == "reconnecting"
    finally:
        gw.stop()

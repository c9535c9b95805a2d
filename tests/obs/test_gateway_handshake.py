"""An OBS that is still starting drops connections in the middle of the handshake: the gateway
counts each as a failed attempt (reported as ``reconnecting``) and connects once OBS answers;
its reconnect thread never dies on the way."""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from studio.obs.gateway import ObsGateway
from studio.obs.simulator import Simulator
from tests.obs.conftest import CountingProxy


class StartingObs(CountingProxy):
    """A TCP front for a simulator: the first connections fail the way a starting OBS fails
    them (in turn: hung up at once, hung up after reading the HTTP upgrade, hung up without a
    close frame right after Hello); every later connection is passed through."""

    MODES = ("close_at_once", "close_after_request", "close_after_hello")

    def __init__(self, target_port: int, faulty: int) -> None:
        self.faulty = faulty
        super().__init__(target_port)

    def _serve(self, client: socket.socket, index: int) -> None:
        mode = self.MODES[index % len(self.MODES)] if index < self.faulty else "pass"
        if mode == "close_at_once":
            self._reset(client)
            return
        if mode == "close_after_request":
            with contextlib.suppress(OSError):
                client.recv(65536)
            self._reset(client)
            return
        upstream = self._upstream(client)
        if upstream is None:
            return
        if mode == "close_after_hello":
            with contextlib.suppress(OSError):
                upstream.sendall(client.recv(65536))  # the HTTP upgrade
                reply = b""
                while b"\r\n\r\n" not in reply:
                    reply += upstream.recv(65536)
                head, _, rest = reply.partition(b"\r\n\r\n")
                if not rest:
                    rest = upstream.recv(65536)  # the Hello frame
                client.sendall(head + b"\r\n\r\n" + rest)
            self._reset(client)
            upstream.close()
            return
        self._forward(client, upstream)

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        """Close with a TCP reset (what a starting OBS does), not a polite FIN."""
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(password="pw-start")
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.mark.parametrize("faulty", [1, 2, 3, 5])
def test_handshakes_dropped_while_obs_starts_then_it_connects(
    sim: Simulator, obs_settings: Callable[..., Any], recorder: Any, faulty: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    front = StartingObs(sim.port, faulty)
    gw = ObsGateway(obs_settings(front.port, "pw-start"), on_event=recorder)
    gw.start()
    try:
        assert gw.wait_connected(20), f"not connected: {gw.last_error} ({recorder.states()})"
        assert gw.call("GetVersion")["rpcVersion"] == 1
        states = recorder.states()
        assert states[0] == "connecting" and states[-1] == "connected"
        assert "reconnecting" in states  # each dropped handshake was a reported failed attempt
        assert front.accepted > faulty
        assert "pw-start" not in caplog.text
    finally:
        gw.stop()
        front.close()

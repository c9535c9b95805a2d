"""An OBS that is still starting drops connections in the middle of the handshake: the gateway
counts each as a failed attempt (reported as ``reconnecting``) and connects once OBS answers;
its reconnect thread never dies on the way."""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from studio.obs.gateway import ObsGateway
from studio.obs.simulator import Simulator


class StartingObs:
    """A TCP front for a simulator: the first connections fail the way a starting OBS fails
    them (in turn: hung up at once, hung up after reading the HTTP upgrade, hung up without a
    close frame right after Hello); every later connection is passed through."""

    MODES = ("close_at_once", "close_after_request", "close_after_hello")

    def __init__(self, target_port: int, faulty: int) -> None:
        self.target_port = target_port
        self.faulty = faulty
        self.accepted = 0
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(16)
        self.port: int = self._server.getsockname()[1]
        self._socks: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self.accepted += 1
            self._socks.append(client)
            n = self.accepted - 1
            mode = self.MODES[n % len(self.MODES)] if n < self.faulty else "pass"
            threading.Thread(target=self._serve, args=(client, mode), daemon=True).start()

    def _serve(self, client: socket.socket, mode: str) -> None:
        if mode == "close_at_once":
            self._reset(client)
            return
        if mode == "close_after_request":
            with contextlib.suppress(OSError):
                client.recv(65536)
            self._reset(client)
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        self._socks.append(upstream)
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
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        """Close with a TCP reset (what a starting OBS does), not a polite FIN."""
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._server.close()
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.close()


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

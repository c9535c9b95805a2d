"""Helpers for the gateway, provisioning and pre-flight tests: an event recorder and a TCP proxy
that counts connection attempts (to prove there is no reconnect storm)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from studio.obs.events import ConnectionChanged, ObsEvent


class Recorder:
    """Collects gateway events (called on the gateway's event thread); tests wait on it."""

    def __init__(self) -> None:
        self.events: list[ObsEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: ObsEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(
        self, match: Callable[[ObsEvent], bool], timeout: float = 10.0, *, after: int = 0
    ) -> ObsEvent:
        """The first event from index ``after`` on that matches; fails the test on timeout."""
        found: list[ObsEvent] = []

        def check() -> bool:
            found[:] = [e for e in self.events[after:] if match(e)]
            return bool(found)

        with self._cond:
            if not self._cond.wait_for(check, timeout):
                pytest.fail(f"no matching event within {timeout} s; got {self.events[after:]}")
        return found[0]

    def states(self) -> list[str]:
        with self._cond:
            return [e.state for e in self.events if isinstance(e, ConnectionChanged)]

    def mark(self) -> int:
        with self._cond:
            return len(self.events)


def connection(state: str) -> Callable[[ObsEvent], bool]:
    return lambda e: isinstance(e, ConnectionChanged) and e.state == state


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


class CountingProxy:
    """Forwards 127.0.0.1:port to a target port and counts the connections made through it.

    Subclasses change what happens to a connection by overriding ``_serve``."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.accepted = 0
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(16)
        self.port: int = self._server.getsockname()[1]
        self._closed = False
        self._socks: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self.accepted += 1
            self._socks.append(client)
            threading.Thread(target=self._serve, args=(client, self.accepted - 1),
                             daemon=True).start()

    def _serve(self, client: socket.socket, index: int) -> None:
        """Connection number ``index`` (from 0): passed through."""
        upstream = self._upstream(client)
        if upstream is not None:
            self._forward(client, upstream)

    def _upstream(self, client: socket.socket) -> socket.socket | None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
        except OSError:
            client.close()
            return None
        upstream.settimeout(None)
        self._socks.append(upstream)
        return upstream

    def _forward(self, client: socket.socket, upstream: socket.socket) -> None:
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

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
        self._closed = True
        self._server.close()
        for s in self._socks:
            with contextlib.suppress(OSError):
                s.close()


@pytest.fixture
def counting_proxy() -> Iterator[Callable[[int], CountingProxy]]:
    made: list[CountingProxy] = []

    def make(port: int) -> CountingProxy:
        proxy = CountingProxy(port)
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        proxy.close()


def settings_for(url_or_port: Any, password: str = "", timeout: float = 3.0) -> Any:
    from studio.obs.connection import ObsConnectionSettings, Secret, parse_obs_url

    if isinstance(url_or_port, int):
        host, port = "127.0.0.1", url_or_port
    else:
        host, port = parse_obs_url(str(url_or_port))
    return ObsConnectionSettings(host=host, port=port, password=Secret(password), timeout=timeout)


@pytest.fixture
def obs_settings() -> Callable[..., Any]:
    return settings_for

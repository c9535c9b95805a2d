"""Notice at once when OBS answers again, whatever the gateway's reconnect backoff.

The gateway backs off up to a few seconds between attempts; an OBS that restarts meanwhile
would wait that long. While the controller is not connected, this thread tries a TCP connect to
OBS's port every ``INTERVAL`` (a refused connect on loopback costs microseconds); once the port
accepts and the websocket says Hello, it asks the gateway to reconnect now: the desired state is
back on air well within a second of OBS's websocket answering.

Owns the probing thread; all it ever does to the gateway is ask it to reconnect now.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable

from websockets.sync.client import connect
from websockets.typing import Subprotocol

from studio.obs.connection import host_port

INTERVAL = 0.2  # seconds between probes while disconnected
SETTLE = 1.0  # after asking the gateway to reconnect, wait this long before probing again


class PortWatch:
    def __init__(self, host: str, port: int, *, disconnected: Callable[[], bool],
                 reconnect: Callable[[], None]) -> None:
        self._addr = (host, port)
        self._disconnected = disconnected
        self._reconnect = reconnect
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="studio-portwatch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def nudge(self) -> None:
        """The connection changed: re-check now."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=2)

    def _answers(self) -> bool:
        """OBS's websocket says Hello (a starting OBS may accept TCP and then reset)."""
        try:
            with socket.create_connection(self._addr, timeout=INTERVAL):
                pass
        except OSError:
            return False
        host, port = self._addr
        try:
            with connect(f"ws://{host_port(host, port)}",
                         subprotocols=[Subprotocol("obswebsocket.json")], open_timeout=1.0,
                         close_timeout=0.2, compression=None) as ws:
                hello = json.loads(ws.recv(timeout=1.0))
                return isinstance(hello, dict) and hello.get("op") == 0
        except Exception:  # any failure means: not ready yet
            return False

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._disconnected():
                self._wake.wait()  # connected: sleep until the connection changes
                self._wake.clear()
                continue
            if self._answers() and self._disconnected():
                self._reconnect()
                # give that attempt time (connection changes do not cut this short: asking
                # again while the gateway connects would drop the fresh connection)
                self._stop.wait(SETTLE)
            else:
                self._wake.wait(INTERVAL)
            self._wake.clear()

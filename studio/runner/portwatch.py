"""Notice at once when OBS answers again, whatever the gateway's reconnect backoff.

The gateway backs off up to a few seconds between attempts; an OBS that restarts meanwhile
would wait that long. While the controller is not connected, this thread tries a plain TCP
connect to OBS's port every ``INTERVAL`` (a refused connect on loopback costs microseconds) and,
as soon as the port accepts, asks the gateway to reconnect now: the desired state is back on air
well within a second of OBS's websocket answering.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

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
        try:
            with socket.create_connection(self._addr, timeout=INTERVAL):
                return True
        except OSError:
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

"""systemd's notify protocol, by hand (no dependency): ``READY=1`` once the controller runs,
``WATCHDOG=1`` from the controller's thread while it keeps up with its cues, ``STOPPING=1`` at a
clean stop.

With ``Type=notify`` and ``WatchdogSec=`` in the unit, systemd sets ``NOTIFY_SOCKET`` (a path,
or ``@name`` for an abstract socket) and ``WATCHDOG_USEC``; if no ping arrives for that long
it kills studio and ``Restart=`` starts it again, which resumes from the journal. Without
those variables every call here does nothing.

Owns the notify socket's address and the last ping's time (``Watchdog``, one per controller).
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Mapping


class Watchdog:
    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        self._address = env.get("NOTIFY_SOCKET") or None
        self.period: float | None = None  # seconds between pings (a third of WatchdogSec)
        usec = env.get("WATCHDOG_USEC", "")
        pid = env.get("WATCHDOG_PID", "")
        if self._address and usec.isdigit() and int(usec) > 0 and (
                not pid.isdigit() or int(pid) == os.getpid()):
            self.period = int(usec) / 1e6 / 3
        self._last = float("-inf")
        self._ready = False

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def notify(self, message: str) -> None:
        """One datagram to systemd; never raises (a gone socket is not the show's problem)."""
        if self._address is None:
            return
        address = self._address
        if address.startswith("@"):
            address = "\0" + address[1:]
        with contextlib.suppress(OSError), \
                socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(message.encode(), address)

    def ready(self) -> None:
        self._ready = True
        self.notify("READY=1\nSTATUS=running the show")

    def stopping(self) -> None:
        self.notify("STOPPING=1")

    def ping(self) -> None:
        """From the controller's thread, on every turn; sends at most once per ``period / 2``."""
        if self.period is None or not self._ready:
            return
        now = time.monotonic()
        if now - self._last >= self.period / 2:
            self._last = now
            self.notify("WATCHDOG=1")

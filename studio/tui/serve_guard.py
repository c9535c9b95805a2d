"""A browser tab's process under ``studio serve`` ends when its connection is gone.

textual-serve talks to each tab's process over its stdin/stdout pipes. When the browser vanished
abruptly, the process was seen writing into a pipe nobody read any more, spinning at 99 % CPU,
ignoring SIGTERM (Textual's handler waits for an event loop that never gets there), outliving
``studio serve`` (then, when a tab's process was the show's, still holding the show; now a tab
is a screen attached to the show's service, which a tab's end never touches). Here:

- ``GuardedWebDriver`` (Textual's web driver, chosen by ``studio.cli.serve_tab``) treats a failed
  write to the server, the end of its input and the server's "quit" as the connection gone;
- SIGTERM, SIGINT and SIGHUP are caught at the signal level, not only in the event loop;
- the parent's death sends SIGTERM (``PR_SET_PDEATHSIG``);
- once any of these happened the app is asked to exit (the screen detaches from the show's
  service) and, should it not have ended ``GRACE_S`` seconds later, the process ends anyway
  (the service sees a client gone, as after ``kill -9``). It never waits for a reader.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import threading
from types import FrameType
from typing import Any

from textual import messages
from textual.drivers.web_driver import WebDriver

GRACE_S = 6.0  # from "connection gone" or SIGTERM to the end, at the latest
PR_SET_PDEATHSIG = 1


class _Guard:
    def __init__(self) -> None:
        self._ending = threading.Event()
        self.reason = ""
        self._thread: threading.Thread | None = None
        self.driver: GuardedWebDriver | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="serve-tab-guard", daemon=True)
        self._thread.start()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        with contextlib.suppress(Exception):  # Linux only; elsewhere the other ways remain
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.end(f"stopped by {signal.Signals(signum).name}")

    def end(self, reason: str) -> None:
        if self._ending.is_set():
            return
        self.reason = reason
        self._ending.set()

    @property
    def ending(self) -> bool:
        return self._ending.is_set()

    def _run(self) -> None:
        self._ending.wait()
        driver = self.driver
        if driver is not None:
            driver.request_exit()
        threading.Event().wait(GRACE_S)
        with contextlib.suppress(Exception):
            os.write(2, f"studio serve tab: {self.reason}; ending now\n".encode())
        os._exit(0 if self.reason.startswith("stopped by") else 1)


GUARD = _Guard()


class GuardedWebDriver(WebDriver):
    """Textual's web driver that notices when nobody is at the other end any more."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._guard_loop: asyncio.AbstractEventLoop | None = None
        fileno = self.fileno

        def write(data: bytes) -> int:
            if GUARD.ending:
                return len(data)  # the reader is gone: drop it, never block or spin on it
            try:
                return os.write(fileno, data)
            except OSError:
                GUARD.end("the browser's connection is gone")
                return len(data)

        self._write = write  # type: ignore[assignment]
        GUARD.driver = self
        GUARD.start()

    def start_application_mode(self) -> None:
        self._guard_loop = asyncio.get_running_loop()
        super().start_application_mode()
        # Textual handles these in its event loop only: a stuck loop never saw them
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, GUARD._on_signal)

    def request_exit(self) -> None:
        loop = self._guard_loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._app._post_message(messages.ExitApp()), loop)

    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        finally:
            if not self.exit_event.is_set():
                GUARD.end("studio serve closed the connection")

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "quit":  # the server's word that the browser has gone
            GUARD.end("the browser disconnected")
        super().on_meta(packet_type, payload)

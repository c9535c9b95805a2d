"""The one owner of studio's connection to OBS: serialised requests, reconnect, typed events.

``ObsGateway(settings, on_event=...)``; ``start()`` connects in the background and keeps
reconnecting with backoff (at once, then 0.1 s growing to 3 s) until ``stop()``. A refused password
(state ``auth_failed``) slows the retries to one every ``AUTH_RETRY_S`` seconds, each with the
password read afresh from ``settings.password_file`` when one was given (and at once when that
file's content changes), so fixing either OBS or the file heals it without a restart;
``reconnect_now()`` tries at once. After any timeout or dropped
socket the client is thrown away and a fresh one is built: a late reply can never answer a later
request. While disconnected, ``apply`` drops commands (ok=False, "not connected"): nothing queues.

``on_event`` is called on the gateway's event thread (never on the caller's thread), one event at
a time, in the order OBS sent them, with ``ConnectionChanged`` on every connection transition. It
must be thread-safe and quick (hand over to a queue or ``post_message``); an exception in it is
logged and does not stop the events. The password is used for the handshake only: it appears in
no log line, repr or exception message.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any

from studio.clock import Clock, RealClock
from studio.engine.state import (
    Command,
    CommandResult,
    ObsState,
    SetProgramScene,
    SetTransition,
    TriggerTransition,
)
from studio.obs.commands import plan_requests, read_state_requests, state_from_results
from studio.obs.connection import ConnectionConfigError, ObsConnectionSettings
from studio.obs.errors import (
    AuthenticationFailed,
    ConnectionLost,
    GatewayError,
    NotConnected,
    RequestFailed,
    RequestTimeout,
)
from studio.obs.events import ConnectionChanged, ConnectionState, ObsEvent
from studio.obs.items import SceneItemMap, translate
from studio.obs.link import ObsLink
from studio.show.model import Catalogue

__all__ = [
    "AuthenticationFailed",
    "ConnectionLost",
    "GatewayError",
    "NotConnected",
    "ObsGateway",
    "RequestFailed",
    "RequestTimeout",
]

# obsws-python logs the password at INFO: whoever imports it in this process, keep it quiet.
logging.getLogger("obsws_python").setLevel(logging.WARNING)
log = logging.getLogger("studio.obs.gateway")

BACKOFF = (0.1, 0.25, 0.5, 1.0, 2.0, 3.0)  # waits after the 1st, 2nd, ... failed attempt
HEALTH_INTERVAL = 0.5  # how often the supervisor checks the reader and event threads
TRANSITION_WAIT = 5.0  # longest wait for a running transition before changing the transition
SWITCH_GRACE = 0.1  # how long a switch just sent may take to report that its transition started
AUTH_RETRY_S = 5.0  # after a refused password: the pace of further attempts (stated to the user)
AUTH_FILE_POLL_S = 1.0  # meanwhile, how often the password file is looked at for a change


def backoff(failures: int) -> float:
    return 0.0 if failures <= 0 else BACKOFF[min(failures, len(BACKOFF)) - 1]


class ObsGateway:
    """Studio's one connection to OBS (see the module docstring). Every method may be called
    from any thread; ``apply``, ``read_state`` and ``call`` block for at most the settings'
    timeout (plus, for a cue that changes the transition, the rest of a running transition)."""

    def __init__(
        self,
        settings: ObsConnectionSettings,
        *,
        on_event: Callable[[ObsEvent], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._settings = settings
        self._on_event = on_event
        self._clock: Clock = clock or RealClock(UTC)
        self._req_lock = threading.RLock()  # one request (or batch) on the wire at a time
        self._cond = threading.Condition()
        self._state: ConnectionState = "closed"
        self._client: ObsLink | None = None
        self._items = SceneItemMap()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._hold = False  # auth failed: retry at AUTH_RETRY_S, not with the backoff
        self._tried: str | None = None  # the password of the last attempt (auth retries)
        self._restart = False
        self._events: queue.Queue[tuple[str, dict[str, Any]] | ObsEvent | None] = queue.Queue()
        self._supervisor: threading.Thread | None = None
        self._dispatcher: threading.Thread | None = None
        # OBS 29.0.2 stops emitting CurrentProgramSceneChanged/SceneTransitionEnded for good when
        # the transition is changed while one runs: cues that change it wait for the end.
        self._transitions = threading.Condition()
        self._running = 0  # 1 while OBS's transition runs (started, not yet ended)
        self._starts = 0  # transitions started since connecting
        self._switch_sent_at = -1e9
        self._starts_before_switch = 0
        self._state_detail = ""
        self._auth_detail = ""
        self.connect_attempts = 0  # every connection attempt since construction
        self.last_error = ""

    def __repr__(self) -> str:
        return f"ObsGateway({self._settings.url}, {self._state})"

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if self._supervisor is not None:
            return
        self._stopping.clear()
        self._start_dispatcher()
        self._set_state("connecting")
        self._supervisor = threading.Thread(target=self._supervise, name="obs-gateway", daemon=True)
        self._supervisor.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=self._settings.timeout + 5)
            self._supervisor = None
        self._discard(self._client, wait=True)
        self._set_state("closed", detail="stopped")
        if self._dispatcher is not None:
            self._events.put(None)
            if self._dispatcher is not threading.current_thread():
                self._dispatcher.join(timeout=5)
            self._dispatcher = None

    def wait_connected(self, timeout: float) -> bool:
        """True once connected; False after ``timeout`` or at once when the password is refused."""
        with self._cond:
            self._cond.wait_for(lambda: self._state in ("connected", "auth_failed"), timeout)
            return self._state == "connected"

    @property
    def connection_state(self) -> ConnectionState:
        return self._state

    def reconnect_now(self) -> None:
        """Drop the connection (if any) and connect again at once; also after auth_failed."""
        self._hold = False
        self._restart = True
        self._wake.set()

    # ------------------------------------------------------------------ requests

    def call(self, request: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """One raw request: its responseData; RequestFailed, RequestTimeout or NotConnected."""
        with self._req_lock:
            return self._request(self._live_client(), request, data)

    def apply(self, commands: Sequence[Command]) -> list[CommandResult]:
        """Send one cue's commands together, in order; one result each. A cue of one request
        goes as a plain request (the quickest answer), more as one RequestBatch."""
        cmds = list(commands)
        if not cmds:
            return []
        if any(isinstance(c, SetTransition) for c in cmds):
            self._wait_for_transition_end()
        switches = any(isinstance(c, SetProgramScene | TriggerTransition) for c in cmds)
        with self._req_lock:
            client = self._client
            if client is None or client.closed or self._state != "connected":
                return [CommandResult(c, ok=False, comment="not connected") for c in cmds]
            started = time.perf_counter()
            if switches:
                self._starts_before_switch = self._starts
                self._switch_sent_at = started
            try:
                plan, refused = plan_requests(
                    cmds, self._items, lambda r, d: self._request(client, r, d)
                )
                replies = client.send_together([req for _, req in plan])
            except NotConnected as exc:
                self._discard(client, why=str(exc))
                return [CommandResult(c, ok=False, comment=str(exc)) for c in cmds]
            elapsed = (time.perf_counter() - started) * 1000
        failed: dict[int, tuple[int | None, str]] = dict(refused)
        for (index, _), reply in zip(plan, replies, strict=True):
            status = reply.get("requestStatus") or {}
            if not status.get("result") and index not in failed:
                failed[index] = (int(status.get("code", 0)), str(status.get("comment", "")))
        return [
            CommandResult(c, ok=False, code=failed[i][0], comment=failed[i][1], elapsed_ms=elapsed)
            if i in failed
            else CommandResult(c, ok=True, elapsed_ms=elapsed)
            for i, c in enumerate(cmds)
        ]

    def _wait_for_transition_end(self) -> None:
        """Changing the transition while one runs breaks OBS 29.0.2's events for good: wait.

        Events come on their own socket, so a switch sent a moment ago may not have reported
        its start yet: give it up to SWITCH_GRACE to do so."""
        with self._transitions:
            since = time.perf_counter() - self._switch_sent_at
            if since < SWITCH_GRACE and self._running == 0:
                self._transitions.wait_for(
                    lambda: self._starts > self._starts_before_switch, SWITCH_GRACE - since
                )
            if not self._transitions.wait_for(lambda: self._running == 0, TRANSITION_WAIT):
                log.warning("a transition still runs after %.0f s: changing it anyway",
                            TRANSITION_WAIT)
                self._running = 0  # an end OBS never reported: do not wait for it again

    def read_state(self, catalogue: Catalogue) -> ObsState:
        """What OBS shows now, read in one batch (a consistent snapshot). NotConnected if down."""
        requests = read_state_requests(catalogue)
        with self._req_lock:
            client = self._live_client()
            try:
                replies = client.batch(requests)
            except NotConnected as exc:
                self._discard(client, why=str(exc))
                raise
        return state_from_results(catalogue, replies)

    def _live_client(self) -> ObsLink:
        client = self._client
        if client is None or client.closed:
            if self._state == "auth_failed":
                raise AuthenticationFailed(self.last_error)
            raise NotConnected(f"not connected to OBS at {self._settings.url}")
        return client

    def _request(
        self, client: ObsLink, request: str, data: dict[str, Any] | None
    ) -> dict[str, Any]:
        try:
            return client.request(request, data)
        except NotConnected as exc:  # timeout or dropped socket: this client is done
            self._discard(client, why=str(exc))
            raise

    # ------------------------------------------------------------------ connection

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            try:
                self._supervise_loop()
            except Exception as exc:  # a bug here must not end reconnecting for good
                # the type only: a message or traceback could carry connection details
                log.warning("the OBS connection supervisor failed (%s); it goes on",
                            type(exc).__name__)
                self._stopping.wait(1.0)

    def _supervise_loop(self) -> None:
        failures = 0
        was_connected = False
        while not self._stopping.is_set():
            client = self._client
            if client is not None and not client.closed and not self._restart:
                self._ensure_dispatcher()
                self._wake.wait(HEALTH_INTERVAL)
                self._wake.clear()
                continue
            if client is not None:
                self._discard(client)
                continue
            if self._restart:
                self._restart, failures = False, 0
            if self._hold:
                self._auth_pause()
                if self._stopping.is_set() or self._restart:
                    continue
                if self._try_connect():  # quietly: the state stays auth_failed until it heals
                    was_connected, failures = True, 0
                elif not self._hold:  # OBS away now rather than refusing: the usual backoff
                    failures = 1
                continue
            if failures == 0 and self._state == "reconnecting":
                pass  # the dropped link said so already (``_discard``): attempt 1 is this one
            elif was_connected or failures:
                self._set_state("reconnecting", attempt=failures + 1, detail=self.last_error)
            else:
                self._set_state("connecting")
            if self._try_connect():
                was_connected, failures = True, 0
                continue
            if self._hold:
                continue
            failures += 1
            self._wake.wait(backoff(failures))
            self._wake.clear()
        self._discard(self._client)

    def _auth_pause(self) -> None:
        """After a refused password: wait AUTH_RETRY_S, less if the password file changes or
        the operator asks (``reconnect_now``)."""
        deadline = time.monotonic() + AUTH_RETRY_S
        while not self._stopping.is_set() and self._hold and not self._restart:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if self._wake.wait(min(AUTH_FILE_POLL_S, left)):
                self._wake.clear()
            if self._settings.password_file is not None:
                try:
                    if self._settings.current_password().reveal() != self._tried:
                        return  # the technician fixed the file: try it now
                except ConnectionConfigError:
                    pass

    def _auth_failed(self, detail: str) -> None:
        self.last_error = detail
        if not self._hold or self._state != "auth_failed" or self._auth_detail != detail:
            # (the controller says it in its own line: the log has it for a debug run)
            log.info("%s; retrying every %g s", detail, AUTH_RETRY_S)
        self._hold = True
        self._auth_detail = detail
        self._set_state("auth_failed", detail=detail, retry_in=AUTH_RETRY_S)

    def _try_connect(self) -> bool:
        s = self._settings
        self.connect_attempts += 1
        try:
            password = s.current_password().reveal()
        except ConnectionConfigError as exc:  # the password file went away or went bad
            self._tried = None
            self._auth_failed(str(exc))
            return False
        self._tried = password
        try:
            client = ObsLink(
                s.host,
                s.port,
                password,
                s.timeout,
                on_event=self._raw_event,
                on_close=self._wake.set,
            )
        except AuthenticationFailed as exc:
            self._auth_failed(str(exc))
            return False
        except GatewayError as exc:
            self.last_error = str(exc)
            self._hold = False
            log.info("%s", exc)
            return False
        except Exception as exc:  # anything else: a failed attempt, never a dead supervisor
            self._hold = False
            self.last_error = f"connecting to OBS at {s.url} failed ({type(exc).__name__})"
            log.warning("%s", self.last_error)
            return False
        try:
            with self._req_lock:
                self._items.rebuild(lambda r, d: client.request(r, d))
        except Exception as exc:
            detail = str(exc) if isinstance(exc, GatewayError) else type(exc).__name__
            self.last_error = f"reading OBS's scenes failed: {detail}"
            self._hold = False  # the password was taken: the usual backoff
            client.close()
            return False
        with self._req_lock:
            self._client = client
            with self._transitions:
                self._running = 0
        self.last_error = ""
        self._hold = False
        log.info("connected to OBS at %s (obs-websocket %s)", s.url, client.server_version)
        self._set_state("connected", detail=f"obs-websocket {client.server_version}")
        return True

    def _discard(self, client: ObsLink | None, *, wait: bool = False, why: str = "") -> None:
        if client is None:
            return
        with self._cond:
            current = self._client is client
            if current:
                self._client = None
                self.last_error = why or self.last_error or "connection to OBS lost"
        if current and not self._stopping.is_set():
            # said before the caller sees its failed request: a timeout or a dropped socket is
            # then never read as OBS refusing a command while the state still says connected
            self._set_state("reconnecting", attempt=1, detail=self.last_error)
        self._items.clear()
        with self._transitions:
            self._running = 0  # no end will be reported on a dead link
            self._transitions.notify_all()
        self._wake.set()
        if wait:
            client.close()
        else:  # closing a frozen peer waits for its close frame: not on the caller's time
            threading.Thread(target=client.close, name="obs-close", daemon=True).start()

    def _set_state(self, state: ConnectionState, *, attempt: int = 0, detail: str = "",
                   retry_in: float = 0.0) -> None:
        with self._cond:
            if state == self._state and state != "reconnecting" and (
                    state != "auth_failed" or detail == self._state_detail):
                return
            self._state = state
            self._state_detail = detail
            self._cond.notify_all()
        self._events.put(ConnectionChanged(at=self._now(), state=state, attempt=attempt,
                                           detail=detail, retry_in=retry_in))

    # ------------------------------------------------------------------ events

    def _now(self) -> Any:
        return self._clock.now()

    def _raw_event(self, kind: str, data: dict[str, Any]) -> None:
        if kind in ("SceneTransitionStarted", "SceneTransitionEnded"):
            with self._transitions:
                # one transition object: a switch during a transition's tail restarts it and
                # OBS reports one end for both starts
                if kind == "SceneTransitionStarted":
                    self._running = 1
                    self._starts += 1
                else:
                    self._running = 0
                self._transitions.notify_all()
        self._events.put((kind, data))  # reader thread: hand over, never block it

    def _start_dispatcher(self) -> None:
        self._dispatcher = threading.Thread(target=self._dispatch, name="obs-events", daemon=True)
        self._dispatcher.start()

    def _ensure_dispatcher(self) -> None:
        if self._dispatcher is not None and not self._dispatcher.is_alive():
            log.warning("the OBS event thread had died: started a new one")
            self._start_dispatcher()

    def _dispatch(self) -> None:
        while True:
            item = self._events.get()
            if item is None:
                return
            try:
                event = item if isinstance(item, ObsEvent) else self._translate(*item)
                if event is not None and self._on_event is not None:
                    self._on_event(event)
            except Exception:
                log.exception("handling an OBS event failed")

    def _translate(self, kind: str, data: dict[str, Any]) -> ObsEvent | None:
        def request(name: str, body: dict[str, Any] | None) -> dict[str, Any]:
            with self._req_lock:
                return self._request(self._live_client(), name, body)

        try:
            return translate(kind, data, self._now(), self._items, request)
        except GatewayError as exc:
            log.info("could not follow OBS event %s: %s", kind, exc)
            return None

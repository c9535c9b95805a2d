"""``RemoteController``: the ``ShowController`` protocol over the control API, so the operator's
screen (studio/tui, unchanged) can attach to a show service running in another process.

One thread with its own event loop holds the events WebSocket and posts actions, in order, one
at a time; nothing the screen calls ever waits on the network. When the service goes away the
screen says so (a warning on the alert bar, the OBS light off, a log line) and reattaches by
itself, re-reading where the service is and its token (a restarted service may have a new port
and a new generated token).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from studio.clock import Clock
from studio.engine.actions import (
    Action,
    Back,
    Clear,
    ClearMessage,
    Fire,
    Hold,
    Message,
    Nudge,
    PreviewNext,
    Reassert,
    Release,
    Skip,
    Take,
    ToggleOverlay,
)
from studio.engine.projection import Projection
from studio.runner.api import ControllerStatus, LogEntry
from studio.runner.expect import moved_on_line
from studio.service.actions import ACTS_ON_NEXT
from studio.service.state_json import (
    log_from_json,
    projection_from_json,
    show_from_json,
    status_from_json,
)
from studio.service.token import ENV, ControlToken, TokenError, read_token_file
from studio.show.loader import load_show
from studio.show.model import Show

API_NAMES: dict[type[Action], str] = {
    Take: "take", Hold: "hold", Release: "release", Skip: "skip", Back: "back", Nudge: "nudge",
    Fire: "fire", Clear: "clear", ToggleOverlay: "overlay", PreviewNext: "preview",
    Reassert: "reassert", Message: "message", ClearMessage: "clear_message",
}
RETRY_S = (0.1, 0.2, 0.5, 1.0, 2.0)
POST_TIMEOUT_S = 15.0


class ServiceNotFound(Exception):
    """No show service to attach to: one line for the user."""


class Where:
    """Where the service is and its token; re-read on every (re)attach."""

    def __init__(self, url: str | None, discovery: Path | None, token_file: Path | None) -> None:
        self._url = url
        self.discovery = discovery
        self._token_file = token_file

    def resolve(self) -> tuple[str, ControlToken]:
        url, token_file = self._url, self._token_file
        if self.discovery is not None and (url is None or token_file is None):
            try:
                record = json.loads(self.discovery.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ServiceNotFound(f"{self.discovery}: no show service found "
                                      f"({getattr(exc, 'strerror', None) or exc})") from None
            url = url or str(record["url"])
            if token_file is None and record.get("token_file"):
                token_file = Path(record["token_file"])
        if url is None:
            raise ServiceNotFound("no show service: give SHOW or --control URL")
        env = os.environ.get(ENV)
        if env:
            return url, ControlToken(env.strip())
        if token_file is not None:
            return url, read_token_file(token_file)
        raise TokenError(f"no control token for {url}: set ${ENV} or give --control-token-file")


class MirrorClock:
    """The service's show clock, followed from its state messages (``now``, ``speed``)."""

    def __init__(self, tz: tzinfo, now: datetime, speed: float) -> None:
        self.tz: tzinfo = tz
        self._base = now
        self._mono = time.monotonic()
        self._speed = speed

    def sync(self, now: datetime, speed: float) -> None:
        self._base, self._mono, self._speed = now, time.monotonic(), speed

    def now(self) -> datetime:
        return (self._base + timedelta(seconds=(time.monotonic() - self._mono) * self._speed)
                ).astimezone(self.tz)

    def wall_time_for(self, t: datetime) -> datetime:
        return (datetime.now(UTC)
                + timedelta(seconds=(t - self.now()).total_seconds() / self._speed))

    @property
    def speed(self) -> float:
        return self._speed


class RemoteController:
    """Implements ``studio.runner.api.ShowController`` over the control API."""

    detachable = True  # the screen asks detach / stop the show / cancel on quit

    def __init__(self, show: Show | None, where: Where, *, client: str = "operator",
                 show_file: str | None = None) -> None:
        # the show is the service's (GET /api/v1/show, on every (re)attach); ``show`` only
        # stands in for a service too old to serve it; ``show_file`` is read only to say
        # when it differs from what the service runs
        self._given = show
        self.show: Show = show  # type: ignore[assignment]  # set before start() returns
        self.show_file = show_file
        self.where = where
        self.client = client
        self.url = ""
        self._token: ControlToken | None = None
        self._proj: Projection | None = None
        self._status = ControllerStatus(connection="connecting")
        self._mirror = MirrorClock(ZoneInfo(show.timezone) if show else UTC, datetime.now(UTC), 1.0)
        self.clock: Clock = self._mirror
        self._log: deque[LogEntry] = deque(maxlen=1000)
        self._log_lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []
        self._loop = asyncio.new_event_loop()
        self._outbox: asyncio.Queue[dict[str, Any]] | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="studio-attach",
                                        daemon=True)
        self._first = threading.Event()
        self._stopping = False
        self.lost = False
        self.attached = 0  # times (re)attached
        self._news: list[str] = []  # lines for the log once the service's recent ones are in
        self._file_warning: str | None = None  # the show file here is not what the service runs
        self._file_stat: tuple[int, int] | None = None  # the file as last compared
        self._since_hello = 0  # messages since the events socket's hello

    def __repr__(self) -> str:
        return f"RemoteController({self.url or 'not attached'})"

    # ------------------------------------------------------------------ life cycle
    def start(self, timeout: float = 10.0) -> None:
        """Attach; returns once the first state arrived (``ServiceNotFound`` if it does not)."""
        self.url, self._token = self.where.resolve()
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._main(), self._loop)
        if not self._first.wait(timeout):
            self.close()
            raise ServiceNotFound(f"no show service answers on {self.url}")

    def close(self) -> None:
        self._stopping = True
        if self._thread.is_alive():
            fut = asyncio.run_coroutine_threadsafe(self._cancel_all(), self._loop)
            with contextlib.suppress(Exception):
                fut.result(timeout=5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()

    async def _cancel_all(self) -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def stop_show(self, timeout: float = 10.0) -> str | None:
        """Ask the service to stop the show; None when it agreed, else why not."""
        fut = asyncio.run_coroutine_threadsafe(
            self._request("/api/v1/stop", None, via="screen"), self._loop)
        try:
            status, answer = fut.result(timeout)
        except Exception as exc:
            return f"could not reach the show service: {exc or type(exc).__name__}"
        return None if status == 200 else str(answer.get("error", status))

    # ------------------------------------------------------------------ ShowController
    def projection(self) -> Projection:
        assert self._proj is not None, "start() first"
        if not self.lost:
            if self._file_warning is not None:
                return replace(self._proj, warnings=(*self._proj.warnings, self._file_warning))
            return self._proj
        lost = (f"the show has ended and its service ({self.url}) has stopped: q quits"
                if self._proj.ended else
                f"SHOW SERVICE LOST ({self.url}): this screen shows the last state; reattaching")
        return replace(self._proj, warnings=(lost, *self._proj.warnings))

    def status(self) -> ControllerStatus:
        return self._status

    def recent_log(self, limit: int = 50) -> list[LogEntry]:
        with self._log_lock:
            return list(self._log)[-limit:]

    def submit(self, action: Action, expect: str | None = None) -> None:
        body: dict[str, Any] = {"action": API_NAMES[type(action)], "client": self.client}
        if isinstance(action, Nudge):
            body["seconds"] = action.seconds
        if isinstance(action, ToggleOverlay):
            body["overlay"] = action.overlay
        if isinstance(action, Message):
            body["text"] = action.text
        if expect is None:  # the screen says what it showed; else what this client has now
            expect = self._expect(body["action"])
        if expect is not None and not isinstance(action, Message | ClearMessage):
            body["expect"] = expect  # what this screen shows: a double press takes one segment
        self._send(body)

    def reconnect(self) -> None:
        self._send({"action": "reconnect", "client": self.client})

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    # ------------------------------------------------------------------ inner workings
    def _expect(self, name: str) -> str | None:
        proj = self._proj
        if proj is None:
            return None
        if name in ACTS_ON_NEXT:
            return proj.next.segment_id if proj.next is not None else None
        return proj.on_air.segment_id if proj.on_air is not None else None

    def _send(self, body: dict[str, Any]) -> None:
        def put() -> None:
            if self._outbox is not None:
                self._outbox.put_nowait(body)
        self._loop.call_soon_threadsafe(put)

    def _note(self, kind: Any, text: str) -> None:
        with self._log_lock:
            self._log.append(LogEntry(at=self.clock.now(), kind=kind, text=text))
        self._changed()

    def _changed(self) -> None:
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):
                listener()

    def _headers(self) -> dict[str, str]:
        return {} if self._token is None else {"Authorization": f"Bearer {self._token.reveal()}"}

    async def _request(self, path: str, body: dict[str, Any] | None,
                       via: str | None = None) -> tuple[int, Any]:
        timeout = aiohttp.ClientTimeout(total=POST_TIMEOUT_S)
        params = {"client": self.client} | ({"via": via} if via else {})
        async with aiohttp.ClientSession(timeout=timeout) as s, s.post(
                self.url + path, json=body, headers=self._headers(), params=params) as r:
            try:
                return r.status, await r.json()
            except (aiohttp.ContentTypeError, ValueError):
                return r.status, {"error": await r.text()}

    async def _main(self) -> None:
        self._outbox = asyncio.Queue()
        asyncio.get_running_loop().create_task(self._poster())
        attempt = 0
        while not self._stopping:
            try:
                if attempt:
                    self.url, self._token = self.where.resolve()
                await self._follow()
                attempt = 0
            except (aiohttp.ClientError, OSError, ServiceNotFound, TokenError, ValueError,
                    TimeoutError) as exc:
                detail = " ".join(str(exc).split()) or type(exc).__name__
                if self.attached and not self.lost:
                    self._lose(detail)
            if self._stopping:
                return
            if self.attached and not self.lost:
                self._lose("the connection closed")
            await asyncio.sleep(RETRY_S[min(attempt, len(RETRY_S) - 1)])
            attempt += 1

    def _lose(self, detail: str) -> None:
        self.lost = True
        self._status = replace(self._status, service_lost=True,
                               detail=f"show service lost: {detail}")
        self._note("error", f"show service lost ({self.url}): {detail}; reattaching by itself")

    async def _served_show(self, s: aiohttp.ClientSession) -> None:
        """The show the service runs, as it loaded it: what this screen shows."""
        async with s.get(self.url + "/api/v1/show", headers=self._headers()) as r:
            if r.status == 404 and self._given is not None:
                return  # an older service: the show file read here stands in
            if r.status != 200:
                raise ServiceNotFound(f"{self.url}: GET /api/v1/show answered {r.status}")
            show = show_from_json(await r.json())
        before, self.show = self.show, show
        self._mirror.tz = ZoneInfo(show.timezone)
        if before is not None and before is not self._given and show != before:
            self._news.append(f"the show service runs an edited show now: {show.title}")
        self._compare_file(force=True)

    def _compare_file(self, *, force: bool = False) -> None:
        """Compare the show file here with the show the service runs, again whenever the file
        changes (a stat per state message): a warning while they differ, a log line when that
        begins."""
        if self.show_file is None:
            return
        try:
            st = os.stat(self.show_file)
            key: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            key = None
        if key == self._file_stat and not force:
            return
        self._file_stat = key
        note = file_note(self.show_file, self.show)
        if note is not None and note != self._file_warning:
            self._news.append(note)
        self._file_warning = note

    async def _follow(self) -> None:
        async with aiohttp.ClientSession() as s:
            await self._served_show(s)
            await self._follow_events(s)

    async def _follow_events(self, s: aiohttp.ClientSession) -> None:
        async with s.ws_connect(
                self.url + "/api/v1/events", headers=self._headers(), heartbeat=5.0,
                max_msg_size=0) as ws:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                self._on_message(json.loads(msg.data))

    def _on_message(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "state":
            state = msg["state"]
            self._proj = projection_from_json(state)
            self._status = status_from_json(state)
            self._mirror.sync(self._proj.now, self._status.speed)
            if not self._first.is_set() or self.lost:
                self.attached += 1
                if self.lost:
                    self.lost = False
                    self._note("info", f"show service back ({self.url}): reattached")
                self._first.set()
        elif kind == "log":
            entries = [log_from_json(e) for e in msg["entries"]]
            with self._log_lock:
                self._log.extend(entries)
        elif kind == "hello" and self.lost:
            with self._log_lock:
                self._log.clear()  # the service sends its recent lines again
        self._since_hello = 0 if kind == "hello" else self._since_hello + 1
        if kind == "state":
            self._compare_file()
        if self._news and (kind == "log" or self._since_hello >= 2):  # hello, state, log
            news, self._news = self._news, []
            for line in news:
                self._note("info", line)
        self._changed()

    async def _poster(self) -> None:
        assert self._outbox is not None
        while True:
            body = await self._outbox.get()
            path = "/api/v1/actions"
            try:
                status, answer = await self._request(path, body)
            except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                self._note("error", f"{body['action']} not sent: the show service is "
                                    f"unreachable ({exc or type(exc).__name__})")
                continue
            if status == 409 and answer.get("moved_on") and isinstance(answer.get("state"), dict):
                self._note("error", _moved_on(body["action"], answer["state"]))
            elif status != 200:
                self._note("error", f"{body['action']} refused ({status}): "
                                    f"{answer.get('error', '')}")


def _moved_on(name: str, state: dict[str, Any]) -> str:
    """A 409 for an ``expect`` that no longer held, in one line: what is on air (next) now."""
    def title(key: str) -> str | None:
        part = state.get(key)
        return str(part.get("title") or part.get("segment_id")) if isinstance(part, dict) else None
    return moved_on_line(name, on_next=name in ACTS_ON_NEXT, on_air=title("on_air"),
                         next_=title("next"))


def file_note(path: str, served: Show) -> str | None:
    """One line when the show file here is not what the service runs (edited, or broken,
    since the service loaded it); None when it is the same."""
    try:
        on_disk = load_show(path)
    except Exception as exc:  # ShowError (PATH:LINE:COL lines), OSError
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        return ("the show file no longer loads: shown is the show the service runs, as it "
                f"loaded it; fix the file before the service next starts ({first})")
    if on_disk.model_copy(update={"source_path": ""}) == served.model_copy(
            update={"source_path": ""}):
        return None
    return ("the show file was edited since the service loaded it: shown is what the service "
            f"runs; a restart of the service runs the edit ({path})")

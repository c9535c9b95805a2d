"""Contract-test helpers: a small raw obs-websocket v5 client (not our gateway) and the ``target``
fixture that runs each contract test against the real headless OBS and against the simulator.

Test modules import the fixtures from here: ``from conftest_contract import obs_fixture,
target_fixture, target_pw_fixture`` (pytest finds them under their names obs, target, target_pw).
The real OBS is shared by the whole session: tests use unique names, remove what they create,
and leave no transition running (the OBS 29.0.2 bug: changing the transition while one runs
stops program-change events for good).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from studio.obs.simulator import Simulator

ALL_EVENTS = (1 << 11) - 1
PASSWORD = "s3cret-pw-7781"  # the password of conftest's obs_real_password
TIMEOUT = 5.0


def auth_string(password: str, salt: str, challenge: str) -> str:
    secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest()).decode()
    return base64.b64encode(hashlib.sha256((secret + challenge).encode()).digest()).decode()


class ObsError(AssertionError):
    def __init__(self, status: dict[str, Any]) -> None:
        super().__init__(f"request failed: {status}")
        self.code = status.get("code")
        self.status = status


class RawClient:
    """One obs-websocket connection; a reader thread routes replies by id and records events."""

    def __init__(self, url: str) -> None:
        ws = connect(url, subprotocols=[Subprotocol("obswebsocket.json")],
                     open_timeout=TIMEOUT, max_size=None)
        self.ws: ClientConnection = ws.__enter__()  # as a context manager, closed in close()
        self.hello: dict[str, Any] = json.loads(self.ws.recv(timeout=TIMEOUT))
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.replies: dict[str, dict[str, Any]] = {}
        self.identified: dict[str, Any] | None = None
        self.closed: ConnectionClosed | None = None
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._reader: threading.Thread | None = None

    # -------------------------------------------------------------- handshake
    def identify(self, password: str = "", subscriptions: int | None = ALL_EVENTS,
                 **extra: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"rpcVersion": 1, **extra}
        if subscriptions is not None:
            data["eventSubscriptions"] = subscriptions
        auth = self.hello["d"].get("authentication")
        if auth and "authentication" not in extra:
            data["authentication"] = auth_string(password, auth["salt"], auth["challenge"])
        self.ws.send(json.dumps({"op": 1, "d": data}))
        reply = json.loads(self.ws.recv(timeout=TIMEOUT))
        self.identified = reply
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return reply  # type: ignore[no-any-return]

    def expect_close(self, timeout: float = TIMEOUT) -> ConnectionClosed:
        """Read until the server closes the socket; returns the close exception."""
        if self._reader is not None:
            with self._cond:
                self._cond.wait_for(lambda: self.closed is not None, timeout)
            assert self.closed is not None, f"the server did not close within {timeout} s"
            return self.closed
        deadline = time.monotonic() + timeout
        try:
            while True:
                self.ws.recv(timeout=max(0.01, deadline - time.monotonic()))
        except ConnectionClosed as exc:
            return exc

    def _read(self) -> None:
        try:
            for raw in self.ws:
                msg = json.loads(raw)
                with self._cond:
                    if msg["op"] == 5:
                        self.events.append((time.monotonic(), msg["d"]))
                    elif msg["op"] in (2, 7, 9):
                        key = msg["d"].get("requestId", "identified") if msg["op"] != 2 else "op2"
                        self.replies[key] = msg
                    self._cond.notify_all()
        except ConnectionClosed as exc:
            with self._cond:
                self.closed = exc
                self._cond.notify_all()

    def _wait_reply(self, key: str, timeout: float) -> dict[str, Any]:
        with self._cond:
            ok = self._cond.wait_for(lambda: key in self.replies or self.closed is not None,
                                     timeout)
            if key in self.replies:
                return self.replies.pop(key)
        raise AssertionError(f"no reply to {key} within {timeout} s (closed: {self.closed}, {ok})")

    def wait_reply_op2(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The Identified (op 2) answer to a Reidentify."""
        return self._wait_reply("op2", timeout)

    # -------------------------------------------------------------- requests
    def send(self, op: int, d: dict[str, Any]) -> None:
        self.ws.send(json.dumps({"op": op, "d": d}))

    def raw(self, request_type: str, data: dict[str, Any] | None = None,
            timeout: float = TIMEOUT) -> dict[str, Any]:
        """The whole RequestResponse ``d`` (requestStatus, responseData...)."""
        rid = f"r{next(self._ids)}-{uuid.uuid4().hex[:6]}"
        d: dict[str, Any] = {"requestType": request_type, "requestId": rid}
        if data is not None:
            d["requestData"] = data
        self.send(6, d)
        reply = self._wait_reply(rid, timeout)
        assert reply["op"] == 7
        assert reply["d"]["requestId"] == rid
        assert reply["d"]["requestType"] == request_type
        return reply["d"]  # type: ignore[no-any-return]

    def call(self, request_type: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """responseData of a request that must succeed (``{}`` when it has none)."""
        d = self.raw(request_type, data)
        status = d["requestStatus"]
        if not status["result"] or status["code"] != 100:
            raise ObsError(status)
        return d.get("responseData") or {}

    def status(self, request_type: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.raw(request_type, data)["requestStatus"]  # type: ignore[no-any-return]

    def batch(self, requests: list[dict[str, Any]], **options: Any) -> list[dict[str, Any]]:
        rid = f"b{next(self._ids)}-{uuid.uuid4().hex[:6]}"
        self.send(8, {"requestId": rid, "requests": requests, **options})
        reply = self._wait_reply(rid, TIMEOUT)
        assert reply["op"] == 9
        return reply["d"]["results"]  # type: ignore[no-any-return]

    # -------------------------------------------------------------- events
    def mark(self) -> int:
        with self._cond:
            return len(self.events)

    def wait_event(self, event_type: str, match: Callable[[dict[str, Any]], bool] | None = None,
                   *, after: int = 0, timeout: float = TIMEOUT) -> tuple[float, dict[str, Any]]:
        """(arrival time, eventData) of the first such event from index ``after`` on."""
        def find() -> tuple[float, dict[str, Any]] | None:
            for at, ev in self.events[after:]:
                if ev["eventType"] == event_type and (match is None or match(ev.get("eventData")
                                                                              or {})):
                    return at, ev.get("eventData") or {}
            return None

        with self._cond:
            self._cond.wait_for(lambda: find() is not None, timeout)
            found = find()
        if found is None:
            seen = [e["eventType"] for _, e in self.events[after:]]
            raise AssertionError(f"no {event_type} event within {timeout} s; saw {seen}")
        return found

    def since(self, after: int, *types: str) -> list[dict[str, Any]]:
        with self._cond:
            return [e for _, e in self.events[after:] if not types or e["eventType"] in types]

    def close(self) -> None:
        self.ws.close()


@dataclass
class Target:
    """Where a contract test runs: the real headless OBS or the simulator."""

    kind: str
    url: str
    password: str = ""
    sim: Simulator | None = None  # the simulator itself, when that is the target
    clients: list[RawClient] = field(default_factory=list)
    created: list[tuple[str, str]] = field(default_factory=list)  # (kind, name) to remove

    def client(self, *, subscriptions: int | None = ALL_EVENTS) -> RawClient:
        c = RawClient(self.url)
        reply = c.identify(self.password, subscriptions)
        assert reply["op"] == 2, reply
        self.clients.append(c)
        return c

    def connect(self) -> RawClient:
        c = RawClient(self.url)
        self.clients.append(c)
        return c

    def name(self, base: str) -> str:
        return f"{base} {uuid.uuid4().hex[:8]}"

    def scene(self, obs: RawClient, base: str = "CT Scene") -> str:
        name = self.name(base)
        obs.call("CreateScene", {"sceneName": name})
        self.created.append(("scene", name))
        return name

    def input(self, obs: RawClient, scene: str, kind: str, base: str = "CT Input",
              settings: dict[str, Any] | None = None, enabled: bool = True) -> tuple[str, int]:
        name = self.name(base)
        data: dict[str, Any] = {"sceneName": scene, "inputName": name, "inputKind": kind,
                                "sceneItemEnabled": enabled}
        if settings is not None:
            data["inputSettings"] = settings
        reply = obs.call("CreateInput", data)
        self.created.append(("input", name))
        return name, int(reply["sceneItemId"])


def switch(obs: RawClient, scene: str) -> float:
    """Switch program and wait until the transition has ended; returns request->event seconds."""
    mark = obs.mark()
    t0 = time.monotonic()
    obs.call("SetCurrentProgramScene", {"sceneName": scene})
    at, _ = obs.wait_event("CurrentProgramSceneChanged", lambda d: d["sceneName"] == scene,
                           after=mark)
    obs.wait_event("SceneTransitionEnded", after=mark)
    return at - t0


def _use_transition(obs: RawClient, name: str, duration: int | None = None) -> None:
    """Set the transition (only between transitions: see the module docstring)."""
    current = obs.call("GetCurrentSceneTransition")
    if current["transitionName"] != name:
        obs.call("SetCurrentSceneTransition", {"transitionName": name})
    if duration is not None and current.get("transitionDuration") != duration:
        obs.call("SetCurrentSceneTransitionDuration", {"transitionDuration": duration})


def _reset(obs: RawClient, program: str) -> None:
    """A known state: studio mode off, ``program`` on air (by a Cut), then Fade 300 ms."""
    if obs.call("GetStudioModeEnabled")["studioModeEnabled"]:
        mark = obs.mark()
        obs.call("SetStudioModeEnabled", {"studioModeEnabled": False})
        obs.wait_event("StudioModeStateChanged", after=mark)
    if obs.call("GetCurrentProgramScene")["currentProgramSceneName"] != program:
        _use_transition(obs, "Cut")
        switch(obs, program)
    _use_transition(obs, "Fade", 300)


@pytest.fixture(name="target", params=["real", "simulator"])
def target_fixture(request: pytest.FixtureRequest) -> Iterator[Target]:
    """A contract target without a password: the session's real OBS, or a fresh simulator."""
    if request.param == "real":
        obs_real = request.getfixturevalue("obs_real")
        tgt = Target("real", obs_real.url)
        yield from _run(tgt)
    else:
        sim = Simulator()
        sim.start()
        try:
            yield from _run(Target("simulator", sim.url, sim=sim))
        finally:
            sim.stop()


@pytest.fixture(name="target_pw", params=["real", "simulator"])
def target_pw_fixture(request: pytest.FixtureRequest) -> Iterator[Target]:
    """A contract target that requires the password ``PASSWORD``."""
    if request.param == "real":
        obs = request.getfixturevalue("obs_real_password")
        assert obs.password == PASSWORD
        yield Target("real", obs.url, PASSWORD)
    else:
        sim = Simulator(password=PASSWORD)
        sim.start()
        try:
            yield Target("simulator", sim.url, PASSWORD, sim=sim)
        finally:
            sim.stop()


def _run(tgt: Target) -> Iterator[Target]:
    admin = tgt.client()
    _reset(admin, tgt.scene(admin, "CT Home"))
    try:
        yield tgt
    finally:
        for c in tgt.clients[1:]:
            c.close()
        # leave a scene that stays on air, then remove what the test created
        scenes = {s["sceneName"] for s in admin.call("GetSceneList")["scenes"]}
        _reset(admin, "Scene" if "Scene" in scenes else tgt.created[0][1])
        for kind, name in reversed(tgt.created):
            if kind == "input":
                admin.raw("RemoveInput", {"inputName": name})
        for kind, name in reversed(tgt.created):
            if kind == "scene":
                admin.raw("RemoveScene", {"sceneName": name})
        admin.close()


@pytest.fixture(name="obs")
def obs_fixture(target: Target) -> RawClient:
    """An identified client of the target, subscribed to all (non-high-volume) events."""
    return target.client()

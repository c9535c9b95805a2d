"""The gateway when things go wrong, on a real OBS: a wrong password (one clear error, a slow retry,
no storm), OBS killed and started again (reconnects by itself), OBS frozen (a timeout, then correct
replies, never crossed ones), and the password in no log line, repr or message."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studio.engine.state import SetText
from studio.obs.events import ConnectionChanged, SceneListChanged
from studio.obs.gateway import AuthenticationFailed, NotConnected, ObsGateway, RequestTimeout
from studio.show.model import Catalogue

pytestmark = pytest.mark.obs


def connection(state: str) -> Callable[[Any], bool]:
    return lambda e: isinstance(e, ConnectionChanged) and e.state == state


def test_wrong_password_one_clear_error_and_no_retry_storm(
    obs_real_password: Any, obs_settings: Callable[..., Any], counting_proxy: Any,
    recorder: Any,
) -> None:
    proxy = counting_proxy(obs_real_password.port)
    events = recorder
    gw = ObsGateway(obs_settings(proxy.port, "not-the-password"), on_event=events)
    gw.start()
    try:
        assert gw.wait_connected(5) is False
        failed = events.wait_for(connection("auth_failed"))
        assert isinstance(failed, ConnectionChanged)
        assert "refused the password" in failed.detail
        assert gw.connection_state == "auth_failed"
        # nothing more happens by itself: wait for any further event, expect none
        with pytest.raises(pytest.fail.Exception):
            events.wait_for(lambda e: True, timeout=2.0, after=events.mark())
        assert proxy.accepted == 1
        assert events.states() == ["connecting", "auth_failed"]
        with pytest.raises(AuthenticationFailed, match="refused the password"):
            gw.call("GetVersion")
        assert gw.apply([SetText("x", "y")])[0].comment == "not connected"
        # the operator asks again: exactly one more attempt, the same clear answer
        gw.reconnect_now()
        events.wait_for(connection("auth_failed"), after=2)
        assert proxy.accepted == 2
    finally:
        gw.stop()


def test_no_password_given_when_obs_wants_one(
    obs_real_password: Any, obs_settings: Callable[..., Any]
) -> None:
    gw = ObsGateway(obs_settings(obs_real_password.port, ""))
    gw.start()
    try:
        assert gw.wait_connected(5) is False
        assert gw.connection_state == "auth_failed"
        assert "requires a password" in gw.last_error
    finally:
        gw.stop()


def test_right_password_connects(obs_real_password: Any, obs_settings: Callable[..., Any]) -> None:
    gw = ObsGateway(obs_settings(obs_real_password.port, obs_real_password.password))
    gw.start()
    try:
        assert gw.wait_connected(5)
        assert gw.call("GetVersion")["rpcVersion"] == 1
    finally:
        gw.stop()


def test_obs_killed_and_started_again_reconnects_by_itself(
    obs_factory: Any, obs_settings: Callable[..., Any], recorder: Any
) -> None:
    obs = obs_factory()
    events = recorder
    gw = ObsGateway(obs_settings(obs.port), on_event=events)
    gw.start()
    try:
        events.wait_for(connection("connected"))
        obs.kill()
        lost = events.wait_for(connection("reconnecting"))
        assert isinstance(lost, ConnectionChanged) and lost.attempt == 1
        assert gw.apply([SetText("x", "y")])[0].comment == "not connected"
        with pytest.raises(NotConnected):
            gw.call("GetVersion")
        mark = events.mark()
        obs.restart()  # same port, a fresh OBS
        # (a fresh OBS on a busy machine may hold the handshake for seconds: one attempt can
        # then last up to 4 timeouts, two connections of connect + Hello + Identify)
        events.wait_for(connection("connected"), timeout=30, after=mark)
        assert gw.call("GetCurrentProgramScene")["currentProgramSceneName"] == "Scene"
        states = events.states()
        assert states[:3] == ["connecting", "connected", "reconnecting"]
        assert states[-1] == "connected"
        attempts = [e.attempt for e in events.events
                    if isinstance(e, ConnectionChanged) and e.state == "reconnecting"]
        assert attempts == list(range(1, len(attempts) + 1))  # counted, one event per attempt
    finally:
        gw.stop()
    assert events.states()[-1] == "closed"


def wait_until_stopped(pid: int) -> None:
    """SIGSTOP takes effect asynchronously: wait until every thread of OBS is stopped."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        states = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                states.append((task / "stat").read_text().rsplit(")", 1)[1].split()[0])
            except OSError:
                continue
        if states and all(state in ("T", "t") for state in states):
            return
        time.sleep(0.01)
    pytest.fail("OBS did not stop on SIGSTOP")


def test_obs_frozen_times_out_then_answers_correctly(
    obs_factory: Any, obs_settings: Callable[..., Any], recorder: Any
) -> None:
    obs = obs_factory()
    events = recorder
    gw = ObsGateway(obs_settings(obs.port, timeout=0.5), on_event=events)
    gw.start()
    pid = obs.pid
    try:
        events.wait_for(connection("connected"))
        mark = events.mark()
        gw.call("CreateScene", {"sceneName": "Frozen A"})
        events.wait_for(lambda e: isinstance(e, SceneListChanged), after=mark)  # ids re-read
        os.kill(pid, signal.SIGSTOP)
        wait_until_stopped(pid)
        with pytest.raises(RequestTimeout):
            gw.call("GetSceneList")
        events.wait_for(connection("reconnecting"))
        mark = events.mark()
        os.kill(pid, signal.SIGCONT)
        events.wait_for(connection("connected"), timeout=30, after=mark)
        # distinct requests with distinct answers: a late reply would show up in the wrong place
        for i in range(30):
            scene = f"Frozen {i}"
            gw.call("CreateScene", {"sceneName": scene})
            reply = gw.call("GetSceneItemList", {"sceneName": "Frozen A"})
            assert reply == {"sceneItems": []}
            version = gw.call("GetVersion")
            assert version["obsWebSocketVersion"].startswith("5.")
            names = {s["sceneName"] for s in gw.call("GetSceneList")["scenes"]}
            assert {"Frozen A", scene} <= names
    finally:
        os.kill(pid, signal.SIGCONT)
        gw.stop()


def test_password_appears_in_no_log_repr_or_message(
    obs_real_password: Any, obs_settings: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    secret = obs_real_password.password
    caplog.set_level(logging.DEBUG)  # every logger, every level
    for name in ("studio", "websockets", "obsws_python"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    seen: list[str] = []
    wrong = obs_settings(obs_real_password.port, secret + "-wrong")
    right = obs_settings(obs_real_password.port, secret)

    def record(event: Any) -> None:
        seen.append(repr(event))

    try:
        for settings in (wrong, right):
            gw = ObsGateway(settings, on_event=record)
            gw.start()
            gw.wait_connected(5)
            seen += [repr(gw), str(gw), repr(settings), str(settings), gw.last_error]
            if gw.connection_state == "connected":
                gw.apply([SetText("no such input", "x")])
                gw.read_state(_tiny_catalogue())
                try:
                    gw.call("GetSceneItemList", {"sceneName": "nope"})
                except Exception as exc:  # its message is what we look at
                    seen.append(str(exc))
            gw.stop()
    finally:
        for name in ("studio", "websockets", "obsws_python"):
            logging.getLogger(name).setLevel(logging.NOTSET)
        logging.getLogger("obsws_python").setLevel(logging.WARNING)
    assert caplog.records, "nothing was logged: the capture did not work"
    assert any("refused the password" in r.getMessage() for r in caplog.records)
    everything = "\n".join([caplog.text, *(r.getMessage() for r in caplog.records), *seen])
    assert secret not in everything


def _tiny_catalogue() -> Catalogue:
    return Catalogue.model_validate(
        {"scenes": ["Scene"], "graphics_scene": "G",
         "lower_third": {"source": "L", "name_input": "N", "role_input": "R"}}
    )

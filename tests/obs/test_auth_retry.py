"""A refused password never ends reconnecting (issue 9, item 3), on the real headless OBS: OBS
restarted with another password and then with the right one again is back by itself; a password
file fixed while studio runs is read again; the pace of the retries is slow and stated."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from studio.obs.connection import ObsConnectionSettings, Secret
from studio.obs.events import ConnectionChanged
from studio.obs.gateway import AUTH_RETRY_S, ObsGateway

pytestmark = pytest.mark.obs


def state(name: str) -> Any:
    return lambda e: isinstance(e, ConnectionChanged) and e.state == name


def from_file(port: int, path: Path) -> ObsConnectionSettings:
    """As ``studio run --obs-password-file PATH`` builds them."""
    return ObsConnectionSettings(port=port, password=Secret(path.read_text()), timeout=3.0,
                                 password_file=path)


def test_obs_back_with_another_password_then_the_right_one_reconnects_by_itself(
    obs_factory: Any, recorder: Any, tmp_path: Path
) -> None:
    obs = obs_factory(password="first-pw-1")
    pw = tmp_path / "obs.pw"
    pw.write_text("first-pw-1\n")
    gw = ObsGateway(from_file(obs.port, pw), on_event=recorder)
    gw.start()
    try:
        recorder.wait_for(state("connected"))
        obs.password = "another-pw-2"
        obs.restart()
        failed = recorder.wait_for(state("auth_failed"), timeout=20)
        assert isinstance(failed, ConnectionChanged)
        assert "refused the password" in failed.detail
        assert failed.retry_in == AUTH_RETRY_S
        refused_at, attempts = time.monotonic(), gw.connect_attempts
        obs.password = "first-pw-1"
        obs.restart()
        recorder.wait_for(state("connected"), after=recorder.events.index(failed),
                          timeout=AUTH_RETRY_S * 3 + 10)
        assert gw.call("GetVersion")["rpcVersion"] == 1
        # a slow pace, not a storm: about one attempt per AUTH_RETRY_S while refused
        elapsed = time.monotonic() - refused_at
        assert gw.connect_attempts - attempts <= elapsed / AUTH_RETRY_S + 3
    finally:
        gw.stop()


def test_a_password_file_fixed_while_refused_is_read_again(
    obs_factory: Any, recorder: Any, tmp_path: Path
) -> None:
    obs = obs_factory(password="the-right-one")
    pw = tmp_path / "obs.pw"
    pw.write_text("a-typo\n")
    gw = ObsGateway(from_file(obs.port, pw), on_event=recorder)
    gw.start()
    try:
        assert gw.wait_connected(10) is False
        mark = recorder.mark()
        pw.write_text("the-right-one\n")  # the technician fixes the file; studio keeps running
        recorder.wait_for(state("connected"), after=mark, timeout=AUTH_RETRY_S * 2 + 10)
        assert gw.call("GetVersion")["rpcVersion"] == 1
    finally:
        gw.stop()


def test_an_unreadable_password_file_is_retried_too(
    obs_factory: Any, recorder: Any, tmp_path: Path
) -> None:
    obs = obs_factory(password="pw-bytes")
    pw = tmp_path / "obs.pw"
    pw.write_bytes(b"\xff\xfe not text")
    settings = ObsConnectionSettings(port=obs.port, password=Secret(""), password_file=pw)
    gw = ObsGateway(settings, on_event=recorder)
    gw.start()
    try:
        failed = recorder.wait_for(state("auth_failed"))
        assert isinstance(failed, ConnectionChanged)
        assert f"{pw}: the OBS password file is not UTF-8 text" in failed.detail
        mark = recorder.mark()
        pw.write_text("pw-bytes")
        recorder.wait_for(state("connected"), after=mark, timeout=AUTH_RETRY_S * 2 + 10)
    finally:
        gw.stop()

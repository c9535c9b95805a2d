"""Red team: ``--obs 'ws://[::1]:PORT'`` never connected (``cannot reach OBS at ws://::1:PORT:
InvalidURI; retrying`` forever; ``studio check`` said ``InvalidURI``): the URL made from the
parsed address dropped the brackets an IPv6 literal needs. Every URL studio makes keeps them."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.obs.connection import ObsConnectionSettings, connection_settings, host_port
from studio.obs.gateway import ObsGateway
from studio.obs.simulator import Simulator
from studio.runner.lock import obs_endpoint
from studio.show.loader import load_catalogue
from tests.runner.conftest import CATALOGUE
from tests.runner.live import live_show


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


def test_an_ipv6_literal_keeps_its_brackets_in_every_url() -> None:
    settings = connection_settings("ws://[::1]:4800", prompt=False)
    assert settings is not None and settings.host == "::1"
    assert settings.url == "ws://[::1]:4800"
    assert ObsConnectionSettings(host="fe80::1%eth0", port=4455).url == "ws://[fe80::1%eth0]:4455"
    assert ObsConnectionSettings(host="obs.example", port=4455).url == "ws://obs.example:4455"
    assert host_port("192.0.2.7", 4455) == "192.0.2.7:4455"
    assert Simulator(host="::1", port=4801).url == "ws://[::1]:4801"
    # the lock's text of a remote IPv6 OBS: its address in brackets, then the port
    assert obs_endpoint("ws://[2001:db8::7]:4455") == "[2001:db8::7]:4455"
    assert obs_endpoint("ws://[::1]:4455") == "local:4455"


@pytest.fixture
def sim6() -> Iterator[Simulator]:
    if not _has_ipv6_loopback():
        raise AssertionError("this machine has no IPv6 loopback (::1): the test needs it")
    sim = Simulator(host="::1", port=0, frame_ms=5.0)
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


def test_the_gateway_connects_to_obs_on_ipv6_loopback(sim6: Simulator) -> None:
    settings = connection_settings(f"ws://[::1]:{sim6.port}", prompt=False)
    assert settings is not None
    gw = ObsGateway(settings, on_event=queue.Queue().put)
    gw.start()
    try:
        assert gw.wait_connected(10.0), f"no connection to {settings.url}"
        assert gw.call("GetVersion")["obsWebSocketVersion"]
    finally:
        gw.stop()


def test_studio_check_reaches_obs_on_ipv6_loopback(sim6: Simulator, tmp_path: Path) -> None:
    sim6.load_catalogue(load_catalogue(CATALOGUE))
    show, _ = live_show(tmp_path, [("Studio Wide", 60, "")], lead=600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    out = subprocess.run([sys.executable, "-m", "studio", "check", str(show), "--obs",
                          f"ws://[::1]:{sim6.port}"], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "InvalidURI" not in out.stdout + out.stderr
    assert f"{show}: OBS pre-flight passed" in out.stderr, out.stderr

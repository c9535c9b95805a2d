"""Interoperability: scripts written with obsws-python (the OBS client studio's users most
likely have) drive ``studio simulator`` through the requests such scripts use, typed events
included, so a user's own obsws-python tooling can be rehearsed against studio's simulator.

Written the way obsws-python should be used (see README, "What studio stands on"): host, port,
password and timeout always given (else it reads a ``config.toml``), its logger kept at WARNING
(it logs the password at INFO), one client per thread.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import obsws_python as obs
import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "obsws-python-interop-7731"


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[int]:
    """``studio simulator`` as a user starts it: the campus catalogue, a password from a file."""
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "simulator", "--port", "0", "--password-file",
         str(secret), "--catalogue", "scenes/campus-studio.yaml"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("ws://127.0.0.1:"), url
        yield int(url.rsplit(":", 1)[1])
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)


@pytest.fixture(autouse=True)
def quiet_obsws_logger() -> Iterator[None]:
    logger = logging.getLogger("obsws_python")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


def clients(port: int) -> tuple[Any, Any]:
    kw = {"host": "127.0.0.1", "port": port, "password": PASSWORD, "timeout": 5}
    return obs.ReqClient(**kw), obs.EventClient(**kw)


def test_an_obsws_python_script_drives_the_simulator(simulator: int) -> None:
    req, events = clients(simulator)
    seen: queue.Queue[tuple[str, Any]] = queue.Queue()

    def on_current_program_scene_changed(data: Any) -> None:
        seen.put(("program", data.scene_name))

    def on_scene_item_enable_state_changed(data: Any) -> None:
        seen.put(("item", (data.scene_name, data.scene_item_id, data.scene_item_enabled)))

    def on_record_state_changed(data: Any) -> None:
        seen.put(("record", data.output_state))

    events.callback.register([on_current_program_scene_changed,
                              on_scene_item_enable_state_changed, on_record_state_changed])

    def wait(kind: str, value: Any = None) -> Any:
        while True:
            got_kind, got = seen.get(timeout=5)
            if got_kind == kind and (value is None or got == value):
                return got

    try:
        version = req.get_version()
        assert version.obs_web_socket_version == "5.1.0" and version.rpc_version == 1
        assert "SetCurrentProgramScene" in version.available_requests

        scenes = {s["sceneName"] for s in req.get_scene_list().scenes}
        assert {"Holding Slate", "Studio Wide", "Panel", "Graphics"} <= scenes

        req.set_current_scene_transition("Cut")
        assert req.get_current_scene_transition().transition_name == "Cut"
        req.set_current_program_scene("Panel")
        assert wait("program", "Panel") == "Panel"
        assert req.get_current_program_scene().current_program_scene_name == "Panel"

        item = req.get_scene_item_id("Graphics", "LIVE Bug").scene_item_id
        req.set_scene_item_enabled("Graphics", item, True)
        assert wait("item", ("Graphics", item, True))
        assert req.get_scene_item_enabled("Graphics", item).scene_item_enabled is True
        req.set_scene_item_enabled("Graphics", item, False)
        assert wait("item", ("Graphics", item, False))

        req.set_input_settings("LT Name", {"text": "Krister Ruth"}, True)
        assert req.get_input_settings("LT Name").input_settings["text"] == "Krister Ruth"

        req.start_record()
        assert wait("record", "OBS_WEBSOCKET_OUTPUT_STARTED")
        assert req.get_record_status().output_active is True
        req.stop_record()
        assert wait("record", "OBS_WEBSOCKET_OUTPUT_STOPPED")
        assert req.get_stream_status().output_active is False

        with pytest.raises(obs.error.OBSSDKRequestError) as refused:
            req.set_current_program_scene("No Such Scene")
        assert refused.value.code == 600
        assert req.get_current_program_scene().current_program_scene_name == "Panel"
    finally:
        events.disconnect()
        req.disconnect()


def test_a_wrong_password_is_refused(simulator: int) -> None:
    with pytest.raises(obs.error.OBSSDKError):
        obs.ReqClient(host="127.0.0.1", port=simulator, password="wrong", timeout=5)

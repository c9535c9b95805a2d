"""The operator's screen attached to a show service over the control API (RemoteController),
in one process: the real controller and ControlServer in front, the real StudioApp on top."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from studio.engine.actions import Take
from studio.obs.simulator import Simulator
from studio.service.client import RemoteController, Where
from studio.service.server import ControlServer
from studio.service.token import ControlToken
from studio.tui.app import StudioApp
from studio.tui.screens.detach import DetachScreen
from tests.service.conftest import TOKEN, Api
from tests.tui.conftest import until
from tests.tui.screen_text import screen_text

pytestmark = pytest.mark.asyncio


def remote(api: Api, tmp_path: Path) -> RemoteController:
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    rc = RemoteController(api.h.show, Where(api.url, None, token))
    rc.start()
    return rc


async def test_keys_on_an_attached_screen_drive_the_show(sim: Simulator, make_api,
                                                         tmp_path: Path) -> None:
    api = make_api(sim.port)
    rc = remote(api, tmp_path)
    try:
        app = StudioApp(rc)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(lambda: "NEXT" in screen_text(app), "the screen")
            await pilot.press("space")  # TAKE: slate goes on air early
            await until(lambda: api.h.ctl.projection().on_air is not None, "the take")
            await until(lambda: "ON AIR" in screen_text(app)
                        and "take -> ON AIR" in screen_text(app), "the take on the screen")
            api.h.settle()
        takes = [a for a in api.journal_actions() if a["action"] == "take"]
        assert [a["who"] for a in takes] == ["operator"]
    finally:
        rc.close()
    assert [type(a) for a in api.h.ctl.actions] == [Take]


async def test_quit_asks_detach_and_the_show_goes_on(sim: Simulator, make_api,
                                                     tmp_path: Path) -> None:
    api = make_api(sim.port)
    rc = remote(api, tmp_path)
    try:
        app = StudioApp(rc)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("q")
            await until(lambda: isinstance(app.screen, DetachScreen), "the quit question")
            assert "stop the show" in screen_text(app)
            await pilot.press("escape")  # cancel: still attached
            await until(lambda: not isinstance(app.screen, DetachScreen), "the question gone")
            await pilot.press("q")
            await until(lambda: isinstance(app.screen, DetachScreen), "the quit question")
            await pilot.press("d")
        assert app.quit_choice == "detach"
    finally:
        rc.close()
    assert api.h.ctl._thread.is_alive() and api.journal_actions() == []


async def test_quit_can_stop_the_show(sim: Simulator, make_harness, tmp_path: Path) -> None:
    from tests.runner.conftest import at

    h = make_harness(sim.port, at(8, 59, 30))
    stopped = threading.Event()
    server = ControlServer(h.ctl, "127.0.0.1", 0, ControlToken(TOKEN), on_stop=stopped.set)
    server.start()
    rc = remote(Api(h, server), tmp_path)
    try:
        app = StudioApp(rc)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("q")
            await until(lambda: isinstance(app.screen, DetachScreen), "the quit question")
            await pilot.press("s")
            await until(stopped.is_set, "the service asked to stop")
        assert app.quit_choice == "stop"
    finally:
        rc.close()
        server.stop()


async def test_a_lost_service_is_said_and_the_screen_reattaches(sim: Simulator, make_api,
                                                                tmp_path: Path) -> None:
    api = make_api(sim.port)
    port = api.server.port
    rc = remote(api, tmp_path)
    again = None
    try:
        app = StudioApp(rc)
        async with app.run_test(size=(120, 36)):
            await until(lambda: "NEXT" in screen_text(app), "the screen")
            api.server.stop()  # the service goes away (a crash looks the same to a client)
            await until(lambda: "SHOW SERVICE LOST" in screen_text(app), "the loss said")
            # the screen cannot see OBS now: it claims neither connected nor reconnecting
            await until(lambda: "? OBS unknown (show service lost)" in screen_text(app),
                        "OBS unknown in the header")
            assert "● OBS" not in screen_text(app) and "reconnecting" not in screen_text(app)
            api.h.submit(Take)  # meanwhile the show moved on
            again = ControlServer(api.h.ctl, "127.0.0.1", port, ControlToken(TOKEN))
            again.start()
            await until(lambda: "SHOW SERVICE LOST" not in screen_text(app), "the screen back")
            assert any("reattached" in e.text for e in rc.recent_log())
            assert rc.projection().on_air is not None
            assert rc.projection().on_air.segment_id == "slate"
    finally:
        rc.close()
        if again is not None:
            again.stop()

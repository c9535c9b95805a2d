"""Key ``m`` on a screen attached to the show service: the message goes over the API (no
``expect``: a message is for the speaker, whatever segment is on air) and comes back."""

from __future__ import annotations

import pytest

from studio.obs.simulator import Simulator
from studio.tui.app import StudioApp
from tests.service.test_attach import remote
from tests.tui.conftest import until
from tests.tui.screen_text import screen_text

pytestmark = pytest.mark.asyncio
SIZE = (100, 30)


async def test_m_on_an_attached_screen_reaches_the_service(sim: Simulator, make_api,
                                                           tmp_path) -> None:
    api = make_api(sim.port)
    rc = remote(api, tmp_path)
    try:
        app = StudioApp(rc)
        async with app.run_test(size=SIZE) as pilot:
            await until(lambda: "NEXT" in screen_text(app), "the screen")
            await pilot.press("m", *"Mic check", "enter")
            await until(lambda: api.h.ctl.projection().message == "Mic check", "the message")
            await until(lambda: rc.projection().message == "Mic check", "the message back")
    finally:
        rc.close()
    assert [(a["action"], a.get("text"), a.get("expect")) for a in api.journal_actions()] == [
        ("message", "Mic check", None)]

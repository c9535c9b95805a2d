"""Key ``m``: the operator types a message for the speaker; it reaches the projection the
presenter view shows, Esc changes nothing, an empty line clears it."""

from __future__ import annotations

from studio.obs.simulator import Simulator
from studio.tui.app import StudioApp
from studio.tui.screens.message import MessageScreen
from tests.tui.conftest import MakeStudio, at
from tests.tui.screen_text import screen_text

SIZE = (100, 30)


async def test_m_sends_and_clears_the_speakers_message(sim: Simulator,
                                                       make_studio: MakeStudio) -> None:
    studio = make_studio(sim.port, at(9, 1))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE) as pilot:
        program = sim.snapshot()["program"]
        await pilot.press("m")
        assert isinstance(app.screen, MessageScreen)
        assert "No message is shown now" in screen_text(app)
        await pilot.press(*"Wrap up", "enter")
        studio.settle()
        assert studio.ctl.projection().message == "Wrap up"
        assert sim.snapshot()["program"] == program  # nothing changes on air

        await pilot.press("m")
        assert "Shown now: Wrap up" in screen_text(app)
        await pilot.press("escape")
        studio.settle()
        assert studio.ctl.projection().message == "Wrap up"

        await pilot.press("m", *["backspace"] * 7, "enter")  # an empty line: clear it
        studio.settle()
        assert studio.ctl.projection().message == ""
    assert [type(a).__name__ for a in studio.ctl.actions] == ["Message", "ClearMessage"]


"""Log lines that must say what happened: a FIRE with nothing queued says so instead of "sent"."""

from __future__ import annotations

from studio.obs.simulator import Simulator
from studio.tui.app import StudioApp
from tests.tui.conftest import MakeStudio, at, graphics_item

SIZE = (100, 30)


async def test_fire_with_nothing_queued_says_so(sim: Simulator, make_studio: MakeStudio) -> None:
    studio = make_studio(sim.port, at(9, 1))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")  # the queued lower third goes up
        studio.settle()
        assert graphics_item(sim.snapshot(), "Lower Third")
        await pilot.press("c")
        studio.settle()
        before = len(studio.ctl.recent_log(1000))
        await pilot.press("l")  # nothing queued any more
        studio.settle()
        assert studio.ctl.wait_for(
            lambda: any(e.kind == "action" for e in studio.ctl.recent_log(1000)[before:]), 5)
        [line] = [e.text for e in studio.ctl.recent_log(1000)[before:] if e.kind == "action"]
        assert "no lower third queued" in line, line
        assert "sent +" not in line and "sent -" not in line and "nothing sent" in line, line
        assert not graphics_item(sim.snapshot(), "Lower Third")

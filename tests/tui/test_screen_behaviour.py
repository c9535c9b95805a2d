"""What the operator sees without pressing keys: the rundown keeps the current segment in view
on a long day at 80x24, and a dead OBS shows as reconnecting while the screen stays live."""

from __future__ import annotations

import time
from datetime import timedelta

from studio.obs.simulator import Simulator
from studio.tui.app import StudioApp
from studio.tui.widgets.header import HeaderBar
from studio.tui.widgets.rundown import RundownTable
from tests.tui.conftest import ROOT, MakeStudio, at, until
from tests.tui.screen_text import screen_text

DAY = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"


async def test_rundown_keeps_the_current_segment_in_view(
    sim: Simulator, make_studio: MakeStudio
) -> None:
    studio = make_studio(sim.port, at(13, 35), path=DAY)
    app = StudioApp(studio.ctl)
    async with app.run_test(size=(80, 24)) as pilot:
        on_air = studio.ctl.projection().on_air
        assert on_air is not None
        table = app.query_one(RundownTable)
        index = table.get_row_index(on_air.segment_id)
        assert index > 8  # far below the first screenful

        def visible() -> bool:
            top = round(table.scroll_offset.y)
            rows = table.scrollable_content_region.height - 1  # minus the header row
            return top <= index < top + rows

        await until(visible, "the on-air row scrolled into view")
        assert on_air.title[:20] in screen_text(app)
        await pilot.resize_terminal(160, 48)
        await until(visible, "still in view after a resize")


async def test_dead_obs_shows_reconnecting_and_the_screen_stays_live(
    sim: Simulator, make_studio: MakeStudio
) -> None:
    studio = make_studio(sim.port, at(9, 1))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=(80, 24)) as pilot:
        sim.stop()  # OBS gone
        header = app.query_one(HeaderBar)
        await until(lambda: "reconnecting (attempt" in str(header.render()), "reconnecting")
        await pilot.press("space")  # TAKE while OBS is down: the engine takes it
        assert studio.ctl.wait_for(lambda: len(studio.ctl.actions) == 1, 5)
        on_air = studio.ctl.projection().on_air
        assert on_air is not None and on_air.segment_id == "talk"
        started = time.perf_counter()
        app.action_fire()  # what the l key runs: returns at once, nothing waits for OBS
        assert time.perf_counter() - started < 0.1
        studio.clock.advance(timedelta(seconds=7))
        await until(lambda: "09:01:07" in str(header.render()), "the clock still ticks")


async def test_wrong_password_shows_authentication_failed(make_studio: MakeStudio) -> None:
    sim = Simulator(frame_ms=5.0, password="right-one")
    sim.start()
    try:
        studio = make_studio(sim.port, at(9, 1), password="wrong-one", connect=False)
        app = StudioApp(studio.ctl)
        async with app.run_test(size=(80, 24)):
            header = app.query_one(HeaderBar)
            await until(lambda: "authentication failed" in str(header.render()), "auth failed")
            assert "wrong-one" not in screen_text(app)
    finally:
        sim.stop()


async def test_a_tick_rewrites_only_changed_rundown_cells(
    sim: Simulator, make_studio: MakeStudio
) -> None:
    """The rundown is never rebuilt on a tick: a quiet second writes no cell, a TAKE writes
    only the cells whose text changed."""
    studio = make_studio(sim.port, at(13, 5), path=DAY)
    app = StudioApp(studio.ctl, redraw_hz=0.5)
    async with app.run_test(size=(160, 48)) as pilot:
        table = app.query_one(RundownTable)
        cells = table.row_count * len(table.columns)
        before = table.updates
        for _ in range(5):
            studio.clock.advance(timedelta(seconds=1))
            app.redraw()
        assert table.updates == before
        await pilot.press("space")
        studio.settle()
        await until(lambda: table.updates > before, "the TAKE reached the rundown")
        assert 0 < table.updates - before < cells // 2

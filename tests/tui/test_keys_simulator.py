"""Every key of the operator's screen, driven with Pilot against the real controller and the
built-in simulator; each test asserts what reached the (simulated) OBS and what the screen says."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from studio.obs.simulator import Simulator
from studio.tui.app import StudioApp
from studio.tui.screens.confirm import ConfirmScreen
from studio.tui.screens.help import HelpScreen
from studio.tui.screens.overlay_picker import OverlayPicker
from studio.tui.widgets.rundown import RundownTable
from tests.tui.conftest import MIDDLE_YAML, SHOW_YAML, MakeStudio, at, graphics_item, until
from tests.tui.screen_text import screen_text

SIZE = (100, 30)


async def test_take_skip_back_hold(sim: Simulator, make_studio: MakeStudio) -> None:
    studio = make_studio(sim.port, at(9, 1))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE) as pilot:
        assert sim.snapshot()["program"] == "Studio Wide"
        assert "Opening" in screen_text(app)

        await pilot.press("space")  # TAKE: the talk goes on air now, 9 minutes early
        studio.settle()
        assert sim.snapshot()["program"] == "Presentation"
        await until(lambda: "ON AIR" in screen_text(app) and app._projection is not None
                    and app._projection.on_air is not None
                    and app._projection.on_air.segment_id == "talk", "talk on air on screen")
        table = app.query_one(RundownTable)
        assert str(table.get_cell("talk", "status")) == "ON AIR"

        await pilot.press("s")  # SKIP the panel: nothing changes on air
        studio.settle()
        assert sim.snapshot()["program"] == "Presentation"
        await until(lambda: str(table.get_cell("panel", "status")) == "skipped", "panel skipped")
        nxt = studio.ctl.projection().next
        assert nxt is not None and nxt.segment_id == "qa"

        await pilot.press("space")  # TAKE the manual Q&A
        studio.settle()
        assert sim.snapshot()["program"] == "Studio Close"

        await pilot.press("b")  # BACK asks first; n keeps things as they are
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        studio.settle()
        assert sim.snapshot()["program"] == "Studio Close"
        await pilot.press("b", "y")
        studio.settle()
        assert sim.snapshot()["program"] == "Presentation"

        await pilot.press("h")  # HOLD: automatic advance waits; OBS keeps what it has
        studio.settle()
        on_air = studio.ctl.projection().on_air
        assert on_air is not None and on_air.held
        await until(lambda: "HELD" in screen_text(app), "HELD on screen")
        await pilot.press("h")  # the same key RELEASEs
        studio.settle()
        on_air = studio.ctl.projection().on_air
        assert on_air is not None and not on_air.held
        assert sim.snapshot()["program"] == "Presentation"


async def test_fire_clear_and_overlay_picker(sim: Simulator, make_studio: MakeStudio) -> None:
    studio = make_studio(sim.port, at(9, 1))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE) as pilot:
        assert not graphics_item(sim.snapshot(), "Lower Third")
        await pilot.press("l")  # FIRE the queued lower third now
        studio.settle()
        snap = sim.snapshot()
        assert graphics_item(snap, "Lower Third")
        assert snap["inputs"]["LT Name"]["settings"]["text"] == "Anna Berg"
        await until(lambda: "Anna Berg" in screen_text(app), "lower third on screen")

        await pilot.press("c")  # CLEAR
        studio.settle()
        assert not graphics_item(sim.snapshot(), "Lower Third")

        assert not graphics_item(sim.snapshot(), "Clock")
        await pilot.press("o")  # the picker lists the catalogue's overlays: live-bug, clock, ...
        assert isinstance(app.screen, OverlayPicker)
        await pilot.press("down", "enter")
        studio.settle()
        assert graphics_item(sim.snapshot(), "Clock")
        assert graphics_item(sim.snapshot(), "LIVE Bug")  # the others stay as they were
        await pilot.press("o", "down", "enter")
        studio.settle()
        assert not graphics_item(sim.snapshot(), "Clock")

        await pilot.press("o", "escape")  # Esc cancels: nothing sent
        studio.settle()
        assert not isinstance(app.screen, OverlayPicker)
        assert graphics_item(sim.snapshot(), "LIVE Bug")


async def test_nudge_moves_the_soft_schedule(sim: Simulator, make_studio: MakeStudio) -> None:
    studio = make_studio(sim.port, at(9, 1))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(RundownTable)
        assert str(table.get_cell("talk", "proj")) == "09:10"
        await pilot.press("plus")
        studio.settle()
        nxt = studio.ctl.projection().next
        assert nxt is not None and nxt.start == at(9, 10, 30)
        await until(lambda: str(table.get_cell("talk", "proj")) == "09:10:30", "talk at 09:10:30")
        assert str(table.get_cell("talk", "delay")) == "+0:30"
        await pilot.press("minus", "minus")
        studio.settle()
        nxt = studio.ctl.projection().next
        assert nxt is not None and nxt.start == at(9, 9, 30)
        await until(lambda: str(table.get_cell("talk", "proj")) == "09:09:30", "talk at 09:09:30")
        assert sim.snapshot()["program"] == "Studio Wide"  # a nudge changes no scene


async def test_manual_override_reassert_and_reconnect(
    sim: Simulator, make_studio: MakeStudio
) -> None:
    studio = make_studio(sim.port, at(9, 1))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE) as pilot:
        sim.switch_program_by_hand("Break")  # someone clicks in OBS
        assert studio.ctl.wait_for(lambda: studio.ctl.status().override is not None, 5)
        await until(lambda: "RE-ASSERT" in screen_text(app), "override banner")
        assert sim.snapshot()["program"] == "Break"  # studio does not fight the hand switch

        await pilot.press("a")
        studio.settle()
        assert sim.snapshot()["program"] == "Studio Wide"
        await until(lambda: "RE-ASSERT" not in screen_text(app), "banner gone")

        before = len(studio.ctl.recent_log(1000))
        await pilot.press("r")  # reconnect now: the link drops and comes back
        assert studio.ctl.wait_for(
            lambda: any(e.kind == "connection" for e in studio.ctl.recent_log(1000)[before:])
            and studio.ctl.status().connection == "connected", 5)
        await until(lambda: "● OBS" in screen_text(app), "connected in the header")


async def test_preview_next_in_studio_mode(sim: Simulator, make_studio: MakeStudio) -> None:
    studio = make_studio(sim.port, at(9, 1))
    studio.ctl.gateway.call(  # type: ignore[attr-defined]
        "SetStudioModeEnabled", {"studioModeEnabled": True}
    )
    assert studio.ctl.wait_for(lambda: studio.ctl.status().studio_mode is True, 5)
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        studio.settle()
        snap = sim.snapshot()
        assert snap["preview"] == "Presentation"  # the talk's scene waits in preview
        assert snap["program"] == "Studio Wide"  # program untouched


async def test_help_and_quit_confirmation(sim: Simulator, make_studio: MakeStudio) -> None:
    studio = make_studio(sim.port, at(9, 1))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "NUDGE the soft schedule 30 s" in screen_text(app)
        await pilot.press("space", "l")  # keys of the show do nothing behind a dialog
        studio.settle()
        assert sim.snapshot()["program"] == "Studio Wide"
        assert not graphics_item(sim.snapshot(), "Lower Third")
        assert studio.ctl.actions == ()
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

        await pilot.press("q")  # on air: asks first
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.is_running
        await pilot.press("ctrl+q")  # Textual's quit key asks too
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert app.is_running
        await pilot.press("q", "y")
    assert app.return_code == 0
    assert sim.snapshot()["program"] == "Studio Wide"  # quitting leaves OBS as it is


STOP_YAML = SHOW_YAML.replace(MIDDLE_YAML, "")


async def test_take_that_stops_the_stream_asks_first(
    sim: Simulator, make_studio: MakeStudio
) -> None:
    studio = make_studio(sim.port, at(9, 1), text=STOP_YAML)
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert isinstance(app.screen, ConfirmScreen)
        assert "stops the stream" in screen_text(app)
        await pilot.press("escape")
        studio.settle()
        assert sim.snapshot()["program"] == "Studio Wide"
        await pilot.press("space", "y")
        studio.settle()
        assert sim.snapshot()["program"] == "End Card"


async def test_screen_follows_the_clock_and_cues(sim: Simulator, make_studio: MakeStudio) -> None:
    """A cue fired by the scheduler (no key) shows on screen; the countdown follows the clock."""
    studio = make_studio(sim.port, at(9, 9, 50))
    app = StudioApp(studio.ctl)
    async with app.run_test(size=SIZE):
        await until(lambda: "09:09:50" in screen_text(app), "wall clock")
        studio.clock.set(at(9, 10))
        sched = studio.ctl.scheduler
        assert sched.due == at(9, 10)  # type: ignore[attr-defined]
        sched.fire()  # type: ignore[attr-defined]
        studio.settle()
        assert sim.snapshot()["program"] == "Presentation"
        title = app.query_one("#on-air-title", Static)
        await until(lambda: "The talk" in str(title.render()), "the talk on air")
        studio.clock.advance(timedelta(seconds=5))
        await until(lambda: "09:10:05" in screen_text(app), "clock moved")

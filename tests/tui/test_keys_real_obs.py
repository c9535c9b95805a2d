"""The operator's keys against the real headless OBS (scripts/obs-headless via ``obs_real``):
provision the studio catalogue, run the real controller, press keys with Pilot, read OBS back
through a second, independent client."""

from __future__ import annotations

import queue
from collections.abc import Iterator

import pytest

from studio.obs.connection import ObsConnectionSettings
from studio.obs.events import ObsEvent, ProgramSceneChanged
from studio.obs.gateway import ObsGateway
from studio.obs.provision import provision
from studio.show.loader import load_catalogue
from studio.tui.app import StudioApp
from studio.tui.screens.confirm import ConfirmScreen
from tests.conftest import HeadlessObs
from tests.tui.conftest import CATALOGUE, WAIT, MakeStudio, at, until
from tests.tui.screen_text import screen_text


@pytest.fixture
def reader(obs_real: HeadlessObs) -> Iterator[ObsGateway]:
    """A second client on the real OBS (provisions it, reads state back)."""
    gw = ObsGateway(ObsConnectionSettings(port=obs_real.port, timeout=3.0))
    gw.start()
    assert gw.wait_connected(WAIT)
    report = provision(gw, load_catalogue(CATALOGUE))
    assert not report.problems, report.problems
    if gw.call("GetStudioModeEnabled").get("studioModeEnabled"):
        gw.call("SetStudioModeEnabled", {"studioModeEnabled": False})
    yield gw
    gw.stop()


def switched_by_hand(port: int, scene: str) -> None:
    """A hand in OBS puts ``scene`` on air; back once OBS says its transition is over (a
    controller that connects mid-transition sees the switch land after its own)."""
    events: queue.Queue[ObsEvent] = queue.Queue()
    gw = ObsGateway(ObsConnectionSettings(port=port, timeout=3.0), on_event=events.put)
    gw.start()
    try:
        assert gw.wait_connected(WAIT)
        if gw.call("GetCurrentProgramScene").get("currentProgramSceneName") == scene:
            return
        gw.call("SetCurrentProgramScene", {"sceneName": scene})
        while True:
            ev = events.get(timeout=WAIT)
            if isinstance(ev, ProgramSceneChanged) and ev.scene == scene:
                return
    finally:
        gw.stop()


async def test_keys_on_the_real_obs(
    obs_real: HeadlessObs, reader: ObsGateway, make_studio: MakeStudio
) -> None:
    catalogue = load_catalogue(CATALOGUE)
    switched_by_hand(obs_real.port, "End Card")  # whatever was on before
    studio = make_studio(obs_real.port, at(9, 1))
    assert reader.read_state(catalogue).program_scene == "Studio Wide"  # caught up at start
    app = StudioApp(studio.ctl)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: "● OBS" in screen_text(app), "connected in the header")

        await pilot.press("l")  # FIRE the opening's lower third
        studio.settle()
        state = reader.read_state(catalogue)
        assert state.lower_third_visible is True and state.lower_third_name == "Anna Berg"
        await pilot.press("c")  # CLEAR
        studio.settle()
        assert reader.read_state(catalogue).lower_third_visible is False

        await pilot.press("space")  # TAKE
        studio.settle()
        assert reader.read_state(catalogue).program_scene == "Presentation"

        await pilot.press("s", "space")  # SKIP the panel, TAKE the manual Q&A
        studio.settle()
        assert reader.read_state(catalogue).program_scene == "Studio Close"

        await pilot.press("b")  # BACK asks first
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        studio.settle()
        assert reader.read_state(catalogue).program_scene == "Presentation"

        await pilot.press("o", "down", "enter")  # overlay picker: clock
        studio.settle()
        state = reader.read_state(catalogue)
        assert state.overlay_map()["Clock"] is True

        reader.call("SetCurrentProgramScene", {"sceneName": "Break"})  # a hand in OBS
        assert studio.ctl.wait_for(lambda: studio.ctl.status().override is not None, WAIT)
        await until(lambda: "RE-ASSERT" in screen_text(app), "override banner")
        await pilot.press("a")
        studio.settle()
        assert reader.read_state(catalogue).program_scene == "Presentation"

        await pilot.press("q", "y")
    assert app.return_code == 0

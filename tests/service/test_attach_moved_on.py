"""Two screens on one show: a confirmed action carries what its operator saw. A dialog whose
segment changes under it closes, nothing done; an action whose segment is gone by its turn is
refused with one line (the red team's BACK that undid another operator's TAKE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.engine.actions import Back, Skip, Take
from studio.obs.simulator import Simulator
from studio.service.client import RemoteController, Where
from studio.tui.app import StudioApp
from studio.tui.screens.confirm import ConfirmScreen
from tests.runner.conftest import SHOW_YAML, at
from tests.service.conftest import TOKEN, Api
from tests.tui.conftest import until
from tests.tui.screen_text import screen_text

pytestmark = pytest.mark.asyncio


def remote(api: Api, tmp_path: Path, client: str = "operator") -> RemoteController:
    token = tmp_path / "token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    rc = RemoteController(api.h.show, Where(api.url, None, token), client=client)
    rc.start()
    return rc


def on_air(rc: RemoteController) -> str | None:
    proj = rc.projection()
    return proj.on_air.segment_id if proj.on_air is not None else None


def names(api: Api) -> list[str]:
    return [a["action"] for a in api.journal_actions()]


async def test_back_asked_on_one_segment_is_not_done_on_another(sim: Simulator, make_api,
                                                                tmp_path: Path) -> None:
    api = make_api(sim.port, start=at(8, 59, 59))
    api.h.fire()  # 09:00: slate on air, welcome next
    mine, other = remote(api, tmp_path), remote(api, tmp_path, "op2")
    try:
        app = StudioApp(mine)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(lambda: "ON AIR" in screen_text(app), "the screen")
            await pilot.press("b")
            await until(lambda: isinstance(app.screen, ConfirmScreen), "the BACK question")
            assert isinstance(app.screen, ConfirmScreen)
            assert "'slate' is on air now" in app.screen.question
            other.submit(Take(at=api.h.clock.now()))  # operator 2 takes
            await until(lambda: on_air(mine) == "welcome", "the take seen by this screen")
            await until(lambda: not isinstance(app.screen, ConfirmScreen), "the question closed")
            line = "back: the show has moved on: 'Welcome' is on air now; nothing done"
            await until(lambda: any(line in n.message for n in app._notifications),
                        "why it closed, said on the screen")
            await pilot.press("y")
            api.h.settle()
        assert names(api) == ["take"]
        assert api.h.ctl.projection().on_air.segment_id == "welcome"
    finally:
        mine.close()
        other.close()


async def test_a_back_sent_after_the_show_moved_on_is_refused_in_one_line(
        sim: Simulator, make_api, tmp_path: Path) -> None:
    api = make_api(sim.port, start=at(8, 59, 59))
    api.h.fire()
    mine = remote(api, tmp_path)
    try:
        api.h.submit(Take)  # another client took welcome; this screen confirmed BACK on slate
        mine.submit(Back(at=api.h.clock.now()), "slate")
        line = "back: the show has moved on: 'Welcome' is on air now; nothing done"
        assert api.h.ctl.wait_for(lambda: any(e.text == line for e in mine.recent_log()), 5)
        api.h.settle()
    finally:
        mine.close()
    assert names(api) == ["take"]
    assert api.h.ctl.projection().on_air.segment_id == "welcome"


async def test_two_operators_taking_at_once_take_one_segment(sim: Simulator, make_api,
                                                             tmp_path: Path) -> None:
    api = make_api(sim.port, start=at(8, 59, 59))
    api.h.fire()
    one, two = remote(api, tmp_path, "op1"), remote(api, tmp_path, "op2")
    try:  # both screens showed welcome next when their operators pressed space
        one.submit(Take(at=api.h.clock.now()), "welcome")
        two.submit(Take(at=api.h.clock.now()), "welcome")
        line = ("take: the show has moved on: 'Welcome' is on air now, next is 'The talk'; "
                "nothing done")
        assert api.h.ctl.wait_for(
            lambda: any(e.text == line for rc in (one, two) for e in rc.recent_log()), 5)
        api.h.settle()
    finally:
        one.close()
        two.close()
    assert names(api) == ["take"]
    assert api.h.ctl.projection().on_air.segment_id == "welcome"


STOPS_YAML = SHOW_YAML.replace("    title: Welcome\n", "    title: Welcome\n    stream: stop\n")


async def test_the_take_that_stops_the_stream_closes_when_next_changes(
        sim: Simulator, make_api, make_harness, tmp_path: Path) -> None:
    from studio.service.server import ControlServer
    from studio.service.token import ControlToken

    h = make_harness(sim.port, at(8, 59, 59), text=STOPS_YAML)
    server = ControlServer(h.ctl, "127.0.0.1", 0, ControlToken(TOKEN))
    server.start()
    api = Api(h, server)
    h.fire()  # slate on air; next: welcome, which stops the stream
    mine, other = remote(api, tmp_path), remote(api, tmp_path, "op2")
    try:
        app = StudioApp(mine)
        async with app.run_test(size=(120, 36)) as pilot:
            await until(lambda: "ON AIR" in screen_text(app), "the screen")
            await pilot.press("space")
            await until(lambda: isinstance(app.screen, ConfirmScreen), "the TAKE question")
            assert isinstance(app.screen, ConfirmScreen)
            assert "stops the stream" in app.screen.question
            other.submit(Skip(at=h.clock.now()))  # operator 2 skips it
            await until(lambda: mine.projection().next is not None
                        and mine.projection().next.segment_id == "talk", "the skip seen")
            await until(lambda: not isinstance(app.screen, ConfirmScreen), "the question closed")
            await pilot.press("y")
            h.settle()
        assert names(api) == ["skip"]
        assert h.ctl.projection().on_air.segment_id == "slate"
    finally:
        mine.close()
        other.close()
        server.stop()


async def test_a_screen_reattached_to_a_restarted_service_shows_the_show_it_runs(
        sim: Simulator, make_harness, tmp_path: Path) -> None:
    from studio.service.server import ControlServer
    from studio.service.token import ControlToken

    h = make_harness(sim.port, at(8, 59, 30))
    server = ControlServer(h.ctl, "127.0.0.1", 0, ControlToken(TOKEN))
    server.start()
    port = server.port
    rc = remote(Api(h, server), tmp_path)
    again = None
    try:
        app = StudioApp(rc)
        async with app.run_test(size=(120, 36)):
            await until(lambda: "Runner test" in screen_text(app), "the service's title")
            server.stop()
            h.ctl.stop()  # the service restarts with the edited show file
            h2 = make_harness(sim.port, at(8, 59, 40),
                              text=SHOW_YAML.replace("show: Runner test", "show: Edited"),
                              journal=False)
            again = ControlServer(h2.ctl, "127.0.0.1", port, ControlToken(TOKEN))
            again.start()
            await until(lambda: "Edited" in screen_text(app).splitlines()[0], "the new title")
            assert any("runs an edited show now: Edited" in e.text for e in rc.recent_log())
    finally:
        rc.close()
        if again is not None:
            again.stop()

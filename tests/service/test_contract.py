"""The control API's contract, as a client sees it: every status code, the Origin check, the
journalled ``who``, many clients at once and many viewers on the events WebSocket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from studio.obs.simulator import Simulator
from studio.service.server import ControlServer
from studio.service.token import ControlToken
from tests.service.conftest import TOKEN, Api, auth

pytestmark = pytest.mark.asyncio


async def post(api: Api, body: Any, *, headers: dict[str, str] | None = None,
               raw: bytes | None = None) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as s:
        data = raw if raw is not None else json.dumps(body).encode()
        async with s.post(f"{api.url}/api/v1/actions", data=data,
                          headers=auth() if headers is None else headers) as r:
            return r.status, await r.json()


async def get_state(api: Api, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as s, \
            s.get(f"{api.url}/api/v1/state", headers=headers or {}) as r:
        return r.status, await r.json()


async def test_state_is_the_projection_as_json(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    status, state = await get_state(api)  # loopback: reading needs no token
    assert status == 200
    assert state["api"] == 1 and state["show"]["title"] == "Runner test"
    nxt = state["projection"]["next"]
    assert nxt["segment_id"] == "slate" and nxt["starts_at"].startswith("2021-01-19T09:00:00")
    assert nxt["seconds_to_go"] == 30.0
    assert [r["segment_id"] for r in state["projection"]["rundown"]] == [
        "slate", "welcome", "talk", "panel"]
    assert state["status"]["connection"] == "connected"


async def test_take_with_client_is_journalled_with_its_name(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    status, body = await post(api, {"action": "take", "expect": "slate", "client": "streamdeck"})
    assert status == 200, body
    assert body["state"]["on_air"]["segment_id"] == "slate"
    api.h.settle()
    assert [(a["action"], a["who"]) for a in api.journal_actions()] == [("take", "streamdeck")]
    takes = [r for r in api.h.asrun() if r["cue"] == "take"]
    assert takes and takes[0]["who"] == "streamdeck"
    assert any("(streamdeck)" in e.text for e in api.h.ctl.recent_log())


async def test_a_second_take_expecting_the_same_segment_is_refused_409(
        sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    first = await post(api, {"action": "take", "expect": "slate"})
    second = await post(api, {"action": "take", "expect": "slate"})
    assert first[0] == 200
    assert second[0] == 409
    assert second[1]["error"] == ("take expected 'slate' but the next segment is 'welcome': "
                                  "the show has moved on")
    api.h.settle()
    assert [a["action"] for a in api.journal_actions()] == ["take"]  # one segment taken


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "jump"}, "'action'"),
    ({}, "'action'"),
    ({"action": "nudge"}, "'seconds'"),
    ({"action": "nudge", "seconds": "30"}, "'seconds'"),
    ({"action": "nudge", "seconds": True}, "'seconds'"),
    ({"action": "take", "seconds": 5}, "'seconds'"),
    ({"action": "overlay", "overlay": "no-such"}, "'overlay'"),
    ({"action": "take", "expect": "no-such-segment"}, "'expect'"),
    ({"action": "take", "client": "two words"}, "'client'"),
    ({"action": "take", "client": "auto"}, "'client'"),
    ({"action": "take", "colour": "red"}, "'colour'"),
    (["take"], "JSON object"),
])
async def test_a_bad_body_is_400_naming_the_field(sim: Simulator, make_api, body: Any,
                                                  field: str) -> None:
    api = make_api(sim.port)
    status, answer = await post(api, body)
    assert status == 400
    assert field in answer["error"] and "\n" not in answer["error"]
    assert api.journal_actions() == []


async def test_not_json_is_400(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    status, answer = await post(api, None, raw=b"{take")
    assert status == 400 and answer["error"].startswith("the body is not JSON")


async def test_no_or_wrong_token_is_401(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    assert (await post(api, {"action": "take"}, headers={}))[0] == 401
    assert (await post(api, {"action": "take"}, headers=auth("wrong")))[0] == 401
    assert (await post(api, {"action": "take"}, headers={"Authorization": TOKEN}))[0] == 401
    api.h.settle()
    assert api.journal_actions() == []
    assert api.h.ctl.projection().on_air is None


async def test_a_foreign_origin_is_refused_403_everywhere(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    evil = {"Origin": "http://evil.example", **auth()}
    assert (await post(api, {"action": "take"}, headers=evil))[0] == 403
    assert (await get_state(api, {"Origin": "http://evil.example"}))[0] == 403
    async with aiohttp.ClientSession() as s:
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await s.ws_connect(f"{api.url}/api/v1/events", headers={"Origin": "null"})
        assert info.value.status == 403
    own = {"Origin": api.url, **auth()}
    assert (await post(api, {"action": "hold"}, headers=own))[0] == 200
    api.h.settle()
    assert [a["action"] for a in api.journal_actions()] == ["hold"]


async def test_a_body_over_the_limit_is_413(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    big = json.dumps({"action": "take", "client": "x", "pad": " " * 10000}).encode()
    status, answer = await post(api, None, raw=big)
    assert status == 413 and "4096" in answer["error"]


async def test_off_loopback_reading_needs_the_token_too(sim: Simulator, make_harness) -> None:
    from tests.runner.conftest import at

    h = make_harness(sim.port, at(8, 59, 30))
    with pytest.raises(ValueError, match="needs a token"):
        ControlServer(h.ctl, "0.0.0.0", 0, ControlToken(TOKEN), explicit_token=False)
    server = ControlServer(h.ctl, "0.0.0.0", 0, ControlToken(TOKEN))
    server.start()
    try:
        api = Api(h, server)
        assert (await get_state(api))[0] == 401
        assert (await get_state(api, auth()))[0] == 200
        async with aiohttp.ClientSession() as s:
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await s.ws_connect(f"{api.url}/api/v1/events")
    finally:
        server.stop()


async def test_the_token_is_in_no_repr_log_or_file(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    assert (await post(api, {"action": "take", "client": "deck"}))[0] == 200
    await post(api, {"action": "take"}, headers=auth("wrong-" + TOKEN))
    api.h.settle()
    assert TOKEN not in repr(api.server) + repr(api.server._token) + str(api.server._token)
    assert TOKEN not in api.h.journal_path.read_text() + api.h.asrun_path.read_text()
    assert all(TOKEN not in e.text for e in api.h.ctl.recent_log(1000))


async def test_five_clients_at_once_each_action_applied_once_in_order(
        sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    n = 12

    async def client(i: int) -> list[int]:
        codes = []
        async with aiohttp.ClientSession() as s:
            for k in range(1, n + 1):
                # 3990 s in all: the show's nudges together stay within their 4 h
                body = {"action": "nudge", "seconds": i * 20 + k, "client": f"deck{i}"}
                async with s.post(f"{api.url}/api/v1/actions", json=body, headers=auth()) as r:
                    codes.append(r.status)
        return codes

    results = await asyncio.gather(*(client(i) for i in range(1, 6)))
    assert all(code == 200 for codes in results for code in codes)
    api.h.settle()
    journalled = api.journal_actions()
    assert len(journalled) == 5 * n
    for i in range(1, 6):
        mine = [a["seconds"] for a in journalled if a["who"] == f"deck{i}"]
        assert mine == [i * 20 + k for k in range(1, n + 1)]  # once each, in its order
    assert [a.seconds for a in api.h.ctl.actions] == [a["seconds"] for a in journalled]


async def test_fifty_viewers_see_the_take_and_its_log_line(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    async with aiohttp.ClientSession() as s:
        viewers = [await s.ws_connect(f"{api.url}/api/v1/events") for _ in range(50)]
        for ws in viewers:  # each starts with hello and the state as it is
            assert (await ws.receive_json(timeout=5))["type"] == "hello"
            first = await ws.receive_json(timeout=5)
            assert first["type"] == "state"
            assert first["state"]["projection"]["on_air"] is None
        assert (await post(api, {"action": "take", "client": "deck"}))[0] == 200

        async def until_on_air(ws: aiohttp.ClientWebSocketResponse) -> tuple[str, bool]:
            logged = False
            while True:
                msg = await ws.receive_json(timeout=5)
                if msg["type"] == "log":
                    logged = logged or any("(deck)" in e["text"] for e in msg["entries"])
                elif msg["type"] == "state" and msg["state"]["projection"]["on_air"] and logged:
                    return msg["state"]["projection"]["on_air"]["segment_id"], logged

        seen = await asyncio.gather(*(until_on_air(ws) for ws in viewers))
        assert seen == [("slate", True)] * 50
        for ws in viewers:
            await ws.close()
    assert api.server.dropped_viewers == 0

"""The views as the service serves them (HTTP, no browser): HTML pages with everything inlined,
reading without a token on loopback, the read-only view token off loopback that never grants
control, and the operator's message as an API action."""

from __future__ import annotations

import json
import re
import socket
from typing import Any

import aiohttp
import pytest

from studio.obs.simulator import Simulator
from studio.service.server import ControlServer
from studio.service.token import ControlToken
from studio.service.views import view_token, write_links
from tests.runner.conftest import at
from tests.service.conftest import TOKEN, Api, auth

pytestmark = pytest.mark.asyncio


async def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as s, s.get(url, headers=headers or {}) as r:
        return r.status, r.content_type, await r.text()


async def post(api: Api, body: Any, url: str | None = None) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as s, s.post(
            url or f"{api.url}/api/v1/actions", data=json.dumps(body).encode(),
            headers=auth()) as r:
        return r.status, await r.json()


@pytest.mark.parametrize("view", ["presenter", "rundown"])
async def test_views_are_self_contained_html(sim: Simulator, make_api, view: str) -> None:
    api = make_api(sim.port)
    status, ctype, html = await get(f"{api.url}/{view}")  # loopback: no token
    assert status == 200 and ctype == "text/html"
    assert "/*SCRIPT*/" not in html and "/*STYLE*/" not in html  # inlined
    assert "/api/v1/events" in html
    # nothing is fetched from anywhere: no external src/href, no URL but the events socket
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", html)
    assert not re.search(r"https?://", html)
    # and nothing on it changes the show: it never posts an action
    assert "/api/v1/actions" not in html and "fetch(" not in html
    assert "XMLHttpRequest" not in html and ".send(" not in html


@pytest.fixture
def off_loopback(sim: Simulator, make_harness):
    h = make_harness(sim.port, at(8, 59, 30))
    server = ControlServer(h.ctl, "0.0.0.0", 0, ControlToken(TOKEN))
    server.start()
    yield Api(h, server)
    server.stop()


async def test_off_loopback_the_views_need_the_view_token(off_loopback: Api) -> None:
    api = off_loopback
    vt = view_token(ControlToken(TOKEN))
    assert vt != TOKEN and TOKEN not in vt
    assert (await get(f"{api.url}/presenter"))[0] == 401
    assert (await get(f"{api.url}/rundown?token=wrong"))[0] == 401
    assert (await get(f"{api.url}/rundown?token={TOKEN}"))[0] == 401  # the control token is
    assert (await get(f"{api.url}/presenter?token={vt}"))[0] == 200   # no view link
    status, _, body = await get(f"{api.url}/api/v1/state?token={vt}")
    assert status == 200 and json.loads(body)["show"]["title"] == "Runner test"
    # the browser's page on another machine: Origin is the host it asked for
    host = f"127.0.0.1:{api.server.port}"
    async with aiohttp.ClientSession() as s, s.ws_connect(
            f"{api.url}/api/v1/events?token={vt}", headers={"Origin": f"http://{host}"}) as ws:
        hello = await ws.receive_json(timeout=5)
        state = await ws.receive_json(timeout=5)
    assert hello["type"] == "hello" and state["type"] == "state"
    # a foreign page is still refused, token or not
    status, _, _ = await get(f"{api.url}/api/v1/state?token={vt}",
                             headers={"Origin": "http://evil.example"})
    assert status == 403


async def test_the_view_token_never_grants_control(off_loopback: Api) -> None:
    api = off_loopback
    vt = view_token(ControlToken(TOKEN))
    async with aiohttp.ClientSession() as s:
        for headers, url in (({"Authorization": f"Bearer {vt}"}, "/api/v1/actions"),
                             ({}, f"/api/v1/actions?token={vt}"),
                             ({}, f"/api/v1/stop?token={vt}")):
            async with s.post(api.url + url, data=b'{"action": "take"}', headers=headers) as r:
                assert r.status == 401, url
    api.h.settle()
    assert api.journal_actions() == []


async def test_the_links_file_carries_the_view_token_only_off_loopback(tmp_path) -> None:
    base = tmp_path / "show.rehearsal"
    path = write_links("http://10.0.0.5:8460", ControlToken(TOKEN), base, loopback=False)
    vt = view_token(ControlToken(TOKEN))
    assert path.read_text().split() == [f"http://10.0.0.5:8460/presenter?token={vt}",
                                        f"http://10.0.0.5:8460/rundown?token={vt}"]
    assert path.stat().st_mode & 0o777 == 0o600
    path = write_links("http://0.0.0.0:8460", ControlToken(TOKEN), base, loopback=False)
    assert path.read_text().startswith(f"http://{socket.gethostname()}:8460/presenter?token=")
    path = write_links("http://127.0.0.1:8460", ControlToken(TOKEN), base, loopback=True)
    assert "token" not in path.read_text()


async def test_message_and_clear_message_are_actions(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    status, body = await post(api, {"action": "message", "text": "  Wrap   up\nnow ",
                                    "client": "deck"})
    assert status == 200, body
    api.h.settle()
    assert api.h.ctl.projection().message == "Wrap up now"
    assert (await post(api, {"action": "clear_message", "client": "deck"}))[0] == 200
    api.h.settle()
    assert api.h.ctl.projection().message == ""
    assert [(a["action"], a["who"], a.get("text")) for a in api.journal_actions()] == [
        ("message", "deck", "Wrap up now"), ("clearmessage", "deck", None)]
    assert any("message 'Wrap up now'" in e.text and "(deck)" in e.text
               for e in api.h.ctl.recent_log())


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "message"}, "'text'"),
    ({"action": "message", "text": "   "}, "'text'"),
    ({"action": "message", "text": 5}, "'text'"),
    ({"action": "message", "text": "x" * 201}, "'text'"),
    ({"action": "take", "text": "hi"}, "'text'"),
])
async def test_bad_messages_are_400_naming_the_field(sim: Simulator, make_api, body: Any,
                                                     field: str) -> None:
    api = make_api(sim.port)
    status, answer = await post(api, body)
    assert status == 400 and field in answer["error"]

"""The simulator driven by a client nobody here wrote: simpleobsws (PyPI), which speaks the
msgpack encoding of obs-websocket v5, with a password: identify, a request, a batch, an event."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import simpleobsws

from studio.obs.simulator import Simulator

PASSWORD = "correct horse battery staple"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(password=PASSWORD) as s:
        yield s


async def _client(sim: Simulator, password: str) -> Any:
    client = simpleobsws.WebSocketClient(url=sim.url, password=password)
    await client.connect()
    return client


async def test_identify_request_batch_and_event(sim: Simulator) -> None:
    client = await _client(sim, PASSWORD)
    try:
        assert await client.wait_until_identified(timeout=5)
        assert client.ws.subprotocol == "obswebsocket.msgpack"

        version = await client.call(simpleobsws.Request("GetVersion"))
        assert version.ok()
        assert version.responseData["obsWebSocketVersion"] == "5.1.0"

        changed: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        async def on_program(data: dict[str, Any]) -> None:
            await changed.put(data)

        client.register_event_callback(on_program, "CurrentProgramSceneChanged")
        results = await client.call_batch(
            [
                simpleobsws.Request("CreateScene", {"sceneName": "Panel"}),
                simpleobsws.Request("SetCurrentSceneTransition", {"transitionName": "Cut"}),
                simpleobsws.Request("SetCurrentProgramScene", {"sceneName": "Panel"}),
                simpleobsws.Request("GetCurrentProgramScene"),
            ],
            halt_on_failure=True,
        )
        assert [r.ok() for r in results] == [True, True, True, True]
        assert results[3].responseData == {"currentProgramSceneName": "Panel"}
        event = await asyncio.wait_for(changed.get(), timeout=5)
        assert event == {"sceneName": "Panel"}
        assert sim.snapshot()["program"] == "Panel"

        refused = await client.call(simpleobsws.Request("SetCurrentPreviewScene",
                                                        {"sceneName": "Panel"}))
        assert not refused.ok()
        assert refused.requestStatus.code == 506
    finally:
        await client.disconnect()


async def test_wrong_password_is_refused(sim: Simulator) -> None:
    client = await _client(sim, "wrong")
    try:
        assert not await client.wait_until_identified(timeout=1)
        assert client.ws.close_code == 4009
    finally:
        await client.disconnect()

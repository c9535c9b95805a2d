"""Why a cue of two or more requests goes as one RequestBatch: real OBS (obs-websocket 5.x) runs
the separate requests of one connection on a thread pool, so requests pipelined on a socket
(all sent, then all replies read) may be applied out of order; a batch is applied in order.

What is asserted is what studio relies on: a batch is applied in order, every time, and the
gateway sends a cue's commands as one batch. Whether pipelined requests happen to be reordered
in a given run depends on the machine's load (seen in some runs, not in others): it is shown by
``pipelined`` for whoever wants to look, never asserted, so the suite cannot fail by chance."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from studio.obs.client import ObsWsClient

pytestmark = pytest.mark.obs

SCENE, INPUT = "ORD Scene", "ORD Text"


@pytest.fixture
def client(obs_real: Any) -> Iterator[ObsWsClient]:
    c = ObsWsClient("127.0.0.1", obs_real.port, "", 5.0, on_event=lambda k, d: None,
                    on_close=lambda: None, subscriptions=0, reader=False)
    c.request("CreateScene", {"sceneName": SCENE})
    c.request("CreateInput", {"sceneName": SCENE, "inputName": INPUT,
                              "inputKind": "text_ft2_source_v2", "inputSettings": {"text": ""}})
    yield c
    with contextlib.suppress(Exception):
        c.request("RemoveInput", {"inputName": INPUT})
        c.request("RemoveScene", {"sceneName": SCENE})
    c.close()


def texts(trial: int, n: int = 40) -> list[dict[str, Any]]:
    return [{"requestType": "SetInputSettings",
             "requestData": {"inputName": INPUT, "inputSettings": {"text": f"{trial}:{j}"}}}
            for j in range(n)]


def final_text(c: ObsWsClient) -> str:
    return str(c.request("GetInputSettings", {"inputName": INPUT})["inputSettings"]["text"])


def pipelined(c: ObsWsClient, requests: list[dict[str, Any]]) -> list[int]:
    """Send every request (op 6) at once, then read the replies: the order they came back in."""
    ws = c._ws
    ids = [f"pipe{i}" for i in range(len(requests))]
    for rid, r in zip(ids, requests, strict=True):
        ws.send(json.dumps({"op": 6, "d": {**r, "requestId": rid}}))
    order: list[int] = []
    while len(order) < len(ids):
        reply = json.loads(ws.recv(timeout=5))["d"]
        if reply.get("requestId") in ids:
            order.append(ids.index(reply["requestId"]))
    return order


def test_a_batch_is_applied_in_order_every_time(client: ObsWsClient) -> None:
    for trial in range(30):
        results = client.batch(texts(trial))
        assert [r["requestStatus"]["result"] for r in results] == [True] * 40
        assert final_text(client) == f"{trial}:39", f"batch {trial} was applied out of order"


def test_the_gateway_sends_a_cue_of_several_commands_as_one_batch(
    client: ObsWsClient, obs_real: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from studio.engine.state import SetText
    from studio.obs.connection import ObsConnectionSettings
    from studio.obs.gateway import ObsGateway

    sent: list[str] = []
    real_batch, real_request = ObsWsClient.batch, ObsWsClient.request

    def batch(self: ObsWsClient, requests: list[dict[str, Any]], *a: Any, **k: Any) -> Any:
        sent.append(f"batch of {len(requests)}")
        return real_batch(self, requests, *a, **k)

    def request(self: ObsWsClient, name: str, *a: Any, **k: Any) -> Any:
        sent.append(name)
        return real_request(self, name, *a, **k)

    monkeypatch.setattr(ObsWsClient, "batch", batch)
    monkeypatch.setattr(ObsWsClient, "request", request)
    gw = ObsGateway(ObsConnectionSettings(host="127.0.0.1", port=obs_real.port),
                    on_event=lambda ev: None)
    gw.start()
    try:
        assert gw.wait_connected(10)
        sent.clear()
        results = gw.apply([SetText(INPUT, f"cue {i}") for i in range(12)])
        assert [r.ok for r in results] == [True] * 12
        assert sent == ["batch of 12"]
        assert final_text(client) == "cue 11"
    finally:
        gw.stop()

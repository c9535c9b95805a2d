"""Why a cue of two or more requests goes as one RequestBatch: real OBS (obs-websocket 5.x) runs
the separate requests of one connection on a thread pool, so requests pipelined on a socket
(all sent, then all replies read) may be applied out of order; a batch is applied in order."""

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


def test_pipelined_requests_are_not_applied_in_order_but_a_batch_is(
    client: ObsWsClient,
) -> None:
    for trial in range(10):
        assert all(r["requestStatus"]["result"] for r in client.batch(texts(trial)))
        assert final_text(client) == f"{trial}:39"
    reordered = 0
    for trial in range(30):
        order = pipelined(client, texts(trial))
        if order != sorted(order) or final_text(client) != f"{trial}:39":
            reordered += 1
            break
    assert reordered, "OBS applied 30 x 40 pipelined requests in order: pipelining may be safe"

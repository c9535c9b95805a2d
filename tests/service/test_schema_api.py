"""``studio schema --kind api``: the shipped schema is current, and what the API really sends
(state, events, answers) and accepts (actions) fits it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from studio.cli import main
from studio.obs.simulator import Simulator
from tests.service.conftest import auth
from tests.unit.test_schema import validate

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "schemas" / "api.schema.json"


def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


def test_the_shipped_api_schema_is_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    assert main(["schema", "--kind", "api"]) == 0
    assert capsys.readouterr().out == SHIPPED.read_text(encoding="utf-8")
    assert main(["schema", "--kind", "api", "--output", str(tmp_path)]) == 0
    assert (tmp_path / "api.schema.json").read_text() == SHIPPED.read_text(encoding="utf-8")


def check(value: Any, name: str) -> None:
    root = schema()
    problems = validate(value, root["$defs"][name], root)
    assert problems == [], problems


async def test_what_the_api_sends_fits_the_schema(sim: Simulator, make_api) -> None:
    api = make_api(sim.port)
    async with aiohttp.ClientSession() as s:
        ws = await s.ws_connect(f"{api.url}/api/v1/events")
        for _ in range(3):  # hello, state, the recent log
            check(await ws.receive_json(timeout=5), "event")
        body = {"action": "nudge", "seconds": 30, "client": "deck", "expect": "slate"}
        check(body, "action")
        async with s.post(f"{api.url}/api/v1/actions", json={"action": "take"},
                          headers=auth()) as r:
            check(await r.json(), "answer")
        async with s.post(f"{api.url}/api/v1/actions", json=body, headers=auth()) as r:
            assert r.status == 200
            check(await r.json(), "answer")
        async with s.get(f"{api.url}/api/v1/state") as r:
            state = await r.json()
        check(state, "state")
        assert state["projection"]["on_air"]["segment_id"] == "slate"
        await ws.close()


def test_the_schema_refuses_what_the_api_refuses() -> None:
    root = schema()
    assert validate({"action": "take", "colour": "red"}, root["$defs"]["action"], root)
    assert validate({"action": "jump"}, root["$defs"]["action"], root)

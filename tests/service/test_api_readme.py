"""The README's control API table says what the API takes: a row for each `/api/v1` request the
service answers, its `POST /api/v1/actions` row names every action and every field the service
accepts, no more, and the shipped JSON Schema takes
every body the service takes (a client validating against it before sending must not find a
`message` with its `text` invalid)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from studio.obs.simulator import Simulator
from studio.service.actions import ACTIONS, FIELDS, MAX_MESSAGE, BadRequest, parse_request
from studio.show.loader import load_show
from tests.unit.test_schema import validate

ROOT = Path(__file__).resolve().parents[2]
SHOW = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"


def actions_row() -> str:
    rows = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `POST /api/v1/actions` |")]
    assert len(rows) == 1, "the README's API table has one POST /api/v1/actions row"
    return rows[0]


def shipped_action_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    root = json.loads((ROOT / "schemas" / "api.schema.json").read_text(encoding="utf-8"))
    return root["$defs"]["action"], root


def test_the_readme_names_every_action_and_field_the_api_takes() -> None:
    row = actions_row()
    body = row.split("`{", 1)[1].split("}`", 1)[0]  # {"action": "take"\|"hold"..., "seconds": N}
    names = re.findall(r'"(\w+)"', body.split(",", 1)[0].split(":", 1)[1])
    fields = re.findall(r'"(\w+)":', body)
    assert names == list(ACTIONS)
    assert sorted(fields) == sorted(FIELDS)
    schema, _ = shipped_action_schema()
    assert schema["properties"]["action"]["enum"] == list(ACTIONS)
    assert sorted(schema["properties"]) == sorted(FIELDS)
    # what the row says of the message's text is the service's own limit
    assert f"`text` (1-{MAX_MESSAGE} characters)" in row


@pytest.mark.parametrize("body", [
    {"action": "message", "text": "Two minutes, please wrap up", "client": "producer"},
    {"action": "message", "text": "x" * MAX_MESSAGE},
    {"action": "clear_message"},
    {"action": "nudge", "seconds": 30, "client": "producer"},
    {"action": "overlay", "overlay": "live-bug"},
    {"action": "take", "expect": "welcome", "client": "streamdeck"},
])
def test_the_shipped_schema_takes_what_the_service_takes(body: dict[str, Any]) -> None:
    parse_request(body, load_show(SHOW))  # the service takes it
    schema, root = shipped_action_schema()
    assert validate(body, schema, root) == []


def test_a_message_too_long_for_the_service_is_too_long_for_the_schema() -> None:
    body = {"action": "message", "text": "x" * (MAX_MESSAGE + 1)}
    with pytest.raises(BadRequest, match="field 'text'"):
        parse_request(body, load_show(SHOW))
    schema, _ = shipped_action_schema()
    assert schema["properties"]["text"]["maxLength"] == MAX_MESSAGE


async def test_the_readme_has_a_row_for_every_api_request(sim: Simulator, make_api: Any) -> None:
    api = make_api(sim.port)
    runner = api.server._runner
    assert runner is not None
    served = {f"{route.method} {route.resource.canonical}" for route in runner.app.router.routes()
              if route.resource is not None and route.method != "HEAD"
              and route.resource.canonical.startswith("/api/")}
    table = set(re.findall(r"^\| `((?:GET|POST) /api/\S+)` \|",
                           (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE))
    assert table == served

"""Control API test harness: the runner's controller on a ManualClock against the simulator
(tests/runner/conftest.py), with the real ControlServer on a free loopback port in front."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from studio.service.server import ControlServer
from studio.service.token import ControlToken
from tests.runner.conftest import Harness, at, make_harness, sim  # noqa: F401 - fixtures

TOKEN = "s3cret-token-for-tests-only"


@dataclass
class Api:
    h: Harness
    server: ControlServer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def journal_actions(self) -> list[dict[str, Any]]:
        lines = self.h.journal_path.read_text(encoding="utf-8").splitlines()
        return [r for r in map(json.loads, lines) if r.get("type") == "action"]


@pytest.fixture
def make_api(make_harness: Callable[..., Harness]) -> Iterator[Callable[..., Api]]:  # noqa: F811
    made: list[ControlServer] = []

    def make(port: int, *, host: str = "127.0.0.1", start: Any = None) -> Api:
        h = make_harness(port, start or at(8, 59, 30))
        server = ControlServer(h.ctl, host, 0, ControlToken(TOKEN))
        server.start()
        made.append(server)
        return Api(h, server)

    yield make
    for server in made:
        server.stop()


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path

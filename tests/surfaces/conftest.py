"""OSC surface harness: the runner's controller on a ManualClock against the simulator, the real
OscSurface on a free loopback UDP port in front, python-osc's own client sending."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pythonosc.udp_client import SimpleUDPClient

from studio.surfaces.osc import OscSurface
from tests.runner.conftest import WAIT, Harness, at, make_harness, sim  # noqa: F401 - fixtures


@dataclass
class Osc:
    h: Harness
    surface: OscSurface
    client: SimpleUDPClient

    def send(self, address: str, *args: Any) -> None:
        """One real UDP packet; returns once the surface has read it and its action (if any)
        has gone through the controller."""
        seen = self.surface.packets
        self.client.send_message(address, list(args))
        self.wait_read(seen + 1)

    def send_raw(self, data: bytes) -> None:
        seen = self.surface.packets
        self.client._sock.sendto(data, (self.client._address, self.client._port))
        self.wait_read(seen + 1)

    def wait_read(self, n: int) -> None:
        assert self.surface.wait_packets(n, WAIT)
        self.h.settle()

    def journal(self) -> list[dict[str, Any]]:
        import json

        lines = self.h.journal_path.read_text(encoding="utf-8").splitlines()
        return [r for r in map(json.loads, lines) if r.get("type") == "action"]

    def log(self, needle: str) -> list[str]:
        return [e.text for e in self.h.ctl.recent_log(500) if needle in e.text]


@pytest.fixture
def make_osc(make_harness: Callable[..., Harness]) -> Iterator[Callable[..., Osc]]:  # noqa: F811
    made: list[OscSurface] = []

    def make(port: int, start: Any = None) -> Osc:
        h = make_harness(port, start or at(9, 0, 30))
        h.settle()
        surface = OscSurface(h.ctl, "127.0.0.1", 0)
        surface.start()
        made.append(surface)
        return Osc(h, surface, SimpleUDPClient("127.0.0.1", surface.port))

    yield make
    for surface in made:
        surface.stop()

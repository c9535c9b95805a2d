"""``ObsLink``: studio's pair of obs-websocket connections (requests, events) to one OBS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studio.obs.client import EventHandler, ObsWsClient


class ObsLink:
    """Studio's link to OBS: one connection for requests, one for events (like obsws-python's
    ReqClient/EventClient pair), up and down together.

    Why two: OBS's server has Nagle's algorithm on. On one shared socket a reply sent right
    after an event waits until the client acknowledges that event, which a delayed ACK puts off
    by 40 ms on Linux (200 ms on Windows): measured, a Cut's round trip went from ~12 ms to ~47 ms.
    The request socket carries only replies, so nothing is ever waiting for an ACK there.
    The caller reads its own reply on it (no reader thread): under load this cut the p99 of a
    round trip from ~50 ms to ~11-17 ms, level with obsws-python's single-threaded client. A
    dropped request socket is noticed by the next request; OBS going away, by the event reader.
    """

    def __init__(
        self,
        host: str,
        port: int,
        password: str,
        timeout: float,
        *,
        on_event: EventHandler,
        on_close: Callable[[], None],
    ) -> None:
        self.requests = ObsWsClient(
            host, port, password, timeout,
            on_event=lambda kind, data: None, on_close=on_close, subscriptions=0, reader=False,
        )
        try:
            self.events = ObsWsClient(
                host, port, password, timeout,
                on_event=on_event, on_close=on_close, quickack=True,
            )
        except BaseException:
            self.requests.close()
            raise
        self.server_version = self.requests.server_version

    def __repr__(self) -> str:
        return f"ObsLink({self.requests.url}, {'closed' if self.closed else 'open'})"

    @property
    def closed(self) -> bool:
        return self.requests.closed or self.events.closed

    def request(self, request_type: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.requests.request(request_type, data)

    def batch(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.requests.batch(requests)

    def send_together(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.requests.send_together(requests)

    def close(self) -> None:
        self.requests.close()
        self.events.close()

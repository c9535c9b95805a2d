"""The runner's ports: what it needs of OBS (a gateway) and of the engine (a projection).

The controller is typed against ``Gateway`` (``studio.obs.gateway.ObsGateway`` fits it; the
simulator is reached through the same gateway), built by a ``GatewayFactory`` that hands it the
controller's event callback. ``project`` is the engine as the runner asks it: ``Reassert`` is
the runner's business (the manual override); the engine folds it as nothing, so the actions go
in as they are (a filtered copy per call made every evaluate cost O(all actions) again).

Owns no state: the protocol, the factory's type and the real one, and the one door into the
engine's evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from studio.engine.actions import Action
from studio.engine.core import evaluate
from studio.engine.projection import Projection
from studio.engine.state import Command, CommandResult, ObsState
from studio.engine.timeline import Timeline
from studio.obs.connection import ObsConnectionSettings
from studio.obs.events import ConnectionState, ObsEvent
from studio.show.model import Catalogue


class Gateway(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def wait_connected(self, timeout: float) -> bool: ...
    @property
    def connection_state(self) -> ConnectionState: ...
    def reconnect_now(self) -> None: ...
    def apply(self, commands: list[Command]) -> list[CommandResult]: ...
    def read_state(self, catalogue: Catalogue) -> ObsState: ...


GatewayFactory = Callable[[Callable[[ObsEvent], None]], Gateway]


def gateway_factory(settings: ObsConnectionSettings) -> GatewayFactory:
    """The real gateway to the OBS (or simulator) at ``settings``, for a controller."""
    def make(on_event: Callable[[ObsEvent], None]) -> Gateway:
        from studio.obs.gateway import ObsGateway  # the websocket library only when used

        gateway: Gateway = ObsGateway(settings, on_event=on_event)
        return gateway

    return make


def project(timeline: Timeline, actions: Sequence[Action], now: datetime, *,
            studio_mode: bool = False) -> Projection:
    """The engine's projection at ``now`` for the operator's ``actions``."""
    return evaluate(timeline, actions, now, studio_mode=studio_mode)

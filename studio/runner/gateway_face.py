"""What the controller needs of an OBS gateway (studio.obs.gateway.ObsGateway fits).

Owns no state: the protocol the controller is typed against.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from studio.engine.state import Command, CommandResult, ObsState
from studio.obs.events import ConnectionState, ObsEvent


class Gateway(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def wait_connected(self, timeout: float) -> bool: ...
    @property
    def connection_state(self) -> ConnectionState: ...
    def reconnect_now(self) -> None: ...
    def apply(self, commands: list[Command]) -> list[CommandResult]: ...
    def read_state(self, catalogue: Any) -> ObsState: ...


GatewayFactory = Callable[[Callable[[ObsEvent], None]], Gateway]

"""Typed events from OBS and from the gateway's connection, delivered by callback.

Pure dataclasses: the gateway builds them from obs-websocket events on its event thread and hands
them to a thread-safe callback; the runner and the TUI consume them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

ConnectionState = Literal["connecting", "connected", "reconnecting", "auth_failed", "closed"]


@dataclass(frozen=True)
class ObsEvent:
    at: datetime  # when the gateway received it (aware, UTC)


@dataclass(frozen=True)
class ConnectionChanged(ObsEvent):
    state: ConnectionState
    attempt: int = 0  # reconnect attempt count while reconnecting
    detail: str = ""  # a one-line reason, never containing the password
    retry_in: float = 0.0  # auth_failed: seconds between the gateway's further attempts


@dataclass(frozen=True)
class ProgramSceneChanged(ObsEvent):
    scene: str


@dataclass(frozen=True)
class PreviewSceneChanged(ObsEvent):
    scene: str


@dataclass(frozen=True)
class StudioModeChanged(ObsEvent):
    enabled: bool


@dataclass(frozen=True)
class SceneItemVisibilityChanged(ObsEvent):
    scene: str
    source: str
    visible: bool


@dataclass(frozen=True)
class TransitionEnded(ObsEvent):
    name: str


@dataclass(frozen=True)
class StreamStateChanged(ObsEvent):
    active: bool


@dataclass(frozen=True)
class RecordStateChanged(ObsEvent):
    active: bool


@dataclass(frozen=True)
class SceneListChanged(ObsEvent):
    """Scenes, scene items or the scene collection changed: ids were re-read."""

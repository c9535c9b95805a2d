"""The runner's only doors into the pure engine: compile, evaluate, diff.

Kept in one place so the controller reads as a flow and the engine's names live here only.

Owns no state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from studio.engine.actions import Action, Reassert
from studio.engine.projection import Projection
from studio.engine.state import Command, ObsState
from studio.show.model import Catalogue, Show


def compile_timeline(show: Show) -> Any:
    from studio.engine import timeline

    return timeline.compile(show)


def evaluate(
    timeline: Any, actions: Sequence[Action], now: datetime, *, studio_mode: bool = False
) -> Projection:
    from studio.engine import core

    # Reassert is the runner's business (manual override); the engine never sees it
    engine_actions = [a for a in actions if not isinstance(a, Reassert)]
    return core.evaluate(timeline, engine_actions, now, studio_mode=studio_mode)


def diff(
    actual: ObsState,
    desired: ObsState,
    catalogue: Catalogue,
    *,
    causes: dict[str, str],
    transition_running: bool,
) -> list[Command]:
    from studio.engine import diff as diff_module

    return diff_module.diff(
        actual, desired, graphics_scene=catalogue.graphics_scene,
        lower_third=catalogue.lower_third, causes=causes, transition_running=transition_running,
    )


def first_start(timeline: Any) -> datetime:
    """The first segment's planned start (aware, the show's zone)."""
    start: datetime = timeline.segments[0].planned_start
    return start.astimezone(timeline.tz)

"""The decision step, pure: what the projection wants, what OBS shows and what is going on in
the studio -> the commands to send, each with its reason.

The state handler of the runner (in the manner of Sofie's timeline-state-resolver): the engine's
``diff`` compares OBS's actual state with the desired one; this step adds what only the runner
knows (a manual override keeps the program scene, a transition still running holds back a
transition change, a preview OBS has not confirmed is not taken from, a take goes out alone).
No threads, no clock, no OBS: plain values in, a list of commands out (tests/unit/test_decide.py).

Owns no state: ``Situation`` (what the runner knows beyond the projection) and ``decide``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from studio.engine.diff import diff
from studio.engine.state import (
    Command,
    ObsState,
    SetPreviewScene,
    SetProgramScene,
    TriggerTransition,
)
from studio.show.model import Catalogue


@dataclass(frozen=True)
class Situation:
    """What the decision depends on besides the projection (hashable: a prepared cue is
    reused only while it is the same)."""

    actual: ObsState  # what OBS shows, as far as studio knows
    override: str | None = None  # a manual override (its text) holds the program scene
    transition_running: bool = False  # OBS is in a transition: no transition change now
    preview_unconfirmed: bool = False  # OBS has not confirmed the preview scene yet


def decide(desired: ObsState, causes: Mapping[str, str], situation: Situation,
           catalogue: Catalogue) -> list[Command]:
    """The commands that bring OBS from ``situation.actual`` to ``desired`` (the projection's
    desired state; ``causes`` its reasons, by field), as far as the situation allows."""
    actual = situation.actual
    if situation.override is not None:
        desired = replace(desired, program_scene=actual.program_scene, preview_scene=(
            actual.preview_scene if desired.studio_mode else desired.preview_scene))
    commands = diff(
        actual, desired, graphics_scene=catalogue.graphics_scene,
        lower_third=catalogue.lower_third, causes=causes,
        transition_running=situation.transition_running,
    )
    if situation.preview_unconfirmed and desired.program_scene is not None:
        # the scene may not be in OBS's preview yet: switch program directly instead
        commands = [SetProgramScene(desired.program_scene, reason=c.reason)
                    if isinstance(c, TriggerTransition) else c for c in commands]
    if any(isinstance(c, TriggerTransition) for c in commands):
        # A take goes out alone: OBS puts the old program into preview when the transition
        # ends (overwriting a preview sent with the take), and the preview's Sources-dock
        # rebuild in OBS would hold back the take's reply. The next scene follows in the
        # follow-up once the transition has ended (the tracker then knows preview is unknown).
        commands = [c for c in commands if not isinstance(c, SetPreviewScene)]
    return commands

"""The runner's decision step as a table: (what OBS shows, what the show wants, the situation)
-> the commands that go out. Plain values, no threads, no OBS: each row runs in microseconds.

In the manner of Sofie's state handler tests: one row per thing the operator would notice
(a scene that changes or must not, a transition held back, a take that goes out alone).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from studio.engine.state import (
    Command,
    ObsState,
    SetPreviewScene,
    SetProgramScene,
    SetSourceVisible,
    SetTransition,
    TriggerTransition,
)
from studio.runner.decide import Situation, decide
from studio.show.model import Catalogue, LowerThirdSource

CATALOGUE = Catalogue(
    scenes=["Holding Slate", "Studio Wide", "Studio Close", "Panel"],
    graphics_scene="Graphics",
    lower_third=LowerThirdSource(source="Lower Third", name_input="LT Name",
                                 role_input="LT Role"),
)
WIDE = ObsState(program_scene="Studio Wide", transition="Cut")
CAUSES = {"program": "segment welcome starts"}


@dataclass(frozen=True)
class Row:
    name: str
    actual: ObsState
    desired: ObsState
    situation: dict[str, object]
    sent: list[str]  # what goes out, as an operator reads it: command and its target


def said(c: Command) -> str:
    match c:
        case SetProgramScene(scene=scene):
            return f"program {scene}"
        case SetPreviewScene(scene=scene):
            return f"preview {scene}"
        case TriggerTransition():
            return "take"
        case SetTransition(name=name):
            return f"transition {name}"
        case SetSourceVisible(source=source, visible=visible):
            return f"{source} {'on' if visible else 'off'}"
    return type(c).__name__


ROWS = [
    Row("the next scene goes on air", WIDE,
        ObsState(program_scene="Panel", transition="Cut"), {}, ["program Panel"]),
    Row("OBS already shows what is wanted: nothing is sent", WIDE, WIDE, {}, []),
    Row("a manual override keeps the operator's scene", WIDE,
        ObsState(program_scene="Panel", transition="Cut"),
        {"override": "manual override: desired Panel, OBS shows Studio Wide"}, []),
    Row("a manual override still lets the graphics go on",
        ObsState(program_scene="Studio Wide", overlays=frozenset({("LIVE Bug", False)})),
        ObsState(program_scene="Panel", overlays=frozenset({("LIVE Bug", True)})),
        {"override": "manual override"}, ["LIVE Bug on"]),
    Row("a transition change waits while one runs: the scene still switches", WIDE,
        ObsState(program_scene="Panel", transition="Fade", transition_ms=300),
        {"transition_running": True}, ["program Panel"]),
    Row("without a running transition the transition is set before the switch", WIDE,
        ObsState(program_scene="Panel", transition="Fade", transition_ms=300), {},
        ["transition Fade", "program Panel"]),
    Row("studio mode: a take from preview goes out alone (the next preview follows later)",
        ObsState(program_scene="Studio Wide", preview_scene="Panel", studio_mode=True),
        ObsState(program_scene="Panel", preview_scene="Studio Close", studio_mode=True),
        {}, ["take"]),
    Row("studio mode, preview not confirmed by OBS: program is switched directly",
        ObsState(program_scene="Studio Wide", preview_scene="Panel", studio_mode=True),
        ObsState(program_scene="Panel", preview_scene="Studio Close", studio_mode=True),
        {"preview_unconfirmed": True}, ["program Panel", "preview Studio Close"]),
    Row("studio mode under a manual override: program and preview stay as the operator has them",
        ObsState(program_scene="Studio Wide", preview_scene="Panel", studio_mode=True),
        ObsState(program_scene="Panel", preview_scene="Studio Close", studio_mode=True),
        {"override": "manual override"}, []),
    Row("OBS's state unknown (just reconnected): everything wanted is sent", ObsState(),
        ObsState(program_scene="Holding Slate", transition="Cut"), {},
        ["transition Cut", "program Holding Slate"]),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_decision_table(row: Row) -> None:
    situation = Situation(actual=row.actual, **row.situation)  # type: ignore[arg-type]
    commands = decide(row.desired, CAUSES, situation, CATALOGUE)
    assert [said(c) for c in commands] == row.sent


def test_each_command_says_why() -> None:
    commands = decide(ObsState(program_scene="Panel"), CAUSES, Situation(actual=WIDE), CATALOGUE)
    assert [c.reason for c in commands] == [
        "scene Studio Wide -> Panel: segment welcome starts"]


def test_a_direct_switch_instead_of_a_take_keeps_the_take_s_reason() -> None:
    actual = ObsState(program_scene="Studio Wide", preview_scene="Panel", studio_mode=True)
    desired = ObsState(program_scene="Panel", studio_mode=True)
    take, = decide(desired, CAUSES, Situation(actual=actual), CATALOGUE)
    direct, = decide(desired, CAUSES, Situation(actual=actual, preview_unconfirmed=True),
                     CATALOGUE)
    assert isinstance(take, TriggerTransition) and isinstance(direct, SetProgramScene)
    assert direct.reason == take.reason

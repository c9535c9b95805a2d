"""diff(actual, desired) -> commands with reasons; apply(state, commands) models OBS."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from studio.engine.diff import apply, diff
from studio.engine.state import (
    Command,
    ObsState,
    SetPreviewScene,
    SetProgramScene,
    SetSourceVisible,
    SetStreaming,
    SetText,
    SetTransition,
    TriggerTransition,
)
from studio.show.model import LowerThirdSource

LT = LowerThirdSource(source="Lower Third", name_input="LT Name", role_input="LT Role")
G = "Graphics"
SCENES = ["Studio Wide", "Presentation", "Panel", "Break"]
SOURCES = ["LIVE Bug", "Clock", "Logo A"]


def states(full: bool = False) -> st.SearchStrategy[ObsState]:
    def opt(s: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
        return s if full else st.none() | s

    overlays = st.fixed_dictionaries({s: st.booleans() for s in SOURCES}).map(
        lambda d: frozenset(d.items()))
    return st.builds(
        ObsState,
        program_scene=opt(st.sampled_from(SCENES)),
        preview_scene=opt(st.sampled_from(SCENES)),
        studio_mode=opt(st.booleans()),
        transition=opt(st.sampled_from(["Cut", "Fade", "Stinger"])),
        transition_ms=opt(st.sampled_from([300, 500, 1000])),
        overlays=opt(overlays),
        lower_third_visible=opt(st.booleans()),
        lower_third_name=opt(st.sampled_from(["Krister Ruth", "Anna Berg"])),
        lower_third_role=opt(st.sampled_from(["Strateg", "Moderator", ""])),
        streaming=opt(st.booleans()),
        recording=opt(st.booleans()),
    )


def run(a: ObsState, b: ObsState, **kw: object) -> list[Command]:
    return diff(a, b, graphics_scene=G, lower_third=LT, **kw)  # type: ignore[arg-type]


def reached(got: ObsState, want: ObsState, actual: ObsState) -> None:
    """Every value ``want`` cares about (not None) is in ``got``."""
    if want.transition is not None and want.transition_ms is not None:
        assert got.transition_ms == want.transition_ms
    for name in ("program_scene", "transition", "lower_third_visible",
                 "lower_third_name", "lower_third_role", "streaming", "recording"):
        w = getattr(want, name)
        if w is not None:
            assert getattr(got, name) == w, name
    if want.overlays is not None:
        have = got.overlay_map()
        for source, visible in want.overlays:
            assert have[source] == visible, source
    if want.studio_mode and actual.studio_mode is not False and want.preview_scene is not None:
        assert got.preview_scene == want.preview_scene


@settings(max_examples=300)
@given(states())
def test_diff_of_a_state_with_itself_is_empty(s: ObsState) -> None:
    assert run(s, s) == []


@settings(max_examples=250)
@given(states(), states())
def test_applying_the_diff_reaches_the_desired_state(a: ObsState, b: ObsState) -> None:
    got = apply(a, run(a, b), lower_third=LT)
    reached(got, b, a)
    assert run(got, b) == []


@settings(max_examples=250)
@given(states(full=True), states(full=True))
def test_applying_the_diff_to_a_known_state_converges(a: ObsState, b: ObsState) -> None:
    got = apply(a, run(a, b), lower_third=LT)
    reached(got, b, a)
    assert run(got, b) == []


@settings(max_examples=250)
@given(states(), states(), st.sampled_from(SCENES))
def test_a_change_of_preview_alone_never_touches_program(
    x: ObsState, a: ObsState, scene: str
) -> None:
    b = ObsState(**{**vars(a), "preview_scene": scene})
    assert not any(isinstance(c, SetProgramScene | TriggerTransition) for c in run(a, b))

    def program(cmds: list[Command]) -> list[Command]:
        return [c for c in cmds if isinstance(c, SetProgramScene | TriggerTransition)]

    # whatever OBS has, wanting another preview does not change what happens to program
    assert program(run(x, a)) == program(run(x, b))


def test_reason_says_why_and_order_is_transition_texts_switch_overlays() -> None:
    a = ObsState(program_scene="Studio Wide", transition="Cut", overlays=frozenset(
        {("LIVE Bug", True), ("Logo A", False)}), lower_third_visible=False,
        lower_third_name="Old", lower_third_role="", streaming=False)
    b = ObsState(program_scene="Presentation", transition="Fade", transition_ms=500,
                 overlays=frozenset({("LIVE Bug", False), ("Logo A", True)}),
                 lower_third_visible=True, lower_third_name="Krister Ruth",
                 lower_third_role="Strateg", streaming=True)
    cmds = run(a, b, causes={"program": "segment skogstekniska starts",
                             "transition": "transition for segment skogstekniska"})
    assert [type(c).__name__ for c in cmds] == [
        "SetTransition", "SetStreaming", "SetText", "SetText", "SetSourceVisible",
        "SetProgramScene", "SetSourceVisible", "SetSourceVisible",
    ]
    assert cmds[0] == SetTransition("Fade", 500, reason=cmds[0].reason)
    switch = next(c for c in cmds if isinstance(c, SetProgramScene))
    assert switch.reason == "scene Studio Wide -> Presentation: segment skogstekniska starts"
    hide, show_logo, show_lt = (c for c in cmds if isinstance(c, SetSourceVisible))
    assert (hide.source, hide.visible) == ("LIVE Bug", False)
    assert (show_logo.source, show_lt.source) == ("Logo A", "Lower Third")
    assert isinstance(cmds[1], SetStreaming) and cmds[1].active
    assert isinstance(cmds[2], SetText) and cmds[2].input == "LT Name"


def test_transition_withheld_while_one_runs() -> None:
    a = ObsState(program_scene="Panel", transition="Cut")
    b = ObsState(program_scene="Break", transition="Fade", transition_ms=300)
    cmds = run(a, b, transition_running=True)
    assert [type(c) for c in cmds] == [SetProgramScene]


def test_unknown_actual_sends_everything_desired() -> None:
    b = ObsState(program_scene="Break", transition="Cut", lower_third_visible=False,
                 overlays=frozenset({("Clock", True)}), streaming=True)
    cmds = run(ObsState(), b)
    assert {type(c) for c in cmds} == {SetTransition, SetProgramScene, SetSourceVisible,
                                       SetStreaming}
    assert any("scene ? -> Break" in c.reason for c in cmds)


def test_studio_mode_takes_from_preview_then_loads_the_next() -> None:
    a = ObsState(program_scene="Studio Wide", preview_scene="Presentation", studio_mode=True)
    b = ObsState(program_scene="Presentation", preview_scene="Panel", studio_mode=True)
    cmds = run(a, b)
    assert [type(c) for c in cmds] == [TriggerTransition, SetPreviewScene]
    got = apply(a, cmds, lower_third=LT)
    assert (got.program_scene, got.preview_scene) == ("Presentation", "Panel")
    # preview not in studio mode: never sent (OBS answers 506)
    assert run(ObsState(program_scene="A", studio_mode=False),
               ObsState(program_scene="A", preview_scene="B", studio_mode=True)) == []


def test_lower_third_goes_out_before_its_text_changes() -> None:
    a = ObsState(lower_third_visible=True, lower_third_name="Krister Ruth",
                 lower_third_role="Strateg")
    b = ObsState(lower_third_visible=False, lower_third_name="Anna Berg",
                 lower_third_role="Moderator")
    cmds = run(a, b)
    assert [type(c) for c in cmds] == [SetSourceVisible, SetText, SetText]

"""The engine and the diff together: a day played against the pure model of OBS."""

from __future__ import annotations

from datetime import timedelta

from engine_show import at, day_show

from studio.engine.actions import Action, Take
from studio.engine.core import evaluate
from studio.engine.diff import apply, diff
from studio.engine.state import (
    Command,
    ObsState,
    SetPreviewScene,
    SetProgramScene,
    SetSourceVisible,
    SetText,
    TriggerTransition,
)
from studio.engine.timeline import compile

TL = compile(day_show())
LT = TL.lower_third


def play(studio_mode: bool) -> list[tuple[str, list[Command]]]:
    """From 08:40 to the end: wake at next_change_at (TAKE manual segments when due), diff
    against the modelled OBS, apply. Returns (time, commands) of every step that sent some."""
    obs = ObsState(studio_mode=studio_mode, program_scene="Holding Slate",
                   preview_scene="Holding Slate" if studio_mode else None)
    t = at("08:40")
    actions: list[Action] = []
    steps: list[tuple[str, list[Command]]] = []
    for _ in range(200):
        p = evaluate(TL, actions, t, studio_mode=studio_mode)
        cmds = diff(obs, p.desired, graphics_scene=TL.graphics_scene, lower_third=LT,
                    causes=p.causes)
        obs = apply(obs, cmds, lower_third=LT)
        assert diff(obs, p.desired, graphics_scene=TL.graphics_scene, lower_third=LT) == []
        if cmds:
            steps.append((t.strftime("%H:%M:%S"), cmds))
        if p.ended:
            break
        if p.next is not None and p.next.waits_for_take and p.next.countdown <= timedelta(0):
            actions.append(Take(t))
            continue
        nxt = [x for x in (p.next_change_at,) if x is not None]
        if p.next is not None and p.next.waits_for_take:
            nxt.append(p.next.start)
        t = min(nxt)
    return steps


def test_a_day_in_studio_mode_takes_from_preview_and_never_cuts_program_directly() -> None:
    steps = play(studio_mode=True)
    switches = [(when, c) for when, cmds in steps for c in cmds
                if isinstance(c, SetProgramScene | TriggerTransition)]
    assert [when for when, _ in switches] == [
        "09:00:00", "09:10:00", "09:55:00", "10:00:00", "10:40:00", "11:00:00"]
    assert all(isinstance(c, TriggerTransition) for _, c in switches)
    assert switches[0][1].reason == (
        "scene Holding Slate -> Studio Wide: segment welcome starts (09:00 anchor)"
        " (take from preview)")
    # the next scene is put in preview right after each take
    first = dict(steps)["08:45:00"]
    assert [type(c) for c in first if isinstance(c, SetPreviewScene)] == [SetPreviewScene]


def test_a_day_without_studio_mode_never_sends_preview() -> None:
    steps = play(studio_mode=False)
    sent = [c for _, cmds in steps for c in cmds]
    assert not any(isinstance(c, SetPreviewScene | TriggerTransition) for c in sent)
    welcome = dict(steps)["09:00:00"]
    names = [type(c).__name__ for c in welcome]
    # transition, stream/record, texts before the lower third, hides, switch, shows
    assert names[:3] == ["SetTransition", "SetStreaming", "SetRecording"]
    assert names.index("SetProgramScene") > names.index("SetText")
    shows = [c for c in welcome if isinstance(c, SetSourceVisible) and c.visible]
    hides = [c for c in welcome if isinstance(c, SetSourceVisible) and not c.visible]
    assert [c.source for c in hides] == ["Clock"]
    assert {c.source for c in shows} == {"LIVE Bug", "Logo Region"}
    lt_in = dict(steps)["09:00:05"]
    assert [(type(c).__name__, getattr(c, "visible", None)) for c in lt_in] == [
        ("SetSourceVisible", True)]
    assert lt_in[0].reason == "lower third in: lower third Krister Ruth 5 s into segment welcome"
    lt_out = dict(steps)["09:00:13"]
    assert lt_out[0].reason == "lower third out: lower third Krister Ruth done after 8 s"
    texts = [c for c in welcome if isinstance(c, SetText)]
    assert [(c.input, c.text) for c in texts] == [("LT Name", "Krister Ruth"),
                                                  ("LT Role", "Strateg")]

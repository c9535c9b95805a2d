"""(actual, desired) -> the commands that make OBS show the desired state, each with a reason.

``diff(actual, desired, *, graphics_scene, lower_third, transition_running=False, causes=None)``

- A ``None`` in ``desired`` means "don't care": nothing is sent for it. A ``None`` in ``actual``
  means "not known": the desired value is sent.
- ``causes`` (``Projection.causes``) say why each value is wanted; every command's reason reads
  "WHAT: WHY", e.g. "scene Studio Wide -> Presentation: segment skogstekniska starts".
- Order: SetTransition (withheld while ``transition_running``: changing the transition during a
  running one breaks OBS 29's transition events), starting stream/record (so the opening is
  captured), lower-third texts (before it is shown; after it is hidden when it goes out), hiding
  overlays and the lower third, the
  program switch (studio mode: TriggerTransition when the wanted scene already waits in preview)
  and the preview, showing overlays and the lower third, stopping stream/record.
- Studio mode is never toggled: preview is only sent when ``desired.studio_mode`` is true and OBS
  is not known to be out of studio mode. A change of preview alone never touches program.

``apply(state, commands, *, lower_third)`` is the pure model of what OBS does with commands (studio
mode's TriggerTransition swaps program and preview, as OBS does by default); the simulator, the
runner's idea of OBS, and the property tests use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from studio.engine.state import (
    Command,
    ObsState,
    SetPreviewScene,
    SetProgramScene,
    SetRecording,
    SetSourceVisible,
    SetStreaming,
    SetText,
    SetTransition,
    TriggerTransition,
)
from studio.show.model import LowerThirdSource


def _q(v: object) -> str:
    return "?" if v is None else str(v)


def diff(
    actual: ObsState,
    desired: ObsState,
    *,
    graphics_scene: str,
    lower_third: LowerThirdSource,
    transition_running: bool = False,
    causes: Mapping[str, str] | None = None,
) -> list[Command]:
    why = causes or {}

    def because(key: str, default: str = "desired state") -> str:
        return why.get(key) or default

    first: list[Command] = []
    hides: list[Command] = []
    switch: list[Command] = []
    shows: list[Command] = []
    last: list[Command] = []

    # transition
    if not transition_running and desired.transition is not None:
        ms_differs = (
            desired.transition_ms is not None and desired.transition_ms != actual.transition_ms
        )
        if desired.transition != actual.transition or ms_differs:
            label = desired.transition + (
                f" {desired.transition_ms} ms" if desired.transition_ms is not None else "")
            first.append(SetTransition(
                desired.transition, desired.transition_ms,
                reason=f"transition {_q(actual.transition)} -> {label}: {because('transition')}",
            ))

    # streaming / recording
    for key, want, have, cmd in (
        ("streaming", desired.streaming, actual.streaming, SetStreaming),
        ("recording", desired.recording, actual.recording, SetRecording),
    ):
        if want is not None and want != have:
            word = "stream" if key == "streaming" else "record"
            out: Command = cmd(want, reason=f"{word} {'start' if want else 'stop'}: {because(key)}")
            (first if want else last).append(out)

    # lower-third texts: before it is shown; after it is hidden (never change what is on air
    # as it goes out)
    texts: list[Command] = []
    for text, had, inp in (
        (desired.lower_third_name, actual.lower_third_name, lower_third.name_input),
        (desired.lower_third_role, actual.lower_third_role, lower_third.role_input),
    ):
        if text is not None and text != had:
            texts.append(SetText(
                inp, text,
                reason=f"{inp} = {text!r}: {because('lower_third_text', 'lower third text')}",
            ))

    # overlays and the lower third: hide before the switch, show after it
    have_ov = actual.overlay_map() if actual.overlays is not None else None
    for source, visible in sorted(desired.overlays or ()):
        if have_ov is None or have_ov.get(source) != visible:
            c: Command = SetSourceVisible(
                graphics_scene, source, visible,
                reason=f"overlay {source} {'on' if visible else 'off'}: "
                       f"{because('overlay:' + source)}",
            )
            (shows if visible else hides).append(c)
    want_lt = desired.lower_third_visible
    if want_lt is not None and want_lt != actual.lower_third_visible:
        c = SetSourceVisible(
            graphics_scene, lower_third.source, want_lt,
            reason=f"lower third {'in' if want_lt else 'out'}: {because('lower_third')}",
        )
        (shows if want_lt else hides).append(c)

    # program and preview
    studio = bool(desired.studio_mode) and actual.studio_mode is not False
    preview_after = actual.preview_scene
    want_prog = desired.program_scene
    if want_prog is not None and want_prog != actual.program_scene:
        text = f"scene {_q(actual.program_scene)} -> {want_prog}: {because('program')}"
        if studio and actual.preview_scene == want_prog and actual.program_scene is not None:
            switch.append(TriggerTransition(reason=text + " (take from preview)"))
            preview_after = actual.program_scene
        else:
            switch.append(SetProgramScene(want_prog, reason=text))
    want_prev = desired.preview_scene
    if studio and want_prev is not None and want_prev != preview_after:
        switch.append(SetPreviewScene(
            want_prev,
            reason=f"preview {_q(preview_after)} -> {want_prev}: {because('preview')}",
        ))
    if desired.lower_third_visible is False:
        return first + hides + texts + switch + shows + last
    return first + texts + hides + switch + shows + last


def apply(
    state: ObsState, commands: Sequence[Command], *, lower_third: LowerThirdSource
) -> ObsState:
    """What OBS's state becomes after ``commands`` (OBS's default studio-mode swap)."""
    for c in commands:
        if isinstance(c, SetTransition):
            state = replace(state, transition=c.name, transition_ms=(
                c.duration_ms if c.duration_ms is not None else state.transition_ms))
        elif isinstance(c, SetProgramScene):
            state = replace(state, program_scene=c.scene)
        elif isinstance(c, SetPreviewScene):
            state = replace(state, preview_scene=c.scene)
        elif isinstance(c, TriggerTransition):
            state = replace(state, program_scene=state.preview_scene,
                            preview_scene=state.program_scene)
        elif isinstance(c, SetSourceVisible):
            if c.source == lower_third.source:
                state = replace(state, lower_third_visible=c.visible)
            else:
                ov = state.overlay_map()
                ov[c.source] = c.visible
                state = replace(state, overlays=frozenset(ov.items()))
        elif isinstance(c, SetText):
            if c.input == lower_third.name_input:
                state = replace(state, lower_third_name=c.text)
            elif c.input == lower_third.role_input:
                state = replace(state, lower_third_role=c.text)
        elif isinstance(c, SetStreaming):
            state = replace(state, streaming=c.active)
        elif isinstance(c, SetRecording):
            state = replace(state, recording=c.active)
    return state

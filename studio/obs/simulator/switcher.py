"""Timed behaviour of the simulated OBS: scene transitions, studio mode, streaming and recording.

Measured on OBS 29.0.2 / obs-websocket 5.1.0 (tests/obs/test_contract.py holds the evidence):
- ``SetCurrentProgramScene`` changes what ``GetCurrentProgramScene`` answers at once;
  ``SceneTransitionStarted`` follows, ``CurrentProgramSceneChanged`` only when the transition ends
  (a Cut on the next rendered frame, a Fade after its duration). Re-selecting the current program
  scene does nothing and emits nothing. A switch during a running transition restarts it and
  only the last scene gets a ``CurrentProgramSceneChanged``.
- Studio mode: the preview is applied a moment after ``SetCurrentPreviewScene`` returns;
  turning studio mode off emits ``CurrentProgramSceneChanged`` twice (preview, then program).
- ``StartRecord``: STARTING, then STARTED with the output path; ``StopRecord``: STOPPING, STOPPED.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from studio.obs.simulator.model import (
    OUTPUTS,
    SCENES,
    TRANSITIONS,
    TRANSITIONS_BUILTIN,
    UI,
    ObsModel,
    Output,
)


class Switcher:
    """Scene transitions and outputs on the simulator's loop."""

    def __init__(self, model: ObsModel, loop: asyncio.AbstractEventLoop, frame_ms: float,
                 *, stream_fails: bool = False, end_gap_ms: float = 1.0,
                 time_scale: float = 1.0) -> None:
        self.model = model
        self.time_scale = time_scale  # transitions and outputs take their time x this (0: at once)
        self.loop = loop
        self.frame_ms = frame_ms
        self.stream_fails = stream_fails
        self.end_gap = end_gap_ms / 1000.0  # CurrentProgramSceneChanged -> SceneTransitionEnded
        self._epoch = time.monotonic()
        self._pending: asyncio.TimerHandle | None = None
        self.transitioning = False
        self.in_bug_window = False
        self.broken_transition_events = False  # OBS 29.0.2 bug, see set_transition

    # ------------------------------------------------------------------ timing
    def to_next_frame(self) -> float:
        """Seconds to the next rendered frame."""
        frame = self.frame_ms / 1000.0
        elapsed = (time.monotonic() - self._epoch) % frame
        return frame - elapsed

    def _transition_delay(self, studio: bool = False) -> float:
        kind = TRANSITIONS_BUILTIN[self.model.transition][0]
        if kind == "cut_transition":
            return 0.004 if studio else self.to_next_frame() + self.frame_ms / 3000.0
        return (self.model.transition_duration / 1000.0 * self.time_scale
                + self.to_next_frame())

    def _later(self, delay: float, fn: Callable[[], None]) -> asyncio.TimerHandle:
        return self.loop.call_later(delay, fn)

    # ------------------------------------------------------------------ transitions
    def _events(self, *events: tuple[str, int, dict[str, Any] | None]) -> None:
        for name, intent, data in events:
            if self.broken_transition_events and name in (
                "CurrentProgramSceneChanged", "SceneTransitionEnded"
            ):
                continue
            self.model.emit(name, intent, data)

    def _start(self, end: Callable[[], None], delay: float) -> None:
        if self._pending is not None:
            self._pending.cancel()
        self.transitioning = True
        self._events(("SceneTransitionStarted", TRANSITIONS,
                      {"transitionName": self.model.transition}))

        def finish() -> None:
            self._pending = None
            self.transitioning = False
            end()

        self._pending = self._later(delay, finish)

    def _end_after_program_changed(self, tn: dict[str, Any]) -> None:
        # OBS emits SceneTransitionEnded about a millisecond after CurrentProgramSceneChanged;
        # a transition change in between triggers the 29.0.2 bug (see set_transition)
        self.in_bug_window = True

        def ended() -> None:
            self.in_bug_window = False
            self._events(("SceneTransitionEnded", TRANSITIONS, tn))

        self._later(self.end_gap, ended)

    def set_program(self, name: str) -> None:
        """Like SetCurrentProgramScene (outside studio mode) or an operator's click."""
        if name == self.model.program:
            return
        self.model.program = name
        transition = self.model.transition
        cut = TRANSITIONS_BUILTIN[transition][0] == "cut_transition"

        def end() -> None:
            tn = {"transitionName": transition}
            scene = {"sceneName": self.model.program}
            if cut:
                self._events(("SceneTransitionVideoEnded", TRANSITIONS, tn),
                             ("CurrentProgramSceneChanged", SCENES, scene))
            else:
                self._events(("CurrentProgramSceneChanged", SCENES, scene),
                             ("SceneTransitionVideoEnded", TRANSITIONS, tn))
            self._end_after_program_changed(tn)

        self._start(end, self._transition_delay())

    def trigger_studio_transition(self) -> None:
        old_program = self.model.program
        new_program = self.model.preview or old_program
        self.model.program = new_program
        transition = self.model.transition

        def end() -> None:
            tn = {"transitionName": transition}
            self.model.preview = old_program
            self._events(("SceneTransitionVideoEnded", TRANSITIONS, tn),
                         ("CurrentPreviewSceneChanged", SCENES, {"sceneName": old_program}),
                         ("CurrentProgramSceneChanged", SCENES, {"sceneName": new_program}))
            self._end_after_program_changed(tn)

        self._start(end, self._transition_delay(studio=True))

    def set_transition(self, name: str) -> None:
        if name == self.model.transition:
            return
        if self.in_bug_window:
            # OBS 29.0.2: changing the transition between a switch's CurrentProgramSceneChanged
            # and its SceneTransitionEnded stops those two events for good (field notes 2)
            self.broken_transition_events = True
        self.model.transition = name
        self.model.emit("CurrentSceneTransitionChanged", TRANSITIONS, {"transitionName": name})

    def set_duration(self, ms: int) -> None:
        self.model.transition_duration = ms
        self.model.emit("CurrentSceneTransitionDurationChanged", TRANSITIONS,
                        {"transitionDuration": ms})

    # ------------------------------------------------------------------ studio mode
    def set_studio_mode(self, enabled: bool) -> None:
        model = self.model
        if enabled == model.studio_mode:
            return
        if enabled:
            model.studio_mode = True
            model.preview = model.program
        else:
            preview = model.preview or model.program
            model.studio_mode = False
            model.preview = None
            model.emit("CurrentProgramSceneChanged", SCENES, {"sceneName": preview})
            model.emit("CurrentProgramSceneChanged", SCENES, {"sceneName": model.program})
        model.emit("StudioModeStateChanged", UI, {"studioModeEnabled": enabled})

    def set_preview(self, name: str) -> None:
        def apply() -> None:
            if not self.model.studio_mode or self.model.preview == name:
                return
            if name not in self.model.scenes:
                return
            self.model.preview = name
            self.model.emit("CurrentPreviewSceneChanged", SCENES, {"sceneName": name})

        self._later(0.002, apply)

    # ------------------------------------------------------------------ outputs
    def _output_event(self, which: str, out: Output, state: str, path: str | None = None,
                      with_path: bool = False) -> None:
        out.state = state
        data: dict[str, Any] = {"outputActive": out.active, "outputState": state}
        if with_path:
            data["outputPath"] = path
        self.model.emit(which, OUTPUTS, data)

    def start_stream(self) -> None:
        out = self.model.stream
        self._output_event("StreamStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STARTING")

        def started() -> None:
            if self.stream_fails:
                self._output_event("StreamStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STOPPED")
                return
            out.active = True
            out.started_at = time.monotonic()
            self._output_event("StreamStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STARTED")

        self._later(0.04 * self.time_scale, started)

    def stop_stream(self) -> None:
        out = self.model.stream
        self._output_event("StreamStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STOPPING")

        def stopped() -> None:
            out.active = False
            self._output_event("StreamStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STOPPED")

        self._later(0.03 * self.time_scale, stopped)

    def new_record_path(self) -> str:
        stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H-%M-%S")
        return os.path.join(self.model.record_directory, f"{stamp}.mkv")

    def start_record(self) -> None:
        out = self.model.record
        path = self.new_record_path()
        self._output_event("RecordStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STARTING",
                           None, with_path=True)

        def started() -> None:
            out.active = True
            out.started_at = time.monotonic()
            self.model.record_path = path
            self._output_event("RecordStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STARTED",
                               path, with_path=True)

        self._later(0.04 * self.time_scale, started)

    def stop_record(self) -> str | None:
        out = self.model.record
        path = self.model.record_path
        self._output_event("RecordStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STOPPING",
                           None, with_path=True)

        def stopped() -> None:
            out.active = False
            self._output_event("RecordStateChanged", out, "OBS_WEBSOCKET_OUTPUT_STOPPED",
                               path, with_path=True)

        self._later(0.05 * self.time_scale, stopped)
        return path

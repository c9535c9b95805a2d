"""What studio believes OBS shows, kept from command results, OBS events and read-backs.

Also: which program-scene changes studio itself caused (so a hand switch in OBS is told apart),
whether a transition is running (OBS 29.0.2 must not get ``SetCurrentSceneTransition`` then), and
which sent cues still wait for OBS's confirming event (for the as-run's confirmed time), which
preview switch is in flight, and the commands OBS keeps refusing (``refusals``: the sender
withholds and retries them, see ``studio.runner.refusals``).

Owns ``actual`` (what studio believes OBS shows) and the bookkeeping above; fed by the sender
(command results) and the controller (events, read-backs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime

from studio.engine.diff import apply
from studio.engine.state import (
    Command,
    CommandResult,
    ObsState,
    SetPreviewScene,
    SetProgramScene,
    SetSourceVisible,
    TriggerTransition,
)
from studio.obs.events import (
    ObsEvent,
    PreviewSceneChanged,
    ProgramSceneChanged,
    RecordStateChanged,
    SceneItemVisibilityChanged,
    SceneListChanged,
    StreamStateChanged,
    StudioModeChanged,
    TransitionEnded,
)
from studio.runner.asrun import AsRunRecord
from studio.runner.refusals import Refusals
from studio.show.model import Catalogue

Expect = tuple[str, ...]  # ("program", scene) or ("item", scene, source, visible)
TRANSITION_SLACK_S = 1.0  # a transition is taken as ended this long after its nominal end
CONFIRM_SLACK_S = 2.0  # a cue unconfirmed this long after its nominal end is written as such
PREVIEW_SLACK_S = 0.5  # a preview change unconfirmed this long is taken as applied
RETRY_FLOOR_S = 0.05  # a refused command's retry never wakes the controller more often than this


@dataclass
class PendingCue:
    """A sent cue whose as-run line waits for OBS's confirming events."""

    record: AsRunRecord  # as sent; written once OBS confirmed it (or the deadline passed)
    expected: set[Expect]
    sent_real: datetime  # wall-clock (UTC) moment the commands were sent
    scheduled_real: datetime
    deadline: float  # time.monotonic()
    confirmed_real: datetime | None = None
    done: bool = field(default=False)


class ActualTracker:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.actual = ObsState()
        self.our_programs: list[str] = []  # program scenes we switched to, not yet seen in events
        self.transition_until: float | None = None  # monotonic deadline while a transition runs
        self.pending: list[PendingCue] = []
        # studio mode: OBS applies a preview change asynchronously (4-11 ms); until its event
        # arrives a TriggerTransition could take the old preview to program
        self.preview_in_flight: tuple[str, float] | None = None
        self.refusals = Refusals()  # commands OBS keeps refusing: withheld until their retry

    # ------------------------------------------------------------------ state
    def reset(self, actual: ObsState | None = None) -> None:
        """On (re)connect: forget what we thought OBS shows; ``actual`` is the read-back."""
        self.actual = actual or ObsState()
        self.our_programs.clear()
        self.transition_until = None
        self.preview_in_flight = None
        self.refusals.clear()  # another OBS (or the same, provisioned meanwhile): try all again

    @property
    def preview_unconfirmed(self) -> bool:
        if self.preview_in_flight is None:
            return False
        if time.monotonic() >= self.preview_in_flight[1]:
            self.preview_in_flight = None
            return False
        return True

    @property
    def transition_running(self) -> bool:
        if self.transition_until is None:
            return False
        if time.monotonic() >= self.transition_until:
            self.transition_until = None
            return False
        return True

    def _start_transition(self) -> None:
        ms = self.actual.transition_ms or 0
        self.transition_until = time.monotonic() + ms / 1000 + TRANSITION_SLACK_S

    def apply_results(self, results: list[CommandResult]) -> set[Expect]:
        """Fold successful commands into the actual state; return the events that confirm them."""
        expected: set[Expect] = set()
        for res in results:
            if not res.ok:
                continue
            expected |= self._apply(res.command)
        return expected

    def _apply(self, cmd: Command) -> set[Expect]:
        """Fold one acknowledged command into the actual state (the engine's pure ``apply``,
        with what studio cannot know left unknown); return the events that will confirm it."""
        before = self.actual
        if isinstance(cmd, SetSourceVisible) and cmd.scene != self.catalogue.graphics_scene:
            return set()
        # overlays not read back (OBS had no graphics scene then): what OBS acknowledged is
        # known from now on, the others stay unknown (absent from the map, so the diff still
        # sends them). Keeping the whole map unknown re-sent every overlay on every OBS event.
        after = apply(before, [cmd], lower_third=self.catalogue.lower_third)
        if isinstance(cmd, TriggerTransition):
            after = replace(after, preview_scene=None)  # what OBS leaves in preview: unknown
        self.actual = after
        took = (isinstance(cmd, SetProgramScene) and cmd.scene != before.program_scene) or (
            isinstance(cmd, TriggerTransition) and before.preview_scene is not None)
        if took and after.program_scene is not None:
            self.our_programs.append(after.program_scene)
            self._start_transition()
            return {("program", after.program_scene)}
        if isinstance(cmd, SetPreviewScene) and cmd.scene != before.preview_scene:
            self.preview_in_flight = (cmd.scene, time.monotonic() + PREVIEW_SLACK_S)
            return {("preview", cmd.scene)}
        if isinstance(cmd, SetSourceVisible):
            return {("item", cmd.scene, cmd.source, str(cmd.visible))}
        return set()

    def _set_visible(self, scene: str, source: str, visible: bool) -> None:
        """An item's visibility seen in an OBS event (only the graphics scene's count)."""
        if scene != self.catalogue.graphics_scene:
            return
        if source == self.catalogue.lower_third.source:
            self.actual = replace(self.actual, lower_third_visible=visible)
            return
        overlays = self.actual.overlay_map() if self.actual.overlays is not None else {}
        overlays[source] = visible
        self.actual = replace(self.actual, overlays=frozenset(overlays.items()))

    # ------------------------------------------------------------------ events
    def on_event(self, ev: ObsEvent) -> str | None:
        """Fold an OBS event in. Returns the scene if it is a program change studio did not
        cause (a candidate manual override), else None."""
        foreign: str | None = None
        if isinstance(ev, ProgramSceneChanged):
            if ev.scene in self.our_programs:
                cut = self.our_programs.index(ev.scene)
                # switches overtaken by this one never get their own event
                for scene in self.our_programs[:cut]:
                    self._confirm(("program", scene), None)
                del self.our_programs[: cut + 1]
            elif ev.scene != self.actual.program_scene:
                foreign = ev.scene
                self._start_transition()  # OBS runs its transition now: keep SetTransition back
            self.actual = replace(self.actual, program_scene=ev.scene)
            self._confirm(("program", ev.scene), ev.at)
        elif isinstance(ev, TransitionEnded):
            self.transition_until = None
        elif isinstance(ev, PreviewSceneChanged):
            if self.preview_in_flight is not None:
                if ev.scene != self.preview_in_flight[0]:
                    return None  # an older preview change landing: ours is still coming
                self.preview_in_flight = None
            self.actual = replace(self.actual, preview_scene=ev.scene)
            self._confirm(("preview", ev.scene), ev.at)
        elif isinstance(ev, StudioModeChanged):
            self.actual = replace(self.actual, studio_mode=ev.enabled)
        elif isinstance(ev, SceneItemVisibilityChanged):
            self._set_visible(ev.scene, ev.source, ev.visible)
            self._confirm(("item", ev.scene, ev.source, str(ev.visible)), ev.at)
        elif isinstance(ev, StreamStateChanged):
            self.actual = replace(self.actual, streaming=ev.active)
        elif isinstance(ev, RecordStateChanged):
            self.actual = replace(self.actual, recording=ev.active)
        elif isinstance(ev, SceneListChanged):
            self.refusals.structure_changed(time.monotonic())
        return foreign

    # ------------------------------------------------------------------ confirmations
    def expect(self, pending: PendingCue) -> None:
        self.pending.append(pending)

    def _confirm(self, key: Expect, at: datetime | None) -> None:
        """``at`` None: the expectation is void (overtaken), not confirmed."""
        for p in self.pending:
            if key in p.expected:
                p.expected.discard(key)
                if at is not None and (p.confirmed_real is None or at > p.confirmed_real):
                    p.confirmed_real = at
                if not p.expected:
                    p.done = True
                return

    def finished(self, *, force: bool = False) -> list[PendingCue]:
        """Pending cues now complete (all events seen, or past their deadline), in the order
        they were sent: a quick cue waits for a slower one before it, so the log reads in order."""
        now = time.monotonic()
        out: list[PendingCue] = []
        while self.pending and (force or self.pending[0].done or now >= self.pending[0].deadline):
            out.append(self.pending.pop(0))
        return out

    def next_deadline(self) -> float | None:
        times = [p.deadline for p in self.pending[:1]]
        if self.transition_until is not None:
            times.append(self.transition_until)
        retry = self.refusals.next_retry()
        if retry is not None:
            times.append(max(retry, time.monotonic() + RETRY_FLOOR_S))
        return min(times) if times else None

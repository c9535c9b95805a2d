"""OBS's state as studio sees it, and the commands that change it.

``ObsState`` is what OBS shows (actual, read back by the gateway) or should show (desired,
computed by the engine). ``None`` in an actual state means "not known": the diff then sends the
desired value. Commands are data: the gateway sends them, the as-run log records their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ObsState:
    program_scene: str | None = None
    preview_scene: str | None = None  # only meaningful in studio mode
    studio_mode: bool | None = None
    transition: str | None = None  # OBS transition name, e.g. "Fade" or "Cut"
    transition_ms: int | None = None
    # graphics-scene sources (by OBS source name, lower third excluded) and whether each is shown
    overlays: frozenset[tuple[str, bool]] | None = None
    lower_third_visible: bool | None = None
    lower_third_name: str | None = None
    lower_third_role: str | None = None
    streaming: bool | None = None
    recording: bool | None = None

    def overlay_map(self) -> dict[str, bool]:
        return dict(self.overlays or ())


@dataclass(frozen=True)
class Command:
    """Base of every command; ``reason`` is what the operator reads in the log and as-run."""

    reason: str = field(default="", kw_only=True)


@dataclass(frozen=True)
class SetTransition(Command):
    name: str  # OBS transition name ("Cut", "Fade", ...)
    duration_ms: int | None = None


@dataclass(frozen=True)
class SetProgramScene(Command):
    scene: str


@dataclass(frozen=True)
class SetPreviewScene(Command):
    scene: str


@dataclass(frozen=True)
class TriggerTransition(Command):
    """Studio mode: take what is in preview to program."""


@dataclass(frozen=True)
class SetSourceVisible(Command):
    scene: str  # the graphics scene
    source: str
    visible: bool


@dataclass(frozen=True)
class SetText(Command):
    input: str
    text: str


@dataclass(frozen=True)
class SetStreaming(Command):
    active: bool


@dataclass(frozen=True)
class SetRecording(Command):
    active: bool


@dataclass(frozen=True)
class CommandResult:
    command: Command
    ok: bool
    code: int | None = None  # OBS's request status code on failure
    comment: str = ""  # OBS's comment or the error's text
    elapsed_ms: float = 0.0

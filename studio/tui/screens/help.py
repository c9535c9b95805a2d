"""The help screen: every key and what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("space", "TAKE: start the next segment now (or one waiting for TAKE)"),
    ("h", "HOLD the segment on air (no automatic advance) / RELEASE"),
    ("s", "SKIP the next segment"),
    ("b", "BACK: the previous segment goes on air again (asks first)"),
    ("l", "FIRE the next lower third of this segment"),
    ("c", "CLEAR the lower third"),
    ("o", "toggle an overlay (pick from the list)"),
    ("+ / -", "NUDGE the soft schedule 30 s later / earlier"),
    ("m", "MESSAGE to the speaker on /presenter (empty clears it)"),
    ("p", "studio mode: next segment's scene into preview now"),
    ("r", "reconnect to OBS now"),
    ("a", "re-assert the show after a manual change in OBS"),
    ("?", "this help (Esc closes)"),
    ("q", "quit: detach (the show goes on) or stop the show; asks first"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for key, what in KEYS:
            table.add_row(key, what)
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static("[b]Keys[/b]")
            yield Static(table)
            yield Static(
                "Hard anchors never move. TAKE of a segment that stops the stream asks "
                "first. Keys never wait for OBS: the log shows what it answered.",
                id="help-note",
            )

    def action_close(self) -> None:
        self.dismiss(None)

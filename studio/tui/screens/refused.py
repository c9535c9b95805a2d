"""Shown instead of the operator's screen when another process already controls the show
(e.g. a second browser tab of ``studio serve``)."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.widgets import Static


class RefusedApp(App[int]):
    TITLE = "studio"
    CSS = """
    Screen { align: center middle; }
    #refused { width: auto; max-width: 76; border: heavy $error; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape", "quit_refused", "Quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(
                f"[b]{escape(self.message)}[/b]\n\nThis screen controls nothing. Press q to close.",
                id="refused",
            )

    def action_quit_refused(self) -> None:
        self.exit(1)

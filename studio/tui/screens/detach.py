"""Quitting a screen attached to a show service: detach (the show goes on), stop the show, or
cancel. ``d`` / Enter detaches, ``s`` stops the show, ``c`` / Escape cancels."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

Choice = Literal["detach", "stop", "cancel"]


class DetachScreen(ModalScreen[str]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,enter", "choose('detach')", "Detach"),
        Binding("s", "choose('stop')", "Stop the show"),
        Binding("c,escape,n", "choose('cancel')", "Cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static("[b]d[/b] / Enter: detach (the show goes on)     "
                         "[b]s[/b]: stop the show     [b]c[/b] / Esc: cancel", id="confirm-keys")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

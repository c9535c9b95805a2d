"""The operator's message to the speaker (key ``m``): shown large on ``/presenter`` until
cleared. Enter sends the text; Enter on an empty line clears the message shown; Esc cancels."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

MAX_MESSAGE = 200  # as the API allows


class MessageScreen(ModalScreen[str | None]):
    """Dismissed with the new text ("" to clear), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        now = f"Shown now: {self.current}" if self.current else "No message is shown now."
        with Vertical(id="message-box", classes="dialog"):
            yield Static("Message to the speaker (presenter view)", markup=False)
            yield Static(now, id="message-current", markup=False)
            yield Input(value=self.current, max_length=MAX_MESSAGE, id="message-input",
                        placeholder="e.g. Two minutes left")
            yield Static("Enter: show it · empty + Enter: clear it · Esc: cancel",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()))

    def action_cancel(self) -> None:
        self.dismiss(None)

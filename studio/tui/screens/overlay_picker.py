"""Pick an overlay to toggle: the catalogue's overlays with their state now."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class OverlayPicker(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,o", "cancel", "Cancel")]

    def __init__(self, overlays: Sequence[str], up: Sequence[str]) -> None:
        super().__init__()
        self.overlays = tuple(overlays)
        self.up = frozenset(up)

    def compose(self) -> ComposeResult:
        options = []
        for overlay in self.overlays:
            label = Text()
            if overlay in self.up:
                label.append("● up    ", "bold green")
            else:
                label.append("○ down  ", "dim")
            label.append(overlay)
            options.append(Option(label, id=overlay))
        with Vertical(id="picker-box", classes="dialog"):
            yield Static("Toggle which overlay?  (Enter toggles, Esc cancels)")
            yield OptionList(*options, id="overlay-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""Graphics: which overlays are up, the lower third on air and queued, the segment's notes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from studio.engine.projection import Projection


def _lower_third(value: tuple[str, str] | None) -> str:
    if value is None:
        return "—"
    name, role = value
    return f"{name} — {role}" if role else name


class GraphicsPanel(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.border_title = "GRAPHICS"
        self._key: tuple[object, ...] = ()

    def show(self, projection: Projection) -> None:
        g = projection.graphics
        notes = projection.on_air.notes if projection.on_air else ""
        key = (g.overlays_up, g.lower_third_on_air, g.lower_third_queued, notes)
        if key == self._key:
            return
        self._key = key
        text = Text(overflow="ellipsis")
        text.append("LT on air ", "bold")
        on_air_style = "bold red" if g.lower_third_on_air else "dim"
        text.append(_lower_third(g.lower_third_on_air), on_air_style)
        text.append("\nLT queued ", "bold")
        text.append(_lower_third(g.lower_third_queued), "" if g.lower_third_queued else "dim")
        text.append("\nOverlays  ", "bold")
        overlays = ", ".join(g.overlays_up)
        text.append(overlays or "none", "" if overlays else "dim")
        if notes:
            text.append("\nNotes     ", "bold")
            text.append(notes, "italic")
        self.update(text, layout=False)

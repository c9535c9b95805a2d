"""Graphics: which overlays are up, the lower third on air and queued, the segment's notes.

The overlay list wraps onto the lines below (the notes give way: they are also in the
run-of-show). When even that is too short (a narrow terminal, many overlays) the overlays that
came up during the segment on air (an operator's toggle) are listed first and the rest counted
("+2 more"), so one just toggled on is never hidden behind an ellipsis."""

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
        self._segment: str | None = None
        self._seen: tuple[str, ...] = ()  # overlays up when this segment came on air, or since
        self._recent: list[str] = []  # came up during the segment, latest first
        self._last: Projection | None = None

    def show(self, projection: Projection) -> None:
        self._last = projection
        g = projection.graphics
        notes = projection.on_air.notes if projection.on_air else ""
        size = self.scrollable_content_region.size
        key = (g.overlays_up, g.lower_third_on_air, g.lower_third_queued, notes, size)
        if key == self._key:
            return
        self._key = key
        segment = projection.on_air.segment_id if projection.on_air else None
        if segment != self._segment:
            self._segment, self._recent = segment, []
        else:
            self._recent = [o for o in g.overlays_up if o not in self._seen] + [
                o for o in self._recent if o in g.overlays_up and o in self._seen]
        self._seen = g.overlays_up
        first = [o for o in self._recent if o in g.overlays_up]
        ordered = (*first, *(o for o in g.overlays_up if o not in first))
        text = Text(overflow="ellipsis")
        text.append("LT on air ", "bold")
        on_air_style = "bold red" if g.lower_third_on_air else "dim"
        text.append(_lower_third(g.lower_third_on_air), on_air_style)
        text.append("\nLT queued ", "bold")
        text.append(_lower_third(g.lower_third_queued), "" if g.lower_third_queued else "dim")
        text.append("\nOverlays  ", "bold")
        budget = max(size.height - 2, 1) if size.height else 99
        room = size.width - len("Overlays  ") if size.width else 999  # not laid out yet
        lines = overlay_lines(ordered, max(room, 10), budget)
        text.append("\n          ".join(lines) or "none", "" if lines else "dim")
        if notes and (not size.height or 2 + len(lines) < size.height):
            text.append("\nNotes     ", "bold")
            text.append(notes, "italic")
        self.update(text, layout=False)

    def on_resize(self) -> None:
        self._key = ()  # lay the overlay list out again for the new width, now
        if self._last is not None:
            self.show(self._last)


def overlay_lines(overlays: tuple[str, ...], width: int, max_lines: int = 99) -> list[str]:
    """The overlay ids, comma-separated, wrapped at ``width`` between ids (never inside one),
    in at most ``max_lines`` lines: those that do not fit are counted at the end ("+2 more")."""
    for shown in range(len(overlays), -1, -1):
        rest = len(overlays) - shown
        pieces = [o + "," for o in overlays[:shown]]
        if rest:
            pieces.append(f"+{rest} more")
        elif pieces:
            pieces[-1] = pieces[-1][:-1]
        lines: list[str] = []
        for piece in pieces:
            if lines and len(lines[-1]) + 1 + len(piece) <= width:
                lines[-1] += " " + piece
            else:
                lines.append(piece)
        if len(lines) <= max_lines:
            return lines
    return [f"+{len(overlays)} more"]

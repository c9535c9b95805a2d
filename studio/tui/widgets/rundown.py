"""The rundown: every segment with planned and projected start, status, delay and re-timing
notes. Rows are keyed by segment id; a refresh updates only the cells whose text changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.widgets import DataTable

from studio.engine.projection import RundownRow, SegmentStatus, StartKind
from studio.tui.format import delay_text, time_text

COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("plan", "Plan", 8),
    ("proj", "Proj", 8),
    ("delay", "Delay", 8),
    ("status", "Status", 7),
    ("title", "Segment", 26),
    ("start", "Cue", 4),
    ("scene", "Scene", 14),
    ("note", "Re-timing", None),
)

_STATUS: dict[SegmentStatus, tuple[str, str]] = {
    "done": ("done", "dim"),
    "on_air": ("ON AIR", "bold white on red"),
    "next": ("next", "bold cyan"),
    "pending": ("", ""),
    "skipped": ("skipped", "dim strike"),
    "held": ("HELD", "bold black on yellow"),
}
_KIND: dict[StartKind, tuple[str, str]] = {
    "hard": ("hard", "cyan"),
    "soft": ("soft", ""),
    "manual": ("TAKE", "yellow"),
}

Cell = tuple[str, str]  # (text, style)


def row_cells(
    row: RundownRow, show_date: date, seconds: tuple[bool, bool] = (False, False)
) -> tuple[Cell, ...]:
    """The cells of one row; ``seconds``: whether the plan / projected columns show seconds
    (all rows alike, so a column reads evenly)."""
    delay = delay_text(row.delay)
    late = row.delay.total_seconds() > 0
    dim = "dim" if row.status in ("done", "skipped") else ""
    return (
        (time_text(row.planned_start, show_date, seconds=seconds[0]), dim),
        (time_text(row.projected_start, show_date, seconds=seconds[1]),
         dim or ("yellow" if late else "")),
        (delay, "red" if late else "green") if delay else ("", ""),
        _STATUS[row.status],
        (row.title, "bold" if row.status == "on_air" else dim),
        _KIND[row.anchor],
        (row.scene, dim),
        (row.note, "yellow"),
    )


def _text(cell: Cell) -> Text:
    return Text(cell[0], cell[1] or "", no_wrap=True, overflow="ellipsis")


class RundownTable(DataTable[Text]):
    def __init__(self, show_date: date, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_cursor=False)
        self.border_title = "RUNDOWN"
        self._date = show_date
        self._ids: tuple[str, ...] = ()
        self._cells: dict[str, tuple[Cell, ...]] = {}
        self._current: str | None = None
        self.updates = 0  # cells written since mount (tests and the redraw benchmark read it)

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    def show(self, rows: Sequence[RundownRow], current: str | None) -> None:
        ids = tuple(r.segment_id for r in rows)
        seconds = (any(r.planned_start.second for r in rows),
                   any(r.projected_start.second for r in rows))
        if ids != self._ids:
            self.clear()
            self._cells = {}
            for row in rows:
                cells = row_cells(row, self._date, seconds)
                self._cells[row.segment_id] = cells
                self.add_row(*(_text(c) for c in cells), key=row.segment_id)
                self.updates += len(cells)
            self._ids = ids
            self._current = None
        else:
            for row in rows:
                cells = row_cells(row, self._date, seconds)
                old = self._cells[row.segment_id]
                if cells == old:
                    continue
                self._cells[row.segment_id] = cells
                for (key, _, _), new, was in zip(COLUMNS, cells, old, strict=True):
                    if new != was:
                        self.update_cell(row.segment_id, key, _text(new))
                        self.updates += 1
        if current != self._current:
            self._current = current
            # after the next layout: on the first show the table has no size yet
            self.call_after_refresh(self._scroll_to_current)

    def on_resize(self) -> None:
        self.call_after_refresh(self._scroll_to_current)

    def _scroll_to_current(self) -> None:
        """Keep the current segment in view, with two rows of what went before."""
        current = self._current
        if current is not None and current in self._cells:
            index = self.get_row_index(current)
            self.move_cursor(row=index, animate=False, scroll=False)
            self.scroll_to(y=max(index - 2, 0), animate=False, immediate=True)

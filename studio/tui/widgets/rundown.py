"""The rundown: every segment with planned and projected start, status, delay and re-timing
notes. Rows are keyed by segment id; a refresh updates only the cells whose text changed.

Columns follow the terminal's width (``layout``): the scene, the times, status and cue are as
wide as their longest text (a scene name is never cut), the segment title takes what is left up
to its longest, the re-timing note the rest. When that does not fit, the least useful columns
go first (re-timing, then plan, delay and cue: projected start and delay still tell it) rather
than every column being cut; only the title is ever shortened (with an ellipsis)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo

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
KEYS = tuple(key for key, _, _ in COLUMNS)
LABELS = {key: label for key, label, _ in COLUMNS}
DROP_ORDER = ("note", "plan", "delay", "start")  # the first to go when the width is short
MIN_TITLE = 24  # below this the next column in DROP_ORDER goes instead
MIN_NOTE = 12  # a re-timing column narrower than this is left out
PADDING = 1  # DataTable's cell padding, each side
# room for what a cell may come to read, so a tick or a TAKE never changes the columns (which
# rebuilds the table): a projected start with seconds (a TAKE or a nudge gives them), a delay up
# to "+59:59", any status; the planned starts never change while the show runs
MIN_WIDTH = {"proj": 8, "delay": 6, "status": 7}

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
    row: RundownRow, show_date: date, seconds: tuple[bool, bool] = (False, False),
    tz: tzinfo | None = None,
) -> tuple[Cell, ...]:
    """The cells of one row; ``seconds``: whether the plan / projected columns show seconds
    (all rows alike, so a column reads evenly)."""
    delay = delay_text(row.delay)
    late = row.delay.total_seconds() > 0
    dim = "dim" if row.status in ("done", "skipped") else ""
    return (
        (time_text(row.planned_start, show_date, seconds=seconds[0], tz=tz), dim),
        (time_text(row.projected_start, show_date, seconds=seconds[1], tz=tz),
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


def layout(width: int, cells: Sequence[tuple[Cell, ...]]) -> tuple[tuple[str, int], ...]:
    """The columns to show in ``width`` cells, each with its width (pure: tests call it)."""
    need = {key: max([len(LABELS[key]), MIN_WIDTH.get(key, 0)] + [len(row[i][0]) for row in cells])
            for i, key in enumerate(KEYS)}
    shown = list(KEYS)

    def fixed() -> int:
        return sum(need[k] + 2 * PADDING for k in shown if k not in ("title", "note")) \
            + 2 * PADDING * (("title" in shown) + ("note" in shown))

    for victim in DROP_ORDER:
        rest = width - fixed()
        if victim == "note":
            if rest - min(need["title"], rest) >= MIN_NOTE:
                continue  # room for notes after the whole title
        elif rest >= MIN_TITLE:
            break
        shown.remove(victim)
    rest = max(width - fixed(), 1)
    title = min(need["title"], rest)
    widths = {k: need[k] for k in shown}
    widths["title"] = title
    if "note" in shown:
        widths["note"] = max(rest - title, 1)
    return tuple((k, widths[k]) for k in shown)


class RundownTable(DataTable[Text]):
    def __init__(self, show_date: date, *, tz: tzinfo | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, show_cursor=False)
        self.border_title = "RUNDOWN"
        self._date = show_date
        self._tz = tz  # the show's zone: the offset in the autumn's repeated hour
        self._ids: tuple[str, ...] = ()
        self._cells: dict[str, tuple[Cell, ...]] = {}
        self._current: str | None = None
        self.updates = 0  # cells written since mount (tests and the redraw benchmark read it)
        self._layout: tuple[tuple[str, int], ...] = ()
        self._rows: Sequence[RundownRow] = ()

    def _width(self) -> int:
        """Room for the columns: the outer width less border and padding and the scrollbar's
        column, whether it shows or not (so a scrollbar coming and going never re-lays out)."""
        width = self.region.width
        if not width:
            return 76  # not laid out yet: an 80-column terminal
        return width - self.styles.gutter.width - 1

    def _relayout(self, cells: Sequence[tuple[Cell, ...]]) -> bool:
        """Columns for the present width; True if they changed (the table is then rebuilt)."""
        new = layout(self._width(), cells)
        if new == self._layout:
            return False
        self._layout = new
        self.clear(columns=True)
        for key, width in new:
            self.add_column(LABELS[key], key=key, width=width)
        return True

    def show(self, rows: Sequence[RundownRow], current: str | None) -> None:
        ids = tuple(r.segment_id for r in rows)
        self._rows = rows
        seconds = (any(r.planned_start.second for r in rows),
                   any(r.projected_start.second for r in rows))
        all_cells = [row_cells(row, self._date, seconds, self._tz) for row in rows]
        if self._relayout(all_cells) or ids != self._ids:
            self.clear()
            self._cells = {}
            index = {key: i for i, key in enumerate(KEYS)}
            for row, cells in zip(rows, all_cells, strict=True):
                self._cells[row.segment_id] = cells
                self.add_row(*(_text(cells[index[k]]) for k, _ in self._layout),
                             key=row.segment_id)
                self.updates += len(self._layout)
            self._ids = ids
            self._current = None
        else:
            for row, cells in zip(rows, all_cells, strict=True):
                old = self._cells[row.segment_id]
                if cells == old:
                    continue
                self._cells[row.segment_id] = cells
                shown = {k for k, _ in self._layout}
                for key, new, was in zip(KEYS, cells, old, strict=True):
                    if new != was and key in shown:
                        self.update_cell(row.segment_id, key, _text(new))
                        self.updates += 1
        if current != self._current:
            self._current = current
            # after the next layout: on the first show the table has no size yet
            self.call_after_refresh(self._scroll_to_current)

    def on_resize(self) -> None:
        if self._rows:
            current, self._current = self._current, None
            self.show(self._rows, current)  # columns for the new width
        self.call_after_refresh(self._scroll_to_current)

    def _scroll_to_current(self) -> None:
        """Keep the current segment in view, with two rows of what went before."""
        current = self._current
        if current is not None and current in self._cells:
            index = self.get_row_index(current)
            self.move_cursor(row=index, animate=False, scroll=False)
            self.scroll_to(y=max(index - 2, 0), animate=False, immediate=True)

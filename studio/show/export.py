"""The resolved run-of-show in other shapes: a producer's table, JSON, CSV, Markdown, iCalendar.

Pure: times come from ``timing.plan_times`` (aware datetimes in the show's zone); the only
"now" (the iCalendar DTSTAMP) is passed in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import textwrap
from datetime import UTC, datetime, timedelta
from typing import Any

from studio.show.model import Segment, Show
from studio.show.timing import PlannedTimes, format_clock, format_duration, plan_times

FORMATS = ("table", "json", "csv", "markdown", "ics")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _iso_duration(d: timedelta) -> str:
    seconds = round(d.total_seconds())
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")
    return out if out != "PT" else "PT0S"


def _organiser(show: Show, seg: Segment) -> str:
    if seg.organiser is None:
        return ""
    org = show.organisers.get(seg.organiser)
    return org.name if org is not None else seg.organiser


def _cue(seg: Segment, times: PlannedTimes) -> str:
    return ("hard" if times.anchor == "hard" else "soft") + (" manual" if seg.manual else "")


def _pairs(show: Show) -> list[tuple[Segment, PlannedTimes]]:
    return list(zip(show.segments, plan_times(show), strict=True))


# --------------------------------------------------------------------------- json


def to_data(show: Show) -> dict[str, Any]:
    pairs = _pairs(show)
    segments: list[dict[str, Any]] = []
    for seg, t in pairs:
        segments.append({
            "id": seg.id,
            "title": seg.display_title,
            "scene": seg.scene,
            "start": t.start.isoformat(),
            "end": t.end.isoformat(),
            "duration": _iso_duration(t.duration),
            "duration_seconds": t.duration.total_seconds(),
            "anchor": t.anchor,
            "manual": seg.manual,
            "organiser": seg.organiser,
            "organiser_name": _organiser(show, seg) or None,
            "transition": str(seg.transition) if seg.transition is not None else None,
            "overlays": list(seg.overlays),
            "lower_thirds": [
                {
                    "name": lt.name,
                    "role": lt.role,
                    # in UTC: wall-clock + timedelta is wrong across a DST change
                    "at": (t.start.astimezone(UTC) + lt.at).astimezone(t.start.tzinfo)
                    .isoformat(),
                    "offset_seconds": lt.at.total_seconds(),
                    "for_seconds": lt.for_.total_seconds() if lt.for_ is not None else None,
                }
                for lt in seg.lower_thirds
            ],
            "stream": seg.stream,
            "record": seg.record,
            "notes": seg.notes,
        })
    return {
        "show": show.title,
        "date": show.date.isoformat(),
        "timezone": show.timezone,
        "start": pairs[0][1].start.isoformat() if pairs else None,
        "end": pairs[-1][1].end.isoformat() if pairs else None,
        "segments": segments,
    }


def to_json(show: Show) -> str:
    return json.dumps(to_data(show), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- csv

CSV_COLUMNS = (
    "id", "title", "scene", "start", "end", "duration", "anchor", "manual", "organiser",
    "transition", "overlays", "lower_thirds", "stream", "record", "notes",
)


def to_csv(show: Show) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for seg, t in _pairs(show):
        thirds = "; ".join(f"{lt.name} ({lt.role})" if lt.role else lt.name
                           for lt in seg.lower_thirds)
        writer.writerow([
            seg.id, seg.display_title, seg.scene, t.start.isoformat(), t.end.isoformat(),
            format_duration(t.duration), t.anchor, "yes" if seg.manual else "no",
            _organiser(show, seg), str(seg.transition or ""), " ".join(seg.overlays), thirds,
            seg.stream or "", seg.record or "", seg.notes,
        ])
    return buffer.getvalue()


# --------------------------------------------------------------------------- table and markdown


def _clock(show: Show, t: datetime, with_offset: bool) -> str:
    text = format_clock(t)
    days = (t.date() - show.date).days
    if days:
        text += f" +{days}d"
    if with_offset:
        text += " " + t.strftime("%z")[:3] + ":" + t.strftime("%z")[3:]
    return text


def _header(show: Show, pairs: list[tuple[Segment, PlannedTimes]]) -> list[str]:
    day = _WEEKDAYS[show.date.weekday()]
    lines = [show.title, f"{day} {show.date.isoformat()}, times in {show.timezone}"]
    if pairs:
        first, last = pairs[0][1], pairs[-1][1]
        total = last.end.astimezone(UTC) - first.start.astimezone(UTC)
        manual = sum(1 for seg, _ in pairs if seg.manual)
        lines.append(
            f"{len(pairs)} segments, {_clock(show, first.start, False)}–"
            f"{_clock(show, last.end, False)} ({format_duration(total)}), {manual} manual"
        )
    return lines


def _table_rows(show: Show, pairs: list[tuple[Segment, PlannedTimes]]) -> list[list[str]]:
    offsets = {t.start.utcoffset() for _, t in pairs} | {t.end.utcoffset() for _, t in pairs}
    with_offset = len(offsets) > 1  # a daylight-saving change inside the show: show offsets
    rows = []
    for i, (seg, t) in enumerate(pairs, start=1):
        graphics = list(seg.overlays)  # the organiser's logo is implied by ORGANISER
        if seg.lower_thirds:
            graphics.append(f"{len(seg.lower_thirds)} LT")
        flags = []
        if seg.stream:
            flags.append(f"stream {seg.stream}")
        if seg.record:
            flags.append(f"rec {seg.record}")
        rows.append([
            str(i), _clock(show, t.start, with_offset), _clock(show, t.end, with_offset),
            format_duration(t.duration), _cue(seg, t), seg.id, seg.display_title, seg.scene,
            _organiser(show, seg), ", ".join(graphics), ", ".join(flags),
        ])
    return rows


TABLE_COLUMNS = ("#", "START", "END", "DUR", "CUE", "ID", "TITLE", "SCENE", "ORGANISER",
                 "GRAPHICS", "OUTPUT")


def to_table(show: Show, width: int | None = None) -> str:
    """The producer's table; with ``width``, at most that wide when it can be (see ``_fit``)."""
    pairs = _pairs(show)
    return "\n".join([*_header(show, pairs), "", *_fit(_table_rows(show, pairs), width)]) + "\n"


_RIGHT = {0, 3}  # numbers and durations align right
_TITLE = TABLE_COLUMNS.index("TITLE")
_DETAILS = tuple(TABLE_COLUMNS.index(c) for c in ("ORGANISER", "GRAPHICS", "OUTPUT"))
_INDENT = "    "


def _fit(rows: list[list[str]], width: int | None) -> list[str]:
    """The table in columns. Too wide for ``width``: first organiser, graphics and output move
    onto an indented line under their row, then the title too (a line of its own above them).
    Nothing is left out; only very long ids still overflow."""
    table = [list(TABLE_COLUMNS), *rows]
    natural = [max(len(row[c]) for row in table) for c in range(len(TABLE_COLUMNS))]

    def fits(columns: list[int]) -> bool:
        return sum(natural[c] for c in columns) + 2 * (len(columns) - 1) <= (width or 0)

    everything = list(range(len(TABLE_COLUMNS)))
    if width is None or fits(everything):
        return _lines(table, everything, natural, [])
    below = list(_DETAILS)
    columns = [c for c in everything if c not in below]
    if not fits(columns):
        below.insert(0, _TITLE)
        columns.remove(_TITLE)
    return _lines(table, columns, natural, below, width)


def _lines(table: list[list[str]], columns: list[int], widths: list[int], below: list[int],
           width: int | None = None) -> list[str]:
    out = []
    for n, row in enumerate(table):
        cells = [row[c].rjust(widths[c]) if c in _RIGHT else row[c].ljust(widths[c])
                 for c in columns]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * widths[c] for c in columns))
            continue
        wrap = max((width or 80) - len(_INDENT), 20)
        if _TITLE in below:
            out += textwrap.wrap(row[_TITLE], wrap, initial_indent=_INDENT,
                                 subsequent_indent=_INDENT, break_on_hyphens=False)
        details = " · ".join(row[c] for c in below if c != _TITLE and row[c])
        if details:
            out += textwrap.wrap(details, wrap, initial_indent=_INDENT, subsequent_indent=_INDENT,
                                 break_on_hyphens=False)  # ids stay whole
    return out


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(show: Show) -> str:
    pairs = _pairs(show)
    head = _header(show, pairs)
    out = [f"# {_md(head[0])}", "", *(f"{_md(line)}  " for line in head[1:]), ""]
    out.append(
        "| # | Start | End | Duration | Cue | Segment | Scene | Organiser | Graphics | Notes |"
    )
    out.append("|--:|---|---|--:|---|---|---|---|---|---|")
    for row, (seg, _t) in zip(_table_rows(show, pairs), pairs, strict=True):
        number, start, end, dur, cue, seg_id, title, scene, org, graphics, flags = row
        lts = "; ".join(f"{lt.name}, {lt.role}" if lt.role else lt.name
                        for lt in seg.lower_thirds)
        notes = " ".join(x for x in (flags, lts and f"Lower thirds: {lts}.", seg.notes) if x)
        cells = [number, start, end, dur, cue, f"**{_md(title)}** (`{seg_id}`)", scene, org,
                 graphics, notes]
        out.append("| " + " | ".join(_md(c) if i != 5 else c for i, c in enumerate(cells)) + " |")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- iCalendar


def _ics_text(text: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 sequence (continuations start with a space)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    limit = 75
    while raw:
        cut = min(limit, len(raw))
        while cut < len(raw) and (raw[cut] & 0xC0) == 0x80:  # inside a multi-byte character
            cut -= 1
        parts.append(raw[:cut].decode("utf-8"))
        raw = raw[cut:]
        limit = 74  # the leading space of a continuation line counts
    return "\r\n ".join(parts)


def _utc(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def to_ics(show: Show, now: datetime) -> str:
    """An iCalendar (RFC 5545) file: one event per segment, times in UTC, stable UIDs."""
    key = hashlib.sha1(f"{show.title}\0{show.date}".encode(), usedforsecurity=False)
    show_key = key.hexdigest()[:12]
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//studio//run-of-show//EN",
        "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_text(show.title)}",
        f"X-WR-TIMEZONE:{show.timezone}",
    ]
    for seg, t in _pairs(show):
        details = [f"Scene: {seg.scene}", f"Cue: {_cue(seg, t)}"]
        if seg.organiser:
            details.append(f"Organiser: {_organiser(show, seg)}")
        details += [f"Lower third: {lt.name}, {lt.role}" if lt.role else f"Lower third: {lt.name}"
                    for lt in seg.lower_thirds]
        if seg.notes:
            details.append(seg.notes)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{show.date.isoformat()}-{seg.id}-{show_key}@studio.run-of-show",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(t.start)}",
            f"DTEND:{_utc(t.end)}",
            f"SUMMARY:{_ics_text(seg.display_title)}",
            f"DESCRIPTION:{_ics_text(chr(10).join(details))}",
            f"CATEGORIES:{_ics_text(show.title)}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def render(show: Show, fmt: str, now: datetime, width: int | None = None) -> str:
    """``width``: what the table may take (None: as wide as its longest row)."""
    if fmt == "table":
        return to_table(show, width)
    if fmt == "json":
        return to_json(show)
    if fmt == "csv":
        return to_csv(show)
    if fmt == "markdown":
        return to_markdown(show)
    if fmt == "ics":
        return to_ics(show, now)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")

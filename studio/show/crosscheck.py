"""Checks across fields and files: references into the catalogue and the organisers, duplicate
segment ids, the shape of the running order, and (through ``timing``) the planned times.

Each problem is reported at the referring file's line and column.
"""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from typing import TYPE_CHECKING

from studio.show.errors import suggest
from studio.show.model import BUILTIN_TRANSITIONS, ShowFile, parse_duration
from studio.show.yamlpos import Node, quote

if TYPE_CHECKING:
    from collections.abc import Sequence

    from studio.show.loader import _Loaded
    from studio.show.timing import PlannedTimes


def run(doc: _Loaded, sf: ShowFile | None) -> None:
    zone_ok = _check_timezone(doc)
    date_ok = _check_date(doc)
    _check_organiser_logos(doc)
    _check_segments(doc)
    if sf is not None and doc.complete and zone_ok and date_ok:
        _check_times(doc, sf)


def _check_date(doc: _Loaded) -> bool:
    """pydantic reads a bare number as a Unix timestamp: a date must be written YYYY-MM-DD."""
    node = doc.root.child("date")
    if node is None or not isinstance(node.value, int | float):
        return True
    if not any((d.line, d.column) == (node.line, node.column) for d in doc.diags):
        doc.error(node, f"bad date {node.value}: use YYYY-MM-DD")
    return False


def _check_timezone(doc: _Loaded) -> bool:
    node = doc.root.child("timezone")
    if node is None or not isinstance(node.value, str) or not node.value:
        return False
    try:
        zoneinfo.ZoneInfo(node.value)
        return True
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    try:
        known = zoneinfo.available_timezones()
    except Exception:  # pragma: no cover - no time zone database at all
        known = set()
    doc.error(node, f"unknown time zone {node.value!r}{suggest(node.value, known)}; "
                    "use an IANA name like Europe/Stockholm")
    return False


def _text(node: Node | None) -> str | None:
    return node.value if node is not None and isinstance(node.value, str) else None


def _check_organiser_logos(doc: _Loaded) -> None:
    if doc.catalogue is None:
        return
    overlays = doc.catalogue.overlays
    for key, node in doc.organiser_nodes.items():
        logo_node = node.child("logo")
        logo = _text(logo_node)
        if logo is None or logo_node is None or logo in overlays:
            continue
        doc.error(logo_node, f"unknown overlay {quote(logo)} as the logo of {quote(key)}: "
                             f"not in the catalogue {doc.catalogue_shown}"
                             f"{suggest(logo, overlays)}", path=doc.organisers_shown)


def _check_segments(doc: _Loaded) -> None:
    """References and ids, read from the nodes so that invalid segments are checked too."""
    seg_list = doc.root.child("segments")
    if seg_list is None or seg_list.items is None:
        return
    cat = doc.catalogue
    first_line: dict[str, int] = {}
    for node in seg_list.items:
        if node.entries is None:
            continue
        id_node = node.child("id")
        seg_id = _text(id_node)
        if seg_id is not None and id_node is not None:
            if seg_id in first_line:
                doc.error(id_node, f"duplicate segment id {quote(seg_id)} "
                                   f"(first used on line {first_line[seg_id]})")
            else:
                first_line[seg_id] = id_node.line
        _check_lower_thirds(doc, node)
        org_node = node.child("organiser")
        organiser = _text(org_node)
        if organiser is not None and org_node is not None and doc.organisers is not None \
                and organiser not in doc.organiser_nodes:
            source = f"in {doc.organisers_shown}" if doc.organisers_shown != doc.shown else \
                "under 'organisers'"
            doc.error(org_node, f"unknown organiser {quote(organiser)}: not {source}"
                                f"{suggest(organiser, doc.organiser_nodes)}")
        if cat is None:
            continue
        scene_node = node.child("scene")
        scene = _text(scene_node)
        if scene and scene_node is not None and scene not in cat.scenes:
            doc.error(scene_node, f"unknown scene {quote(scene)}: not in the catalogue "
                                  f"{doc.catalogue_shown}{suggest(scene, cat.scenes)}")
        for item in (node.child("overlays") or node).items or []:
            overlay = _text(item)
            if overlay and overlay not in cat.overlays:
                doc.error(item, f"unknown overlay {quote(overlay)}: not in the catalogue "
                                f"{doc.catalogue_shown}{suggest(overlay, cat.overlays)}")
        tr_node = node.child("transition")
        transition = _text(tr_node)
        if transition and transition.split() and tr_node is not None:
            kind = transition.split()[0]
            known = [*BUILTIN_TRANSITIONS, *cat.transitions]
            if kind not in known:
                doc.error(tr_node, f"unknown transition {quote(kind)}: use one of "
                                   f"{', '.join(known)}{suggest(kind, known)}")


def _check_lower_thirds(doc: _Loaded, node: Node) -> None:
    for lt in (node.child("lower_thirds") or node).items or []:
        for_node = lt.child("for")
        text = _text(for_node)
        if text is None or for_node is None or any(c in text for c in "123456789"):
            continue  # a non-zero digit: longer than zero (or reported by validation)
        try:
            length = parse_duration(text)
        except ValueError:
            continue  # reported by validation
        if length <= timedelta(0):
            doc.error(for_node, "a lower third's 'for' must be longer than zero")


def _check_times(doc: _Loaded, sf: ShowFile) -> None:
    """Through ``timing``: the first segment's start, the last one's duration, anchors in order
    and not overlapping what precedes them, gaps (warnings), local times that a daylight-saving
    night skips or repeats, lower thirds beyond their segment."""
    from studio.show import timing

    report = timing.analyse(sf)
    problems = [*report.problems, *timing.lower_third_problems(sf, report.times)]
    for problem in problems:
        if problem.path[:1] == ("timezone",):
            continue  # checked above, with a suggestion
        node = doc.root
        for item in problem.path:
            child = node.child(item)
            if child is None:
                break
            node = child
        if node.entries is not None and len(problem.path) == 2:  # a whole segment: its id
            node = node.child("id") or node
        if problem.severity == "error":
            doc.error(node, problem.message)
        else:
            doc.warning(node, problem.message)
    _check_lower_third_ends(doc, sf, report.times)


def _check_lower_third_ends(doc: _Loaded, sf: ShowFile, times: Sequence[PlannedTimes]) -> None:
    """A lower third that starts inside its segment but would outlast it is cut short: warn."""
    from studio.show.timing import format_duration

    seg_list = doc.root.child("segments")
    for i, (seg, planned) in enumerate(zip(sf.segments, times, strict=False)):
        length = planned.duration
        for j, third in enumerate(seg.lower_thirds):
            if third.for_ is None or third.at >= length or third.at + third.for_ <= length:
                continue
            lt = seg_list.child(i) if seg_list else None
            lt = lt.child("lower_thirds") if lt else None
            lt = lt.child(j) if lt else None
            where = (lt.child("for") or lt) if lt else doc.root
            doc.warning(where, f"lower third {quote(third.name)} is cut short: it would run "
                               f"{format_duration(third.at + third.for_ - length)} past the end "
                               f"of segment {quote(seg.id)}")

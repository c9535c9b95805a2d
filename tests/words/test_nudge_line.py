"""The nudge line names the segment that takes up the time before the next hard anchor
(Tuesday's show, as README's what-if runs it)."""

from __future__ import annotations

from studio.engine.actions import Nudge, Take
from tests.words.tuesday import at, ev


def test_a_nudge_before_a_take_names_the_segment_that_ends_at_the_anchor() -> None:
    """README's what-if: at 10:20 skog-intro runs two minutes longer; skog-remote (TAKE) and
    what follows move, 13:00 holds: the lunch before it is cut short, not skog-intro."""
    take = Take(at("10:15"), who="operator")
    p = ev("10:20:01", take, Nudge(at("10:20"), who="operator", seconds=120))
    assert p.on_air is not None and p.on_air.segment_id == "skog-intro"
    assert p.warnings == ("NUDGE +120 s: lunch still ends at the 13:00 anchor (hard anchors stay)",)
    [row] = [r for r in p.rundown if r.segment_id == "skog-remote"]
    assert row.projected_start == at("10:57")  # it did move: skog-intro does not end at 13:00


def test_a_nudge_cut_by_the_next_anchor_still_names_the_segment_on_air() -> None:
    """The lunch runs into the 13:00 anchor: a nudge of it is absorbed by the lunch itself."""
    takes = (Take(at("10:15"), who="operator"), Take(at("10:55"), who="operator"))
    p = ev("12:00:01", *takes, Nudge(at("12:00"), who="operator", seconds=600))
    assert p.on_air is not None and p.on_air.segment_id == "lunch"
    assert p.warnings == ("NUDGE +600 s: lunch still ends at the 13:00 anchor (hard anchors stay)",)



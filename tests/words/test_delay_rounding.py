"""A delay reads the same in the rundown, in the alert and in what the views get: one
rounding rule (``studio.show.timing.whole_seconds``)."""

from __future__ import annotations

from datetime import timedelta

from studio.engine.actions import Hold, Release
from studio.engine.projection import Projection
from studio.tui.format import delay_text
from tests.words.tuesday import at, ev


def row_delay(p: Projection, segment: str) -> str:
    [row] = [r for r in p.rundown if r.segment_id == segment]
    return delay_text(row.delay)

def test_the_rundown_and_the_alert_give_one_delay() -> None:
    """A release 9 min 12.6 s after the break's time: the rundown said +9:12, the alert
    '9 min 13 s late' (truncated in one place, rounded in the other)."""
    acts = (Hold(at("09:59"), who="operator"), Release(at("10:09:12.6"), who="operator"))
    p = ev("10:09:13", *acts)
    assert row_delay(p, "paus-formiddag") == "+9:12"
    [alert] = p.consequences
    assert alert.startswith("paus-formiddag started 9 min 12 s late; 10:15 holds"), alert
    # the projected start beside it reads 10:09:12 as well
    [row] = [r for r in p.rundown if r.segment_id == "paus-formiddag"]
    assert row.projected_start.strftime("%H:%M:%S") == "10:09:12"
    assert row.delay == timedelta(minutes=9, seconds=12)  # what the views and the API get

"""A hard anchor the operator skipped is no wake-up: the next change is the next thing that
really changes (found by the engine's property test: BACK at 09:10, SKIP at 09:20, and at 09:50
the projection promised a change at 10:00, the skipped panel's time, where nothing changed)."""

from __future__ import annotations

from engine_show import at, day_show

from studio.engine.actions import Back, Skip
from studio.engine.core import evaluate
from studio.engine.timeline import compile


def test_a_skipped_anchor_is_no_wake_up() -> None:
    tl = compile(day_show())
    actions = [Back(at=at("09:10")), Skip(at=at("09:20"))]
    before = evaluate(tl, actions, at("09:50"))
    assert {r.segment_id: r.status for r in before.rundown}["panel"] == "skipped"
    assert before.next_change_at is not None
    after = evaluate(tl, actions, before.next_change_at)
    assert (after.desired, [r.status for r in after.rundown]) != (
        before.desired, [r.status for r in before.rundown])

"""An action's warning (the screen's alert after a FIRE with nothing queued) goes after
``WARNING_FOR`` or with the next action, not when the segment ends."""

from __future__ import annotations

from studio.engine.actions import Clear, Fire
from tests.words.tuesday import at, ev


def test_a_fire_warning_goes_after_fifteen_seconds() -> None:
    fire = Fire(at("09:01:04"), who="operator")  # welcome's lower third has run: none queued
    said = ("FIRE at 09:01:04: no lower third queued",)
    assert ev("09:01:05", fire).warnings == said
    assert ev("09:01:18", fire).warnings == said
    assert ev("09:01:19", fire).warnings == ()  # before: until welcome ended at 09:10
    assert ev("09:05", fire).warnings == ()


def test_a_fire_warning_goes_with_the_next_action() -> None:
    fire = Fire(at("09:01:04"), who="operator")
    assert ev("09:01:07", fire, Clear(at("09:01:06"), who="operator")).warnings == ()
    twice = ev("09:01:07", fire, Fire(at("09:01:06"), who="operator"))
    assert twice.warnings == ("FIRE at 09:01:06: no lower third queued",)  # the latest only



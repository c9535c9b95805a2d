"""What the presenter view reads from the engine: the operator's message (kept until cleared or
replaced, across segments, replayed from the journal like any action) and how far a held
segment or one waiting for TAKE runs past its due end."""

from __future__ import annotations

from datetime import timedelta

from engine_show import MIN, SEC, at, day_show, ev, on_air

from studio.engine.actions import ClearMessage, Hold, Message, Release
from studio.engine.timeline import compile
from studio.runner.journal import action_from_dict, action_to_dict

TL = compile(day_show())


def test_a_message_stays_up_across_segments_until_cleared() -> None:
    msg = Message(at("09:05"), who="deck", text="Two minutes")
    assert ev(TL, at("09:04"), msg).message == ""  # not yet
    assert ev(TL, at("09:05"), msg).message == "Two minutes"
    p = ev(TL, at("09:30"), msg)
    assert on_air(p) == "talk" and p.message == "Two minutes"  # welcome ended, still up
    newer = Message(at("09:31"), text="Wrap up")
    assert ev(TL, at("09:32"), msg, newer).message == "Wrap up"
    assert ev(TL, at("09:33"), msg, newer, ClearMessage(at("09:33"))).message == ""


def test_a_message_changes_nothing_on_air() -> None:
    plain = ev(TL, at("09:06"))
    with_msg = ev(TL, at("09:06"), Message(at("09:05"), text="Wave to the camera"))
    assert with_msg.desired == plain.desired and with_msg.next_change_at == plain.next_change_at


def test_a_message_survives_the_journal() -> None:
    msg = Message(at("09:05"), who="api", text="Sound check «ok»")
    assert action_from_dict(action_to_dict(msg)) == msg
    assert action_from_dict(action_to_dict(ClearMessage(at("09:06")))) == ClearMessage(at("09:06"))


def test_overrun_counts_up_while_held_and_is_zero_otherwise() -> None:
    p = ev(TL, at("09:08"))
    assert p.on_air is not None and p.on_air.overrun == timedelta(0)
    assert p.on_air.remaining == 2 * MIN
    held = [Hold(at("09:08"))]
    p = ev(TL, at("09:11:12"), *held)
    assert p.on_air is not None and p.on_air.segment_id == "welcome"
    assert p.on_air.overrun == MIN + 12 * SEC  # "+01:12" on the presenter
    p = ev(TL, at("09:12"), *held, Release(at("09:12")))
    assert p.on_air is not None and p.on_air.segment_id == "talk"
    assert p.on_air.overrun == timedelta(0)


def test_overrun_while_the_next_waits_for_take() -> None:
    # talk runs 09:10-09:55; qa is manual and waits for TAKE from 09:55
    p = ev(TL, at("09:57"))
    assert p.on_air is not None and p.on_air.segment_id == "talk"
    assert p.on_air.overrun == 2 * MIN

"""Send-ahead: how far before its instant a cue goes out, learned from OBS's answer times."""

from __future__ import annotations

from studio.engine.state import SetProgramScene, SetSourceVisible, SetText, TriggerTransition
from studio.runner.sendahead import CAP_MS, MIN_SAMPLES, WINDOW, SendAhead, kind_of


def test_nothing_is_sent_ahead_until_obs_answer_times_are_known() -> None:
    ahead = SendAhead()
    for ms in [5.0] * (MIN_SAMPLES - 1):
        ahead.record("switch", ms)
    assert ahead.lead_ms("switch") == 0.0
    ahead.record("graphics", 0.4)  # a graphics cue says nothing about switches
    assert ahead.lead_ms("switch") == 0.0
    ahead.record("switch", 5.0)
    assert ahead.lead_ms("switch") == 5.0


def test_lead_is_the_slowest_of_the_recent_answers_per_kind() -> None:
    ahead = SendAhead()
    for ms in [4.0, 4.5, 5.0, 5.5, 6.0, 4.2, 4.8, 5.2, 5.8, 9.0]:  # one slow answer in ten
        ahead.record("switch", ms)
    for ms in [0.3, 0.4, 0.5]:
        ahead.record("graphics", ms)
    assert ahead.lead_ms("switch") == 9.0
    assert ahead.lead_ms("graphics") == 0.5  # overlays answer fast: sent barely ahead
    for ms in [4.0] * WINDOW:  # OBS got quicker: the old answers are forgotten
        ahead.record("switch", ms)
    assert ahead.lead_ms("switch") == 4.0


def test_never_more_than_the_cap_and_nothing_when_disabled() -> None:
    ahead = SendAhead()
    for _ in range(MIN_SAMPLES):
        ahead.record("switch", 250.0)  # a stalled OBS must not make cues go out early
    assert ahead.lead_ms("switch") == CAP_MS
    off = SendAhead(enabled=False)
    for _ in range(MIN_SAMPLES):
        off.record("switch", 5.0)
    assert off.lead_ms("switch") == 0.0


def test_a_cue_is_a_switch_when_it_changes_the_program_scene() -> None:
    assert kind_of([SetSourceVisible("Graphics", "LIVE Bug", True, reason="r"),
                    SetProgramScene("Panel", reason="r")]) == "switch"
    assert kind_of([TriggerTransition(reason="r")]) == "switch"
    assert kind_of([SetText("LT Name", "Krister Ruth", reason="r")]) == "graphics"

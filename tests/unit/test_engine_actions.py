"""Every operator action, folded with the automatic cues, at explicit instants (no sleeps)."""

from __future__ import annotations

from datetime import timedelta

from engine_show import MIN, SEC, at, day_show, ev, on_air, row, status

from studio.engine.actions import (
    Back,
    Clear,
    Fire,
    Hold,
    Nudge,
    PreviewNext,
    Reassert,
    Release,
    Skip,
    Take,
    ToggleOverlay,
)
from studio.engine.timeline import compile

TL = compile(day_show())


def test_manual_segment_waits_for_take_then_starts_at_take() -> None:
    p = ev(TL, at("09:56"))
    assert on_air(p) == "talk"  # talk runs on: qa waits for TAKE
    assert p.next is not None and p.next.segment_id == "qa" and p.next.waits_for_take
    assert p.next.countdown <= timedelta(0)
    p = ev(TL, at("09:56:30"), Take(at("09:56")))
    assert on_air(p) == "qa"
    assert p.causes["program"] == "TAKE: segment qa starts"
    assert p.on_air is not None and p.on_air.started_at == at("09:56")
    assert row(p, "talk").projected_end == at("09:56")
    # qa (5 min) is cut by the 10:00 anchor: reported ahead
    assert row(p, "qa").note == "shortened from 5 to 4 min: 10:00 holds"
    assert on_air(ev(TL, at("10:00"), Take(at("09:56")))) == "panel"


def test_take_early_starts_the_next_now_and_soft_schedule_follows() -> None:
    p = ev(TL, at("09:05"), Take(at("09:05")))
    assert on_air(p) == "talk"
    assert row(p, "talk").projected_start == at("09:05")
    assert row(p, "talk").delay == -5 * MIN
    assert row(p, "qa").projected_start == at("09:50")
    assert status(p)["welcome"] == "done"
    # the welcome lower third scheduled at 1m never comes: its segment is over
    assert ev(TL, at("09:05:30"), Take(at("09:05"))).desired.lower_third_visible is False


def test_take_before_the_show_starts_the_first_segment() -> None:
    p = ev(TL, at("08:30"), Take(at("08:30")))
    assert on_air(p) == "slate" and p.desired.program_scene == "Holding Slate"
    assert on_air(ev(TL, at("09:00"), Take(at("08:30")))) == "welcome"  # 09:00 anchor holds


def test_hold_runs_on_and_release_starts_the_overdue_next_at_release() -> None:
    actions = [Hold(at("09:08"))]
    p = ev(TL, at("09:12"), *actions)
    assert on_air(p) == "welcome" and p.on_air is not None and p.on_air.held
    assert status(p)["welcome"] == "held"
    assert p.next is not None and p.next.segment_id == "talk" and p.next.waits_for_take
    assert p.next.start == at("09:12")
    # held, nothing starts by itself; but at panel's 10:00 anchor talk is squeezed out and
    # panel becomes next (studio mode puts it in preview then)
    assert p.next_change_at == at("10:00")
    assert row(p, "talk").delay == 2 * MIN
    actions.append(Release(at("09:13")))
    p = ev(TL, at("09:13"), *actions)
    assert on_air(p) == "talk"
    assert p.on_air is not None and p.on_air.started_at == at("09:13")
    assert "3 min after it was due" in p.causes["program"]
    assert row(p, "talk").projected_end == at("09:58")


def test_hold_keeps_a_hard_anchor_waiting() -> None:
    actions = [Take(at("09:56")), Hold(at("09:58"))]
    p = ev(TL, at("10:03"), *actions)
    assert on_air(p) == "qa"
    assert any("panel starts 3 min after its 10:00 anchor (held)" in c for c in p.consequences)
    p = ev(TL, at("10:05"), *actions, Release(at("10:05")))
    assert on_air(p) == "panel" and row(p, "panel").delay == 5 * MIN
    # panel is hard and ran late: break is soft and follows; the 11:00 anchor holds
    assert row(p, "break").projected_start == at("10:45")
    assert row(p, "lunch").projected_start == at("11:00")
    assert row(p, "break").note == "shortened from 20 to 15 min: 11:00 holds"


def test_take_ends_a_hold() -> None:
    p = ev(TL, at("09:20"), Hold(at("09:05")), Take(at("09:15")))
    assert on_air(p) == "talk" and p.on_air is not None and not p.on_air.held
    assert on_air(ev(TL, at("10:00"), Hold(at("09:05")), Take(at("09:15")))) == "panel"


def test_skip_next() -> None:
    p = ev(TL, at("09:05"), Skip(at("09:02")))
    assert status(p)["talk"] == "skipped" and row(p, "talk").note == "skipped by the operator"
    assert p.next is not None and p.next.segment_id == "qa"
    assert on_air(ev(TL, at("09:10"), Skip(at("09:02")))) == "welcome"  # qa is manual
    p = ev(TL, at("09:35"), Skip(at("09:30")))  # during talk: skip qa
    assert p.next is not None and p.next.segment_id == "panel" and p.next.kind == "hard"
    assert row(p, "panel").projected_start == at("10:00")


def test_skip_a_hard_anchor_lets_the_soft_chain_run() -> None:
    p = ev(TL, at("10:39"), Skip(at("10:30")))  # during panel: skip break
    assert p.next is not None and p.next.segment_id == "lunch"
    assert on_air(ev(TL, at("10:41"), Skip(at("10:30")))) == "panel"
    assert on_air(ev(TL, at("11:00"), Skip(at("10:30")))) == "lunch"


def test_back_airs_the_previous_segment_again() -> None:
    actions = [Back(at("09:12"))]
    p = ev(TL, at("09:12"), *actions)
    assert on_air(p) == "welcome"
    assert p.causes["program"] == "BACK: segment welcome again"
    assert p.on_air is not None and p.on_air.started_at == at("09:12")
    assert status(p)["talk"] == "next"
    assert p.desired.streaming is True  # BACK never stops a stream
    # welcome runs its 10 minutes again, then talk follows
    assert on_air(ev(TL, at("09:22"), *actions)) == "talk"
    # BACK before anything aired changes nothing, with a warning
    p = ev(TL, at("08:30"), Back(at("08:30")))
    assert p.on_air is None and any("nothing to go back to" in w for w in p.warnings)


def test_back_after_the_end() -> None:
    p = ev(TL, at("12:05"), Back(at("12:01")))
    assert on_air(p) == "lunch" and not p.ended


def test_nudge_moves_soft_times_but_not_hard_anchors() -> None:
    p = ev(TL, at("09:20"), Nudge(at("09:15"), seconds=120))
    assert row(p, "talk").projected_end == at("09:57")
    assert row(p, "qa").projected_start == at("09:57")
    assert row(p, "panel").projected_start == at("10:00")
    assert row(p, "qa").note == "shortened from 5 to 3 min: 10:00 holds"
    assert on_air(ev(TL, at("09:56"), Nudge(at("09:15"), seconds=120))) == "talk"
    p = ev(TL, at("09:20"), Nudge(at("09:15"), seconds=-300))
    assert row(p, "qa").projected_start == at("09:50")
    # nudging an hour later cannot move the 10:00 anchor
    p = ev(TL, at("09:20"), Nudge(at("09:15"), seconds=3600))
    assert row(p, "panel").projected_start == at("10:00")
    p = ev(TL, at("09:15") + timedelta(seconds=5), Nudge(at("09:15"), seconds=3600))
    assert p.warnings == ("NUDGE +3600 s: talk still ends at the 10:00 anchor (hard anchors stay)",)
    assert on_air(ev(TL, at("10:00"), Nudge(at("09:15"), seconds=3600))) == "panel"
    # below zero: the segment ends at the nudge
    assert on_air(ev(TL, at("09:30"), Nudge(at("09:30"), seconds=-3600))) == "talk"
    p = ev(TL, at("09:30"), Nudge(at("09:30"), seconds=-3600))
    assert p.next is not None and p.next.segment_id == "qa" and p.next.countdown == timedelta(0)


def test_fire_and_clear_lower_thirds() -> None:
    p = ev(TL, at("09:00:02"), Fire(at("09:00:01")))
    assert p.graphics.lower_third_on_air == ("Krister Ruth", "Strateg")
    assert p.graphics.lower_third_queued == ("Anna Berg", "Moderator")
    assert p.causes["lower_third"].startswith("FIRE: ")
    assert p.next_change_at == at("09:00:09")  # its 8 s count from the FIRE
    # its own cue at 5 s does not put it up again
    assert ev(TL, at("09:00:10"), Fire(at("09:00:01"))).desired.lower_third_visible is False
    # FIRE the second one early, CLEAR it
    acts = [Fire(at("09:00:20")), Fire(at("09:00:30")), Clear(at("09:00:40"))]
    assert ev(TL, at("09:00:35"), *acts).graphics.lower_third_on_air == ("Anna Berg", "Moderator")
    p = ev(TL, at("09:00:41"), *acts)
    assert p.desired.lower_third_visible is False and p.graphics.lower_third_queued is None
    assert p.causes["lower_third"] == "CLEAR: lower third Anna Berg down"
    assert ev(TL, at("09:01"), *acts).desired.lower_third_visible is False  # stays down
    p = ev(TL, at("09:01:40"), *acts, Fire(at("09:01:30")))
    assert any("no lower third queued" in w for w in p.warnings)
    # CLEAR an automatic lower third
    assert ev(TL, at("09:00:07"), Clear(at("09:00:06"))).desired.lower_third_visible is False


def test_toggle_overlay_until_the_segment_changes() -> None:
    p = ev(TL, at("09:20"), ToggleOverlay(at("09:15"), overlay="live-bug"),
           ToggleOverlay(at("09:16"), overlay="clock"))
    assert p.desired.overlay_map()["LIVE Bug"] is False
    assert p.desired.overlay_map()["Clock"] is True
    assert p.causes["overlay:LIVE Bug"] == "operator toggled live-bug"
    assert p.graphics.overlays_up == ("logo-skog", "clock")
    p = ev(TL, at("10:00"), ToggleOverlay(at("09:15"), overlay="live-bug"))
    assert p.desired.overlay_map()["LIVE Bug"] is False and on_air(p) == "panel"
    p = ev(TL, at("09:15"), ToggleOverlay(at("09:15"), overlay="nope"))
    assert any("unknown overlay 'nope'" in w for w in p.warnings)


def test_preview_next_loads_the_preview_early_in_studio_mode() -> None:
    lead = timedelta(seconds=30)
    p = ev(TL, at("09:20"), studio_mode=True, preview_lead=lead)
    assert p.desired.preview_scene is None
    p = ev(TL, at("09:20"), PreviewNext(at("09:19")), studio_mode=True, preview_lead=lead)
    assert p.desired.preview_scene == "Studio Close"


def test_reassert_and_future_actions_change_nothing() -> None:
    base = ev(TL, at("09:20"))
    assert ev(TL, at("09:20"), Reassert(at("09:19"))).desired == base.desired
    assert ev(TL, at("09:20"), Take(at("09:21"))).desired == base.desired


def test_action_at_a_cue_instant_comes_after_the_cues_at_that_instant() -> None:
    # TAKE at exactly 09:10: talk is on air by its cue then (inclusive), so TAKE starts qa
    # (more cases: test_engine_take_instants.py)
    p = ev(TL, at("09:10"), Take(at("09:10")))
    assert on_air(p) == "qa"
    assert ev(TL, at("09:10") + SEC, Take(at("09:10"))).on_air is not None

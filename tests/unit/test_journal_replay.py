"""Journalled actions replay onto the show they were made on, or not at all (the red team's
finding: a take of s25 journalled, s24-s27 removed from the file, the restart's replay put s28
on air 35 s before its anchor). The replay decision is pure: ``studio.engine.replay``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from studio.engine.actions import Action, Back, Hold, Message, Nudge, Release, Skip, Take
from studio.engine.replay import Effect, Entry, effect_of, replay, timeline_digest
from studio.engine.timeline import Timeline
from studio.engine.timeline import compile as compile_timeline
from studio.runner.journal import Journal, read_journal
from tests.unit.engine_show import at, ev, make_show, on_air, seg


def anchored(*ids: str) -> Timeline:
    """One-minute segments, each on its hard anchor: s0 at 09:00, s1 at 09:01, ..."""
    return compile_timeline(make_show(*(
        seg(i, start=f"09:{int(i[1:]):02d}", duration="1m") for i in ids)))


OLD = anchored(*(f"s{n}" for n in range(10)))
NEW = anchored("s0", "s1", "s2", "s3", "s7", "s8", "s9")  # the producer removed s4-s6


def journalled(tl: Timeline, *actions: Action) -> list[Entry]:
    """The entries as this version journals them, made one after the other on ``tl``."""
    out: list[Entry] = []
    for a in actions:
        out.append(Entry(a, effect_of(tl, [e.action for e in out], a), timeline_digest(tl)))
    return out


NOW = at("09:03:40")


def test_a_take_of_a_removed_segment_is_dropped_and_nothing_starts_early() -> None:
    take = Take(at=at("09:03:20"), who="api")  # s4 taken 40 s early on the old file
    entries = journalled(OLD, take)
    assert entries[0].effect == Effect(on_air="s3", started="s4")
    assert on_air(ev(NEW, NOW, take)) == "s7"  # as it was: the take lands on s7, 3:40 early
    r = replay(NEW, timeline_digest(NEW), entries, NOW)
    assert r.actions == ()
    assert r.dropped == [(take, "segment s4 is no longer in the show")]
    assert on_air(ev(NEW, NOW, *r.actions)) == "s3"
    assert on_air(ev(NEW, at("09:06:59"), *r.actions)) == "s3"
    assert on_air(ev(NEW, at("09:07:00"), *r.actions)) == "s7"  # on its anchor


def test_a_take_of_a_segment_still_there_still_starts_it() -> None:
    early = Take(at=at("09:01:30"))  # s2 taken early, then s4 (since removed)
    late = Take(at=at("09:03:20"), who="api")
    r = replay(NEW, timeline_digest(NEW), journalled(OLD, early, late), NOW)
    assert r.actions == (early,)
    assert [why for _, why in r.by_segment] == ["segment s2 starts"]
    assert [a for a, _ in r.dropped] == [late]
    p = ev(NEW, at("09:01:40"), *r.actions)
    assert on_air(p) == "s2"  # 30 s before its 09:02 anchor, as it was on air


INSERTED = compile_timeline(make_show(  # the producer put a segment in before s2
    seg("s0", start="09:00", duration="1m"), seg("s1", start="09:01", duration="1m"),
    seg("new", start="09:01:40", duration="20s"), seg("s2", start="09:02", duration="1m"),
    seg("s3", start="09:03", duration="1m")))


def test_a_take_whose_segment_is_no_longer_next_starts_that_segment() -> None:
    inserted = INSERTED
    take = Take(at=at("09:01:30"))  # started s2 on the old file
    r = replay(inserted, timeline_digest(inserted), journalled(OLD, take), NOW)
    assert r.actions == (Take(at=take.at, segment="s2"),)
    assert on_air(ev(inserted, at("09:01:45"), *r.actions)) == "s2"  # not 'new'
    assert on_air(ev(inserted, at("09:03:00"), *r.actions)) == "s3"


def test_an_unchanged_show_replays_exactly_as_journalled() -> None:
    actions = (Take(at=at("09:01:30")), Hold(at=at("09:02:10")), Nudge(at=at("09:02:20"),
               seconds=-30), Release(at=at("09:02:30")), Take(at=at("09:03:20")))
    r = replay(OLD, timeline_digest(OLD), journalled(OLD, *actions), NOW)
    assert r.actions == actions and not r.changed and not r.dropped and not r.by_segment


def test_a_journal_of_the_previous_version_replays_as_it_always_did() -> None:
    take = Take(at=at("09:03:20"), who="api")
    r = replay(NEW, timeline_digest(NEW), [Entry(take)], NOW)  # no effect, no digest
    assert r.actions == (take,) and not r.changed


def test_relative_actions_on_a_segment_no_longer_on_air_are_dropped() -> None:
    # on the old file s4 was taken early, held, nudged shorter, released; a message was sent
    take, hold = Take(at=at("09:03:20")), Hold(at=at("09:03:25"))
    nudge, release = Nudge(at=at("09:03:28"), seconds=-20), Release(at=at("09:03:30"))
    message = Message(at=at("09:03:31"), text="wrap up")
    r = replay(NEW, timeline_digest(NEW), journalled(OLD, take, hold, nudge, release, message),
               NOW)
    assert r.actions == (message,)
    assert dict(r.dropped) == {
        take: "segment s4 is no longer in the show",
        hold: "it was made on segment s4; segment s3 is on air then",
        nudge: "it was made on segment s4; segment s3 is on air then",
        release: "the show is not held then (its hold was dropped)",
    }
    assert on_air(ev(NEW, at("09:06:59"), *r.actions)) == "s3"  # neither held nor early


def test_a_hold_and_nudge_on_a_segment_still_on_air_replay() -> None:
    hold, release = Hold(at=at("09:02:10")), Release(at=at("09:03:30"))
    nudge = Nudge(at=at("09:02:20"), seconds=30)
    r = replay(NEW, timeline_digest(NEW), journalled(OLD, hold, nudge, release), NOW)
    assert r.actions == (hold, nudge, release) and not r.dropped
    assert on_air(ev(NEW, at("09:03:29"), *r.actions)) == "s2"  # held past s3's anchor


def test_a_skip_replays_onto_the_segment_it_skipped() -> None:
    skip = Skip(at=at("09:01:30"))  # skipped s2, the next one then
    r = replay(INSERTED, timeline_digest(INSERTED), journalled(OLD, skip), NOW)
    assert r.actions == (Skip(at=skip.at, segment="s2"),)  # not 'new', next now
    assert on_air(ev(INSERTED, at("09:01:45"), *r.actions)) == "new"
    assert on_air(ev(INSERTED, at("09:02:10"), *r.actions)) == "new"  # s2 never airs
    assert on_air(ev(INSERTED, at("09:03:00"), *r.actions)) == "s3"


def test_the_journal_keeps_what_each_action_did_and_reads_old_lines(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    j = Journal(path, show_id={"id": "x", "title": "t", "timeline": timeline_digest(OLD)})
    take = Take(at=at("09:03:20"), who="api")
    j.append_action(take, effect_of(OLD, [], take))
    j.close()
    with path.open("a") as fh:  # a line of the previous version
        fh.write('{"type": "action", "action": "hold", "at": "2021-01-19T09:03:30+01:00", '
                 '"who": "operator"}\n')
    entries = read_journal(path).entries
    assert entries[0] == Entry(take, Effect(on_air="s3", started="s4"), timeline_digest(OLD))
    assert entries[1] == Entry(Hold(at=datetime.fromisoformat("2021-01-19T09:03:30+01:00")))


def test_a_back_replays_only_when_it_brings_back_the_same_segment() -> None:
    take, back = Take(at=at("09:01:30")), Back(at=at("09:01:40"))  # s2 early, then s1 again
    entries = journalled(OLD, take, back)
    assert entries[1].effect == Effect(on_air="s2", started="s1")
    r = replay(NEW, timeline_digest(NEW), entries, NOW)
    assert r.actions == (take, back) and not r.dropped
    renamed = compile_timeline(make_show(*(  # s1 is now called s9: BACK would air s9
        seg(i, start=f"09:0{n}", duration="1m") for n, i in enumerate(["s0", "s9", "s2"]))))
    r = replay(renamed, timeline_digest(renamed), entries, NOW)
    assert r.actions == (take,)
    assert r.dropped == [(back, "it brought back segment s1; now it would bring back s9")]


def test_a_hold_before_the_show_still_holds_it() -> None:
    hold = Hold(at=at("08:59:00"))
    r = replay(NEW, timeline_digest(NEW), journalled(OLD, hold), NOW)
    assert r.actions == (hold,)
    assert on_air(ev(NEW, NOW, *r.actions)) is None

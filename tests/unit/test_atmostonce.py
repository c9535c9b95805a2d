"""The at-most-once guard for stream and record, alone: a journal on disk, plain projections,
no controller, no OBS, no threads."""

from __future__ import annotations

from pathlib import Path

from studio.engine.state import CommandResult, SetProgramScene, SetRecording, SetStreaming
from studio.engine.timeline import compile as compile_timeline
from studio.runner.atmostonce import AtMostOnce
from studio.runner.journal import Journal
from tests.unit.engine_show import at, day_show, ev

SHOW_ID = {"id": "abc", "title": "test"}


class Said:
    def __init__(self) -> None:
        self.log: list[str] = []
        self.notes: list[str] = []

    def guard(self, journal: Journal) -> AtMostOnce:
        return AtMostOnce(journal, log=lambda kind, text, at=None: self.log.append(text),
                          note=lambda kind, text: self.notes.append(text))


def test_a_stream_start_is_asked_for_once_even_after_a_restart(tmp_path: Path) -> None:
    tl = compile_timeline(day_show())
    welcome = ev(tl, at("09:00:01"))  # welcome asks for stream and record to start
    said = Said()
    journal = Journal(tmp_path / "j.jsonl", show_id=SHOW_ID)
    guard = said.guard(journal)
    start = SetStreaming(True)
    cut = SetProgramScene("Studio Wide")
    assert guard.admit([start, cut], welcome, welcome.now, connected=True) == [start, cut]
    guard.finish([CommandResult(start, ok=True), CommandResult(cut, ok=True)])

    later = ev(tl, at("09:05"))  # OBS lost the stream: the same segment's request, not again
    again = SetStreaming(True)
    assert guard.admit([again], later, later.now, connected=True) == []
    assert guard.admit([again], later, later.now, connected=True) == []
    assert said.log == ["stream start was already requested: not repeated (at most once); "
                        "check OBS and act by hand if needed"]
    assert said.notes == said.log  # and in the as-run, once
    journal.close()

    restarted = Said()  # studio restarts: the journal says it was asked for
    guard = restarted.guard(Journal(tmp_path / "j.jsonl", show_id=SHOW_ID))
    assert guard.admit([again], later, later.now, connected=True) == []
    assert len(restarted.log) == 1  # the journal knows when it was asked for
    assert restarted.log[0].startswith("stream start was already requested at 09:00:01: ")


def test_nothing_is_asked_for_while_obs_is_away_and_it_is_asked_for_once_back(
        tmp_path: Path) -> None:
    tl = compile_timeline(day_show())
    welcome = ev(tl, at("09:00:01"))
    said = Said()
    guard = said.guard(Journal(tmp_path / "j.jsonl", show_id=SHOW_ID))
    record = SetRecording(True)
    assert guard.admit([record], welcome, welcome.now, connected=False) == []
    assert guard.admit([record], welcome, welcome.now, connected=True) == [record]
    guard.finish([CommandResult(record, ok=False, comment="disk full")])
    assert len(said.log) == 1 and said.log[0].endswith(" and failed: disk full; not repeated")
    assert guard.admit([record], welcome, welcome.now, connected=True) == []

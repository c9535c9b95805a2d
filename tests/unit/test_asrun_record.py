"""The as-run line as a typed value (``studio.runner.asrun.AsRunRecord``): every line the old
dict-building code wrote reads back and is written again byte for byte (key order included:
the as-run is a contract), the journal keeps it the same way, and a misspelt or missing field
is an error, for mypy and at run time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import mypy.api
import pytest

from studio.runner.asrun import AsRunRecord, AsRunWriter, fixed_offset
from studio.runner.journal import Journal, read_journal

ROOT = Path(__file__).resolve().parents[2]

# Lines as studio wrote them before the record was typed (taken from the as-run and journal
# files of a test run, commands cut to one): one per kind of line, outcome and set of keys.
OLD_LINES = [
    # sent, outcome decided by OBS's events (written last)
    '{"kind": "action", "cue": "reassert", "text": "reassert", "scheduled": "2026-12-01T11:26:09.067461+00:00", "sent": "2026-12-01T11:26:09.067790+00:00", "confirmed": "2026-12-01T11:26:09.095199+00:00", "lateness_ms": 0.33, "confirm_ms": 27.74, "apply_ms": 6.28, "commands": [{"command": "SetProgramScene", "scene": "Studio Wide", "reason": "scene Break -> Studio Wide: segment seg0 starts (11:26:09 anchor)", "ok": true, "elapsed_ms": 6.24}], "result": "ok", "who": "operator", "outcome": "confirmed"}',  # noqa: E501
    '{"kind": "action", "cue": "take", "text": "take -> ON AIR pause [pause] on Break", "scheduled": "2021-01-19T08:05:00+00:00", "sent": "2021-01-19T08:05:00+00:00", "confirmed": "2021-01-19T08:05:00.007207+00:00", "lateness_ms": 0.0, "confirm_ms": 7.21, "apply_ms": 0.43, "commands": [{"command": "SetProgramScene", "scene": "Break", "reason": "scene Panel -> Break: TAKE: segment pause starts", "ok": true, "elapsed_ms": 0.4}], "result": "ok", "who": "operator", "ref": 2, "outcome": "confirmed"}',  # noqa: E501
    '{"kind": "action", "cue": "hold", "text": "hold", "scheduled": "2021-01-19T09:05:00+01:00", "sent": "2021-01-19T09:05:00+01:00", "confirmed": null, "lateness_ms": 0.0, "confirm_ms": null, "apply_ms": 0.0, "commands": [], "result": "ok (nothing to change in OBS)", "who": "operator", "rehearsal": true, "outcome": "unchanged"}',  # noqa: E501
    '{"kind": "cue", "cue": "welcome", "text": "ON AIR Welcome [welcome] on Studio Wide; overlays +live-bug -clock", "scheduled": "2021-01-19T09:01:00+01:00", "sent": "2021-01-19T09:00:59.256163+01:00", "confirmed": "2021-01-19T09:00:59.259544+01:00", "lateness_ms": -1.24, "confirm_ms": 2.14, "apply_ms": 1.69, "commands": [{"command": "SetSourceVisible", "scene": "Graphics", "source": "Clock", "visible": false, "reason": "overlay Clock off: not in segment welcome", "ok": true, "elapsed_ms": 1.59}], "result": "ok", "who": "auto", "lead_ms": 1.49, "rehearsal": true, "outcome": "confirmed"}',  # noqa: E501
    '{"kind": "cue", "cue": "seg1", "text": "ON AIR seg1 [seg1] on Studio Wide", "scheduled": "2026-12-01T11:23:43+00:00", "sent": "2026-12-01T11:23:42.998323+00:00", "confirmed": "2026-12-01T11:23:43.003889+00:00", "lateness_ms": -1.68, "confirm_ms": 3.89, "apply_ms": 1.4, "commands": [{"command": "SetProgramScene", "scene": "Studio Wide", "reason": "scene Holding Slate -> Studio Wide: segment seg1 starts", "ok": true, "elapsed_ms": 1.29}], "result": "ok", "who": "auto", "lead_ms": 2.13, "ref": 2, "outcome": "confirmed"}',  # noqa: E501
    '{"kind": "cue", "cue": "resync", "text": "OBS (re)connected: it already shows the desired state", "scheduled": "2026-12-01T11:23:39.700256+00:00", "sent": "2026-12-01T11:23:39.700671+00:00", "confirmed": null, "lateness_ms": 0.41, "confirm_ms": null, "apply_ms": 0.0, "commands": [], "result": "ok (nothing to change in OBS)", "who": "auto", "outcome": "unchanged"}',  # noqa: E501
    '{"kind": "cue", "cue": "resync", "text": "OBS (re)connected: 7 difference(s) sent", "scheduled": "2021-01-19T09:01:00+01:00", "sent": "2021-01-19T09:01:00+01:00", "confirmed": null, "lateness_ms": 0.0, "confirm_ms": null, "apply_ms": 0.79, "commands": [{"command": "SetTransition", "name": "Fade", "duration_ms": 500, "reason": "transition Fade -> Fade 500 ms: transition for segment welcome", "ok": true, "elapsed_ms": 0.72}], "result": "ok", "who": "auto", "rehearsal": true, "unconfirmed": ["item Graphics LIVE Bug True", "item Graphics Logo Region Västerbotten True", "program Studio Wide"], "outcome": "unconfirmed"}',  # noqa: E501
    '{"kind": "cue", "cue": "seg0", "text": "ON AIR seg0 [seg0] on Studio Wide", "scheduled": "2026-12-01T11:26:28+00:00", "sent": "2026-12-01T11:26:28.000306+00:00", "confirmed": null, "lateness_ms": 0.31, "confirm_ms": null, "apply_ms": 25.89, "commands": [{"command": "SetTransition", "name": "Cut", "duration_ms": null, "reason": "transition Fade -> Cut: transition for segment seg0", "ok": true, "elapsed_ms": 25.81}], "result": "ok", "who": "auto", "unconfirmed": ["program Studio Wide"], "outcome": "unconfirmed"}',  # noqa: E501
    # sent, outcome known as the commands went out (written right after "who")
    '{"kind": "action", "cue": "hold", "text": "hold", "scheduled": "2021-01-19T08:59:00.494923+01:00", "sent": "2021-01-19T08:59:00.495738+01:00", "confirmed": null, "lateness_ms": 0.81, "confirm_ms": null, "apply_ms": 0.0, "commands": [], "result": "not sent: OBS is not connected; it goes out when OBS is back", "who": "osc", "outcome": "withheld", "rehearsal": true}',  # noqa: E501
    '{"kind": "action", "cue": "nudge", "text": "nudge +30 s", "scheduled": "2026-12-01T11:23:52.182688+00:00", "sent": "2026-12-01T11:23:52.186673+00:00", "confirmed": null, "lateness_ms": 3.98, "confirm_ms": null, "apply_ms": 0.04, "commands": [{"command": "SetTransition", "name": "Cut", "duration_ms": null, "reason": "transition ? -> Cut: transition for segment seg1", "ok": false, "code": null, "comment": "OBS is not connected", "elapsed_ms": 0.0}], "result": "not sent: OBS is not connected; it goes out when OBS is back", "who": "operator", "outcome": "withheld"}',  # noqa: E501
    '{"kind": "cue", "cue": "seg1", "text": "ON AIR seg1 [seg1] on Panel; overlays +clock -live-bug -partners", "scheduled": "2026-12-01T11:24:21+00:00", "sent": "2026-12-01T11:24:21.000474+00:00", "confirmed": null, "lateness_ms": 0.47, "confirm_ms": null, "apply_ms": 2.28, "commands": [{"command": "SetSourceVisible", "scene": "Graphics", "source": "LIVE Bug", "visible": false, "reason": "overlay LIVE Bug off: not in segment seg1", "ok": false, "code": 600, "comment": "No source was found by the name of `Graphics`.", "elapsed_ms": 2.16}], "result": "failed again: 4 command(s) OBS keeps refusing (next try in 1 s); withheld 1 command(s) OBS keeps refusing (next try in 0 s)", "who": "auto", "outcome": "failed", "withheld": ["SetSourceVisible(scene=\'Graphics\', source=\'Logo Umeå universitet\', visible=False)"]}',  # noqa: E501
    '{"kind": "cue", "cue": "welcome", "text": "ON AIR Welcome [welcome] on Studio Wide; overlays +live-bug -clock", "scheduled": "2021-01-19T09:01:00+01:00", "sent": "2021-01-19T09:01:00+01:00", "confirmed": "2021-01-19T09:01:00.001289+01:00", "lateness_ms": 0.0, "confirm_ms": 1.29, "apply_ms": 0.81, "commands": [{"command": "SetSourceVisible", "scene": "Graphics", "source": "Clock", "visible": false, "reason": "overlay Clock off: not in segment welcome", "ok": true, "elapsed_ms": 0.78}], "result": "withheld: Studio Wide not sent (manual override: desired Holding Slate, OBS shows Panel; a: re-assert); the rest: ok", "who": "auto", "outcome": "withheld", "ref": 2}',  # noqa: E501
    # sent before a kill -9, written after the restart (Sender.report_unwritten)
    '{"kind": "cue", "cue": "seg1", "text": "ON AIR seg1 [seg1] on Studio Wide", "scheduled": "2026-12-01T11:22:45.500000+00:00", "sent": "2026-12-01T11:22:45.499204+00:00", "confirmed": null, "lateness_ms": -0.8, "confirm_ms": null, "apply_ms": 1.15, "commands": [{"command": "SetTransition", "name": "Fade", "duration_ms": 5000, "reason": "transition Cut -> Fade 5000 ms: transition for segment seg1", "ok": true, "elapsed_ms": 1.06}], "result": "ok; not confirmed: studio stopped before OBS confirmed it", "who": "auto", "lead_ms": 1.09, "ref": 2, "outcome": "unconfirmed"}',  # noqa: E501
    # the same for a cue withheld in part (old code: {**rec, "outcome": ...} kept its place)
    '{"kind": "cue", "cue": "welcome", "text": "ON AIR Welcome [welcome] on Studio Wide", "scheduled": "2021-01-19T09:01:00+01:00", "sent": "2021-01-19T09:01:00+01:00", "confirmed": null, "lateness_ms": 0.0, "confirm_ms": null, "apply_ms": 0.81, "commands": [], "result": "withheld: Studio Wide not sent (manual override; a: re-assert); not confirmed: studio stopped before OBS confirmed it", "who": "auto", "outcome": "unconfirmed", "ref": 3}',  # noqa: E501
    # late: fell due while OBS was away, its state sent on reconnect
    '{"kind": "cue", "cue": "seg0", "text": "ON AIR seg0 [seg0] on Studio Wide", "scheduled": "2026-12-01T11:22:52+00:00", "sent": "2026-12-01T11:22:52.014954+00:00", "lateness_ms": 14.95, "result": "late: OBS was not connected; the state for now was sent on reconnect", "outcome": "withheld", "commands": [], "who": "auto"}',  # noqa: E501
    # never sent: studio stopped before OBS was back
    '{"kind": "cue", "cue": "seg0", "text": "ON AIR seg0 [seg0] on Studio Wide", "scheduled": "2026-12-01T11:22:52+00:00", "outcome": "withheld", "commands": [], "who": "auto", "result": "withheld: OBS was not connected; studio stopped before it was back, so this cue never reached OBS"}',  # noqa: E501
    # missed while studio was not running
    '{"kind": "missed", "cue": "welcome", "text": "ON AIR Welcome [welcome] on Studio Wide; overlays +live-bug -clock", "scheduled": "2021-01-19T09:01:00+01:00", "result": "missed while studio was not running; not replayed, the state for now was sent", "outcome": "missed", "commands": [], "who": "auto"}',  # noqa: E501
    # notes
    '{"kind": "alarm", "text": "OBS refuses overlay Clock off (No source was found by the name of `Graphics`.): is this OBS provisioned?", "scheduled": "2026-12-01T11:26:31.280925+00:00", "who": "auto"}',  # noqa: E501
    '{"kind": "indeterminate", "text": "indeterminate: record start was requested at 09:03:00, result unknown (studio stopped before OBS answered); not repeated: check OBS", "scheduled": "2021-01-19T09:03:00+01:00", "who": "auto"}',  # noqa: E501
    '{"kind": "info", "text": "stream start was already requested at 11:23:57: not repeated (at most once)", "scheduled": "2026-12-01T11:24:00.130590+00:00", "who": "auto"}',  # noqa: E501
    '{"kind": "override", "text": "manual override: desired Holding Slate, OBS shows Panel", "scheduled": "2021-01-19T09:00:00+01:00", "who": "auto"}',  # noqa: E501
]

# What the journal held for a cue sent and not yet confirmed (no ref, no outcome yet, or one
# decided as it went out)
JOURNALLED = [
    '{"kind": "cue", "cue": "seg1", "text": "ON AIR seg1 [seg1] on Studio Wide", "scheduled": "2026-12-01T11:23:43+00:00", "sent": "2026-12-01T11:23:42.998323+00:00", "confirmed": null, "lateness_ms": -1.68, "confirm_ms": null, "apply_ms": 1.4, "commands": [{"command": "SetProgramScene", "scene": "Studio Wide", "reason": "scene Holding Slate -> Studio Wide: segment seg1 starts", "ok": true, "elapsed_ms": 1.29}], "result": "ok", "who": "auto", "lead_ms": 2.13}',  # noqa: E501
    '{"kind": "action", "cue": "take", "text": "take -> ON AIR pause [pause] on Break", "scheduled": "2021-01-19T08:05:00+00:00", "sent": "2021-01-19T08:05:00+00:00", "confirmed": null, "lateness_ms": 0.0, "confirm_ms": null, "apply_ms": 0.43, "commands": [{"command": "SetProgramScene", "scene": "Break", "reason": "scene Panel -> Break: TAKE: segment pause starts", "ok": true, "elapsed_ms": 0.4}], "result": "ok", "who": "operator"}',  # noqa: E501
    '{"kind": "cue", "cue": "welcome", "text": "ON AIR Welcome [welcome] on Studio Wide; overlays +live-bug -clock", "scheduled": "2021-01-19T09:01:00+01:00", "sent": "2021-01-19T09:01:00+01:00", "confirmed": null, "lateness_ms": 0.0, "confirm_ms": null, "apply_ms": 0.81, "commands": [{"command": "SetSourceVisible", "scene": "Graphics", "source": "Clock", "visible": false, "reason": "overlay Clock off: not in segment welcome", "ok": true, "elapsed_ms": 0.78}], "result": "withheld: Studio Wide not sent (manual override: desired Holding Slate, OBS shows Panel; a: re-assert); the rest: ok", "who": "auto", "outcome": "withheld"}',  # noqa: E501
]


def _dumps(record: AsRunRecord) -> str:
    return json.dumps(record.to_json(), ensure_ascii=False, default=str)


@pytest.mark.parametrize("line", OLD_LINES + JOURNALLED)
def test_every_line_studio_wrote_reads_back_and_is_written_again_byte_for_byte(
        line: str, tmp_path: Path) -> None:
    record = AsRunRecord.from_json(json.loads(line))
    assert _dumps(record) == line
    writer = AsRunWriter(tmp_path / "show.asrun.jsonl")
    writer.write(record)
    writer.close()
    assert (tmp_path / "show.asrun.jsonl").read_text(encoding="utf-8") == line + "\n"


def test_every_kind_and_outcome_is_among_the_lines_above() -> None:
    kinds = {json.loads(line)["kind"] for line in OLD_LINES}
    outcomes = {json.loads(line).get("outcome") for line in OLD_LINES}
    assert kinds == {"cue", "action", "missed", "info", "alarm", "indeterminate", "override"}
    assert outcomes == {"confirmed", "unconfirmed", "withheld", "missed", "failed",
                        "unchanged", None}


@pytest.mark.parametrize("line", JOURNALLED)
def test_the_journal_keeps_a_sent_record_as_it_was(line: str, tmp_path: Path) -> None:
    record = AsRunRecord.from_json(json.loads(line))
    journal = Journal(tmp_path / "show.journal.jsonl", show_id={"id": "abc", "title": "T"})
    n = journal.sent(record)
    journal.close()
    sent = (tmp_path / "show.journal.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert sent == f'{{"type": "sent", "id": {n}, "record": {line}}}'
    assert read_journal(tmp_path / "show.journal.jsonl").unwritten == {n: record}


def test_the_confirmed_time_is_the_instant_after_sent_written_with_the_offset_of_sent() -> None:
    # 20 ms before the clocks go back (03:00 CEST -> 02:00 CET): the confirmation's instant,
    # never the wall clock plus 20 ms (that would be an hour off)
    sent = datetime(2021, 10, 31, 2, 59, 59, 990000, tzinfo=ZoneInfo("Europe/Stockholm"))
    confirmed = fixed_offset(sent) + timedelta(milliseconds=20)
    assert confirmed.isoformat() == "2021-10-31T03:00:00.010000+02:00"
    assert confirmed == datetime(2021, 10, 31, 1, 0, 0, 10000, tzinfo=UTC)


@pytest.mark.parametrize(("change", "message"), [
    ({"scheduled": None}, "wrong type"),
    ({"outcome": "confirmd"}, "unknown outcome 'confirmd'"),
    ({"kind": "cues"}, "unknown kind 'cues'"),
    ({"lateness_ms": "3"}, "wrong type"),
])
def test_a_record_with_a_wrong_field_is_refused_saying_which(
        change: dict[str, object], message: str) -> None:
    data = {**json.loads(OLD_LINES[0]), **change}
    with pytest.raises(ValueError, match=message):
        AsRunRecord.from_json(data)


def test_a_record_without_a_field_it_needs_is_refused_naming_it() -> None:
    data = json.loads(OLD_LINES[0])
    del data["text"]
    with pytest.raises(ValueError, match="without 'text'"):
        AsRunRecord.from_json(data)


SNIPPET = '''\
from datetime import datetime

from studio.runner.asrun import AsRunRecord

AsRunRecord(kind="cue", txt="ON AIR", scheduled=datetime.now())
AsRunRecord(kind="cue", scheduled=datetime.now())
AsRunRecord(kind="cues", text="x", scheduled=datetime.now())
AsRunRecord(kind="cue", text="x", scheduled=datetime.now(), outcome="confirmd")
print(AsRunRecord(kind="cue", text="x", scheduled=datetime.now()).outcom)
'''


def test_mypy_sees_a_misspelt_field_a_missing_one_and_a_kind_or_outcome_not_in_the_list(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "snippet.py").write_text(SNIPPET, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MYPYPATH", str(ROOT))
    out, err, status = mypy.api.run(["--cache-dir", str(tmp_path / "cache"),
                                     "--no-error-summary", "--follow-imports=silent",
                                     "snippet.py"])
    assert status == 1, err
    lines = out.splitlines()
    assert [ln.split(":")[1] for ln in lines] == ["5", "6", "7", "8", "9"], out
    assert 'Unexpected keyword argument "txt"' in lines[0]
    assert 'Missing positional argument "text"' in lines[1]
    assert '"outcom"' in lines[4]

"""A new user's papercuts on the command line: --version, as-run refusing a journal, the as-run
table's rounding, and CSV that opens right in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from studio.engine.actions import Hold
from studio.runner.journal import Journal

ROOT = Path(__file__).resolve().parents[2]
TUESDAY = ROOT / "schedules/digital-vecka-2021/2021-01-19-tisdag.yaml"


def studio(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS")}
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True,
                          cwd=cwd, timeout=60, env=env)


def asrun_line(**over: object) -> str:
    rec = {"kind": "cue", "cue": "welcome", "text": "ON AIR Välkommen [welcome]",
           "scheduled": "2021-01-19T09:00:00+01:00", "sent": "2021-01-19T08:59:59.998900+01:00",
           "confirmed": None, "lateness_ms": -1.1, "confirm_ms": None, "result": "ok",
           "who": "auto", "commands": [{"command": "SetProgramScene", "scene": "Studio Wide",
                                        "reason": "segment welcome starts", "ok": True}]}
    rec.update(over)
    return json.dumps(rec, ensure_ascii=False) + "\n"


def test_version_names_the_installed_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    out = studio("--version", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.decode().strip() == f"studio {version('studio')}"


def test_as_run_refuses_the_journal_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "as-run" / "tisdag.journal.jsonl"
    journal = Journal(path, show_id={"id": "x", "title": "t", "date": "2021-01-19", "path": "p"})
    journal.append_action(Hold(at=datetime.fromisoformat("2021-01-19T09:05:00+01:00"),
                               who="operator"))
    journal.close()
    for fmt in ("table", "csv", "json"):
        out = studio("as-run", str(path), "--format", fmt, cwd=tmp_path)
        assert out.returncode == 1
        assert out.stdout == b""
        err = out.stderr.decode()
        assert err.count("\n") == 1 and "Traceback" not in err
        assert f"{path}:1: not an as-run line" in err
        assert "tisdag.asrun.jsonl" in err  # names the file meant


def test_as_run_refuses_any_other_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text(asrun_line() + json.dumps({"hello": 1}) + "\n", encoding="utf-8")
    out = studio("as-run", str(path), cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.decode().strip() == (
        f"studio as-run: error: {path}:2: not an as-run line: no \"kind\"")


def test_as_run_table_rounds_the_sent_time(tmp_path: Path) -> None:
    path = tmp_path / "x.asrun.jsonl"
    path.write_text(asrun_line(), encoding="utf-8")
    out = studio("as-run", str(path), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    row = out.stdout.decode().splitlines()[1]
    assert row.split()[:3] == ["09:00:00", "09:00:00", "-1.1"], row


def test_csv_for_a_spreadsheet_starts_with_a_bom_and_scripts_get_none(tmp_path: Path) -> None:
    path = tmp_path / "x.asrun.jsonl"
    path.write_text(asrun_line(), encoding="utf-8")
    plain = studio("as-run", str(path), "--format", "csv", cwd=tmp_path)
    excel = studio("as-run", str(path), "--format", "csv", "--bom", cwd=tmp_path)
    assert not plain.stdout.startswith(b"\xef\xbb\xbf")
    assert excel.stdout == b"\xef\xbb\xbf" + plain.stdout
    rows = list(csv.DictReader(io.StringIO(excel.stdout.decode("utf-8-sig"))))
    assert rows[0]["kind"] == "cue" and rows[0]["text"] == "ON AIR Välkommen [welcome]"

    plan_plain = studio("plan", str(TUESDAY), "-f", "csv", cwd=tmp_path)
    plan_excel = studio("plan", str(TUESDAY), "-f", "csv", "--bom", cwd=tmp_path)
    assert plan_excel.stdout == b"\xef\xbb\xbf" + plan_plain.stdout
    out = tmp_path / "plan.csv"
    assert studio("plan", str(TUESDAY), "-f", "csv", "--bom", "-o", str(out),
                  cwd=tmp_path).returncode == 0
    assert out.read_bytes() == plan_excel.stdout
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert header[0] == "id"  # the BOM is not part of the first column's name
    wrong = studio("plan", str(TUESDAY), "--bom", cwd=tmp_path)
    assert wrong.returncode == 1
    assert wrong.stderr.decode().strip() == "studio plan: error: --bom goes with --format csv"

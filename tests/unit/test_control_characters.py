"""Control characters (ESC, CR, BEL, ...) never reach the operator's terminal raw, and an absurd
duration is a positioned error.

The issue: titles with ESC, CR and BEL were written raw to the terminal (ESC rewrites the
screen, CR overwrites the line), and ``99999999999h`` as a duration gave "internal error ...
OverflowError" at 1:1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.clock import ManualClock
from studio.obs.connection import ObsConnectionSettings
from studio.obs.gateway import ObsGateway
from studio.obs.simulator import Simulator
from studio.runner.controller import Controller
from studio.runner.ports import gateway_factory
from studio.runner.scheduler import ManualScheduler
from studio.show.loader import load_show

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
RAW = ("\x1b", "\r", "\x07", "\x9b", "\x00")


def studio(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS_")}
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True,
                          text=True, timeout=60, cwd=cwd, env=env)


def show_file(folder: Path, segments: str, *, title: str = "Test",
              organisers: str = "") -> Path:
    path = folder / "show.yaml"
    path.write_text(f'show: "{title}"\ndate: 2021-01-19\ntimezone: Europe/Stockholm\n'
                    f"catalogue: {CATALOGUE}\n{organisers}segments:\n{segments}",
                    encoding="utf-8")
    return path


def assert_no_raw_control(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw {char!r} written to the terminal"


def test_check_refuses_esc_cr_and_bel_at_their_line_and_column(tmp_path: Path) -> None:
    path = show_file(tmp_path, (
        "  - id: open\n"
        '    start: "09:00"\n'
        "    duration: 10m\n"
        '    title: "Hello\\e[2J world"\n'  # YAML's \e is ESC
        "    scene: Studio Wide\n"
        '    lower_thirds: [{ name: "Anna\\rBerg", role: "Ring\\a", at: 5s }]\n'
    ), title="Week \\e]0;owned\\a one")
    out = studio("check", str(path), cwd=tmp_path)
    assert out.returncode == 1
    fix = "remove it (terminal control codes are not allowed)"
    assert out.stdout.splitlines() == [
        f"{path}:1:7: error: show: control character ESC (U+001B): {fix}",
        f"{path}:9:12: error: title: control character ESC (U+001B): {fix}",
        f"{path}:11:28: error: name: control character CR (U+000D): {fix}",
        f"{path}:11:48: error: role: control character BEL (U+0007): {fix}",
    ]
    assert_no_raw_control(out.stdout + out.stderr)
    # nothing to run either: rehearse refuses the file with the same lines, before any screen
    out = studio("rehearse", str(path), "--headless", "--speed", "600", cwd=tmp_path)
    assert out.returncode != 0
    assert f"{path}:9:12: error: title: control character ESC" in out.stdout + out.stderr
    assert_no_raw_control(out.stdout + out.stderr)


def test_line_breaks_and_tabs_belong_in_notes_only(tmp_path: Path) -> None:
    path = show_file(tmp_path, (
        "  - id: open\n"
        '    start: "09:00"\n'
        "    duration: 10m\n"
        "    scene: Studio Wide\n"
        '    notes: "Moderator opens.\\n\\tThen the panel."\n'
        "  - id: next\n"
        "    duration: 10m\n"
        '    title: "two\\nlines"\n'
        "    scene: Panel\n"
    ))
    out = studio("check", str(path), cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        f"{path}:13:12: error: title: line break (U+000A) in a one-line text: write it on one "
        "line (only notes may have several)",
    ]


def test_catalogue_and_organisers_are_checked_too(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(CATALOGUE.read_text(encoding="utf-8").replace(
        "Studio Wide,", 'Studio Wide, "Evil\\x1b[8m",', 1), encoding="utf-8")
    text = catalogue.read_text(encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "Evil" in x)
    column = text.splitlines()[line - 1].index('"Evil') + 1
    organisers = tmp_path / "organisers.yaml"
    organisers.write_text('region:\n  name: "Region\\u009b2J"\n', encoding="utf-8")
    path = tmp_path / "show.yaml"
    path.write_text(
        f"show: Test\ndate: 2021-01-19\ntimezone: Europe/Stockholm\ncatalogue: {catalogue}\n"
        f"organisers: {organisers}\nsegments:\n"
        '  - { id: open, start: "09:00", duration: 10m, scene: Panel, organiser: region }\n',
        encoding="utf-8")
    out = studio("check", str(path), cwd=tmp_path)
    assert out.returncode == 1
    assert f"{catalogue}:{line}:{column}: error: scenes: control character ESC (U+001B)" \
        in out.stdout
    assert f"{organisers}:2:9: error: name: control character CSI (U+009B)" in out.stdout
    assert_no_raw_control(out.stdout + out.stderr)


@pytest.mark.parametrize("where, text, col", [
    ("duration", "    duration: 99999999999h\n", 15),
    ("duration", f"    duration: {'9' * 400}h\n", 15),
    ("duration", "    duration: 169h\n", 15),
    ("lower third", "    duration: 10m\n    lower_thirds: [{ name: A, at: 5s, for: 99999999999h }]"
     "\n", 44),
    ("transition", "    duration: 10m\n    transition: fade 99999999999h\n", 17),
])
def test_an_absurd_duration_is_a_positioned_error(tmp_path: Path, where: str, text: str,
                                                  col: int) -> None:
    path = show_file(tmp_path, f'  - id: open\n    start: "09:00"\n    scene: Panel\n{text}')
    out = studio("check", str(path), cwd=tmp_path)
    assert out.returncode == 1, out.stdout
    assert "internal error" not in out.stdout + out.stderr
    lines = out.stdout.splitlines()
    row = 10 if where != "duration" else 9
    assert len(lines) == 1 and lines[0].startswith(f"{path}:{row}:{col}: error: ")
    assert "is too long: at most 168h (7 days)" in lines[0]


def test_a_week_long_duration_is_still_fine(tmp_path: Path) -> None:
    path = show_file(tmp_path, '  - { id: open, start: "09:00", duration: 168h, scene: Panel }\n')
    out = studio("check", str(path), cwd=tmp_path)
    assert out.returncode == 0, out.stdout


def test_names_from_obs_are_escaped_in_the_log_and_the_override(tmp_path: Path) -> None:
    """A scene made in OBS with ESC in its name, switched to by hand: the override message and
    the log line that name it carry the escape, not the character."""
    path = show_file(tmp_path, '  - { id: open, start: "09:00", duration: 10m, '
                               "scene: Studio Wide, transition: cut }\n")
    show = load_show(path)
    evil = "Evil\x1b[2J\x1b]0;owned\x07"
    with Simulator(frame_ms=5.0) as sim:
        sim.load_catalogue(show.catalogue)
        hand = ObsGateway(ObsConnectionSettings(port=sim.port))
        hand.start()
        assert hand.wait_connected(5)
        hand.call("CreateScene", {"sceneName": evil})
        hand.stop()
        clock = ManualClock(datetime(2021, 1, 19, 8, 5, tzinfo=UTC))
        ctl = Controller(show, clock, gateway_factory(ObsConnectionSettings(port=sim.port)),
                         scheduler_factory=ManualScheduler)
        ctl.start()
        try:
            assert ctl.wait_for(lambda: ctl.status().connection == "connected", 5)
            assert ctl.flush(5)
            sim.switch_program_by_hand(evil)
            assert ctl.wait_for(lambda: ctl.override is not None, 5)
            override = ctl.status().override or ""
            assert override == ("manual override: desired Studio Wide, OBS shows "
                                "Evil\\x1b[2J\\x1b]0;owned\\x07")
            lines = [e.text for e in ctl.recent_log(50)]
            assert any("Evil\\x1b[2J" in line for line in lines)
            assert_no_raw_control("\n".join(lines))
        finally:
            ctl.stop()


def test_the_asrun_table_escapes_what_an_edited_file_holds(tmp_path: Path) -> None:
    record = {"kind": "cue", "cue": "open\x1b[2J", "text": "ON AIR \x1b]0;owned\x07 [open]",
              "scheduled": "2021-01-19T09:00:00+01:00", "sent": "2021-01-19T09:00:00+01:00",
              "result": "ok\r", "commands": []}
    path = tmp_path / "show.asrun.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = studio("as-run", str(path), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "ON AIR \\x1b]0;owned\\x07 [open]" in out.stdout
    assert_no_raw_control(out.stdout + out.stderr)


def test_a_path_with_esc_in_an_error_line_is_escaped(tmp_path: Path) -> None:
    out = studio("as-run", "no\x1b[31mfile.jsonl", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stderr.strip() == ("studio as-run: error: no\\x1b[31mfile.jsonl: No such file or "
                                  "directory")
    assert_no_raw_control(out.stdout + out.stderr)


def test_a_line_break_in_a_key_over_a_control_character_stays_one_line(tmp_path: Path) -> None:
    """Found by the loader fuzz test: the key named the value's problem raw."""
    from studio.show.diagnostics import ShowError
    from studio.show.loader import load_show

    show = tmp_path / "show.yaml"
    show.write_text('"\\n": "\\x1f"\n', encoding="utf-8")
    with pytest.raises(ShowError) as info:
        load_show(show)
    for d in info.value.diagnostics:
        assert "\n" not in d.message, d.message


def test_a_path_with_a_line_break_stays_one_line(tmp_path: Path) -> None:
    """Found by the loader fuzz test: a catalogue path of a line break was quoted raw."""
    from studio.show.diagnostics import ShowError
    from studio.show.loader import load_show

    show = tmp_path / "show.yaml"
    show.write_text('catalogue: "\\n"\n', encoding="utf-8")
    with pytest.raises(ShowError) as info:
        load_show(show)
    for d in info.value.diagnostics:
        assert "\n" not in d.message, d.message

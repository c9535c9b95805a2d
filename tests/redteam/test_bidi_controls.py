"""Bidirectional control characters ("Trojan source"): U+202A-U+202E (embeddings, overrides,
their pop) and U+2066-U+2069 (isolates) make a lower third read on air otherwise than in the
file (``\\u202e`` turns "Anna Berg" into "greB annA"); they are refused like the terminal control
characters, with the same one positioned line, in the show file and in an operator's message.
The marks U+200E/U+200F (LRM/RLM) stay allowed: Hebrew and Arabic names need them to place
punctuation, and they cannot reorder the text around them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.show.controls import printable
from tests.views.service import Service, free_port, write_views_show

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
FIX = "remove it (it reorders the text on air)"


def check(folder: Path, segments: str) -> subprocess.CompletedProcess[str]:
    path = folder / "show.yaml"
    path.write_text('show: "Test"\ndate: 2021-01-19\ntimezone: Europe/Stockholm\n'
                    f"catalogue: {CATALOGUE}\nsegments:\n{segments}", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS_")}
    return subprocess.run([sys.executable, "-m", "studio", "check", str(path)],
                          capture_output=True, text=True, timeout=60, cwd=folder, env=env)


def test_check_refuses_bidi_overrides_and_isolates_at_their_line_and_column(
    tmp_path: Path,
) -> None:
    out = check(tmp_path, (
        "  - id: open\n"
        '    start: "09:00"\n'
        "    duration: 10m\n"
        '    title: "Welcome \\u202eanna\\u202c"\n'
        "    scene: Studio Wide\n"
        '    lower_thirds: [{ name: "Anna \\u2067Berg\\u2069", role: "Host\\u202a", at: 5s }]\n'
    ))
    path = tmp_path / "show.yaml"
    assert out.returncode == 1, out.stdout
    assert out.stdout.splitlines() == [
        f"{path}:9:12: error: title: bidirectional control character RLO (U+202E): {FIX}",
        f"{path}:11:28: error: name: bidirectional control character RLI (U+2067): {FIX}",
        f"{path}:11:59: error: role: bidirectional control character LRE (U+202A): {FIX}",
    ]
    for char in ("\u202e", "\u2067", "\u202a"):  # the lines themselves read as printed
        assert char not in out.stdout + out.stderr


def test_left_and_right_marks_are_allowed(tmp_path: Path) -> None:
    out = check(tmp_path, (
        "  - id: open\n"
        '    start: "09:00"\n'
        "    duration: 10m\n"
        '    title: "\\u05e9\\u05dc\\u05d5\\u05dd\\u200f!"\n'
        "    scene: Studio Wide\n"
        '    lower_thirds: [{ name: "\\u200eAnna (CEO)", role: "Host", at: 5s }]\n'
    ))
    assert out.returncode == 0, out.stdout


def test_printed_text_from_obs_shows_bidi_controls_as_escapes() -> None:
    assert printable("Cam \u202eA\u2066") == "Cam \\u202eA\\u2066"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    svc = Service(write_views_show(tmp_path), tmp_path, free_port(), "--speed", "1", "--from",
                  "08:59:00")
    yield svc
    svc.stop()


def test_an_operator_message_with_an_override_is_refused_in_one_line(service: Service) -> None:
    status, body = service.post({"action": "message", "text": "wrap up \u202enow",
                                 "client": "producer"})
    assert status == 400, body
    assert body["error"] == ("field 'text': bidirectional control character RLO (U+202E): "
                             f"{FIX}")

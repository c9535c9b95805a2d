"""``studio check FILE... [--obs URL]`` as a user runs it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli import main
from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
WEEK = sorted(str(p) for p in (ROOT / "schedules" / "digital-vecka-2021").glob("2021-*.yaml"))
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): \S.*$")


def offline_env() -> dict[str, str]:
    """Without STUDIO_OBS_URL: a developer's exported OBS address must not turn on pre-flight."""
    return {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_OBS_")}


def studio(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True,
                          text=True, timeout=60, check=False, cwd=ROOT, env=offline_env())


def write(folder: Path, segments: str, name: str = "show.yaml") -> Path:
    path = folder / name
    path.write_text(
        "show: Test\ndate: 2021-01-19\ntimezone: Europe/Stockholm\n"
        f"catalogue: {CATALOGUE}\nsegments:\n{segments}", encoding="utf-8")
    return path


def test_the_shipped_week_passes() -> None:
    result = studio("check", *WEEK, str(CATALOGUE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == "5 files checked: 0 errors, 0 warnings\n"


def test_errors_print_one_line_each_and_exit_1(tmp_path: Path) -> None:
    path = write(tmp_path, '  - { id: a, start: 09:00, duration: 10x, scene: Panl }\n'
                           '  - { id: a, duration: 5m, scene: Panel, titel: x }\n')
    result = studio("check", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert all(LINE.match(line) for line in lines), lines
    assert lines == [
        f"{path}:6:38: error: bad duration '10x': use 45s, 10m, 1h30m, 1h, 500ms or 01:30:00",
        f"{path}:6:50: error: unknown scene 'Panl': not in the catalogue {CATALOGUE} "
        "(did you mean 'Panel'?)",
        f"{path}:7:11: error: duplicate segment id 'a' (first used on line 6)",
        f"{path}:7:42: error: unknown key 'titel' (did you mean 'title'?)",
    ]
    assert "Traceback" not in result.stderr
    assert result.stderr == "1 file checked: 4 errors, 0 warnings\n"


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    path = write(tmp_path, '  - { id: a, start: "09:00", duration: 10m, scene: Panel }\n'
                           '  - { id: b, start: "09:30", duration: 10m, scene: Panel }\n')
    result = studio("check", "-q", str(path))
    assert result.returncode == 0
    assert result.stdout == (f"{path}:7:21: warning: gap of 20 min between 'a' (ends 09:10) "
                             "and 'b' (starts 09:30)\n")
    assert result.stderr == ""


def test_a_missing_file_is_one_line() -> None:
    result = studio("check", "no/such/show.yaml")
    assert result.returncode == 1
    assert result.stdout == "no/such/show.yaml:1:1: error: run-of-show file not found: " \
                            "no/such/show.yaml\n"


def test_a_shared_broken_catalogue_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "cat.yaml").write_text("scenes: [A]\n", encoding="utf-8")
    head = "show: T\ndate: 2021-01-19\ntimezone: UTC\ncatalogue: cat.yaml\nsegments:\n"
    seg = '  - { id: a, start: "09:00", duration: 5m, scene: A }\n'
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text(head + seg, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "studio", "check", "-q", "one.yaml",
                             "two.yaml"], capture_output=True, text=True, cwd=tmp_path,
                            check=False, env=offline_env())
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "cat.yaml:1:1: error: missing required key 'graphics_scene'",
        "cat.yaml:1:1: error: missing required key 'lower_third'",
    ]


def test_check_imports_no_ui_obs_client_or_scheduler() -> None:
    code = ("import sys\nfrom studio.cli import main\n"
            f"assert main(['check', '-q', {WEEK[0]!r}]) == 0\n"
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('textual', 'obsws_python', 'apscheduler', 'websockets') "
            "or m.startswith('studio.obs.gateway') or m.startswith('studio.engine'))))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env=offline_env())
    assert result.stdout.strip() == ""


# --------------------------------------------------------------------------- --obs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_obs_preflight_passes_on_a_provisioned_simulator(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    with Simulator() as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        assert main(["check", WEEK[0], "--obs", sim.url]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""


def test_obs_preflight_reports_what_obs_lacks(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    with Simulator() as sim:
        assert main(["check", WEEK[0], "--obs", sim.url]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert any("Studio Wide" in line for line in lines)


def test_obs_is_not_asked_when_the_offline_checks_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    path = write(tmp_path, '  - { id: a, start: "09:00", duration: 5m, scene: Panl }\n')
    # nothing listens on this port: a pre-flight would add a "not done" line
    assert main(["check", str(path), "--obs", f"ws://127.0.0.1:{free_port()}"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "unknown scene 'Panl'" in lines[0]


def test_a_bad_obs_address_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    assert main(["check", WEEK[0], "--obs", "http://x:1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad OBS address" in err

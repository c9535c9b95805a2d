"""A show's settings are read once from the command line (``studio.cli.settings``), and the
service process of a screen is started with a command line made from them: reading that command
line back gives the same settings, so the screen's show and the service's cannot drift apart
(the as-run, the journal, the control token, OSC, send-ahead, the speed and start of a
rehearsal), and the OBS password never rides on it."""

from __future__ import annotations

import argparse
import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest

from studio.cli import build_parser
from studio.cli.settings import Beside, RehearsalSettings, RunSettings, password_env
from studio.errors import UserError
from studio.obs.connection import Secret
from studio.service import ControlSettings


def parse(argv: list[str]) -> argparse.Namespace:
    return build_parser(argv).parse_args(argv)


def plain(value: Any) -> Any:
    """The settings as comparable values (a Secret compares by what it hides)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Secret):
        return ("secret", value.reveal())
    return value


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("STUDIO_OBS_URL", "STUDIO_OBS_PASSWORD", "STUDIO_CONTROL_TOKEN"):
        monkeypatch.delenv(name, raising=False)


RUNS = [
    ["run", "show.yaml", "--obs", "ws://10.0.0.5:4455"],
    ["run", "show.yaml", "--obs", "ws://127.0.0.1:4460", "--as-run", "out/a.jsonl",
     "--journal", "out/j.jsonl", "--no-send-ahead", "--osc", "--control", "127.0.0.1:9000",
     "--control-token-file", "tok"],
    ["run", "show.yaml", "--obs", "localhost", "--osc", "0.0.0.0:9999", "--obs-password-file",
     "pw.txt", "--obs-timeout", "5"],
]


@pytest.mark.parametrize("argv", RUNS)
def test_a_run_s_service_runs_with_the_screen_s_settings(
        argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pw.txt").write_text("hunter2\n")
    settings = RunSettings.from_args(parse(argv), prompt=False)
    service = RunSettings.from_args(parse(settings.service_argv()), prompt=False)
    expected = dataclasses.replace(
        settings, headless=True,
        beside=Beside(settings.beside.control or ControlSettings("127.0.0.1:8460"),
                      settings.beside.osc))
    assert plain(service) == plain(expected)


REHEARSALS = [
    ["rehearse", "show.yaml"],
    ["rehearse", "show.yaml", "--speed", "600", "--from", "10:15", "--actions", "acts.txt",
     "--as-run", "r.jsonl", "--no-send-ahead", "--osc"],
    ["rehearse", "show.yaml", "--speed", "2.5", "--obs", "ws://127.0.0.1:4461",
     "--control", "127.0.0.1:0", "--control-token-file", "tok"],
    ["rehearse", "show.yaml", "--speed", "max"],
]


@pytest.mark.parametrize("argv", REHEARSALS)
def test_a_rehearsal_s_service_runs_with_the_screen_s_settings(argv: list[str]) -> None:
    settings = RehearsalSettings.from_args(parse(argv), prompt=False)
    service = RehearsalSettings.from_args(parse(settings.service_argv()), prompt=False)
    expected = dataclasses.replace(
        settings, headless=True, screen_attached=True,
        beside=Beside(settings.beside.control or ControlSettings("127.0.0.1:0"),
                      settings.beside.osc))
    assert plain(service) == plain(expected)


def test_the_password_goes_to_the_service_in_its_environment_never_its_argv(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_OBS_PASSWORD", "s3cret-pw")
    settings = RunSettings.from_args(parse(["run", "show.yaml", "--obs", "ws://h:1"]))
    assert not any("s3cret-pw" in arg for arg in settings.service_argv())
    assert "s3cret-pw" not in repr(settings)
    assert password_env(settings.obs) == {"STUDIO_OBS_PASSWORD": "s3cret-pw"}


def test_a_password_file_is_read_by_the_service_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_OBS_PASSWORD", "not-this-one")
    (tmp_path / "pw").write_text("from-the-file\n")
    settings = RunSettings.from_args(parse(
        ["run", "show.yaml", "--obs", "ws://h:1", "--obs-password-file", str(tmp_path / "pw")]))
    assert settings.obs.password.reveal() == "from-the-file"
    assert password_env(settings.obs) == {}
    argv = settings.service_argv()
    assert argv[argv.index("--obs-password-file") + 1] == str(tmp_path / "pw")


@pytest.mark.parametrize("speed", ["0", "-3", "3601", "nan"])
def test_a_speed_no_rehearsal_runs_at_is_one_line(speed: str) -> None:
    with pytest.raises(UserError, match=r"^bad --speed .*: use a number above 0, at most 3600"):
        RehearsalSettings.from_args(parse(["rehearse", "show.yaml", "--speed", speed]))


def test_max_speed_is_the_instant_rehearsal() -> None:
    settings = RehearsalSettings.from_args(parse(["rehearse", "s.yaml", "--speed", "MAX"]))
    assert settings.instant and math.isinf(settings.speed)


def test_a_run_without_an_obs_address_is_one_line() -> None:
    with pytest.raises(UserError, match="studio run needs --obs"):
        RunSettings.from_args(parse(["run", "show.yaml"]))


@pytest.mark.parametrize(("argv", "message"), [
    (["rehearse", "s.yaml", "--control", "nonsense"], "--control 'nonsense': give HOST:PORT"),
    (["run", "s.yaml", "--obs", "ws://h:1", "--osc", "1.2.3.4:99999"],
     "--osc '1.2.3.4:99999': give HOST:PORT"),
])
def test_a_bad_control_or_osc_address_is_one_line_before_anything_starts(
        argv: list[str], message: str) -> None:
    kind = RunSettings if argv[0] == "run" else RehearsalSettings
    with pytest.raises(UserError, match=message):
        kind.from_args(parse(argv), prompt=False)

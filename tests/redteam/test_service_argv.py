"""The screen's service is started with a command line made from the screen's settings; a file
name that begins with a dash (``--as-run=-draft.jsonl``, ``studio run -- -show.yaml``) is a
file name the user gave, and the service must get it as one, not fail with argparse's
"expected one argument" about an option the user did give."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest

from studio.cli import build_parser
from studio.cli.settings import RehearsalSettings, RunSettings
from studio.service import ControlSettings


def parse(argv: list[str]) -> argparse.Namespace:
    return build_parser(argv).parse_args(argv)


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("STUDIO_OBS_URL", "STUDIO_CONTROL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STUDIO_OBS_PASSWORD", "")


@pytest.mark.parametrize("argv", [
    ["run", "show.yaml", "--obs", "ws://127.0.0.1:4455", "--as-run=-draft.jsonl"],
    ["run", "show.yaml", "--obs", "ws://127.0.0.1:4455", "--journal=-j.jsonl"],
    ["run", "--obs", "ws://127.0.0.1:4455", "--", "-show.yaml"],
    ["run", "show.yaml", "--obs", "ws://127.0.0.1:4455", "--control-token-file=-tok"],
    ["run", "show.yaml", "--obs", "ws://127.0.0.1:4455", "--obs-password-file=-pw"],
])
def test_a_run_with_a_dash_file_name_reaches_its_service_intact(
        argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("-pw").write_text("hunter2\n")
    args = parse(argv)
    settings = RunSettings.from_args(args, prompt=False)
    service = RunSettings.from_args(parse(settings.service_argv()), prompt=False)
    assert service.show == settings.show
    assert service.as_run == settings.as_run and service.journal == settings.journal
    assert service.obs.password_file == settings.obs.password_file
    assert service.beside.control == ControlSettings("127.0.0.1:8460", args.control_token_file)


def test_a_screen_s_service_takes_the_token_file_given_without_control(
        tmp_path: Path) -> None:
    """``studio run SHOW --control-token-file FILE`` (with the screen, which always serves the
    control API): a Stream Deck set up with FILE's token must be let in, not answered 401 by a
    service that generated a token of its own."""
    token = tmp_path / "deck.token"
    settings = RunSettings.from_args(parse(
        ["run", "show.yaml", "--obs", "ws://127.0.0.1:4455", "--control-token-file",
         str(token)]), prompt=False)
    service = RunSettings.from_args(parse(settings.service_argv()), prompt=False)
    assert service.beside.control == ControlSettings("127.0.0.1:8460", token)


@pytest.mark.parametrize("argv", [
    ["rehearse", "show.yaml", "--actions=-what-if.txt"],
    ["rehearse", "show.yaml", "--as-run=-r.jsonl"],
    ["rehearse", "--", "-show.yaml"],
])
def test_a_rehearsal_with_a_dash_file_name_reaches_its_service_intact(
        argv: list[str], tmp_path: Path) -> None:
    settings = RehearsalSettings.from_args(parse(argv), prompt=False)
    service = RehearsalSettings.from_args(parse(settings.service_argv()), prompt=False)
    assert dataclasses.replace(service, headless=False, screen_attached=False,
                               beside=settings.beside) == settings

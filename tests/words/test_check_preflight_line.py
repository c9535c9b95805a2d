"""``studio check --obs URL SHOW``: a pre-flight that passes says what it looked up, so a pass
is not mistaken for a check that never ran (the newcomer's run said only "0 errors")."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli import main
from studio.obs.simulator import Simulator
from studio.show.loader import load_catalogue, load_show

ROOT = Path(__file__).resolve().parents[2]
TUESDAY = str(ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml")
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"


def test_a_passed_preflight_says_what_it_checked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    show = load_show(TUESDAY)
    scenes = {seg.scene for seg in show.segments} | {show.catalogue.graphics_scene}
    with Simulator() as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        assert main(["check", TUESDAY, "--obs", sim.url]) == 0
        captured = capsys.readouterr()
        assert captured.out == ""
        passed = [ln for ln in captured.err.splitlines() if "pre-flight passed" in ln]
        assert len(passed) == 1, captured.err
        assert passed[0].startswith(f"{TUESDAY}: OBS pre-flight passed: {len(scenes)} scenes, ")
        assert " sources, " in passed[0] and passed[0].endswith(f" in OBS at {sim.url}")
        assert captured.err.splitlines()[-1] == "1 file checked: 0 errors, 0 warnings"

        assert main(["check", TUESDAY, "--obs", sim.url, "--quiet"]) == 0
        assert capsys.readouterr().err == ""  # problems only


def test_a_failed_preflight_says_no_pass(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    with Simulator() as sim:  # empty: nothing the show uses is there
        assert main(["check", TUESDAY, "--obs", sim.url]) == 1
    assert "pre-flight passed" not in capsys.readouterr().err

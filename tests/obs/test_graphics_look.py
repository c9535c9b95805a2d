"""``studio look`` on a real headless OBS: the picture at an instant is OBS's render of the show's
state then, a contact sheet has one picture per cue and an index.html naming each, and an OBS
that records is refused in one line."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest_contract import RawClient
from PIL import Image

from studio.cli import main
from studio.obs.events import RecordStateChanged
from studio.obs.gateway import ObsGateway
from studio.obs.layout import Canvas, lower_third_parts
from studio.show.loader import load_catalogue

pytestmark = pytest.mark.obs

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
TUESDAY = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"
SHOW = f"""\
show: Look test
date: 2021-01-19
timezone: Europe/Stockholm
catalogue: {CATALOGUE}
organisers:
  umu: {{ name: Umeå universitet, logo: logo-umea-universitet }}
segments:
  - {{ id: slate, start: "08:45", scene: Holding Slate, overlays: [clock] }}
  - id: talk
    start: "09:00"
    duration: 10m
    title: Forskning & <framtid>
    organiser: umu
    scene: Studio Close
    overlays: [live-bug]
    lower_thirds:
      - {{ name: Ada Lund, role: Professor, at: 10s, for: 20s }}
"""


@pytest.fixture
def provisioned(
    obs_factory: Any, obs_settings: Callable[..., Any], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Any, ObsGateway]:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    obs = obs_factory()
    assert main(["provision", str(CATALOGUE), "--obs", obs.url]) == 0
    capsys.readouterr()
    gw = ObsGateway(obs_settings(obs.url))
    gw.start()
    assert gw.wait_connected(10)
    return obs, gw


def test_look_at_an_instant_saves_obs_render_of_that_moment(
    provisioned: tuple[Any, ObsGateway], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    obs, gw = provisioned
    try:
        transition = gw.call("GetCurrentSceneTransition")["transitionName"]
        assert transition != "Cut"
        raw = RawClient(obs.url)  # sees the events the gateway does not pass on
        raw.identify()
        out = tmp_path / "welcome.png"
        assert main(["look", str(TUESDAY), "--obs", obs.url, "--at", "09:00:09", "-o",
                     str(out)]) == 0
        assert capsys.readouterr().out.strip() == (
            f"{out}: 09:00:09 Välkommen till Digital vecka · scene Studio Wide")
        assert gw.call("GetCurrentProgramScene")["currentProgramSceneName"] == "Studio Wide"
        name = gw.call("GetInputSettings", {"inputName": "LT Name"})["inputSettings"]["text"]
        assert name == "Krister Ruth"
        assert gw.call("GetRecordStatus")["outputActive"] is False
        # the pictures were cuts; then OBS gets its transition back (OBS applies it a little
        # later than it answers, and says so with an event)
        raw.wait_event("CurrentSceneTransitionChanged",
                       lambda d: d.get("transitionName") == transition)
        names = [e["eventData"]["transitionName"] for e in raw.since(0)
                 if e["eventType"] == "CurrentSceneTransitionChanged"]
        assert names == ["Cut", transition]
        raw.close()
        assert gw.call("GetStreamStatus")["outputActive"] is False
        picture = Image.open(io.BytesIO(out.read_bytes())).convert("RGBA")
        assert picture.size == (1280, 720)
        bar = lower_third_parts(load_catalogue(CATALOGUE), Canvas(1280, 720))[0]
        x = round(bar.transform["positionX"] + bar.settings["width"] - 6)
        y = round(bar.transform["positionY"] + 6)
        r, g, b, a = picture.getpixel((x, y))  # type: ignore[misc]
        assert (abs(r - 0x0B) < 8, abs(g - 0x25) < 8, abs(b - 0x45) < 8, a > 200) == (
            True, True, True, True), (r, g, b, a)

        assert main(["look", str(TUESDAY), "--obs", obs.url, "--at", "07:00", "-o",
                     str(tmp_path / "early.png")]) == 1
        assert capsys.readouterr().err.strip() == (
            "studio look: error: nothing is on air at 07:00:00: the show starts at 08:45:00")
    finally:
        gw.stop()


def test_contact_sheet_has_a_picture_per_cue_and_names_each(
    provisioned: tuple[Any, ObsGateway], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    obs, gw = provisioned
    gw.stop()
    show = tmp_path / "show.yaml"
    show.write_text(SHOW, encoding="utf-8")
    out = tmp_path / "sheet"
    assert main(["look", str(show), "--obs", obs.url, "--contact-sheet", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    pictures = sorted(p.name for p in out.glob("*.png"))
    assert pictures == ["001-084500-slate.png", "002-090000-talk.png", "003-090020-talk.png"]
    assert printed[-1] == f"{out / 'index.html'}: 3 pictures"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<img src="([^"]+)"', page) == pictures
    assert "<b>09:00:20</b> Forskning &amp; &lt;framtid&gt;" in page
    assert "organiser: Umeå universitet" in page and "scene: Studio Close" in page
    assert "lower third: Ada Lund — Professor" in page
    assert "overlays: live-bug, logo-umea-universitet" in page
    for name in pictures:
        assert Image.open(out / name).size == (1280, 720)


def test_look_refuses_an_obs_that_records(
    provisioned: tuple[Any, ObsGateway], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    obs_settings: Callable[..., Any], recorder: Any,
) -> None:
    obs, plain = provisioned
    plain.stop()
    gw = ObsGateway(obs_settings(obs.url), on_event=recorder)
    gw.start()
    assert gw.wait_connected(10)
    try:
        gw.call("StartRecord")
        recorder.wait_for(lambda e: isinstance(e, RecordStateChanged) and e.active)
        scene = gw.call("GetCurrentProgramScene")["currentProgramSceneName"]
        code = main(["look", str(TUESDAY), "--obs", obs.url, "--at", "09:00:09", "-o",
                     str(tmp_path / "x.png")])
        err = capsys.readouterr().err.strip().splitlines()
        assert (code, err) == (1, [
            f"studio look: error: OBS at {obs.url} is recording: studio look puts a show's state "
            "on a rehearsal OBS only (stop the output or use another OBS)"])
        assert not (tmp_path / "x.png").exists()
        assert gw.call("GetCurrentProgramScene")["currentProgramSceneName"] == scene
    finally:
        gw.call("StopRecord")
        gw.stop()


def test_look_on_an_obs_not_provisioned_says_what_to_do(
    obs_factory: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    obs = obs_factory()
    code = main(["look", str(TUESDAY), "--obs", obs.url, "--at", "09:00", "-o",
                 str(tmp_path / "x.png")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1, err
    assert err[0].startswith(f"studio look: error: OBS at {obs.url} lacks the scene(s) "
                             "'Holding Slate', 'Studio Wide'"), err
    assert err[0].endswith("run studio provision on its catalogue first (studio check --obs "
                           "lists all)")

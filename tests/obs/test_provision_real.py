"""``studio provision`` and pre-flight on a real, empty OBS: provisioning makes pre-flight pass, a
second run creates nothing, nothing that existed is altered, and pre-flight names what goes
missing afterwards, pointing at the line that refers to it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studio.cli import main
from studio.obs.gateway import ObsGateway
from studio.obs.preflight import preflight_diagnostics
from studio.show.loader import load_show

pytestmark = pytest.mark.obs

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "scenes" / "campus-studio.yaml"
SHOWS = sorted((ROOT / "schedules" / "digital-vecka-2021").glob("2021-*.yaml"))
TUESDAY = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"


def position(path: Path, text: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the ``nth`` occurrence of ``text`` in ``path``."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            seen += 1
            if seen == nth:
                return number, line.index(text) + 1
    raise AssertionError(f"{text!r} not in {path}")


def provision_cli(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["provision", str(CATALOGUE), "--obs", url])
    out = capsys.readouterr()
    assert out.err == ""
    return code, out.out.splitlines()


def items(gw: ObsGateway, scene: str) -> dict[str, bool]:
    reply = gw.call("GetSceneItemList", {"sceneName": scene})
    return {i["sourceName"]: i["sceneItemEnabled"] for i in reply["sceneItems"]}


def test_provision_then_preflight_passes_and_names_what_goes_missing(
    obs_factory: Any,
    obs_settings: Callable[..., Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    obs = obs_factory()
    settings = obs_settings(obs.url)
    gw = ObsGateway(settings)
    gw.start()
    assert gw.wait_connected(10)
    try:
        # something the user made before: it must stay exactly as it is
        gw.call("CreateScene", {"sceneName": "Studio Wide"})
        gw.call("CreateInput", {"sceneName": "Studio Wide", "inputName": "Clock",
                                "inputKind": "color_source_v3",
                                "inputSettings": {"color": 0xFF00FF00}, "sceneItemEnabled": True})
        shows = [load_show(p) for p in SHOWS]
        before = preflight_diagnostics(shows[0], settings)
        assert any("scene 'Holding Slate' is not in OBS" in d.message for d in before)

        code, lines = provision_cli(obs.url, capsys)
        assert code == 0, lines
        assert "created program scene 'Holding Slate'" in lines
        assert "created program scene 'Studio Wide'" not in lines
        assert "created graphics scene 'Graphics'" in lines
        assert "added graphics scene 'Graphics' to scene 'Studio Wide' (shown)" in lines
        assert "added overlay clock 'Clock' to scene 'Graphics' (hidden)" in lines
        assert any(line.startswith("created lower-third text 'LT Name' (text_") for line in lines)
        assert not any(line.startswith("problem") for line in lines)
        assert len(lines) == len(set(lines))

        # the layout the engine relies on
        assert items(gw, "Studio Wide") == {"Clock": True, "Graphics": True}
        graphics = items(gw, "Graphics")
        assert graphics["Lower Third"] is False and graphics["LIVE Bug"] is False
        assert len(graphics) == 13  # 12 overlays + the lower third
        assert list(items(gw, "Lower Third")) == [  # bottom first: the bar below the texts
            "LT Background", "LT Accent", "LT Name", "LT Role"]
        clock = gw.call("GetInputSettings", {"inputName": "Clock"})
        assert clock["inputKind"] == "color_source_v3"
        assert clock["inputSettings"]["color"] == 0xFF00FF00

        for show in shows:
            assert preflight_diagnostics(show, settings) == [], show.source_path

        code, lines = provision_cli(obs.url, capsys)
        nothing = "nothing to do: OBS already has everything the catalogue names"
        assert (code, lines) == (0, [nothing])

        # now take things away by hand, as an operator might
        # (RemoveInput on an input that has a scene item does nothing in headless OBS 29.0.2:
        # remove the scene items instead)
        for scene, source in (("Graphics", "LIVE Bug"), ("Studio Wide", "Graphics"),
                              ("Graphics", "Lower Third")):
            item = gw.call("GetSceneItemId", {"sceneName": scene, "sourceName": source})
            gw.call("RemoveSceneItem", {"sceneName": scene, "sceneItemId": item["sceneItemId"]})
        gw.call("RemoveScene", {"sceneName": "Panel"})
        found = [d.format() for d in preflight_diagnostics(load_show(TUESDAY), settings)]
    finally:
        gw.stop()

    cat, tue = str(CATALOGUE), str(TUESDAY)
    url = obs.url
    line, col = position(CATALOGUE, "LIVE Bug")
    lt_line, lt_col = position(CATALOGUE, "source: Lower Third")
    lt_col += len("source: ")
    expected = [
        f"{tue}:{position(TUESDAY, 'scene: Studio Wide')[0]}:12: error: scene 'Studio Wide' in OBS "
        f"does not hold the graphics scene 'Graphics' (studio provision creates it)",
        f"{tue}:{position(TUESDAY, 'scene: Panel')[0]}:12: error: scene 'Panel' is not in OBS at "
        f"{url} (studio provision creates it)",
        f"{cat}:{line}:{col}: error: overlay 'live-bug': source 'LIVE Bug' is not in the graphics "
        f"scene 'Graphics' in OBS at {url} (studio provision creates it)",
        f"{cat}:{lt_line}:{lt_col}: error: lower third 'Lower Third' is not in the graphics scene "
        f"'Graphics' in OBS at {url} (studio provision creates it)",
    ]
    assert sorted(found) == sorted(expected), "\n".join(found)


def test_provision_with_a_wrong_password_is_one_clear_line(
    obs_real_password: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIO_OBS_PASSWORD", "wrong-" + obs_real_password.password)
    code = main(["provision", str(CATALOGUE), "--obs", obs_real_password.url])
    out = capsys.readouterr()
    assert code == 1
    assert out.out == ""
    assert out.err.strip().splitlines() == [
        f"studio provision: error: OBS at {obs_real_password.url} refused the password"
    ]
    assert obs_real_password.password not in out.err

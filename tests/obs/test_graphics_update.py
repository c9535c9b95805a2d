"""``studio provision`` with graphics on a real OBS: it never alters what exists, an older
studio's placeholder is only replaced with ``--update``, ``--update`` brings studio-made sources
in line with a changed catalogue and says what changed, and leaves the user's own sources alone."""

from __future__ import annotations

import shutil
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
TUESDAY = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"
NOTHING = "nothing to do: OBS already has everything the catalogue names"


def provision(url: str, catalogue: Path, capsys: pytest.CaptureFixture[str],
              *extra: str) -> tuple[int, list[str]]:
    code = main(["provision", str(catalogue), "--obs", url, *extra])
    out = capsys.readouterr()
    assert out.err == ""
    return code, out.out.splitlines()


def test_update_brings_studio_made_sources_in_line_and_leaves_the_rest(
    obs_factory: Any, obs_settings: Callable[..., Any], capsys: pytest.CaptureFixture[str],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    shutil.copytree(ROOT / "scenes", tmp_path / "scenes")
    catalogue = tmp_path / "scenes" / "campus-studio.yaml"
    obs = obs_factory()
    gw = ObsGateway(obs_settings(obs.url))
    gw.start()
    assert gw.wait_connected(10)
    try:
        # before studio: the user's own LIVE bug, and a placeholder an older studio made
        gw.call("CreateScene", {"sceneName": "Graphics"})
        mine = str(tmp_path / "scenes" / "graphics" / "partner-umea-energi.png")
        gw.call("CreateInput", {"sceneName": "Graphics", "inputName": "LIVE Bug",
                                "inputKind": "image_source", "inputSettings": {"file": mine}})
        gw.call("CreateInput", {"sceneName": "Graphics", "inputName": "Partner Strip",
                                "inputKind": "text_ft2_source_v2",
                                "inputSettings": {"text": "Partner Strip"},
                                "sceneItemEnabled": False})
        code, lines = provision(obs.url, catalogue, capsys)
        assert code == 0, lines
        assert "'Partner Strip' is still an older studio's text_ft2_source_v2 placeholder: " \
               "studio provision --update makes it its overlay image" in lines
        assert not any("'LIVE Bug'" in line for line in lines), lines
        kind = gw.call("GetInputSettings", {"inputName": "Partner Strip"})["inputKind"]
        assert kind == "text_ft2_source_v2"  # not altered without --update
        # pre-flight names it, at the image it should show (a warning: the show can run)
        shipped = ROOT / "scenes" / "campus-studio.yaml"
        line = next(n for n, text in enumerate(
            shipped.read_text(encoding="utf-8").splitlines(), 1) if "partner-strip.png" in text)
        column = shipped.read_text(encoding="utf-8").splitlines()[line - 1].index(
            "graphics/partner-strip.png") + 1
        found = [d.format() for d in preflight_diagnostics(load_show(TUESDAY),
                                                            obs_settings(obs.url))]
        assert found == [
            f"{shipped}:{line}:{column}: warning: overlay 'partners': 'Partner Strip' in OBS at "
            f"{obs.url} is still a text placeholder, not its image (studio provision --update "
            "replaces it)"]

        # the producer changes the catalogue: a new file for one logo, another bar colour
        text = catalogue.read_text(encoding="utf-8")
        text = text.replace("image: graphics/logo-kunskapsnoden.png",
                            "image: graphics/logo-umea-universitet.png")
        text = text.replace('color: "#0B2545", opacity: 0.88', 'color: "#401010", opacity: 0.88')
        catalogue.write_text(text, encoding="utf-8")
        code, lines = provision(obs.url, catalogue, capsys)
        assert (code, lines[:1]) == (0, [NOTHING]), lines  # without --update: nothing changes
        assert "'Logo Kunskapsnoden' differs from the catalogue (file): studio provision " \
               "--update brings it in line" in lines
        logo = gw.call("GetInputSettings", {"inputName": "Logo Kunskapsnoden"})["inputSettings"]
        assert logo["file"].endswith("logo-kunskapsnoden.png")

        code, lines = provision(obs.url, catalogue, capsys, "--update")
        assert code == 0, lines
        graphics = tmp_path / "scenes" / "graphics"
        assert sorted(lines) == sorted([
            "replaced the text_ft2_source_v2 placeholder 'Partner Strip' by its overlay image "
            "(image_source)",
            f"updated overlay image 'Logo Kunskapsnoden': file {graphics}/logo-kunskapsnoden.png "
            f"-> {graphics}/logo-umea-universitet.png",
            "updated lower-third bar 'LT Background': color E045250B (ABGR) -> E0101040 (ABGR)",
            "left alone 'LIVE Bug' (image_source): studio did not make it",
        ]), lines
        strip = gw.call("GetInputSettings", {"inputName": "Partner Strip"})
        assert strip["inputKind"] == "image_source"
        item = gw.call("GetSceneItemId", {"sceneName": "Graphics", "sourceName": "Partner Strip"})
        enabled = gw.call("GetSceneItemEnabled", {"sceneName": "Graphics",
                                                  "sceneItemId": item["sceneItemId"]})
        assert enabled["sceneItemEnabled"] is False  # hidden as it was
        bug = gw.call("GetInputSettings", {"inputName": "LIVE Bug"})["inputSettings"]
        assert bug == {"file": mine}  # the user's own, untouched

        code, lines = provision(obs.url, catalogue, capsys, "--update")
        assert (code, lines) == (0, [NOTHING, "left alone 'LIVE Bug' (image_source): studio "
                                              "did not make it"])
    finally:
        gw.stop()

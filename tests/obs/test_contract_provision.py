"""Rehearsal starts from the same OBS layout as the studio: ``Simulator.load_catalogue`` on the
simulator and ``studio provision`` (the real code, through the gateway) on the real OBS give the
same scenes, nesting, visibility and input kinds, read back over the raw protocol."""

from __future__ import annotations

from typing import Any

import pytest
from conftest_contract import (  # noqa: F401  (fixtures: obs, target)
    RawClient,
    Target,
    obs_fixture,
    target_fixture,
)

from studio.obs.connection import ObsConnectionSettings
from studio.obs.gateway import ObsGateway
from studio.obs.provision import provision
from studio.show.model import Catalogue

pytestmark = pytest.mark.obs


def catalogue(target: Target) -> Catalogue:
    tag = target.name("CT")  # unique names: the real OBS is shared by the whole session
    return Catalogue.model_validate({
        "scenes": [f"{tag} Wide", f"{tag} Close"],
        "graphics_scene": f"{tag} Graphics",
        "overlays": {"bug": {"source": f"{tag} Bug"}, "clock": {"source": f"{tag} Clock"}},
        "lower_third": {"source": f"{tag} Lower Third", "name_input": f"{tag} LT Name",
                        "role_input": f"{tag} LT Role"},
        "transitions": {"default": "fade 300ms"},
    })


def layout(obs: RawClient, cat: Catalogue) -> dict[str, Any]:
    scenes = [*cat.scenes, cat.graphics_scene, cat.lower_third.source]
    out: dict[str, Any] = {}
    for scene in scenes:
        items = obs.call("GetSceneItemList", {"sceneName": scene})["sceneItems"]
        out[scene] = [(i["sourceName"], i["sourceType"], i["inputKind"], i["sceneItemEnabled"])
                      for i in items]
    listed = {s["sceneName"] for s in obs.call("GetSceneList")["scenes"]}
    out["listed"] = sorted(s for s in scenes if s in listed)
    return out


def test_load_catalogue_gives_the_provisioned_layout(target: Target, obs: RawClient) -> None:
    cat = catalogue(target)
    names = [*cat.scenes, cat.graphics_scene, cat.lower_third.source]
    target.created += [("scene", n) for n in names]
    if target.kind == "real":
        gw = ObsGateway(ObsConnectionSettings(port=int(target.url.rsplit(":", 1)[1])))
        gw.start()
        try:
            assert gw.wait_connected(10)
            report = provision(gw, cat)
        finally:
            gw.stop()
        assert report.problems == []
    else:
        assert target.sim is not None
        target.sim.load_catalogue(cat)
    got = layout(obs, cat)
    g, lt = cat.graphics_scene, cat.lower_third
    text = "text_ft2_source_v2"
    assert got == {
        "listed": sorted(names),
        cat.scenes[0]: [(g, "OBS_SOURCE_TYPE_SCENE", None, True)],
        cat.scenes[1]: [(g, "OBS_SOURCE_TYPE_SCENE", None, True)],
        g: [(cat.overlays["bug"].source, "OBS_SOURCE_TYPE_INPUT", text, False),
            (cat.overlays["clock"].source, "OBS_SOURCE_TYPE_INPUT", text, False),
            (lt.source, "OBS_SOURCE_TYPE_SCENE", None, False)],
        lt.source: [(lt.name_input, "OBS_SOURCE_TYPE_INPUT", text, True),
                    (lt.role_input, "OBS_SOURCE_TYPE_INPUT", text, True)],
    }

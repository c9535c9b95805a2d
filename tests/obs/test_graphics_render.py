"""The graphics as OBS really renders them (headless OBS, GetSourceScreenshot of the program
scene): after ``studio provision``, the lower-third band changes when a lower third is up and not
otherwise, a logo's pixels are where the catalogue puts it on 1280x720 and (after ``--update``)
on 1920x1080, and a 60-character name stays inside the bar."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from studio.cli import main
from studio.obs.gateway import ObsGateway
from studio.obs.layout import Canvas, lower_third_parts
from studio.obs.look import screenshot
from studio.show.images import image_size
from studio.show.loader import load_catalogue

pytestmark = pytest.mark.obs

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_PATH = ROOT / "scenes" / "campus-studio.yaml"
CATALOGUE = load_catalogue(CATALOGUE_PATH)
SCENE = "Studio Wide"
Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive), like PIL's bbox


@pytest.fixture
def studio_obs(
    obs_factory: Any, obs_settings: Callable[..., Any], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Any, ObsGateway]]:
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    obs = obs_factory()
    assert main(["provision", str(CATALOGUE_PATH), "--obs", obs.url]) == 0
    capsys.readouterr()
    gw = ObsGateway(obs_settings(obs.url, timeout=20.0))  # a 1080p picture can take a while
    gw.start()
    assert gw.wait_connected(10)
    gw.call("SetCurrentProgramScene", {"sceneName": SCENE})
    yield obs, gw
    gw.stop()


def shot(gw: ObsGateway) -> Image.Image:
    return Image.open(io.BytesIO(screenshot(gw, SCENE))).convert("RGBA")


def show(gw: ObsGateway, source: str, visible: bool) -> None:
    item = gw.call("GetSceneItemId", {"sceneName": "Graphics", "sourceName": source})
    gw.call("SetSceneItemEnabled", {"sceneName": "Graphics", "sceneItemId": item["sceneItemId"],
                                    "sceneItemEnabled": visible})


def texts(gw: ObsGateway, name: str, role: str) -> None:
    gw.call("SetInputSettings", {"inputName": "LT Name", "inputSettings": {"text": name}})
    gw.call("SetInputSettings", {"inputName": "LT Role", "inputSettings": {"text": role}})


def changed(a: Image.Image, b: Image.Image) -> Box | None:
    """Bounding box of the pixels that differ (None: identical pictures)."""
    return ImageChops.difference(a, b).getbbox()


def bar_box(canvas: Canvas) -> Box:
    bar = lower_third_parts(CATALOGUE, canvas)[0]
    assert bar.name == "LT Background"
    x, y = bar.transform["positionX"], bar.transform["positionY"]
    return (round(x), round(y), round(x + bar.settings["width"]),
            round(y + bar.settings["height"]))


def logo_box(key: str, canvas: Canvas) -> Box:
    """Where the catalogue puts an overlay's image: fitted into its size box, aspect kept."""
    overlay = CATALOGUE.overlays[key]
    assert overlay.image and overlay.size and overlay.position and overlay.align == "top-right"
    iw, ih = image_size(overlay.image) or (0, 0)
    bw, bh = overlay.size[0] * canvas.width, overlay.size[1] * canvas.height
    scale = min(bw / iw, bh / ih)
    right, top = overlay.position[0] * canvas.width, overlay.position[1] * canvas.height
    return (round(right - iw * scale), round(top), round(right), round(top + ih * scale))


def near(found: Box | None, expected: Box, slack: int = 2) -> bool:
    return found is not None and all(
        abs(f - e) <= slack for f, e in zip(found, expected, strict=True))


def inside(found: Box | None, outer: Box) -> bool:
    return found is not None and found[0] >= outer[0] and found[1] >= outer[1] and \
        found[2] <= outer[2] and found[3] <= outer[3]


def test_the_lower_third_band_changes_with_the_lower_third_and_only_then(
    studio_obs: tuple[Any, ObsGateway],
) -> None:
    _, gw = studio_obs
    band = bar_box(Canvas(1280, 720))
    texts(gw, "Krister Ruth", "Strateg Externa relationer")
    before = shot(gw)
    show(gw, "LIVE Bug", True)
    bug = shot(gw)
    assert changed(before, bug) is not None  # the picture does follow OBS
    assert changed(before.crop(band), bug.crop(band)) is None  # ...but not in the band
    show(gw, "Lower Third", True)
    up = shot(gw)
    assert inside(changed(bug, up), band)  # all of the change is in the band
    assert near(changed(bug, up), band), (changed(bug, up), band)  # and the bar fills it
    show(gw, "Lower Third", False)
    assert changed(bug, shot(gw)) is None


def test_a_60_character_name_and_a_long_role_stay_inside_the_bar(
    studio_obs: tuple[Any, ObsGateway],
) -> None:
    _, gw = studio_obs
    band = bar_box(Canvas(1280, 720))
    texts(gw, "", "")
    show(gw, "Lower Third", True)
    empty = shot(gw)
    name = "Maximiliana Theodora Alexandersson-Wikström af Västerbottnia"
    assert len(name) == 60
    texts(gw, name, "")
    long_name = changed(empty, shot(gw))
    assert inside(long_name, band), (long_name, band)
    assert long_name is not None
    assert long_name[2] > band[0] + 0.85 * (band[2] - band[0])  # shrunk to the bar, not cut
    texts(gw, name, "Föreståndare för det regionala forsknings- och innovationsprogrammet för "
                    "skogsnäringens digitala omställning i Västerbotten och Norrbotten")
    both = changed(empty, shot(gw))
    assert inside(both, band), (both, band)
    texts(gw, "Krister Ruth", "")
    short = changed(empty, shot(gw))
    assert short is not None
    # a name that fits keeps its font size (0.048 of 720 px): taller than the shrunk long one
    assert short[3] - short[1] > long_name[3] - long_name[1]
    assert short[3] - short[1] >= 0.6 * 0.048 * 720


def test_a_logo_is_where_the_catalogue_puts_it_on_720p_and_after_update_on_1080p(
    studio_obs: tuple[Any, ObsGateway], capsys: pytest.CaptureFixture[str],
) -> None:
    obs, gw = studio_obs
    logo = "logo-region-vasterbotten"
    source = CATALOGUE.overlays[logo].source
    before = shot(gw)
    show(gw, source, True)
    found = changed(before, shot(gw))
    assert near(found, logo_box(logo, Canvas(1280, 720))), (found, logo_box(logo,
                                                                            Canvas(1280, 720)))
    show(gw, source, False)

    gw.call("SetVideoSettings", {"baseWidth": 1920, "baseHeight": 1080, "outputWidth": 1920,
                                 "outputHeight": 1080})
    assert main(["provision", str(CATALOGUE_PATH), "--obs", obs.url]) == 0
    lines = capsys.readouterr().out.splitlines()  # changes nothing, but says what is stale
    assert lines[0] == "nothing to do: OBS already has everything the catalogue names"
    assert f"'{source}' differs from the catalogue (positionX, positionY, boundsWidth, " \
           "boundsHeight): studio provision --update brings it in line" in lines, lines
    assert "'LT Name' differs from the catalogue (font, positionX, positionY, boundsWidth, " \
           "boundsHeight): studio provision --update brings it in line" in lines, lines
    assert main(["provision", str(CATALOGUE_PATH), "--obs", obs.url, "--update"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"updated overlay image '{source}': positionX 1241.6 -> 1862.4;")
               for line in lines), lines
    assert any(line.startswith("updated lower-third bar 'LT Background': width 589 -> 883")
               for line in lines), lines
    before = shot(gw)
    assert before.size == (1920, 1080)
    show(gw, source, True)
    found = changed(before, shot(gw))
    assert near(found, logo_box(logo, Canvas(1920, 1080))), found
    show(gw, "Lower Third", True)
    texts(gw, "Krister Ruth", "Strateg Externa relationer")
    assert inside(changed(before, shot(gw)), (0, 0, 1920, 1080))
    assert main(["provision", str(CATALOGUE_PATH), "--obs", obs.url, "--update"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "nothing to do: OBS already has everything the catalogue names"]


def test_the_clock_draws_the_time_where_the_catalogue_puts_it(
    studio_obs: tuple[Any, ObsGateway],
) -> None:
    _, gw = studio_obs
    overlay = CATALOGUE.overlays["clock"]
    assert overlay.clock is not None and overlay.position and overlay.size
    before = shot(gw)
    show(gw, overlay.source, True)
    found = None
    for _ in range(50):  # FFmpeg opens the clock's graph on its own thread: no event says when
        found = changed(before, shot(gw))
        if found is not None:
            break
    left, top = overlay.position[0] * 1280, overlay.position[1] * 720
    box = (round(left), round(top), round(left + overlay.size[0] * 1280),
           round(top + overlay.size[1] * 720))
    assert inside(found, box), (found, box)
    assert found is not None and found[3] - found[1] >= box[3] - box[1] - 2  # fills the height

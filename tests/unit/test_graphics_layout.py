"""Where the catalogue's graphics go, computed without OBS: fractions scale with the canvas,
pixels stay pixels, the lower third's texts sit inside its bar, and a look at an instant that
cannot be read is one clear line before any OBS is asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli import main
from studio.obs.layout import Canvas, lower_third_parts, overlay_part
from studio.show.loader import load_catalogue
from studio.show.model import Overlay, abgr

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue(ROOT / "scenes" / "campus-studio.yaml")
TUESDAY = ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"


def test_fractions_scale_with_the_canvas_and_pixels_do_not() -> None:
    overlay = Overlay(source="X", image="/x.png", position=(0.5, 40), size=(0.25, 0.1),
                      align="bottom-right")
    small = overlay_part(overlay, Canvas(1280, 720))
    big = overlay_part(overlay, Canvas(1920, 1080))
    assert small is not None and big is not None
    assert (small.transform["positionX"], small.transform["positionY"]) == (640, 40)
    assert (big.transform["positionX"], big.transform["positionY"]) == (960, 40)
    assert (big.transform["boundsWidth"], big.transform["boundsHeight"]) == (480, 108)
    assert big.transform["alignment"] == 10 == big.transform["boundsAlignment"]  # bottom|right
    assert big.transform["boundsType"] == "OBS_BOUNDS_SCALE_INNER"
    assert overlay_part(Overlay(source="Y"), Canvas(1280, 720)) is None  # a placeholder


def test_the_lower_third_texts_lie_inside_the_bar_on_both_canvases() -> None:
    for canvas in (Canvas(1280, 720), Canvas(1920, 1080)):
        bar, accent, name, role = lower_third_parts(CATALOGUE, canvas)
        assert [p.name for p in (bar, accent, name, role)] == [
            "LT Background", "LT Accent", "LT Name", "LT Role"]
        x0, y0 = bar.transform["positionX"], bar.transform["positionY"]
        x1, y1 = x0 + bar.settings["width"], y0 + bar.settings["height"]
        assert abs(x0 - 0.05 * canvas.width) < 1 and abs(y1 - 0.87 * canvas.height) < 1
        for text in (name, role):
            t = text.transform
            assert t["boundsType"] == "OBS_BOUNDS_MAX_ONLY"  # shrinks, never grows
            assert x0 < t["positionX"] and t["positionX"] + t["boundsWidth"] <= x1 + 0.5
            assert y0 < t["positionY"] and t["positionY"] + t["boundsHeight"] <= y1 + 0.5
        assert bar.settings["color"] == abgr("#0B2545", 0.88)
        assert name.settings["font"]["size"] == round(0.048 * canvas.height)
        assert role.settings["word_wrap"] is True


def test_abgr_is_what_obs_reads() -> None:
    assert abgr("#0B2545") == 0xFF45250B
    assert abgr("#FF000080") == 0x800000FF


@pytest.mark.parametrize(("args", "message"), [
    (["--at", "25:00", "-o", "x.png"], "studio look: error: --at: bad time of day '25:00'"),
    (["--at", "09:00", "-o", "x.jpg"], "studio look: error: x.jpg: --at writes one PNG picture"),
    (["--at", "09:00", "-o", "x.png", "--width", "3"], "studio look: error: bad --width 3"),
])
def test_look_reads_its_arguments_before_asking_obs(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDIO_OBS_PASSWORD", raising=False)
    code = main(["look", str(TUESDAY), "--obs", "ws://127.0.0.1:9", *args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and err[0].startswith(message), err


def test_windows_text_sources_get_the_same_style_in_their_own_words() -> None:
    from studio.obs.layout import text_settings_for

    role = lower_third_parts(CATALOGUE, Canvas(1920, 1080))[3]
    assert text_settings_for(role.settings, "text_ft2_source_v2") == role.settings
    gdi = text_settings_for(role.settings, "text_gdiplus_v2")
    assert gdi["color"] == 0xF9E1D0 and gdi["opacity"] == 100  # #D0E1F9, opaque, as BGR
    assert gdi["extents"] is gdi["extents_wrap"] is True
    assert gdi["extents_cx"] == role.settings["custom_width"]
    assert gdi["font"] == role.settings["font"]
    assert not {"color1", "color2", "word_wrap", "custom_width"} & set(gdi)

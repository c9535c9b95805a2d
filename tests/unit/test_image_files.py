"""Catalogue images that start right but are not whole, or are larger than OBS can load: named
at the overlay's ``image`` by ``studio check`` (OBS would show nothing on air)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from studio.show.images import MAX_SIDE_PX
from studio.show.loader import check_file
from tests.redteam.test_catalogue import png

CATALOGUE = """\
scenes: [Studio Wide]
graphics_scene: Graphics
overlays:
  logo: { source: Logo, image: art/logo.IMG, position: [0.5, 0.5] }
lower_third: { source: Lower Third, name_input: LT Name, role_input: LT Role }
"""


def errors(tmp_path: Path, blob: bytes, suffix: str) -> list[str]:
    (tmp_path / "art").mkdir(exist_ok=True)
    (tmp_path / "art" / f"logo.{suffix}").write_bytes(blob)
    cat = tmp_path / "catalogue.yaml"
    cat.write_text(CATALOGUE.replace("IMG", suffix), encoding="utf-8")
    _, diags = check_file(cat)
    return [d.format().replace(str(tmp_path) + "/", "") for d in diags if d.severity == "error"]


def picture(fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", (120, 80))
    img.putdata([((x * 7) % 256, (y * 5) % 256, (x * y) % 256)
                 for y in range(80) for x in range(120)])
    img.save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize("options", [{}, {"progressive": True}, {"optimize": True,
                                                                   "restart_marker_rows": 1}])
def test_a_whole_jpeg_passes_and_one_cut_short_is_named(
    tmp_path: Path, options: dict[str, object]
) -> None:
    blob = picture("JPEG", quality=90, **options)
    assert errors(tmp_path, blob, "jpg") == []
    for cut in (len(blob) // 2, len(blob) - 2):
        found = errors(tmp_path, blob[:cut], "jpg")
        assert found == ["catalogue.yaml:4:32: error: overlay 'logo': image art/logo.jpg is not a "
                         "whole JPEG file (it ends before its EOI marker): OBS would show nothing"]


def test_a_whole_png_passes_and_one_without_iend_or_pixels_is_named(tmp_path: Path) -> None:
    blob = picture("PNG")
    assert errors(tmp_path, blob, "png") == []
    assert errors(tmp_path, blob[:-12], "png") == [
        "catalogue.yaml:4:32: error: overlay 'logo': image art/logo.png is not a whole PNG file "
        "(it ends before its IEND chunk): OBS would show nothing"]
    assert errors(tmp_path, blob[:len(blob) // 2], "png") == [
        "catalogue.yaml:4:32: error: overlay 'logo': image art/logo.png is not a whole PNG file "
        "(its 'IDAT' chunk is cut short): OBS would show nothing"]


def test_the_largest_side_obs_can_load_passes_one_pixel_more_is_named(tmp_path: Path) -> None:
    assert MAX_SIDE_PX == 16384
    assert errors(tmp_path, png(tmp_path / "ok.png", 16384, 4), "png") == []
    assert errors(tmp_path, png(tmp_path / "wide.png", 4, 16385), "png") == [
        "catalogue.yaml:4:32: error: overlay 'logo': image art/logo.png is 4x16385 px: OBS cannot "
        "load an image over 16384 px a side (the largest GPU texture it can count on); "
        "scale it down"]

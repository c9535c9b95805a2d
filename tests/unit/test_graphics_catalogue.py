"""Graphics in the catalogue: image files are checked at their line and column, placements
must be pixels or fractions, and the shipped graphics are the ones scripts/make-graphics draws."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli import main
from studio.show.diagnostics import ShowError
from studio.show.loader import check_file, load_catalogue, load_show

ROOT = Path(__file__).resolve().parents[2]
GRAPHICS = ROOT / "scenes" / "graphics"
PNG_1X1 = (GRAPHICS / "live-bug.png").read_bytes()

CATALOGUE = """\
scenes: [Studio Wide]
graphics_scene: Graphics
overlays:
  live-bug: { source: LIVE Bug, image: art/bug.png, position: [0.03, 0.05], size: [0.1, 48] }
  logo: { source: Logo, image: art/logo.png, align: top-right, position: [0.97, 0.05] }
lower_third: { source: Lower Third, name_input: LT Name, role_input: LT Role }
"""

SHOW = """\
show: Test
date: 2021-01-19
timezone: Europe/Stockholm
catalogue: catalogue.yaml
segments:
  - { id: a, start: "09:00", duration: 10m, scene: Studio Wide, overlays: [live-bug, logo] }
"""


def write(tmp_path: Path, catalogue: str = CATALOGUE) -> Path:
    (tmp_path / "catalogue.yaml").write_text(catalogue, encoding="utf-8")
    show = tmp_path / "show.yaml"
    show.write_text(SHOW, encoding="utf-8")
    return show


def errors(path: Path) -> list[str]:
    _, diags = check_file(path)
    return [d.format() for d in diags if d.severity == "error"]


def test_images_resolve_next_to_the_catalogue_whatever_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "bug.png").write_bytes(PNG_1X1)
    (tmp_path / "art" / "logo.png").write_bytes(PNG_1X1)
    show_path = write(tmp_path)
    monkeypatch.chdir(ROOT)
    show = load_show(show_path)
    bug = show.catalogue.overlays["live-bug"]
    assert bug.image == str(tmp_path / "art" / "bug.png")
    assert (bug.position, bug.size, bug.align) == ((0.03, 0.05), (0.1, 48), "top-left")
    assert isinstance(bug.size[1], int)  # 48 stays pixels, 0.1 a fraction


def test_a_missing_and_an_unreadable_image_are_named_at_their_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "logo.png").write_text("<html>not a picture</html>")
    show_path = write(tmp_path)
    monkeypatch.chdir(tmp_path)
    found = errors(Path("show.yaml"))
    assert found == [
        "catalogue.yaml:4:40: error: overlay 'live-bug': image not found: art/bug.png",
        "catalogue.yaml:5:32: error: overlay 'logo': art/logo.png is not an image OBS can show "
        "(PNG, JPEG, GIF, BMP, TGA or WebP)",
    ]
    (tmp_path / "art" / "logo.png").unlink()
    (tmp_path / "art" / "logo.png").mkdir()
    (tmp_path / "art" / "bug.png").write_bytes(b"")
    assert errors(show_path.relative_to(tmp_path)) == [
        "catalogue.yaml:4:40: error: overlay 'live-bug': image art/bug.png is empty",
        "catalogue.yaml:5:32: error: overlay 'logo': image art/logo.png is a directory, not a file",
    ]
    with pytest.raises(ShowError):
        load_catalogue("catalogue.yaml")


def test_check_on_the_catalogue_itself_reports_the_image_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "logo.png").write_bytes(PNG_1X1)
    write(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "catalogue.yaml"]) == 1
    out = capsys.readouterr()
    assert "catalogue.yaml:4:40: error: overlay 'live-bug': image not found: art/bug.png" in (
        out.out + out.err)
    assert "Traceback" not in out.out + out.err


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        ("{ source: X, position: [1.5, 0.1] }",
         "1.5 is neither canvas pixels nor a fraction: write pixels as a whole number (48) and "
         "fractions from 0.0 to 1.0 (0.05)"),
        ("{ source: X, size: [0.1, 0.1], scale: 2 }",
         "give either size (a box the image fits into) or scale, not both"),
        ("{ source: X, align: middle }", "top-left"),
    ],
)
def test_bad_placements_are_one_line_at_the_overlay(
    tmp_path: Path, overlay: str, message: str
) -> None:
    cat = CATALOGUE.replace(
        "{ source: LIVE Bug, image: art/bug.png, position: [0.03, 0.05], size: [0.1, 48] }",
        overlay).replace(", image: art/logo.png", "")
    show = write(tmp_path, cat)
    found = errors(show)
    assert len(found) == 1, found
    assert found[0].startswith(f"{tmp_path / 'catalogue.yaml'}:4:"), found
    assert message in found[0]


def test_a_bad_lower_third_colour_is_named(tmp_path: Path) -> None:
    cat = CATALOGUE.replace(", image: art/bug.png", "").replace(", image: art/logo.png", "")
    cat = cat.replace(
        "lower_third: { source: Lower Third, name_input: LT Name, role_input: LT Role }",
        "lower_third:\n  source: Lower Third\n  name_input: LT Name\n  role_input: LT Role\n"
        "  style:\n    name: { color: white }\n")
    found = errors(write(tmp_path, cat))
    assert len(found) == 1 and ":11:" in found[0] and "white" in found[0], found


def test_the_shipped_catalogue_shows_a_picture_for_every_organiser_and_partner() -> None:
    cat = load_catalogue(ROOT / "scenes" / "campus-studio.yaml")
    for key, overlay in cat.overlays.items():
        if key.startswith(("logo-", "partner")) or key == "live-bug":
            assert overlay.image is not None, key
            assert Path(overlay.image).is_file(), key
    assert cat.lower_third.style is not None


def test_the_shipped_graphics_are_what_the_script_draws(tmp_path: Path) -> None:
    from PIL import Image as image
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make-graphics"), "--out",
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    made = sorted(p.name for p in tmp_path.glob("*.png"))
    assert made == sorted(p.name for p in GRAPHICS.glob("*.png"))
    for name in made:
        with image.open(tmp_path / name) as a, image.open(GRAPHICS / name) as b:
            assert a.size == b.size and a.tobytes() == b.tobytes(), name


@pytest.mark.parametrize("clock", [
    "{ format: \"%H:%M',x='1\" }",
    "{ format: \"%H:%M\", font_file: \"/tmp/a.ttf:text=x\" }",
    "{ format: \"\" }",
])
def test_a_clock_cannot_break_out_of_its_drawing(tmp_path: Path, clock: str) -> None:
    cat = CATALOGUE.replace(
        "{ source: LIVE Bug, image: art/bug.png, position: [0.03, 0.05], size: [0.1, 48] }",
        f"{{ source: Clock, clock: {clock} }}").replace(", image: art/logo.png", "")
    found = errors(write(tmp_path, cat))
    assert len(found) == 1 and ":4:" in found[0], found


def test_a_clock_is_drawn_by_obs_own_media_source() -> None:
    from studio.obs.layout import Canvas, overlay_part

    cat = load_catalogue(ROOT / "scenes" / "campus-studio.yaml")
    part = overlay_part(cat.overlays["clock"], Canvas(1920, 1080))
    assert part is not None and part.kind == "ffmpeg_source"
    assert part.settings["input_format"] == "lavfi"
    assert "text='%{localtime\\:%H\\\\\\:%M}'" in part.settings["input"]

"""Absurd catalogue images, as ``studio check`` (the pre-flight before provision/look) meets them.
Seen on the real headless OBS 29.0.2: a 20000x20000 PNG is provisioned without a word, OBS logs
"failed to load texture" and ``studio look`` renders the overlay as nothing."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

STUDIO = [sys.executable, "-m", "studio"]


def png(path: Path, width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG (all black), small on disk however large its pixels."""
    row = b"\0" + b"\0" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    blob = (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    path.write_bytes(blob)
    return blob


def check(tmp_path: Path, image: str) -> subprocess.CompletedProcess[str]:
    catalogue = tmp_path / "cat.yaml"
    catalogue.write_text(
        "scenes: [Studio Wide]\n"
        "graphics_scene: Graphics\n"
        "overlays:\n"
        f"  big: {{ source: Big, image: {image}, position: [0.5, 0.5], size: [0.2, 0.2] }}\n"
        "lower_third: { source: Lower Third, name_input: LT Name, role_input: LT Role }\n",
        encoding="utf-8")
    return subprocess.run([*STUDIO, "check", str(catalogue)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_check_names_an_image_too_large_for_obs(tmp_path: Path) -> None:
    png(tmp_path / "huge.png", 20000, 20000)
    out = check(tmp_path, "huge.png")
    text = out.stdout + out.stderr
    assert out.returncode != 0 or "warning:" in text, text
    assert "cat.yaml:4:" in text and "20000" in text, text


def test_check_names_a_truncated_image(tmp_path: Path) -> None:
    blob = png(tmp_path / "whole.png", 64, 64)
    (tmp_path / "cut.png").write_bytes(blob[:40])  # signature and IHDR, no pixels
    out = check(tmp_path, "cut.png")
    text = out.stdout + out.stderr
    assert out.returncode != 0, text
    assert "cat.yaml:4:" in text and "cut.png" in text, text

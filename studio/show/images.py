"""Image files a catalogue names: can OBS read them? Pure: reads a file's first bytes only.

``image_problem(path)`` is None for a readable PNG, JPEG, GIF, BMP, TGA or WebP file, else one
line saying what is wrong (missing, a directory, unreadable, empty, not an image). ``image_size``
reads the pixel size from the header (PNG, JPEG, GIF, BMP), None when it cannot.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tga", ".webp")
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"BM": "BMP",
}


def _kind(head: bytes) -> str | None:
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def image_problem(path: str | os.PathLike[str]) -> str | None:
    shown = os.fspath(path)
    try:
        mode = Path(shown).stat().st_mode
        if stat.S_ISDIR(mode):
            return f"image {shown} is a directory, not a file"
        if not stat.S_ISREG(mode):
            return f"image {shown} is not a regular file"
        with open(shown, "rb") as handle:
            head = handle.read(64)
    except FileNotFoundError:
        return f"image not found: {shown}"
    except OSError as exc:
        return f"cannot read image {shown}: {exc.strerror or exc}"
    except ValueError as exc:
        return f"cannot read image {shown!r}: {exc}"
    if not head:
        return f"image {shown} is empty"
    if _kind(head) is None and not shown.lower().endswith(".tga"):
        return f"{shown} is not an image OBS can show (PNG, JPEG, GIF, BMP, TGA or WebP)"
    return None


def image_size(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(width, height) in pixels from the file's header, None when unknown or unreadable."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(256 * 1024)
    except (OSError, ValueError):
        return None
    kind = _kind(data)
    try:
        if kind == "PNG" and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if kind == "GIF":
            w, h = struct.unpack("<HH", data[6:10])
            return int(w), int(h)
        if kind == "BMP":
            w, h = struct.unpack("<ii", data[18:26])
            return abs(int(w)), abs(int(h))
        if kind == "JPEG":
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(w), int(h)
        i += 2 + length
    return None

"""Image files a catalogue names: can OBS read them? Pure: reads headers and markers only.

``image_problem(path)`` is None for a readable PNG, JPEG, GIF, BMP, TGA or WebP file, else one
line saying what is wrong (missing, a directory, unreadable, empty, not an image, cut short,
larger than OBS can load). ``image_size`` reads the pixel size from the header (PNG, JPEG, GIF,
BMP), None when it cannot.

Whole: a PNG's chunks are walked (lengths and names, the data seeked over, no CRCs) up to
``IEND``; a JPEG's segments up to its ``EOI`` marker. No decoding, no Pillow.

Size: OBS makes one GPU texture of an image source, and a texture larger than the graphics
driver's maximum fails to load ("failed to load texture"; the overlay is then invisible on
air). 16384 px a side is Direct3D 11's fixed limit (D3D11_REQ_TEXTURE2D_U_OR_V_DIMENSION, OBS on
Windows) and the ``GL_MAX_TEXTURE_SIZE`` of Mesa's llvmpipe and most GPUs under OpenGL (OBS on
Linux and macOS): a larger image may load on one machine and not on the next, so it is refused.
Tried on OBS 29.0.2 under Mesa's llvmpipe (headless here): 16384x4 loads; 16385x4 and 4x16385 log
"glTexImage2D failed ... GL_INVALID_VALUE" and show nothing; 20000x20000 "failed to load texture".
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path
from typing import BinaryIO

MAX_SIDE_PX = 16384  # the largest texture side OBS can count on (see above)

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
    kind = _kind(head)
    if kind is None and not shown.lower().endswith(".tga"):
        return f"{shown} is not an image OBS can show (PNG, JPEG, GIF, BMP, TGA or WebP)"
    try:
        with open(shown, "rb") as handle:
            if kind == "PNG":
                cut = _png_problem(handle)
            elif kind == "JPEG":
                cut = _jpeg_problem(handle)
            else:
                cut = None
    except OSError as exc:
        return f"cannot read image {shown}: {exc.strerror or exc}"
    if cut is not None:
        return f"image {shown} is not a whole {kind} file ({cut}): OBS would show nothing"
    size = image_size(shown)
    if size is not None and max(size) > MAX_SIDE_PX:
        w, h = size
        return (f"image {shown} is {w}x{h} px: OBS cannot load an image over {MAX_SIDE_PX} px "
                "a side (the largest GPU texture it can count on); scale it down")
    return None


def _png_problem(handle: BinaryIO) -> str | None:
    """Why a PNG file (signature already seen) is not whole: its chunks walked up to IEND."""
    size = os.fstat(handle.fileno()).st_size
    pos = 8
    first = True
    seen_data = False
    while True:
        handle.seek(pos)
        head = handle.read(8)
        if len(head) < 8:
            return "it ends before its IEND chunk" if not first else "it has no IHDR chunk"
        length, name = struct.unpack(">I4s", head)
        if first and name != b"IHDR":
            return "it does not start with an IHDR chunk"
        first = False
        if length > 0x7FFFFFFF or pos + 12 + length > size:
            return f"its {name.decode('latin-1')!r} chunk is cut short"
        if name == b"IDAT":
            seen_data = True
        if name == b"IEND":
            return None if seen_data else "it has no image data (IDAT)"
        pos += 12 + length


def _jpeg_problem(handle: BinaryIO) -> str | None:
    """Why a JPEG file (SOI already seen) is not whole: its segments walked up to EOI (inside
    the entropy-coded data a 0xFF byte is always followed by 0x00 or a restart marker)."""
    data = handle.read()
    n = len(data)
    i = 2
    while True:
        if i >= n:
            return "it ends before its EOI marker"
        if data[i] != 0xFF:
            return "a segment is not where its length says"
        while i < n and data[i] == 0xFF:  # fill bytes before a marker's code
            i += 1
        if i >= n:
            return "it ends before its EOI marker"
        code = data[i]
        i += 1
        if code == 0xD9:
            return None
        if 0xD0 <= code <= 0xD7 or code == 0x01:  # markers without a length
            continue
        if i + 2 > n:
            return "it ends before its EOI marker"
        i += struct.unpack(">H", data[i : i + 2])[0]
        if i > n:
            return f"its segment FF{code:02X} is cut short"
        if code == 0xDA:  # start of scan: the entropy-coded data runs up to the next marker
            while True:
                i = data.find(b"\xff", i)
                if i < 0:
                    return "it ends before its EOI marker"
                following = data[i + 1] if i + 1 < n else -1
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    i += 2
                    continue
                break


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

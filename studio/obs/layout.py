"""Where the catalogue's graphics go on a canvas, as OBS input settings and scene-item
transforms. Pure: the catalogue and the canvas size in, plain dicts out (provision sends them).

Overlays with an ``image`` become ``image_source`` inputs (a ``clock``: an ``ffmpeg_source``
drawing the time); ``size`` is a bounding box the image is fitted into with its aspect kept
(``OBS_BOUNDS_SCALE_INNER``), ``scale`` multiplies its own size.
The lower third (a scene of its own, the canvas's size) is a ``color_source_v3`` bar with an
optional accent strip and the two text inputs laid out inside it; each text sits in a box with
``OBS_BOUNDS_MAX_ONLY``: a text that fits keeps its font size, a longer one is shrunk by OBS to
stay inside the bar, whatever text the engine puts in later. A role with ``wrap`` first wraps at
the bar's inner width (``word_wrap``/``custom_width`` of the FreeType text source).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studio.show.model import (
    Catalogue,
    ClockStyle,
    LowerThirdStyle,
    Overlay,
    TextStyle,
    abgr,
    to_pixels,
)

# OBS_ALIGN_* flags: centre 0, left 1, right 2, top 4, bottom 8
ALIGN_FLAGS = {
    "top-left": 5, "top": 4, "top-right": 6, "left": 1, "center": 0, "right": 2,
    "bottom-left": 9, "bottom": 8, "bottom-right": 10,
}
# the point of the canvas an overlay without ``position`` sits at, as fractions
_ALIGN_POINT = {
    "top-left": (0.0, 0.0), "top": (0.5, 0.0), "top-right": (1.0, 0.0),
    "left": (0.0, 0.5), "center": (0.5, 0.5), "right": (1.0, 0.5),
    "bottom-left": (0.0, 1.0), "bottom": (0.5, 1.0), "bottom-right": (1.0, 1.0),
}
MARK = {"studio_provision": True}  # in the settings of every input studio makes: "studio-made"


@dataclass(frozen=True)
class Canvas:
    width: int
    height: int


@dataclass(frozen=True)
class Part:
    """One input studio makes, with its scene item's transform."""

    name: str
    kind: str  # "image_source", "color_source_v3" or "text" (the platform's text kind)
    settings: dict[str, Any]
    transform: dict[str, Any]
    what: str  # how reports name it: "overlay image", "lower-third bar", ...


def _point(pair: tuple[int | float, int | float], canvas: Canvas) -> tuple[float, float]:
    return to_pixels(pair[0], canvas.width), to_pixels(pair[1], canvas.height)


def _r(value: float) -> float:
    return round(value, 2)


def overlay_part(overlay: Overlay, canvas: Canvas) -> Part | None:
    """The input of an overlay with an ``image`` or a ``clock``; None for a placeholder."""
    if overlay.clock is not None:
        return Part(overlay.source, "ffmpeg_source", clock_settings(overlay.clock),
                    overlay_transform(overlay, canvas), "overlay clock")
    if overlay.image is None:
        return None
    return Part(overlay.source, "image_source", {"file": overlay.image, **MARK},
                overlay_transform(overlay, canvas), "overlay image")


def clock_settings(clock: ClockStyle) -> dict[str, Any]:
    """An ``ffmpeg_source`` playing a lavfi graph that draws the local time twice a second.

    The format and font file are validated in the model (no quotes, commas, colons in the
    path...), so they cannot break out of the graph; colons in the format are escaped."""
    sample = datetime(2021, 1, 19, 23, 59, 59).strftime(clock.format)
    size = 56
    width = max(160, round(len(sample) * 0.66 * size) + 48)
    text = clock.format.replace(":", "\\\\\\:")
    graph = (f"color=c=0x{clock.background[1:7]}@{_alpha(clock.background):.3f}:s={width}x96:r=2,"
             f"format=rgba,drawtext=fontfile={clock.font_file}:text='%{{localtime\\:{text}}}'"
             f":fontcolor=0x{clock.color[1:7]}@{_alpha(clock.color):.3f}:fontsize={size}"
             ":x=(w-tw)/2:y=(h-th)/2")
    return {"is_local_file": False, "input": graph, "input_format": "lavfi",
            "restart_on_activate": False, "close_when_inactive": False, **MARK}


def _alpha(colour: str) -> float:
    return int(colour[7:9], 16) / 255 if len(colour) == 9 else 1.0


def overlay_transform(overlay: Overlay, canvas: Canvas) -> dict[str, Any]:
    if overlay.position is not None:
        x, y = _point(overlay.position, canvas)
    else:
        fx, fy = _ALIGN_POINT[overlay.align]
        x, y = fx * canvas.width, fy * canvas.height
    flag = ALIGN_FLAGS[overlay.align]
    out: dict[str, Any] = {"positionX": _r(x), "positionY": _r(y), "alignment": flag}
    if overlay.size is not None:
        w, h = _point(overlay.size, canvas)
        out |= {"boundsType": "OBS_BOUNDS_SCALE_INNER", "boundsWidth": _r(max(w, 1.0)),
                "boundsHeight": _r(max(h, 1.0)), "boundsAlignment": flag,
                "scaleX": 1.0, "scaleY": 1.0}
    else:
        scale = overlay.scale or 1.0
        out |= {"boundsType": "OBS_BOUNDS_NONE", "scaleX": scale, "scaleY": scale}
    return out


def _font(style: TextStyle, px: float) -> dict[str, Any]:
    flags = (1 if "bold" in style.style.lower() else 0) | (
        2 if any(w in style.style.lower() for w in ("italic", "oblique")) else 0)
    return {"face": style.font, "style": style.style, "size": max(round(px), 1),
            "flags": flags}


def _text_settings(style: TextStyle, px: float, wrap_width: float) -> dict[str, Any]:
    colour = abgr(style.color)
    out: dict[str, Any] = {"font": _font(style, px), "color1": colour, "color2": colour,
                           "word_wrap": style.wrap, **MARK}
    if style.wrap:
        # wrapped a little wider than the box: OBS then shrinks two lines rather than three
        out["custom_width"] = max(int(wrap_width * 1.5), 100)
    return out


def text_settings_for(settings: dict[str, Any], kind: str) -> dict[str, Any]:
    """FreeType text settings (Linux, macOS) as the given text kind spells them: Windows's
    GDI+ source has one ``color`` (no alpha), ``opacity`` and ``extents`` for wrapping."""
    if not kind.startswith("text_gdiplus"):
        return settings
    out = {k: v for k, v in settings.items()
           if k not in ("color1", "color2", "word_wrap", "custom_width")}
    colour = int(settings.get("color1", 0xFFFFFFFF))
    out |= {"color": colour & 0xFFFFFF, "opacity": round(((colour >> 24) & 0xFF) * 100 / 255)}
    if settings.get("word_wrap"):
        out |= {"extents": True, "extents_wrap": True,
                "extents_cx": int(settings.get("custom_width", 100)), "extents_cy": 1000}
    return out


def lower_third_parts(catalogue: Catalogue, canvas: Canvas) -> list[Part]:
    """Bar, accent, name and role of a styled lower third, bottom to top; [] without a style."""
    lt = catalogue.lower_third
    if lt.style is None:
        return []
    style: LowerThirdStyle = lt.style
    bar = style.background
    bw, bh = _point(bar.size, canvas)
    ax, ay = _point(bar.position, canvas)
    fx, fy = _ALIGN_POINT[bar.align]
    x0, y0 = ax - fx * bw, ay - fy * bh  # the bar's top-left corner
    pad = to_pixels(bar.padding, canvas.height)
    accent_w = to_pixels(bar.accent_width, canvas.width) if bar.accent else 0.0
    inner_x = x0 + accent_w + pad
    inner_w = max(bw - accent_w - 2 * pad, 1.0)
    inner_h = max(bh - 2 * pad, 2.0)
    name_px = to_pixels(lt.style.name.size, canvas.height)
    role_px = to_pixels(lt.style.role.size, canvas.height)
    # the name's box is its line's height, the role gets the rest of the bar (at least a third)
    name_h = min(name_px * 1.3, inner_h * 2 / 3)
    role_h = inner_h - name_h
    top_left = {"alignment": 5, "boundsType": "OBS_BOUNDS_NONE", "scaleX": 1.0, "scaleY": 1.0}
    parts = [Part(lt.background_input, "color_source_v3",
                  {"color": abgr(bar.color, bar.opacity), "width": max(round(bw), 1),
                   "height": max(round(bh), 1), **MARK},
                  {"positionX": _r(x0), "positionY": _r(y0), **top_left}, "lower-third bar")]
    if bar.accent:
        parts.append(Part(lt.accent_input, "color_source_v3",
                          {"color": abgr(bar.accent), "width": max(round(accent_w), 1),
                           "height": max(round(bh), 1), **MARK},
                          {"positionX": _r(x0), "positionY": _r(y0), **top_left},
                          "lower-third accent"))
    for name, text_style, px, y, h in (
        (lt.name_input, style.name, name_px, y0 + pad, name_h),
        (lt.role_input, style.role, role_px, y0 + pad + name_h, role_h),
    ):
        parts.append(Part(name, "text", _text_settings(text_style, px, inner_w),
                          {"positionX": _r(inner_x), "positionY": _r(y), "alignment": 5,
                           "boundsType": "OBS_BOUNDS_MAX_ONLY", "boundsWidth": _r(inner_w),
                           "boundsHeight": _r(max(h, 1.0)), "boundsAlignment": 1,
                           "scaleX": 1.0, "scaleY": 1.0},
                          "lower-third text"))
    return parts

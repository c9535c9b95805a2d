"""The run-of-show and studio catalogue as validated, immutable pydantic models.

Pure: imports neither textual, obsws_python nor apscheduler. The loader (``loader.py``) reads
YAML with positions and validates it into these models; cross-file checks (scenes that the
catalogue lacks, anchors out of order, ...) live in the loader too.

Key names are binding (see issue "Show files"); fields may be added.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

# --------------------------------------------------------------------------- value types

_DURATION_UNITS = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>ms|h|m|s)")
_SIMPLE_DURATION = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?P<unit>ms|h|m|s)$")
_UNIT_NAMES = {"h": "hours", "m": "minutes", "s": "seconds", "ms": "milliseconds"}
_CLOCK_DURATION = re.compile(r"^(?P<h>\d{1,2}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)$")


MAX_DURATION = timedelta(days=7)  # a show is a day; a week keeps every sum far from overflow


def parse_duration(value: Any) -> timedelta:
    """``45s``, ``10m``, ``1h30m``, ``1h``, ``500ms`` or ``01:30:00`` -> timedelta, at most
    ``MAX_DURATION`` (``99999999999h`` is a typo, and would overflow every time computed)."""
    if isinstance(value, timedelta):
        return value
    try:
        total = _parse_duration(value)
    except OverflowError:
        total = timedelta.max
    if total > MAX_DURATION:
        raise ValueError(f"duration {value!r} is too long: at most "
                         f"{int(MAX_DURATION.total_seconds() // 3600)}h (7 days)")
    return total


def _parse_duration(value: Any) -> timedelta:
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(
            f"a duration is a quoted text like 45s, 10m, 1h30m or 01:30:00, not {value!r}"
        )
    text = value.strip()
    simple = _SIMPLE_DURATION.match(text)  # the common case: one number, one unit
    if simple:
        return timedelta(**{_UNIT_NAMES[simple["unit"]]: float(simple["num"])})
    m = _CLOCK_DURATION.match(text)
    if m:
        return timedelta(hours=int(m["h"]), minutes=int(m["m"]), seconds=int(m["s"]))
    pos = 0
    total = timedelta()
    seen: set[str] = set()
    for part in _DURATION_UNITS.finditer(text):
        if part.start() != pos or part["unit"] in seen:
            break
        seen.add(part["unit"])
        pos = part.end()
        num = float(part["num"])
        unit = part["unit"]
        total += {
            "h": timedelta(hours=num),
            "m": timedelta(minutes=num),
            "s": timedelta(seconds=num),
            "ms": timedelta(milliseconds=num),
        }[unit]
    if not text or pos != len(text):
        raise ValueError(
            f"bad duration {value!r}: use 45s, 10m, 1h30m, 1h, 500ms or 01:30:00"
        )
    return total


DURATION_PATTERN = (
    r"^\s*(?:\d{1,2}:[0-5]\d:[0-5]\d|(?=\d)(?:\d+(?:\.\d+)?h)?(?:\d+(?:\.\d+)?m(?!s))?"
    r"(?:\d+(?:\.\d+)?s)?(?:\d+(?:\.\d+)?ms)?)\s*$"
)
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    WithJsonSchema({
        "type": "string",
        "pattern": DURATION_PATTERN,
        "description": "Real elapsed time: 45s, 10m, 1h30m, 1h, 500ms or 01:30:00.",
        "examples": ["10m", "45s", "1h30m", "500ms", "01:30:00"],
    }),
]

_TIME_OF_DAY = re.compile(
    r"^(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?:\s*\+(?P<d>\d)d)?$"
)


class TimeOfDay(BaseModel):
    """A local wall-clock time on the show's date, ``day`` days later (past midnight: ``+1d``).

    Written ``"HH:MM"``, ``"HH:MM:SS"`` or ``"00:30 +1d"`` (the day after the show's date).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    hour: int = Field(ge=0, le=23)
    minute: int = Field(ge=0, le=59)
    second: int = Field(default=0, ge=0, le=59)
    day: int = Field(default=0, ge=0, le=1)

    def __str__(self) -> str:
        base = f"{self.hour:02d}:{self.minute:02d}"
        if self.second:
            base += f":{self.second:02d}"
        return base + (f" +{self.day}d" if self.day else "")


def parse_time_of_day(value: Any) -> Any:
    if isinstance(value, TimeOfDay | dict):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(
            f"a time of day is a quoted text like \"19:30\" or \"08:45:30\", not {value!r}"
        )
    m = _TIME_OF_DAY.match(value.strip())
    if not m or int(m["h"]) > 23:
        raise ValueError(f"bad time of day {value!r}: use \"HH:MM\", \"HH:MM:SS\" or \"00:30 +1d\"")
    return {
        "hour": int(m["h"]),
        "minute": int(m["m"]),
        "second": int(m["s"] or 0),
        "day": int(m["d"] or 0),
    }


TIME_OF_DAY_PATTERN = r"^\s*(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s*\+[01]d)?\s*$"
LocalTime = Annotated[
    TimeOfDay,
    BeforeValidator(parse_time_of_day),
    WithJsonSchema({
        "type": "string",
        "pattern": TIME_OF_DAY_PATTERN,
        "description": (
            "A hard anchor: local wall-clock time on the show's date, \"HH:MM\" or \"HH:MM:SS\" "
            "in the show's time zone. Past midnight add +1d: \"00:30 +1d\" is 00:30 on the day "
            "after the show's date. Quote it (unquoted 19:30 is a number in YAML 1.1 tools)."
        ),
        "examples": ["09:00", "19:30", "08:45:30", "00:30 +1d"],
    }),
]


# The transitions every OBS has: the name a show file uses -> OBS's own name. Any other name
# is a transition the catalogue names.
BUILTIN_TRANSITIONS: dict[str, str] = {"cut": "Cut", "fade": "Fade"}


class TransitionSpec(BaseModel):
    """``cut``, ``fade [DURATION]`` or the id of a transition named in the catalogue."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str  # "cut", "fade" or a catalogue transition id
    duration: timedelta | None = None

    def __str__(self) -> str:
        if self.duration is None:
            return self.kind
        return f"{self.kind} {int(self.duration.total_seconds() * 1000)}ms"


def parse_transition(value: Any) -> Any:
    if isinstance(value, TransitionSpec | dict):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a transition is cut, fade [DURATION] or a catalogue name, not {value!r}")
    words = value.split()
    kind = words[0]
    if len(words) == 1:
        return {"kind": kind}
    if len(words) == 2:
        return {"kind": kind, "duration": parse_duration(words[1])}
    raise ValueError(f"bad transition {value!r}: use cut, fade 500ms or a catalogue name")


Transition = Annotated[
    TransitionSpec,
    BeforeValidator(parse_transition),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^\s*[A-Za-z0-9][A-Za-z0-9_.-]*(?:\s+\S+)?\s*$",
        "description": (
            "cut, fade [DURATION] (e.g. fade 500ms) or the id of a transition named in the "
            "catalogue, optionally with a duration."
        ),
        "examples": ["cut", "fade 500ms", "fade", "slow"],
    }),
]

Ident = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- catalogue


# A place or length on the canvas: a whole number is canvas pixels, a number with a decimal
# point is a fraction of the canvas width (x, width) or height (y, height): 0.05, 0.5, 1.0.
Coord = Annotated[
    int | float,
    WithJsonSchema({
        "type": "number",
        "description": (
            "Canvas pixels (a whole number, e.g. 48) or a fraction of the canvas width/height "
            "(a number with a decimal point from 0.0 to 1.0, e.g. 0.05): fractions fit any canvas."
        ),
        "examples": [0.05, 48],
    }),
]
Align = Literal[
    "top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom",
    "bottom-right",
]
_COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$")
Colour = Annotated[
    str,
    Field(pattern=_COLOUR.pattern),
    WithJsonSchema({
        "type": "string",
        "pattern": _COLOUR.pattern,
        "description": "#RRGGBB or #RRGGBBAA (AA: opacity, FF opaque).",
        "examples": ["#0B2545", "#FFFFFFCC"],
    }),
]


def _check_coord(value: int | float) -> int | float:
    if isinstance(value, float) and not 0.0 <= value <= 1.0:
        raise ValueError(
            f"{value} is neither canvas pixels nor a fraction: write pixels as a whole number "
            "(48) and fractions from 0.0 to 1.0 (0.05)"
        )
    return value


def _check_pair(value: tuple[int | float, int | float]) -> tuple[int | float, int | float]:
    for v in value:
        _check_coord(v)
    return value


Pair = Annotated[tuple[Coord, Coord], AfterValidator(_check_pair)]


def to_pixels(value: int | float, extent: int) -> float:
    """Canvas pixels of a ``Coord`` on a canvas side of ``extent`` pixels."""
    return float(value) if isinstance(value, int) else value * extent


def abgr(colour: str, opacity: float = 1.0) -> int:
    """``#RRGGBB[AA]`` (times ``opacity``) as the ABGR integer OBS's colour settings use."""
    text = colour.lstrip("#")
    r, g, b = int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    a = int(text[6:8], 16) if len(text) == 8 else 255
    a = round(a * opacity)
    return (a << 24) | (b << 16) | (g << 8) | r


_CLOCK_FORMAT = re.compile(r"^[A-Za-z0-9 %:./-]{1,32}$")
_FONT_FILE = re.compile(r"^[^'\\:,;\[\]=]+$")


class ClockStyle(_Frozen):
    """A live clock drawn by OBS's own media source (FFmpeg's lavfi ``drawtext``): the OBS
    machine's local time in ``format`` (strftime: %H:%M, %H:%M:%S, ...) on a ``background``."""

    format: str = Field(default="%H:%M", pattern=_CLOCK_FORMAT.pattern)
    color: Colour = "#FFFFFF"
    background: Colour = "#0B2545E0"
    font_file: str = Field(default="/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                           pattern=_FONT_FILE.pattern)  # a font file on the OBS machine


class Overlay(_Frozen):
    """An overlay: its OBS source, and (optionally) the image file it shows and where.

    ``image`` is relative to the catalogue file (the loader makes it absolute and checks it).
    ``position`` is where the ``align`` point of the graphic sits; ``size`` is a box the image is
    fitted into (its aspect kept), ``scale`` multiplies the image's own pixel size instead.
    """

    source: str = Field(min_length=1)
    image: str | None = Field(default=None, min_length=1)
    position: Pair | None = None
    size: Pair | None = None
    scale: float | None = Field(default=None, gt=0)
    align: Align = "top-left"
    clock: ClockStyle | None = None  # a live clock instead of an image

    @model_validator(mode="after")
    def _size_or_scale(self) -> Overlay:
        if self.size is not None and self.scale is not None:
            raise ValueError("give either size (a box the image fits into) or scale, not both")
        if self.image is not None and self.clock is not None:
            raise ValueError("an overlay is an image or a clock, not both")
        return self


class TextStyle(_Frozen):
    """A lower third's line of text: font family and style, size, colour, wrapping."""

    font: str = Field(default="DejaVu Sans", min_length=1)
    style: str = "Book"  # the font's style name as the system lists it: Book, Bold, Oblique...
    size: Coord = 0.045  # text height: pixels, or a fraction of the canvas height
    color: Colour = "#FFFFFF"
    wrap: bool = False  # wrap onto a second line inside the bar (then shrink if still too big)

    @field_validator("size")
    @classmethod
    def _size(cls, v: int | float) -> int | float:
        _check_coord(v)
        if v <= 0:
            raise ValueError("a text size must be larger than zero")
        return v


class Box(_Frozen):
    """The lower third's bar: a colour with an opacity, a size and where its corner sits."""

    color: Colour = "#0B2545"
    opacity: float = Field(default=0.9, ge=0.0, le=1.0)
    position: Pair = (0.05, 0.88)
    size: Pair = (0.5, 0.15)
    align: Align = "bottom-left"  # which corner (or edge) of the bar sits at ``position``
    padding: Coord = 0.02  # inside the bar, around the texts: pixels or a fraction of canvas height
    accent: Colour | None = "#E4572E"  # a thin strip along the bar's left edge; null: none
    accent_width: Coord = 0.006  # pixels or a fraction of the canvas width

    @field_validator("padding", "accent_width")
    @classmethod
    def _coord(cls, v: int | float) -> int | float:
        return _check_coord(v)


class LowerThirdStyle(_Frozen):
    background: Box = Box()
    name: TextStyle = TextStyle(style="Bold", size=0.05)
    role: TextStyle = TextStyle(size=0.032, color="#D0E1F9", wrap=True)


class LowerThirdSource(_Frozen):
    """The lower third: a scene (``source``) of studio's own holding the two text inputs the
    engine writes (``name_input``, ``role_input``); with ``style`` provision also builds the bar
    (``background_input``, ``accent_input``) and lays the texts out inside it."""

    source: str = Field(min_length=1)
    name_input: str = Field(min_length=1)
    role_input: str = Field(min_length=1)
    background_input: str = Field(default="LT Background", min_length=1)
    accent_input: str = Field(default="LT Accent", min_length=1)
    style: LowerThirdStyle | None = None


class NamedTransition(_Frozen):
    """A transition as OBS names it (``obs_name``), with an optional duration."""

    obs_name: str = Field(min_length=1)
    duration: Duration | None = None


class Catalogue(_Frozen):
    """What the studio's OBS holds: scenes, the graphics scene, overlays, the lower third."""

    scenes: list[str] = Field(min_length=1)
    graphics_scene: str = Field(min_length=1)
    overlays: dict[Ident, Overlay] = Field(default_factory=dict)
    lower_third: LowerThirdSource
    # ``default`` is the transition used when a segment names none; the other keys are
    # named transitions a segment may refer to by id.
    transitions: dict[Ident, Transition | NamedTransition] = Field(default_factory=dict)


# --------------------------------------------------------------------------- run-of-show


class Organiser(_Frozen):
    name: str = Field(min_length=1)
    logo: Ident | None = None  # an overlay id shown while the organiser's segments are on air


class LowerThird(_Frozen):
    name: str = Field(min_length=1)
    role: str = ""
    at: Duration = timedelta(0)
    for_: Duration | None = Field(default=None, alias="for")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Segment(_Frozen):
    id: Ident
    start: LocalTime | None = None  # a hard anchor; None: starts when the previous one ends
    duration: Duration | None = None  # None: runs until the next segment's start
    title: str = ""
    organiser: Ident | None = None
    scene: str = Field(min_length=1)
    transition: Transition | None = None
    overlays: list[Ident] = Field(default_factory=list)
    lower_thirds: list[LowerThird] = Field(default_factory=list)
    notes: str = ""
    manual: bool = False  # waits for the operator's TAKE
    stream: Literal["start", "stop"] | None = None  # start/stop streaming when the segment starts
    record: Literal["start", "stop"] | None = None  # start/stop recording when the segment starts
    warn: Duration | None = None  # the presenter's countdown turns amber this long before the end

    @field_validator("duration", "warn")
    @classmethod
    def _positive(cls, v: timedelta | None) -> timedelta | None:
        if v is not None and v <= timedelta(0):
            raise ValueError("a duration must be longer than zero")
        return v

    @property
    def display_title(self) -> str:
        return self.title or self.id


class ShowFile(_Frozen):
    """One run-of-show file as written (paths not yet resolved)."""

    show: str = Field(min_length=1)
    date: date
    timezone: str = Field(min_length=1)
    catalogue: str = Field(min_length=1)
    organisers: str | dict[Ident, Organiser] = Field(default_factory=dict)
    segments: list[Segment] = Field(min_length=1)


class Show(_Frozen):
    """A validated show with its catalogue and organisers resolved."""

    title: str
    date: date
    timezone: str
    segments: tuple[Segment, ...]
    catalogue: Catalogue
    organisers: dict[str, Organiser]
    source_path: str = ""  # the file it came from, for messages

    def segment(self, segment_id: str) -> Segment:
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        raise KeyError(segment_id)

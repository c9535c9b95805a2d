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

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator

# --------------------------------------------------------------------------- value types

_DURATION_UNITS = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>ms|h|m|s)")
_SIMPLE_DURATION = re.compile(r"^(?P<num>\d+(?:\.\d+)?)(?P<unit>ms|h|m|s)$")
_UNIT_NAMES = {"h": "hours", "m": "minutes", "s": "seconds", "ms": "milliseconds"}
_CLOCK_DURATION = re.compile(r"^(?P<h>\d{1,2}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)$")


def parse_duration(value: Any) -> timedelta:
    """``45s``, ``10m``, ``1h30m``, ``1h``, ``500ms`` or ``01:30:00`` -> timedelta."""
    if isinstance(value, timedelta):
        return value
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


class Overlay(_Frozen):
    source: str = Field(min_length=1)


class LowerThirdSource(_Frozen):
    source: str = Field(min_length=1)
    name_input: str = Field(min_length=1)
    role_input: str = Field(min_length=1)


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

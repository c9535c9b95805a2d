"""Small shows for the engine tests, built directly from the models (no files)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from studio.engine.actions import Action
from studio.engine.core import evaluate
from studio.engine.projection import Projection
from studio.engine.timeline import Timeline
from studio.show.model import Catalogue, Organiser, Segment, Show

STHLM = ZoneInfo("Europe/Stockholm")
DAY = date(2021, 1, 19)

CATALOGUE = Catalogue.model_validate({
    "scenes": ["Holding Slate", "Studio Wide", "Studio Close", "Presentation", "Panel",
               "Break", "End Card"],
    "graphics_scene": "Graphics",
    "overlays": {
        "live-bug": {"source": "LIVE Bug"},
        "clock": {"source": "Clock"},
        "logo-region": {"source": "Logo Region"},
        "logo-skog": {"source": "Logo Skog"},
    },
    "lower_third": {"source": "Lower Third", "name_input": "LT Name", "role_input": "LT Role"},
    "transitions": {"default": "fade 300ms", "slow": "fade 1s",
                    "stinger": {"obs_name": "Stinger Swoosh", "duration": "800ms"}},
})
ORGANISERS = {
    "region": Organiser(name="Region Västerbotten", logo="logo-region"),
    "skog": Organiser(name="Skogstekniska klustret", logo="logo-skog"),
}


def seg(id: str, **kw: Any) -> Segment:
    kw.setdefault("scene", "Studio Wide")
    return Segment.model_validate({"id": id, **kw})


def make_show(*segments: Segment, day: date = DAY) -> Show:
    return Show(title="test", date=day, timezone="Europe/Stockholm", segments=segments,
                catalogue=CATALOGUE, organisers=ORGANISERS)


def day_show() -> Show:
    """08:45 slate | 09:00 welcome 10m | talk 45m | qa 5m manual | 10:00 panel 40m | break 20m |
    11:00 lunch 1h (stream/record start at welcome, stop at lunch)."""
    return make_show(
        seg("slate", start="08:45", scene="Holding Slate", overlays=["clock"]),
        seg("welcome", start="09:00", duration="10m", organiser="region", transition="fade 500ms",
            overlays=["live-bug"], stream="start", record="start", lower_thirds=[
                {"name": "Krister Ruth", "role": "Strateg", "at": "5s", "for": "8s"},
                {"name": "Anna Berg", "role": "Moderator", "at": "1m"}]),
        seg("talk", duration="45m", scene="Presentation", organiser="skog", transition="cut",
            overlays=["live-bug"]),
        seg("qa", duration="5m", scene="Studio Close", manual=True),
        seg("panel", start="10:00", duration="40m", scene="Panel", transition="slow"),
        seg("break", duration="20m", scene="Break", transition="stinger"),
        seg("lunch", start="11:00", duration="1h", scene="End Card", stream="stop",
            record="stop"),
    )


def at(hhmmss: str, day: date = DAY, fold: int = 0) -> datetime:
    parts = [int(x) for x in hhmmss.split(":")]
    h, m, s = [*parts, 0, 0][:3]
    return datetime(day.year, day.month, day.day, h, m, s, tzinfo=STHLM, fold=fold)


def ev(tl: Timeline, now: datetime, *actions: Action, **kw: Any) -> Projection:
    return evaluate(tl, list(actions), now, **kw)


def on_air(p: Projection) -> str | None:
    return p.on_air.segment_id if p.on_air else None


def status(p: Projection) -> dict[str, str]:
    return {r.segment_id: r.status for r in p.rundown}


def row(p: Projection, segment_id: str) -> Any:
    return next(r for r in p.rundown if r.segment_id == segment_id)


SEC = timedelta(seconds=1)
MIN = timedelta(minutes=1)

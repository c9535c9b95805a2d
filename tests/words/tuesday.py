"""Digital vecka's Tuesday, compiled once, and the engine evaluated on it at a wall time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from studio.engine.actions import Action
from studio.engine.core import evaluate
from studio.engine.projection import Projection
from studio.engine.timeline import compile
from studio.show.loader import load_show

ROOT = Path(__file__).resolve().parents[2]
TUESDAY = compile(load_show(ROOT / "schedules" / "digital-vecka-2021" / "2021-01-19-tisdag.yaml"))
TZ = ZoneInfo("Europe/Stockholm")


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2021-01-19T{text}").replace(tzinfo=TZ)


def ev(now: str, *actions: Action) -> Projection:
    return evaluate(TUESDAY, list(actions), at(now))

"""The pictures of ``studio look --contact-sheet``: one per cue of the day, each showing its own
segment, a lower third at its middle on air, on every day of the shipped week."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.engine.timeline import compile as compile_timeline
from studio.obs.look import frames, projection_at
from studio.show.loader import load_show

ROOT = Path(__file__).resolve().parents[2]
WEEK = sorted((ROOT / "schedules" / "digital-vecka-2021").glob("2021-*.yaml"))


@pytest.mark.parametrize("path", WEEK, ids=[p.stem for p in WEEK])
def test_every_picture_shows_its_segment_and_its_lower_third(path: Path) -> None:
    show = load_show(path)
    tl = compile_timeline(show)
    shown = frames(tl)
    thirds = sum(len(s.lower_thirds) for s in show.segments)
    assert len(shown) == len(show.segments) + thirds
    assert [f.at for f in shown] == sorted(f.at for f in shown)
    for frame in shown:
        p = projection_at(tl, frame.at)
        assert p.on_air is not None and p.on_air.segment_id == frame.segment_id, frame
        plan = tl.segments[tl.index_of(frame.segment_id)]
        assert p.desired.program_scene == plan.scene
        if frame.what.startswith("lower third: "):
            assert p.graphics.lower_third_on_air is not None, frame
            assert p.graphics.lower_third_on_air[0] == frame.what.removeprefix("lower third: ")
            assert p.desired.lower_third_visible is True
        if plan.logo:
            assert plan.logo in p.graphics.overlays_up, frame

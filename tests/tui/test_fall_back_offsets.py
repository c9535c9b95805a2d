"""On the night the clocks go back, 02:00-03:00 happens twice: the screen says which one (the
header clock, the rundown, NEXT and the log carry the UTC offset then, and only then), as the
headless lines do."""

from __future__ import annotations

from datetime import UTC, datetime

from studio.obs.simulator import Simulator
from studio.tui.app import StudioApp
from tests.tui.conftest import MakeStudio
from tests.tui.screen_text import screen_text

AUTUMN = """\
show: Autumn night
date: 2026-10-25
timezone: Europe/Stockholm
catalogue: {catalogue}
segments:
  - id: open
    start: "01:30"
    duration: 40m
    scene: Holding Slate
  - id: panel
    duration: 40m
    title: Panel
    scene: Panel
  - id: talk
    duration: 40m
    title: Talk
    scene: Studio Wide
"""


async def test_the_repeated_hour_shows_its_offset(sim: Simulator, make_studio: MakeStudio
                                                   ) -> None:
    # 02:15 the first time (CEST, +02): panel has been on air since 02:10+02, talk at 02:50+02
    first = datetime(2026, 10, 25, 0, 15, tzinfo=UTC)
    studio = make_studio(sim.port, first, text=AUTUMN)
    app = StudioApp(studio.ctl)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "02:15:00+02" in text  # the header clock
        assert "02:50+02" in text  # NEXT and the rundown: the talk, the first time round
        assert "01:30 " in text and "01:30+" not in text  # outside the repeated hour: bare


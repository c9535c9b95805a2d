"""The screen uses its width: at 80x24 no scene name is cut and the least useful columns give
way; at 160x48 titles are whole and the re-timing notes show; every overlay that is up is
listed, at any width."""

from __future__ import annotations

from dataclasses import replace

from studio.engine.projection import Projection
from studio.tui.app import StudioApp
from studio.tui.widgets.rundown import layout
from tests.tui.fakes import _ROWS, FrozenController
from tests.tui.screen_text import screen_text

OVERLAYS = ("live-bug", "clock", "partners", "logo-region-vasterbotten",
            "partner-skelleftea-kraft", "partner-umea-energi")


class ManyOverlays(FrozenController):
    overlays = OVERLAYS

    def projection(self) -> Projection:
        proj = super().projection()
        return replace(proj, graphics=replace(proj.graphics, overlays_up=self.overlays))


def graphics_text(text: str) -> str:
    return " ".join(ln.split("││")[0] for ln in text.splitlines() if "││" in ln)


def rundown_lines(text: str) -> list[str]:
    lines = text.splitlines()
    top = next(i for i, ln in enumerate(lines) if "RUNDOWN" in ln)
    bottom = next(i for i, ln in enumerate(lines) if i > top and ln.startswith("╰"))
    return lines[top + 1:bottom]


async def screen(size: tuple[int, int], controller: FrozenController | None = None) -> str:
    app = StudioApp(controller or FrozenController())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return screen_text(app)


async def test_at_80x24_scene_names_are_whole_and_columns_give_way() -> None:
    rows = rundown_lines(await screen((80, 24)))
    header = rows[0]
    assert "Scene" in header and "Status" in header and "Proj" in header
    assert "Re-timing" not in header  # the first to go when the width is short
    on_air = next(r for r in rows if "ON AIR" in r)
    nxt = next(r for r in rows if " next " in r)
    assert "Presentation" in on_air and "Panel " in nxt
    for scene in ("Holding Slate", "Studio Wide", "Break"):
        assert any(scene in r for r in rows), (scene, rows)
    assert all(len(r) <= 80 for r in rows)


async def test_at_160x48_titles_are_whole_and_retiming_shows() -> None:
    rows = rundown_lines(await screen((160, 48)))
    assert "Re-timing" in rows[0]
    text = "\n".join(rows)
    for _id, title, *_ in _ROWS:
        assert title in text, title
    assert "…" not in text
    assert "shortened from 15 to 12 min" in text


async def test_an_overlay_just_toggled_on_is_shown_at_80x24() -> None:
    controller = ManyOverlays()
    controller.overlays = OVERLAYS[:4]  # the segment's own
    app = StudioApp(controller)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = graphics_text(screen_text(app))
        assert all(o in before for o in OVERLAYS[:4]), before
        controller.overlays = (*OVERLAYS[:4], "partner-umea-energi")  # toggled on: listed last
        for listener in controller.listeners:
            listener()
        await pilot.pause()
        await pilot.pause()
        after = graphics_text(screen_text(app))
        assert "partner-umea-energi" in after, after
        assert "+2 more" in after  # what does not fit is counted, never silently cut


async def test_every_overlay_up_is_listed_at_160x48() -> None:
    text = graphics_text(await screen((160, 48), ManyOverlays()))
    for overlay in OVERLAYS:
        assert overlay in text, (overlay, text)


def test_layout_drops_the_least_useful_columns_first() -> None:
    cells = [(("09:00", ""), ("09:03", ""), ("+3:00", ""), ("ON AIR", ""),
              ("A title of thirty characters..", ""), ("soft", ""), ("Holding Slate", ""),
              ("a note", ""))]
    keys = [[k for k, _ in layout(w, cells)] for w in (140, 90, 76, 70, 64, 40)]
    assert keys[0] == ["plan", "proj", "delay", "status", "title", "start", "scene", "note"]
    assert keys[1] == ["plan", "proj", "delay", "status", "title", "start", "scene"]
    assert keys[2] == ["proj", "delay", "status", "title", "start", "scene"]
    assert keys[3] == ["proj", "status", "title", "start", "scene"]
    assert keys[4] == keys[5] == ["proj", "status", "title", "scene"]
    assert dict(layout(90, cells))["title"] == 30  # whole when there is room
    for w in (140, 90, 76, 70, 64, 40):
        assert dict(layout(w, cells))["scene"] == len("Holding Slate")  # never cut

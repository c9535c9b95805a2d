"""Issue 9, item 1 on the operator's screen: as-run lines the full disk refuses are one alarm in
the alert bar, with the number of lines waiting; it goes away once they are written."""

from __future__ import annotations

from pathlib import Path

from studio.clock import ManualClock
from studio.engine.actions import Hold, Release
from studio.obs.connection import ObsConnectionSettings
from studio.obs.simulator import Simulator
from studio.runner.asrun import AsRunWriter, read_asrun
from studio.runner.controller import Controller
from studio.runner.ports import gateway_factory
from studio.runner.scheduler import ManualScheduler
from studio.show.loader import load_show
from studio.tui.app import StudioApp
from tests.faults.conftest import SmallDisk
from tests.tui.conftest import CATALOGUE, SHOW_YAML, WAIT, at, until
from tests.tui.screen_text import screen_text


async def test_the_alert_bar_says_how_many_asrun_lines_wait_for_space(
    tmp_path: Path, sim: Simulator, small_disk: SmallDisk
) -> None:
    path = tmp_path / "show.yaml"
    path.write_text(SHOW_YAML.format(catalogue=CATALOGUE), encoding="utf-8")
    clock = ManualClock(at(8, 59, 50))
    asrun = small_disk.mount / "asrun.jsonl"
    ctl = Controller(load_show(path), clock,
                     gateway_factory(ObsConnectionSettings(port=sim.port, timeout=2.0)),
                     asrun=AsRunWriter(asrun), scheduler_factory=ManualScheduler)
    sched = ctl.scheduler
    assert isinstance(sched, ManualScheduler)
    ctl.start()
    try:
        assert ctl.wait_for(lambda: ctl.status().connection == "connected", WAIT)
        small_disk.fill()
        app = StudioApp(ctl)
        async with app.run_test(size=(120, 36)) as pilot:
            for n in range(40):  # cues and actions go on; their as-run lines wait
                if ctl.alarms():
                    break
                due = sched.due
                if due is not None and n < 4:
                    clock.set(due)
                    sched.fire()
                else:
                    ctl.submit((Hold if n % 2 else Release)(at=clock.now(), who="operator"))
                assert ctl.flush(WAIT)
                await pilot.pause()
            await until(lambda: "as-run: no space left on device:" in screen_text(app),
                        "the alarm on screen")
            text = screen_text(app)
            waiting = ctl.sender.asrun.file.waiting  # type: ignore[union-attr]
            assert waiting > 0
            word = "line" if waiting == 1 else "lines"
            assert f"as-run: no space left on device: {waiting} {word} waiting" in text
            small_disk.free()
            assert ctl.sender.asrun.file.wait_written(WAIT)  # type: ignore[union-attr]
            await until(lambda: not app.query_one("#alerts").display, "the alarm to go")
            assert "writing again" in screen_text(app)  # said in the log panel
    finally:
        ctl.stop()
    assert [r["cue"] for r in read_asrun(asrun) if r["kind"] == "cue"][-1] != "resync"

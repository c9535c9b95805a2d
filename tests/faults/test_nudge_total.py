"""The show's nudges together are bounded like one nudge: at most 4 h either way in all.

The issue: one nudge was capped at 4 h, but seven API nudges of +4 h each were all taken and
moved the show 28 h. A nudge that would bring the total past the bound is refused in one line
naming the total and the limit, on every surface that can nudge (the screen, the control API's
answer, OSC, Companion), is never journalled, and the bound still holds for the total after a
``kill -9`` and a restart (the journal's nudges count).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from studio.cli.launch import show_identity
from studio.engine.actions import Nudge, Take
from studio.engine.validate import refusal
from studio.obs.simulator import Simulator
from studio.runner.journal import Journal
from studio.show.loader import load_catalogue, load_show
from studio.tui.app import StudioApp
from tests.faults.test_action_validation import CATALOGUE, SHOW, START, Run
from tests.runner.live import StudioProcess, live_show
from tests.service.conftest import TOKEN, Api, auth, make_api  # noqa: F401 - fixture
from tests.service.test_attach import remote
from tests.surfaces.conftest import Osc, make_osc  # noqa: F401 - fixture
from tests.surfaces.test_companion import got
from tests.tui.conftest import until
from tests.tui.screen_text import screen_text

H4 = 4 * 3600


def over(total: int) -> str:
    """The refusal's reason for a total of ``total`` s."""
    from studio.show.timing import format_duration

    sign = "+" if total > 0 else ""
    return (f"nudges total {sign}{format_duration(timedelta(seconds=total))}, past the 4 h "
            f"limit ({total:+d} s; the show's nudges together move it at most 14400 s either "
            "way)")


def test_the_line_names_the_total_and_the_limit(tmp_path: Path, sim: Simulator) -> None:
    run = Run(tmp_path, sim)
    run.ctl.stop()
    tl, now = run.ctl.timeline, run.clock.now()
    taken = [Nudge(at=now, seconds=H4)]
    assert refusal(tl, taken, Nudge(at=now, seconds=H4), now) == \
        "nudge +14400 s refused: nudges total +8 h, past the 4 h limit (+28800 s; the " \
        "show's nudges together move it at most 14400 s either way)"
    assert refusal(tl, taken, Nudge(at=now, seconds=30), now) == \
        f"nudge +30 s refused: {over(H4 + 30)}"
    assert refusal(tl, [Nudge(at=now, seconds=-H4)], Nudge(at=now, seconds=-1), now) == \
        "nudge -1 s refused: nudges total -4 h 1 s, past the 4 h limit (-14401 s; the " \
        "show's nudges together move it at most 14400 s either way)"
    # back towards zero is taken, and so is a nudge that fits again afterwards
    assert refusal(tl, taken, Nudge(at=now, seconds=-60), now) is None
    assert refusal(tl, [*taken, Nudge(at=now, seconds=-60)], Nudge(at=now, seconds=60),
                   now) is None


def test_seven_nudges_of_4_h_move_the_show_4_h_not_28(tmp_path: Path, sim: Simulator) -> None:
    run = Run(tmp_path, sim)
    try:
        assert run.on_air() == "open"
        for _ in range(7):
            run.submit(Nudge(at=run.clock.now(), seconds=H4))
        refused = [line for line in run.log() if "refused" in line]
        assert refused == [f"error: nudge +14400 s refused: {over(2 * H4)}"] * 6
        assert [r["seconds"] for r in run.journalled()] == [H4]
        p = run.ctl.projection()
        assert p.next is not None and p.next.segment_id == "panel"
        assert p.next.start == START + timedelta(hours=4, minutes=10)
        # the operator takes some back, then that much again fits; one second more does not
        run.submit(Nudge(at=run.clock.now(), seconds=-600))
        run.submit(Nudge(at=run.clock.now(), seconds=600))
        run.submit(Nudge(at=run.clock.now(), seconds=1))
        assert [line for line in run.log() if "refused" in line][-1] == \
            f"error: nudge +1 s refused: {over(H4 + 1)}"
        assert [r["seconds"] for r in run.journalled()] == [H4, -600, 600]
        run.submit(Take(at=run.clock.now()))  # the show goes on
        assert run.on_air() == "panel" and sim.snapshot()["program"] == "Panel"
    finally:
        run.ctl.stop()


def test_a_journal_with_nudges_past_the_total_resumes_within_it_and_says_so(
    tmp_path: Path, sim: Simulator,
) -> None:
    """What an older studio journalled (it took every +4 h nudge): the first is replayed, the
    others are left out, each said in one line."""
    path = tmp_path / "show.yaml"
    path.write_text(SHOW, encoding="utf-8")
    show = load_show(path)
    old = Journal(tmp_path / "journal.jsonl", show_id=show_identity(show, path))
    t = START + timedelta(minutes=2)
    for i in range(3):
        old.append_action(Nudge(at=t + timedelta(seconds=i), seconds=H4))
    old.close()
    run = Run(tmp_path, sim)
    try:
        left_out = [line for line in run.log() if "journal: left out" in line]
        assert left_out == [
            f"error: journal: left out the action of 09:02:0{i}: nudge +14400 s refused: "
            f"{over(2 * H4)}" for i in (1, 2)]
        p = run.ctl.projection()
        assert p.next is not None and p.next.start == START + timedelta(hours=4, minutes=10)
    finally:
        run.ctl.stop()


def test_after_kill_9_the_journals_nudges_still_count(tmp_path: Path) -> None:
    show, _ = live_show(tmp_path, [("Studio Wide", 600.0, ""), ("Panel", 600.0, "")])
    with Simulator() as sim:
        sim.load_catalogue(load_catalogue(CATALOGUE))
        p = StudioProcess.start(show, sim.url, tmp_path)
        try:
            p.wait_line("next: ", timeout=15)
            p.send("nudge +10800")  # 3 h
            p.wait_line("nudge +10800 s")
            p.kill()  # SIGKILL: no clean stop
            p = StudioProcess.start(show, sim.url, tmp_path)
            p.wait_line("1 operator action(s) replayed", timeout=15)
            p.send("nudge +3601")
            line = p.wait_line("refused")
            assert line.endswith(f"ERROR    nudge +3601 s refused: {over(10800 + 3601)}")
            p.send("nudge +3600")  # exactly 4 h in all: taken
            p.wait_line("nudge +3600 s")
            p.send("nudge +1")
            assert p.wait_line("refused").endswith(f"nudge +1 s refused: {over(H4 + 1)}")
            assert p.terminate() == 0
        finally:
            if p.proc.poll() is None:
                p.kill()
    lines = [json.loads(x) for x in (tmp_path / "journal.jsonl").read_text().splitlines()]
    assert [a["seconds"] for a in lines if a.get("type") == "action"] == [10800, 3600]


def test_the_control_api_answers_409_naming_the_total(sim: Simulator, make_api) -> None:  # noqa: F811
    import urllib.error
    import urllib.request

    api: Api = make_api(sim.port)

    def post(body: dict[str, object]) -> tuple[int, dict[str, object]]:
        req = urllib.request.Request(f"{api.url}/api/v1/actions", json.dumps(body).encode(),
                                     headers=auth())
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    nudge = {"action": "nudge", "seconds": H4, "client": "producer"}
    assert post(nudge)[0] == 200
    status, body = post(nudge)
    assert (status, body) == (409, {"error": f"nudge +14400 s refused: {over(2 * H4)}"})
    # Companion's generic HTTP module, its NUDGE +30 button: refused the same way
    status, body = got(api.server.port, "POST", "/api/v1/actions",
                       {"Authorization": f"Bearer {TOKEN}"},
                       {"action": "nudge", "seconds": 30, "client": "streamdeck"})
    assert (status, body) == (409, {"error": f"nudge +30 s refused: {over(H4 + 30)}"})
    api.h.settle()
    assert [(a["seconds"], a["who"]) for a in api.journal_actions()] == [(H4, "producer")]
    log = [e.text for e in api.h.ctl.recent_log(100)]
    assert f"nudge +30 s refused: {over(H4 + 30)}" in log


def test_osc_and_companions_osc_module_are_refused_in_the_log(sim: Simulator,
                                                               make_osc) -> None:  # noqa: F811
    from tests.surfaces.test_osc import companion_packet

    osc: Osc = make_osc(sim.port)
    osc.send("/studio/nudge", H4)
    osc.send("/studio/nudge", 30)
    osc.send_raw(companion_packet("/studio/nudge", ("i", -30)))  # back: taken
    osc.send_raw(companion_packet("/studio/nudge", ("i", 60)))
    assert [a["seconds"] for a in osc.journal()] == [H4, -30]
    refused = osc.log("refused")
    assert [r for r in refused if r.startswith("nudge")] == [
        f"nudge +30 s refused: {over(H4 + 30)}", f"nudge +60 s refused: {over(H4 + 30)}"]
    said = [r.split(" refused: ", 1)[1] for r in refused
            if r.startswith("osc /studio/nudge from 127.0.0.1:")]
    assert said == [f"nudge +30 s refused: {over(H4 + 30)}",
                    f"nudge +60 s refused: {over(H4 + 30)}"]


@pytest.mark.asyncio
async def test_the_screens_plus_key_past_the_total_says_why(sim: Simulator, make_api,  # noqa: F811
                                                             tmp_path: Path) -> None:
    api: Api = make_api(sim.port)
    api.h.submit(Nudge, seconds=H4, who="producer")
    rc = remote(api, tmp_path)
    try:
        app = StudioApp(rc)
        async with app.run_test(size=(160, 48)) as pilot:
            await until(lambda: "NEXT" in screen_text(app), "the screen")
            await pilot.press("plus")
            # the log column shows a line's start: the total and the limit are in it
            await until(lambda: "nudge +30 s refused: nudges total +4 h 30 s, past the 4 h"
                        in screen_text(app), "the refusal on the screen")
        api.h.settle()
    finally:
        rc.close()
    assert [a["seconds"] for a in api.journal_actions()] == [H4]


def test_an_actions_file_past_the_total_is_a_line_error(tmp_path: Path) -> None:
    """``studio rehearse --actions``: the line that brings the file's nudges past the total
    is named (in time order, as the rehearsal applies them: line 3 comes before line 2), before
    anything is rehearsed."""
    import subprocess
    import sys

    from tests.views.service import write_views_show

    show = write_views_show(tmp_path)
    path = tmp_path / "what-if.txt"
    path.write_text("09:01 nudge +10800\n09:30 nudge +3600\n09:10 nudge +3601\n"
                    "09:40 nudge -60\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "studio", "rehearse", str(show), "--speed",
                          "max", "--actions", str(path)], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 1, out.stdout[-500:]
    assert out.stderr.strip().splitlines() == [
        f"{path}:3:7: error: {over(10800 + 3601)}"]  # and 09:30's +3600 then fits

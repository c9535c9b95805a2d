"""The bookkeeping behind "retried with backoff, told once" (issue 9, item 9), step by step."""

from __future__ import annotations

from studio.engine.state import CommandResult, SetSourceVisible, SetStreaming
from studio.runner.refusals import BACKOFF_S, Refusals, alarm_text

CLOCK_ON = SetSourceVisible("Graphics", "Clock", True, reason="overlay Clock on: segment a")
LATER = SetSourceVisible("Graphics", "Clock", True, reason="overlay Clock on: segment b")
NO_GRAPHICS = "No source was found by the name of `Graphics`."


def refused(cmd: SetSourceVisible | SetStreaming) -> CommandResult:
    return CommandResult(cmd, ok=False, code=600, comment=NO_GRAPHICS)


def test_a_refused_command_waits_for_its_retry_whatever_its_reason() -> None:
    r = Refusals()
    new, _, _ = r.record([refused(CLOCK_ON)], now=0.0)
    assert [x.command for x in new] == [CLOCK_ON] and r.episode
    assert r.split([LATER], now=0.5) == ([], [LATER])  # another segment's reason: same command
    assert r.split([LATER], now=BACKOFF_S[0]) == ([LATER], [])
    new, again, _ = r.record([refused(LATER)], now=1.0)
    assert new == [] and again == [LATER]  # told already: no second alarm
    assert r.next_retry() == 1.0 + BACKOFF_S[1]
    for n in range(10):
        r.record([refused(LATER)], now=100.0 * n)
    assert r.next_retry() == 900.0 + BACKOFF_S[-1]  # the pace settles at the last step


def test_taken_again_ends_the_episode_and_provisioning_brings_the_retry_forward() -> None:
    r = Refusals()
    for n in range(4):
        r.record([refused(CLOCK_ON)], now=float(n))
    r.structure_changed(now=10.0)
    assert r.next_retry() == 10.5
    _, _, healed = r.record([CommandResult(CLOCK_ON, ok=True)], now=10.5)
    assert healed == [CLOCK_ON] and not r.episode and len(r) == 0


def test_a_command_no_longer_wanted_is_forgotten_so_nothing_wakes_up_for_it() -> None:
    r = Refusals()
    r.record([refused(CLOCK_ON)], now=0.0)
    r.split([], now=BACKOFF_S[0])
    assert r.next_retry() is None and len(r) == 0


def test_stream_and_record_are_never_withheld() -> None:
    r = Refusals()
    start = SetStreaming(True, reason="stream start")
    assert r.record([refused(start)], now=0.0) == ([], [], [])
    assert r.split([start], now=0.1) == ([start], [])


def test_no_answer_from_obs_is_no_refusal_and_never_suggests_provisioning() -> None:
    """A frozen OBS (kill -STOP): the cue's request times out or its connection drops. That is
    no answer from OBS, so no refusal, no withholding and no "is this OBS provisioned?" alarm
    sending the technician to re-provision a healthy OBS."""
    r = Refusals()
    for comment in ("OBS did not answer SetSceneItemEnabled within 3 s",
                    "the connection to OBS dropped during GetSceneItemId", "not connected"):
        new, again, _ = r.record([CommandResult(CLOCK_ON, ok=False, comment=comment)], now=0.0)
        assert new == [] and again == [] and not r.episode and len(r) == 0
    assert r.split([CLOCK_ON], now=0.0) == ([CLOCK_ON], [])  # sent again at the next change


def test_only_an_answer_that_something_is_missing_suggests_provisioning() -> None:
    missing = alarm_text([refused(CLOCK_ON)], 1.0)
    assert "is this OBS provisioned? `studio provision" in missing
    busy = alarm_text([CommandResult(CLOCK_ON, ok=False, code=207,
                                     comment="OBS is not ready to perform the request")], 1.0)
    assert busy.startswith("OBS refuses overlay Clock on (OBS is not ready to perform the "
                           "request, code 207); studio retries with backoff")
    assert "provision" not in busy

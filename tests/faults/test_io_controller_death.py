"""Item 1 of issue 9, the rest: a controller thread that dies anyway ends the process at once,
non-zero (so systemd restarts it); systemd's watchdog hears from the controller's own thread
(READY=1, then WATCHDOG=1 for as long as that thread turns), so a stuck firing path is restarted."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from studio.clock import ManualClock
from studio.obs.connection import ObsConnectionSettings
from studio.obs.simulator import Simulator
from studio.runner.controller import Controller
from studio.runner.ports import gateway_factory
from studio.runner.scheduler import ManualScheduler
from studio.show.loader import load_show
from tests.runner.conftest import WAIT, at, write_show

DIES = """
import sys, threading
from pathlib import Path
from studio.clock import ManualClock
from studio.obs.connection import ObsConnectionSettings
from studio.cli.launch import build_controller
from studio.runner.headless import run_headless
from studio.show.loader import load_show
from tests.runner.conftest import at

class Bug(BaseException):
    pass

show = load_show(sys.argv[1])
ctl = build_controller(show, sys.argv[1], ManualClock(at(9, 0, 30)),
                       ObsConnectionSettings(port=int(sys.argv[2])), asrun_path=Path("a.jsonl"),
                       journal_path=Path("j.jsonl"), rehearsal=False)
def bug() -> None:
    raise Bug("a bug in the firing path")
ctl.subscribe(bug)
sys.exit(run_headless(ctl))
"""


def test_a_dead_controller_thread_ends_the_process_at_once_non_zero(
    tmp_path: Path, sim: Simulator
) -> None:
    show = write_show(tmp_path)
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(DIES), str(show),
                           str(sim.port)], capture_output=True, text=True, cwd=tmp_path,
                          timeout=15, env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.returncode == 70, proc.stderr
    assert "the controller thread died (Bug: a bug in the firing path): no more cues can go " \
           "out; exiting (status 70)" in proc.stderr


@pytest.fixture
def notify_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(WAIT)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    monkeypatch.setenv("WATCHDOG_USEC", "300000")  # WatchdogSec=0.3: a ping every 0.1 s
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    yield sock
    sock.close()


def _next(sock: socket.socket) -> str:
    return sock.recv(512).decode()


def test_the_watchdog_hears_from_the_controller_thread_and_not_when_it_is_stuck(
    tmp_path: Path, sim: Simulator, notify_socket: socket.socket
) -> None:
    show = load_show(write_show(tmp_path))
    ctl = Controller(show, ManualClock(at(9, 0, 30)),
                     gateway_factory(ObsConnectionSettings(port=sim.port, timeout=2.0)),
                     scheduler_factory=ManualScheduler)
    stuck = threading.Event()
    release = threading.Event()

    def listener() -> None:  # runs on the controller's thread after each piece of work
        if stuck.is_set():
            release.wait(WAIT)

    ctl.subscribe(listener)
    ctl.start()
    try:
        assert _next(notify_socket).startswith("READY=1")
        assert [_next(notify_socket) for _ in range(3)] == ["WATCHDOG=1"] * 3
        stuck.set()  # the firing path hangs (as in a request that never returns)
        ctl.reconnect()
        notify_socket.settimeout(1.0)  # over three WatchdogSec: systemd would restart studio
        drained = 0
        with pytest.raises(TimeoutError):
            while True:
                _next(notify_socket)
                drained += 1
                assert drained < 3, "pings went on while the controller was stuck"
        release.set()
        stuck.clear()
        notify_socket.settimeout(WAIT)
        assert _next(notify_socket) == "WATCHDOG=1"
    finally:
        release.set()
        ctl.stop()
    got = []
    notify_socket.settimeout(0.5)
    with pytest.raises(TimeoutError):
        while True:
            got.append(_next(notify_socket))
    assert got[-1] == "STOPPING=1", got


def test_the_watchdog_starves_when_the_scheduler_stops_firing(
    tmp_path: Path, notify_socket: socket.socket
) -> None:
    show = load_show(write_show(tmp_path))
    clock = ManualClock(at(8, 59, 50))
    with socket.socket() as free:  # no OBS there: no event can stand in for the wake-up
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    ctl = Controller(show, clock, gateway_factory(ObsConnectionSettings(port=port, timeout=1.0)),
                     scheduler_factory=ManualScheduler)
    sched = ctl.scheduler
    assert isinstance(sched, ManualScheduler)
    ctl.start()
    try:
        assert _next(notify_socket).startswith("READY=1")
        assert _next(notify_socket) == "WATCHDOG=1"
        # the wake-up is scheduled once the queue is empty (connection news may come first)
        assert ctl.wait_for(lambda: sched.due is not None, WAIT)
        due = sched.due
        assert due is not None
        clock.set(due + timedelta(seconds=10))  # the cue's wake-up never comes
        notify_socket.settimeout(1.0)
        drained = 0
        with pytest.raises(TimeoutError):
            while True:
                _next(notify_socket)
                drained += 1
                assert drained < 3, "pings went on with a cue 10 s overdue"
        sched.fire()  # the wake-up arrives: the controller keeps up again
        notify_socket.settimeout(WAIT)
        assert _next(notify_socket) == "WATCHDOG=1"
    finally:
        ctl.stop()

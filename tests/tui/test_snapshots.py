"""Snapshot tests of the operator's screen at 80x24 and 160x48, with a frozen clock
(ManualClock) and a fixed projection; nothing on the screen blinks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from studio.tui.app import StudioApp
from tests.tui.fakes import FrozenController, at


def test_screen_80x24(snap_compare: Any) -> None:
    assert snap_compare(StudioApp(FrozenController()), terminal_size=(80, 24))


def test_screen_160x48(snap_compare: Any) -> None:
    assert snap_compare(StudioApp(FrozenController()), terminal_size=(160, 48))


def test_overrun_and_auth_failed_80x24(snap_compare: Any) -> None:
    controller = FrozenController(at(9, 50, 5), rehearsal=False)
    controller._status = replace(controller._status, connection="auth_failed", streaming=False)
    assert snap_compare(StudioApp(controller), terminal_size=(80, 24))


def test_reconnecting_with_override_160x48(snap_compare: Any) -> None:
    controller = FrozenController()
    controller._status = replace(
        controller._status, connection="reconnecting", attempt=3,
        override="manual override: desired Presentation, OBS shows Panel",
    )
    assert snap_compare(StudioApp(controller), terminal_size=(160, 48))


def test_help_screen_80x24(snap_compare: Any) -> None:
    assert snap_compare(StudioApp(FrozenController()), press=["question_mark"],
                        terminal_size=(80, 24))

"""Pre-flight when OBS cannot be asked: one diagnostic line, never a traceback. (Pre-flight
against a provisioned OBS, and what it names when things go missing: test_provision_real.py.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studio.obs.preflight import preflight_diagnostics
from studio.show.loader import load_show

pytestmark = pytest.mark.obs

SCHEDULES = Path(__file__).resolve().parents[2] / "schedules" / "digital-vecka-2021"
TUESDAY = SCHEDULES / "2021-01-19-tisdag.yaml"


def test_preflight_unreachable_or_refused_is_one_diagnostic(
    obs_real_password: Any, obs_settings: Callable[..., Any]
) -> None:
    show = load_show(TUESDAY)
    line = next(n for n, text in enumerate(TUESDAY.read_text().splitlines(), 1)
                if text.startswith("show:"))  # the show's first key: where its mapping starts
    refused = preflight_diagnostics(show, obs_settings(obs_real_password.url, "nope"))
    assert [d.format() for d in refused] == [
        f"{TUESDAY}:{line}:1: error: OBS pre-flight not done: "
        f"OBS at {obs_real_password.url} refused the password"
    ]
    gone = preflight_diagnostics(show, obs_settings(1, timeout=0.3))
    assert len(gone) == 1
    assert gone[0].message.startswith(
        "OBS pre-flight not done: cannot reach OBS at ws://127.0.0.1:1: connection refused"
    )

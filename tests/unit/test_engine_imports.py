"""The engine modules beyond the shared contract list stay pure too."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("textual", "obsws_python", "apscheduler", "websockets", "simpleobsws")


def test_engine_and_timing_import_no_shell_library() -> None:
    modules = ["studio.engine.core", "studio.engine.fold", "studio.engine.retime",
               "studio.engine.diff", "studio.engine.timeline", "studio.show.timing",
               "studio.engine.validate", "studio.show.controls"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

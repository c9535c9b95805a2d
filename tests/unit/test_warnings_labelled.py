"""studio's own warnings reach stderr as one labelled, escaped line (they came out as Python's
bare fallback text: an unlabelled line among the show's), and the password refusal is told
once, by the controller's line, not a second time by the gateway's."""

from __future__ import annotations

import subprocess
import sys


def test_a_warning_is_one_labelled_escaped_line() -> None:
    code = ("import logging, sys\n"
            "from studio import cli\n"
            "cli._log_warnings_labelled()\n"
            "logging.getLogger('studio.obs.gateway').warning('a transition still runs \\x1b[2J')\n"
            "logging.getLogger('studio.obs.gateway').info('not shown')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stderr.splitlines() == [
        "studio: obs.gateway: warning: a transition still runs \\x1b[2J"]

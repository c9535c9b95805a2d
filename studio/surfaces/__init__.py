"""Control surfaces beside the control API: OSC over UDP (``osc.py``). This module stays light
(the CLI's argument parsing, ``studio.cli.settings``, reads its defaults)."""

from __future__ import annotations

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9460  # next to the control API's 8460

"""Control surfaces beside the control API: OSC over UDP (``osc.py``). This module stays light
(the CLI's argument parsing imports it)."""

from __future__ import annotations

import argparse

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9460  # next to the control API's 8460


def add_osc_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--osc", metavar="HOST:PORT", nargs="?", const=f"{DEFAULT_HOST}:{DEFAULT_PORT}",
        default=None,
        help=f"take operator actions as OSC over UDP on HOST:PORT (alone: "
             f"{DEFAULT_HOST}:{DEFAULT_PORT}): /studio/take, /studio/hold, /studio/nudge 30, ... "
             "with an optional expected segment id last")

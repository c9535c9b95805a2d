"""``studio simulator``: run the built-in obs-websocket simulator in the foreground.

Prints its URL (``ws://127.0.0.1:PORT``) on stdout and serves until Ctrl-C (or SIGTERM).
The password comes from ``--password-file`` or ``$STUDIO_OBS_PASSWORD``, never the command line.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from studio.cli import UserError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=4455,
                        help="port on 127.0.0.1 (default 4455; 0 picks a free one)")
    parser.add_argument("--password-file", metavar="FILE", type=Path, default=None,
                        help="require the password in FILE (else $STUDIO_OBS_PASSWORD, else none)")
    parser.add_argument("--catalogue", metavar="FILE", type=Path, default=None,
                        help="pre-create what `studio provision FILE` would create")
    parser.add_argument("--frame-ms", type=float, default=33.3, help=argparse.SUPPRESS)


def _password(args: argparse.Namespace) -> str:
    path: Path | None = args.password_file
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise UserError(f"{path}: cannot read the password file: {exc.strerror}") from None
    return os.environ.get("STUDIO_OBS_PASSWORD", "")


def run(args: argparse.Namespace) -> int:
    from studio.obs.simulator import Simulator

    if not 0 <= args.port <= 65535:
        raise UserError(f"--port {args.port}: a port is a number from 0 to 65535")
    catalogue = None
    if args.catalogue is not None:
        from studio.show.loader import load_catalogue

        catalogue = load_catalogue(args.catalogue)
    password = _password(args)
    sim = Simulator(port=args.port, password=password, frame_ms=args.frame_ms)
    try:
        sim.start()
    except OSError as exc:
        raise UserError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    try:
        if catalogue is not None:
            sim.load_catalogue(catalogue)
        print(sim.url, flush=True)
        auth = "password required" if password else "no password"
        print(f"studio simulator: serving OBS 29.0.2 / obs-websocket 5.1.0 ({auth}); "
              "Ctrl-C stops", file=sys.stderr, flush=True)
        done = threading.Event()

        def on_term(signum: int, frame: FrameType | None) -> None:
            done.set()

        signal.signal(signal.SIGTERM, on_term)
        try:
            while not done.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        sim.stop()
    print("studio simulator: stopped", file=sys.stderr, flush=True)
    return 0

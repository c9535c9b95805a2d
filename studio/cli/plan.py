"""``studio plan FILE [--format table|json|csv|markdown|ics] [--output FILE]``: the resolved
run-of-show with planned local times (hard anchors, soft segments chained, DST-aware)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

FORMATS = ("table", "json", "csv", "markdown", "ics")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a run-of-show file")
    parser.add_argument(
        "-f", "--format", choices=FORMATS, default="table",
        help="table (for a producer, default), json, csv, markdown or ics (calendar)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, default=None,
        help="write to FILE instead of standard output",
    )


def run(args: argparse.Namespace) -> int:
    from studio.show.export import render
    from studio.show.loader import load_show

    show = load_show(args.file)  # ShowError: printed as PATH:LINE:COL lines by the dispatcher
    text = render(show, args.format, datetime.now(UTC))
    if args.output is not None:
        # newline="" keeps the CRLF line ends that iCalendar and CSV require
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0

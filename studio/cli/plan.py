"""``studio plan FILE [--format table|json|csv|markdown|ics] [--output FILE]``: the resolved
run-of-show with planned local times (hard anchors, soft segments chained, DST-aware).

The table fits the terminal (80 columns when piped or written to a file): when it is too wide,
organiser, graphics and output go onto a line under each title and long titles wrap."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from studio.errors import UserError

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
    parser.add_argument(
        "--bom", action="store_true",
        help="CSV for a spreadsheet: start with a UTF-8 byte-order mark so that Excel reads "
             "å, ä and ö right (leave it out for scripts)",
    )


def run(args: argparse.Namespace) -> int:
    from studio.show.export import render
    from studio.show.loader import load_show

    if args.bom and args.format != "csv":
        raise UserError("--bom goes with --format csv")
    show = load_show(args.file)  # ShowError: printed as PATH:LINE:COL lines by the dispatcher
    text = render(show, args.format, datetime.now(UTC), width=_width(args))
    encoding = "utf-8-sig" if args.bom else "utf-8"
    if args.output is not None:
        # newline="" keeps the CRLF line ends that iCalendar and CSV require
        with open(args.output, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
    elif args.bom:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode(encoding))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


PIPED_WIDTH = 80  # a table that is piped or written to a file


def _width(args: argparse.Namespace) -> int:
    """The terminal's width on a terminal; 80 when piped or written to a file."""
    if args.output is None and sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size((PIPED_WIDTH, 24)).columns
    return PIPED_WIDTH

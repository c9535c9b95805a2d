"""``studio as-run FILE [--format table|csv|json] [--bom]``: export an as-run log.

Only an as-run log is accepted (``studio.runner.asrun.read_asrun`` says what is not): the journal
that sits next to it (``<show>.journal.jsonl``, lines with a ``type``) is refused in one line that
names the file, the line and the as-run log meant instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio.cli import UserError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="an as-run log (.jsonl)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="output format (default: table)")
    parser.add_argument("--bom", action="store_true",
                        help="CSV for a spreadsheet: start with a UTF-8 byte-order mark so that "
                             "Excel reads å, ä and ö right (leave it out for scripts)")


def run(args: argparse.Namespace) -> int:
    from studio.runner.asrun import AsRunFormatError, export, read_asrun

    notes: list[str] = []
    if args.bom and args.format != "csv":
        raise UserError("--bom goes with --format csv")
    try:
        records = read_asrun(args.file, notes)
    except AsRunFormatError as exc:
        raise UserError(str(exc)) from None
    except UnicodeDecodeError:
        raise UserError(f"{args.file}: not an as-run log (not UTF-8 text)") from None
    for note in notes:
        print(f"studio as-run: warning: {note}", file=sys.stderr)
    text = export(records, args.format)
    if args.bom:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8-sig"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)
    return 0

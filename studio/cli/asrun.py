"""``studio as-run FILE [--format table|csv|json]``: export an as-run log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio.cli import UserError

HELP = "export an as-run log"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="an as-run log (.jsonl)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="output format (default: table)")


def run(args: argparse.Namespace) -> int:
    from studio.runner.asrun import AsRunFormatError, export, read_asrun

    notes: list[str] = []
    try:
        records = read_asrun(args.file, notes)
    except AsRunFormatError as exc:
        raise UserError(str(exc)) from None
    except UnicodeDecodeError:
        raise UserError(f"{args.file}: not an as-run log (not UTF-8 text)") from None
    for note in notes:
        print(f"studio as-run: warning: {note}", file=sys.stderr)
    sys.stdout.write(export(records, args.format))
    return 0

"""``studio as-run FILE [--format table|csv|json]``: export an as-run log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio.cli import UserError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="an as-run log (.jsonl)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="output format (default: table)")


def run(args: argparse.Namespace) -> int:
    from studio.runner.asrun import AsRunFormatError, export, read_asrun

    try:
        records = read_asrun(args.file)
    except AsRunFormatError as exc:
        raise UserError(str(exc)) from None
    except UnicodeDecodeError:
        raise UserError(f"{args.file}: not a UTF-8 as-run log") from None
    sys.stdout.write(export(records, args.format))
    return 0

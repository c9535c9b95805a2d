"""``studio as-run FILE [--format table|csv|json] [--bom]``: export an as-run log.

Only an as-run log is accepted: every line a JSON object with a ``kind`` and a ``scheduled``
time. The journal that sits next to it (``<show>.journal.jsonl``, lines with a ``type``) is
refused in one line that names the file, the line and what to give instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.cli import UserError

HELP = "export an as-run log"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="an as-run log (.jsonl)")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="output format (default: table)")
    parser.add_argument("--bom", action="store_true",
                        help="CSV for a spreadsheet: start with a UTF-8 byte-order mark so that "
                             "Excel reads å, ä and ö right (leave it out for scripts)")


def check_records(path: Path, records: list[dict[str, Any]]) -> None:
    """Refuse anything that is not an as-run log, naming the first line at fault."""
    for n, rec in enumerate(records, 1):
        if isinstance(rec.get("kind"), str) and isinstance(rec.get("scheduled"), str):
            continue
        if "type" in rec:
            hint = (f" (it looks like a journal: use {_asrun_name(path)})"
                    if path.name.endswith(".journal.jsonl")
                    else " (it looks like a journal, not an as-run log)")
        else:
            hint = ""
        raise UserError(f"{path}: line {n}: not an as-run log: no 'kind' and 'scheduled'{hint}")


def _asrun_name(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".journal.jsonl") + ".asrun.jsonl")


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
    check_records(args.file, records)
    text = export(records, args.format)
    if args.bom:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8-sig"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)
    return 0

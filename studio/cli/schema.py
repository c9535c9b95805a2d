"""``studio schema [--kind show|catalogue|organisers|api] [--output DIR]``: the JSON Schemas that
editors use to complete and check the files (the shipped files' modelines point at
``schemas/*.schema.json``, which this command regenerates)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

KINDS = ("show", "catalogue", "organisers", "api")  # api: the control API (studio.service)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind", choices=KINDS, default=None,
        help="which file kind (default: show on standard output, all kinds with --output)",
    )
    parser.add_argument(
        "-o", "--output", metavar="DIR", type=Path, default=None,
        help="write KIND.schema.json files into DIR instead of printing",
    )


def run(args: argparse.Namespace) -> int:
    from studio.show.schema import render as render_file

    def render(kind: str) -> str:
        if kind == "api":
            from studio.service.schema import render as render_api

            return render_api()
        return render_file(kind)

    if args.output is None:
        sys.stdout.write(render(args.kind or "show"))
        return 0
    args.output.mkdir(parents=True, exist_ok=True)
    for kind in [args.kind] if args.kind else list(KINDS):
        target = args.output / f"{kind}.schema.json"
        target.write_text(render(kind), encoding="utf-8")
        print(target, file=sys.stderr)
    return 0

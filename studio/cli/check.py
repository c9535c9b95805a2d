"""``studio check FILE... [--obs URL]``: validate run-of-show (and catalogue) files.

Prints ``PATH:LINE:COL: error: MESSAGE`` and ``warning:`` lines, exits 1 when any error was found.
With ``--obs``, once a file passes the offline checks, a live OBS is asked whether it has what the
show uses (scenes, sources, transitions); a pass says so on stderr, one line per file naming what
was looked up (``FILE: OBS pre-flight passed: 9 scenes, 11 sources, 1 transition in OBS at URL``).

Keep the import path lean: this runs on every save in an editor and in the benchmark.
"""

from __future__ import annotations

import argparse
import sys

from studio import termcolour
from studio.cli.settings import add_obs_arguments, obs_settings
from studio.show.diagnostics import Diagnostic


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="run-of-show or catalogue files")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print problems only, no summary line"
    )
    add_obs_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from studio.show.loader import check_file

    settings = obs_settings(args)  # before any work: a bad --obs is reported at once
    printed: set[Diagnostic] = set()
    errors = warnings = 0
    out = sys.stdout
    colour = termcolour.enabled(out)

    def emit(diagnostics: list[Diagnostic]) -> None:
        nonlocal errors, warnings
        for diagnostic in diagnostics:
            if diagnostic in printed:  # a catalogue shared by several files: report it once
                continue
            printed.add(diagnostic)
            out.write(termcolour.diagnostic(diagnostic, colour) + "\n")
            if diagnostic.severity == "error":
                errors += 1
            else:
                warnings += 1

    passed: list[str] = []
    for path in args.files:
        show, diagnostics = check_file(path)
        emit(diagnostics)
        if settings is not None and show is not None:
            from studio.obs.preflight import Checked, preflight_diagnostics

            checked = Checked()
            found = preflight_diagnostics(show, settings, checked)
            emit(found)
            if checked.url and not any(d.severity == "error" for d in found):
                passed.append(f"{path}: OBS pre-flight passed: {checked.summary()}")
    out.flush()
    if not args.quiet:
        for line in passed:  # what was looked up, so a pass is not mistaken for no check
            print(line, file=sys.stderr)
        files = len(args.files)
        summary = (
            f"{files} file{'s' * (files != 1)} checked: "
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        )
        print(summary, file=sys.stderr)
    return 1 if errors else 0


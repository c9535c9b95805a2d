"""``studio`` command line: one module per subcommand, imported only when it runs.

Each subcommand module has ``configure(parser)`` and ``run(args) -> int``; its one-line help is
in ``HELPS`` here, so that ``studio --help`` lists every subcommand without importing any.
Errors the user can fix print one line on stderr and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from studio.errors import UserError as UserError  # the subcommands import it from here

# subcommand -> module; keep the order: it is the order ``studio --help`` lists them in
COMMANDS: dict[str, str] = {
    "check": "studio.cli.check",
    "plan": "studio.cli.plan",
    "schema": "studio.cli.schema",
    "provision": "studio.cli.provision",
    "simulator": "studio.cli.simulator",
    "run": "studio.cli.run",
    "rehearse": "studio.cli.rehearse",
    "serve": "studio.cli.serve",
    "attach": "studio.cli.attach",
    "as-run": "studio.cli.asrun",
    "look": "studio.cli.look",
}

HELPS: dict[str, str] = {
    "check": "validate run-of-show files (and, with --obs, what they use in a live OBS)",
    "plan": "print the resolved run-of-show (table, json, csv, markdown, ics)",
    "schema": "print the JSON Schema of run-of-show and catalogue files",
    "provision": "create in OBS what a studio catalogue names and OBS lacks",
    "simulator": "run the built-in obs-websocket simulator",
    "run": "run a show live against OBS",
    "rehearse": "rehearse a show on the simulator (or an OBS), faster than real time",
    "serve": "open the operator's screen in a browser on localhost",
    "attach": "attach the operator's screen to a running show service",
    "as-run": "export an as-run log",
    "look": "save OBS's render of a show's look at an instant, or of every cue of the day",
}


def _load(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name])


def _version() -> str:
    """The installed distribution's version (what pip installed), else the package's own."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("studio")
    except PackageNotFoundError:
        from studio import __version__

        return __version__


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio", description="Run-of-show control for live broadcasts on OBS Studio."
    )
    parser.add_argument("--version", action="version", version=f"studio {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name in COMMANDS:
        p = sub.add_parser(name, help=HELPS[name], description=HELPS[name])
        # only the chosen subcommand's module is imported (fast start for ``studio check``)
        if name == wanted:
            _load(name).configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    if not args.command:
        parser.print_help()
        return 2
    _log_warnings_labelled()
    module = _load(args.command)
    try:
        code: int = module.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a user-facing error from any layer: one line, no traceback
        if _is_user_error(exc):
            from studio import termcolour
            from studio.show.diagnostics import ShowError

            if isinstance(exc, ShowError):  # already PATH:LINE:COL: error: ... lines
                colour = termcolour.enabled(sys.stderr)
                for diagnostic in exc.diagnostics:
                    print(termcolour.diagnostic(diagnostic, colour), file=sys.stderr)
            else:
                word = termcolour.paint("error", "error", termcolour.enabled(sys.stderr))
                print(f"studio {args.command}: {word}: {_one_line(exc)}", file=sys.stderr)
            return 1
        raise
    return code


class _Labelled(logging.Formatter):
    """``studio: obs.gateway: warning: TEXT``, the text escaped (it may quote OBS)."""

    def format(self, record: logging.LogRecord) -> str:
        from studio.show.controls import printable

        name = record.name.removeprefix("studio.")
        return printable(f"studio: {name}: {record.levelname.lower()}: {record.getMessage()}")


def _log_warnings_labelled() -> None:
    """studio's own warnings (a transition that never ends, a thread restarted) on stderr as
    one labelled line each, not Python's bare fallback output."""
    logger = logging.getLogger("studio")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Labelled())
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)


def _one_line(exc: Exception) -> str:
    from studio.show.controls import printable  # a path or OBS's text: never ESC raw

    if isinstance(exc, OSError) and exc.filename is not None:
        return printable(f"{exc.filename}: {exc.strerror or exc}")
    return printable(" ".join(str(exc).split()) or type(exc).__name__)


def _is_user_error(exc: Exception) -> bool:
    from studio.obs.connection import ConnectionConfigError
    from studio.show.diagnostics import ShowError

    return isinstance(exc, UserError | ConnectionConfigError | ShowError | OSError)


if __name__ == "__main__":
    raise SystemExit(main())

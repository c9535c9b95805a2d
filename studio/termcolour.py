"""Colour for command-line output: only on a terminal, never when piped or with ``NO_COLOR``.

``NO_COLOR`` set to anything non-empty turns colour off (https://no-color.org), as does
``TERM=dumb``. Colour marks what a reader scans for (errors red, warnings and late cues yellow);
the words stay the same, so nothing depends on seeing colour.
"""

from __future__ import annotations

import os
from typing import Protocol, TextIO

RESET = "\033[0m"
STYLES = {
    "error": "\033[1;31m",  # bold red
    "warning": "\033[33m",  # yellow
    "late": "\033[33m",
    "ok": "\033[32m",  # green
    "info": "\033[36m",  # cyan
    "dim": "\033[2m",
    "override": "\033[35m",  # magenta
}


def enabled(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def paint(text: str, style: str, on: bool) -> str:
    return f"{STYLES[style]}{text}{RESET}" if on and style in STYLES else text


class _Diagnostic(Protocol):
    @property
    def severity(self) -> str: ...

    def format(self) -> str: ...


def diagnostic(d: _Diagnostic, on: bool) -> str:
    """``PATH:LINE:COL: error: MESSAGE`` with the severity in colour when ``on``."""
    text = d.format()
    if not on:
        return text
    where, _, message = text.partition(f": {d.severity}: ")
    word = paint(d.severity, "error" if d.severity == "error" else "warning", True)
    return f"{where}: {word}: {message}"

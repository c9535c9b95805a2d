"""One problem found in a file, printed as ``PATH:LINE:COL: error: MESSAGE``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from studio.show.controls import printable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int  # 1-based
    column: int  # 1-based
    severity: Severity
    message: str

    def __post_init__(self) -> None:
        # a message quotes what it found (a key, a path, a value): its control characters are
        # shown escaped wherever the message goes, not only in format()
        object.__setattr__(self, "message", printable(self.message))

    def format(self) -> str:
        """One line; a control character in a path or message is shown escaped, never raw."""
        return printable(f"{self.path}:{self.line}:{self.column}: {self.severity}: "
                         f"{self.message}")


class ShowError(Exception):
    """The loader's one error type: carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))

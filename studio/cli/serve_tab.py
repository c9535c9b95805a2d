"""What ``studio serve`` runs for each browser tab: ``python -m studio.cli.serve_tab attach SHOW
--control URL --control-token-file FILE`` runs exactly ``studio attach ...`` (same parser, same
code: a screen on the show's service, which goes on when the tab goes), and when that ends with
an error before or instead of the operator's screen - "no show service answers ...", an
unreadable token file - shows the error on a screen in the tab, where a line on stderr would go
unseen. Its process ends when the tab's connection is gone, on SIGTERM and when ``studio serve``
ends (``studio.tui.serve_guard``); the show's service does not."""

from __future__ import annotations

import io
import os
import sys
from typing import TextIO


class _Tee(io.TextIOBase):
    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def _use_guarded_driver() -> None:
    """Have Textual use studio.tui.serve_guard's driver where textual-serve asked for its web
    driver. Before anything imports textual: textual.constants reads the variable once."""
    if os.environ.get("TEXTUAL_DRIVER", "").endswith("web_driver:WebDriver"):
        os.environ["TEXTUAL_DRIVER"] = "studio.tui.serve_guard:GuardedWebDriver"


def main(argv: list[str] | None = None) -> int:
    _use_guarded_driver()  # end when the browser's connection is gone (and on SIGTERM)
    from studio.cli import main as studio_main

    args = sys.argv[1:] if argv is None else argv
    captured = io.StringIO()
    real_stderr = sys.stderr
    sys.stderr = _Tee(real_stderr, captured)
    try:
        if args[:1] != ["attach"]:  # a tab is a screen on the show's service, never the show
            print("studio serve tab: runs only `attach SHOW --control URL "
                  "--control-token-file FILE`", file=sys.stderr)
            code = 2
        else:
            code = studio_main(args)
    finally:
        sys.stderr = real_stderr
    message = captured.getvalue().strip()
    if code != 0 and message:
        from studio.tui.app import run_refused

        lines = message.splitlines()
        run_refused("\n".join(lines[-6:]))
    return code


if __name__ == "__main__":
    raise SystemExit(main())

"""The operator's screen for ``studio run``, ``studio rehearse`` and ``studio attach``.

With a screen, ``run`` and ``rehearse`` start the show as a service in a process of its own
(``studio.service.spawn``: the service's command line is made from the same settings,
``service_argv``) and attach this process's screen to it over the control API, so that the
screen can go (quit, ``kill -9``, a dropped SSH session) and the show goes on. ``attach``
attaches to one already running; so does every ``studio serve`` tab (``studio attach`` run by
``studio.cli.serve_tab``).

Owns no state: the wiring between a show service and a screen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from studio.cli.settings import RehearsalSettings, RunSettings, password_env
from studio.errors import UserError
from studio.service.client import RemoteController, Where
from studio.service.launch import discovery_path
from studio.service.spawn import ServiceFailed, service_log, start_service_process
from studio.service.token import token_path_for
from studio.show.model import Show


def require_terminal(command: str) -> None:
    """The screen needs a terminal (or a ``studio serve`` tab, whose driver is Textual's web
    one): without one it would pour escape codes into a file or a pipe."""
    if os.environ.get("TEXTUAL_DRIVER") or (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    raise UserError(f"the operator's screen needs a terminal: run {command} from one, or "
                    "add --headless (run, rehearse) for lines instead of a screen")


def attach_screen(show: Show | None, where: Where, *, client: str = "operator",
                  show_file: str | None = None) -> str:
    """The operator's screen over a running service until it is quit; "detach", "stop" or
    "quit" (the show had ended or the screen ended otherwise). It shows the show the service
    runs; ``show_file`` is only compared with it."""
    from studio.tui.app import StudioApp

    require_terminal("studio attach")

    controller = RemoteController(show, where, client=client, show_file=show_file)
    controller.start()
    try:
        app = StudioApp(controller)
        app.run()
        return app.quit_choice
    finally:
        controller.close()


def run_with_service(show: Show, settings: RunSettings | RehearsalSettings, base: Path) -> int:
    """Start the show's service, attach the screen; afterwards say what goes on."""
    require_terminal(f"studio {settings.service_argv()[0]}")
    try:
        proc, url = start_service_process(settings.service_argv(), base,
                                          password_env(settings.obs))
    except ServiceFailed as exc:
        raise UserError(str(exc)) from None
    where = Where(None, discovery_path(base), None)
    log = service_log(base)
    try:
        choice = attach_screen(show, where, show_file=show.source_path)
    except BaseException:
        print(f"studio: the screen ended; the show goes on (service pid {proc.pid}, {url}); "
              f"its log: {log}", file=sys.stderr)
        raise
    if choice == "stop" or proc.poll() is not None:
        code = proc.wait()
        print(f"studio: the show service has stopped (exit {code}); its log: {log}")
        return 0
    token = token_path_for(base)
    print(f"studio: detached; the show goes on (service pid {proc.pid}, {url}, token in "
          f"{token}). Come back with: studio attach {show.source_path}; log: {log}")
    return 0

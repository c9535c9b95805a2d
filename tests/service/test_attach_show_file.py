"""A screen shows the show its service runs, never the show file as it is now: a file saved
broken mid-show (a tab) or edited (a new title) neither stops a new screen nor changes what it
shows; the screen says in one line that the file differs. In a real terminal (tmux)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.runner.conftest import write_show
from tests.service.test_processes import STUDIO, Tmux, rehearsal_service, tmux_sessions

__all__ = ["tmux_sessions"]  # the fixture


def test_a_show_file_saved_broken_mid_show_locks_no_screen_out(
        tmp_path: Path, tmux_sessions: list[Tmux]) -> None:
    show = write_show(tmp_path)
    service = rehearsal_service(show, tmp_path)
    try:
        line = service.wait_line("control API on http://127.0.0.1:")
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url is not None
        text = show.read_text(encoding="utf-8")
        show.write_text(text.replace("show: Runner test", "show: EDITED")
                        .replace("    scene: Presentation", "\tscene: Presentation"),
                        encoding="utf-8")
        by_file = Tmux(f"l-attach-file-{os.getpid()}", [*STUDIO, "attach", str(show),
                                                        "--rehearsal"], tmp_path)
        tmux_sessions.append(by_file)
        screen = by_file.wait_text("the show file no longer loads: shown is the show the")
        assert "Runner test" in screen.splitlines()[0] and "EDITED" not in screen
        token = tmp_path / "as-run" / "show.rehearsal.control-token"
        by_url = Tmux(f"l-attach-url-{os.getpid()}", [*STUDIO, "attach", "--control",
                                                      url.group(0), "--control-token-file",
                                                      str(token)], tmp_path)
        tmux_sessions.append(by_url)
        screen = by_url.wait_text("Runner test")
        assert "Runner test" in screen.splitlines()[0] and "The talk" in screen
    finally:
        service.terminate()


def test_an_edited_show_file_is_said_not_shown(tmp_path: Path,
                                               tmux_sessions: list[Tmux]) -> None:
    show = write_show(tmp_path)
    service = rehearsal_service(show, tmp_path)
    try:
        service.wait_line("control API on http://127.0.0.1:")
        show.write_text(show.read_text(encoding="utf-8").replace("show: Runner test",
                                                                 "show: EDITED"),
                        encoding="utf-8")
        screen = Tmux(f"l-attach-edit-{os.getpid()}", [*STUDIO, "attach", str(show),
                                                       "--rehearsal"], tmp_path)
        tmux_sessions.append(screen)
        text = screen.wait_text("the show file was edited since the service loaded it")
        assert "Runner test" in text.splitlines()[0] and "EDITED" not in text
    finally:
        service.terminate()


async def test_serve_on_a_running_service_ignores_a_broken_show_file(tmp_path: Path) -> None:
    import asyncio
    import socket
    import subprocess
    import time

    from tests.tui.conftest import ROOT
    from tests.tui.test_serve import free_port, tab

    show = write_show(tmp_path)
    service = rehearsal_service(show, tmp_path)
    serve = None
    try:
        service.wait_line("control API on http://127.0.0.1:")
        show.write_text(show.read_text(encoding="utf-8").replace("show: Runner test",
                                                                 "show: EDITED\n\t"),
                        encoding="utf-8")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
        env["PYTHONPATH"] = str(ROOT)
        serve = subprocess.Popen([*STUDIO, "serve", str(show), "--rehearse", "--port", str(port)],
                                 cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:  # the HTTP port (serve prints before it listens)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert serve.poll() is None, serve.stderr.read() if serve.stderr else ""
                assert time.monotonic() < deadline, "studio serve never listened"
                await asyncio.sleep(0.05)
        seen = await tab(port, b"the show file no longer loads")
        assert b"Runner test" in seen and b"EDITED" not in seen
    finally:
        if serve is not None:
            serve.terminate()
            serve.wait(timeout=10)
        service.terminate()

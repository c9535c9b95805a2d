"""Colour in command-line output on a terminal only: never piped, never with NO_COLOR."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TUESDAY = ROOT / "schedules/digital-vecka-2021/2021-01-19-tisdag.yaml"
ESC = "\x1b["


def on_a_terminal(*args: str, cwd: Path, no_color: bool = False) -> str:
    """Run studio with stdout and stderr on a pseudo-terminal; what the terminal received."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")
           and not k.startswith("STUDIO_OBS")}
    env["TERM"] = "xterm"
    if no_color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "studio", *args], stdout=follower,
                            stderr=follower, stdin=subprocess.DEVNULL, cwd=cwd, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def piped(*args: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    out = subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True,
                         text=True, cwd=cwd, env=env, timeout=60)
    return out.stdout + out.stderr


def broken_show(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    text = TUESDAY.read_text(encoding="utf-8").replace(
        "catalogue: ../../scenes/campus-studio.yaml",
        f"catalogue: {ROOT / 'scenes/campus-studio.yaml'}").replace(
        "organisers: organisers.yaml",
        f"organisers: {TUESDAY.parent / 'organisers.yaml'}").replace(
        "scene: Studio Close", "scene: Studio Clsoe", 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_check_colours_errors_on_a_terminal_only(tmp_path: Path) -> None:
    show = broken_show(tmp_path)
    tty = on_a_terminal("check", str(show), cwd=tmp_path)
    assert f"{ESC}1;31merror{ESC}0m: " in tty, tty
    assert "Studio Clsoe" in tty
    plain = piped("check", str(show), cwd=tmp_path)
    assert "Studio Clsoe" in plain and ESC not in plain
    assert ESC not in on_a_terminal("check", str(show), cwd=tmp_path, no_color=True)


def test_headless_lines_in_colour_on_a_terminal_only(tmp_path: Path) -> None:
    args = ("rehearse", str(TUESDAY), "--speed", "max", "--from", "13:39")
    tty = on_a_terminal(*args, cwd=tmp_path)
    assert "show ended" in tty
    assert f"{ESC}36mOBS" in tty, tty  # the connection line's label
    plain = piped(*args, cwd=tmp_path)
    assert "show ended" in plain and ESC not in plain
    quiet = on_a_terminal(*args, cwd=tmp_path, no_color=True)
    assert "show ended" in quiet and ESC not in quiet

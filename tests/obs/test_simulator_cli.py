"""``studio simulator``: prints its URL, serves with the password from a file and the catalogue
pre-loaded, stops cleanly on Ctrl-C; user errors are one line, never the password."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest_contract import RawClient

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "cli-pass-5521"


def studio(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "STUDIO_OBS_PASSWORD"}
    return subprocess.Popen([sys.executable, "-m", "studio", "simulator", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_serves_the_catalogue_with_a_password_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    proc = studio("--port", "0", "--password-file", str(secret),
                  "--catalogue", "scenes/campus-studio.yaml")
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("ws://127.0.0.1:")
        c = RawClient(url)
        assert "authentication" in c.hello["d"]
        assert c.identify(PASSWORD)["op"] == 2
        scenes = [s["sceneName"] for s in c.call("GetSceneList")["scenes"]]
        assert {"Holding Slate", "Panel", "Graphics", "Lower Third"} <= set(scenes)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert PASSWORD not in err + out
    assert "stopped" in err


def test_a_missing_password_file_is_one_line() -> None:
    proc = studio("--port", "0", "--password-file", "/nonexistent/pw")
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 1
    assert err.strip().count("\n") == 0
    assert "/nonexistent/pw" in err and "Traceback" not in err


def test_a_taken_port_is_one_line() -> None:
    first = studio("--port", "0")
    try:
        assert first.stdout is not None
        port = first.stdout.readline().strip().rsplit(":", 1)[1]
        proc = studio("--port", port)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 1
        assert f"cannot listen on 127.0.0.1:{port}" in err
        assert "Traceback" not in err
    finally:
        first.terminate()
        first.communicate(timeout=10)
    assert first.returncode == 0

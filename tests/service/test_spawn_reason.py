"""Why a show service did not start, as ``studio run`` / ``studio rehearse`` with a screen and
``studio serve`` say it: the last line *this* start wrote to the service log, never an older
run's (the log is appended to across runs), and when it wrote nothing, how it ended and where
the log is. The services here are real processes; one that dies without a word is made with a
``sitecustomize`` on its own ``PYTHONPATH`` (as an OOM kill or a broken interpreter would)."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.service.spawn import ServiceFailed, service_log, start_service_process

CATALOGUE = Path(__file__).resolve().parents[2] / "scenes" / "campus-studio.yaml"
OLDER = "studio run: error: OBS at ws://127.0.0.1:4455 refused the password (an older run)"


def dying(tmp_path: Path, code: str) -> dict[str, str]:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(code, encoding="utf-8")
    return {"PYTHONPATH": str(folder)}


def start(base: Path, env: dict[str, str] | None = None, show: str = "/nonexistent.yaml") -> str:
    with pytest.raises(ServiceFailed) as failed:
        start_service_process(["run", show, "--headless", "--control", "127.0.0.1:0"], base, env)
    return str(failed.value)


def test_a_service_that_dies_silently_is_not_blamed_on_an_older_run(tmp_path: Path) -> None:
    base = tmp_path / "as-run" / "show"
    base.parent.mkdir()
    service_log(base).write_text(OLDER + "\n", encoding="utf-8")
    reason = start(base, dying(tmp_path, "import os\nos._exit(3)\n"))
    assert reason == ("the show service ended with exit status 3 without writing a word to its "
                      f"log {service_log(base)}")
    assert service_log(base).read_text(encoding="utf-8") == OLDER + "\n"  # kept, not cut


def test_one_killed_by_a_signal_says_which(tmp_path: Path) -> None:
    base = tmp_path / "show"
    service_log(base).write_text(OLDER + "\n", encoding="utf-8")
    reason = start(base, dying(tmp_path, "import os, signal\nos.kill(os.getpid(), "
                                         "signal.SIGKILL)\n"))
    assert reason == ("the show service was killed by SIGKILL without writing a word to its "
                      f"log {service_log(base)}")


def test_what_this_start_wrote_is_the_reason_once_without_its_prefix(tmp_path: Path) -> None:
    base = tmp_path / "show"
    service_log(base).write_text(OLDER + "\n", encoding="utf-8")
    assert start(base, show="/nonexistent.yaml") == \
        "/nonexistent.yaml:1:1: error: run-of-show file not found: /nonexistent.yaml"
    show = tmp_path / "show.yaml"
    show.write_text(f"show: Spawn\ndate: 2021-01-19\ntimezone: UTC\ncatalogue: {CATALOGUE}\n"
                    "segments:\n  - { id: a, start: '09:00', duration: 1m, scene: Panel }\n",
                    encoding="utf-8")
    with pytest.raises(ServiceFailed) as failed:
        start_service_process(["run", str(show), "--headless", "--control", "127.0.0.1:0",
                               "--obs", "ws://127.0.0.1:9", "--obs-password-file",
                               str(tmp_path / "nonexistent")], base)
    # the service wrote "studio run: error: ...": the caller says "studio run: error: " itself
    assert str(failed.value) == (f"{tmp_path / 'nonexistent'}: cannot read the OBS password "
                                 "file: No such file or directory")

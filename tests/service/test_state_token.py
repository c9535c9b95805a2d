"""What a remote screen rebuilds from the state JSON is the projection the service has; the
generated token is private to its owner and never printed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from studio.engine.actions import Nudge, Take
from studio.obs.simulator import Simulator
from studio.service.state_json import projection_from_json, state_json, status_from_json
from studio.service.token import ENV, ControlToken, TokenError, resolve_token
from tests.runner.conftest import Harness, at


def test_the_state_json_round_trips_to_the_same_projection(sim: Simulator,
                                                            make_harness) -> None:
    h: Harness = make_harness(sim.port, at(9, 0, 40))
    h.submit(Nudge, seconds=30)
    h.submit(Take)
    proj, status = h.ctl.projection(), h.ctl.status()
    wire = json.loads(json.dumps(state_json(h.show, proj, status)))
    assert projection_from_json(wire) == proj
    assert status_from_json(wire) == status


def test_a_generated_token_is_mode_600_and_hidden(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    path = tmp_path / "as-run" / "show.control-token"
    token, source = resolve_token(None, path)
    assert source == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == token.reveal() and len(token.reveal()) >= 32
    assert token.reveal() not in repr(token) + str(token) + source
    again, _ = resolve_token(None, path)
    assert again.reveal() != token.reveal()  # a new one each start: stale copies stop working


def test_the_token_from_the_environment_or_a_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "from-env")
    token, source = resolve_token(tmp_path / "t", tmp_path / "generated")
    assert token.matches("from-env") and source == f"${ENV}"
    assert not (tmp_path / "generated").exists()
    monkeypatch.delenv(ENV)
    (tmp_path / "t").write_text("from-file\n")
    token, _ = resolve_token(tmp_path / "t", tmp_path / "generated")
    assert token.matches("from-file") and not token.matches("from-fil")
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(TokenError, match="empty"):
        resolve_token(tmp_path / "empty", tmp_path / "generated")
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(ControlToken("x"))

"""Hypothesis feeds the loader random and mutated documents: it never raises, every diagnostic
has a position inside the file, and no internal error (a bug caught by the safety net) shows."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.show.diagnostics import ShowError
from studio.show.errors import KNOWN_KEYS
from studio.show.loader import check_file, load_catalogue, load_show

ROOT = Path(__file__).resolve().parents[2]
WEEK = sorted((ROOT / "schedules" / "digital-vecka-2021").glob("2021-*.yaml"))
SETTINGS = settings(
    max_examples=int(os.environ.get("STUDIO_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def tree() -> Iterator[Path]:
    """A copy of the project's layout so that the week's relative references resolve."""
    folder = Path(tempfile.mkdtemp(prefix="studio-fuzz-"))
    (folder / "scenes").mkdir()
    shutil.copy(ROOT / "scenes" / "campus-studio.yaml", folder / "scenes")
    days = folder / "schedules" / "digital-vecka-2021"
    days.mkdir(parents=True)
    shutil.copy(ROOT / "schedules" / "digital-vecka-2021" / "organisers.yaml", days)
    yield days
    shutil.rmtree(folder, ignore_errors=True)


def assert_well_behaved(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    # YAML's line breaks: CR LF, CR, LF, NEL, LS, PS
    lines = len(re.split("\r\n|\r|\n|\x85|\u2028|\u2029", data.decode("utf-8", "replace")))
    show, diagnostics = check_file(path)  # must not raise
    for d in diagnostics:
        assert "internal error" not in d.message, d.format()
        assert d.line >= 1 and d.column >= 1, d.format()
        assert "\n" not in d.message
        if d.path == str(path):
            assert d.line <= lines, d.format()
    if show is not None:
        assert all(d.severity == "warning" for d in diagnostics)
    # the loaders raise their own error type only (anything else fails the test)
    with contextlib.suppress(ShowError):
        load_show(path)
    with contextlib.suppress(ShowError):
        load_catalogue(path)


@SETTINGS
@given(st.text(max_size=400))
def test_random_text(tree: Path, text: str) -> None:
    assert_well_behaved(tree / "random.yaml", text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(tree: Path, data: bytes) -> None:
    assert_well_behaved(tree / "bytes.yaml", data)


YAMLISH = st.text(
    alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#\t\n ,?%@`~.+0123456789abcxyzåäö")), max_size=12
)
MUTATION = st.tuples(st.sampled_from(["insert", "delete", "replace", "dup-line", "drop-line"]),
                     st.floats(0, 1), st.integers(1, 40), YAMLISH)


def mutate(text: str, mutations: list[tuple[str, float, int, str]]) -> str:
    for op, where, length, payload in mutations:
        at = int(where * len(text))
        lines = text.split("\n")
        line_at = min(int(where * len(lines)), len(lines) - 1)
        if op == "insert":
            text = text[:at] + payload + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + length:]
        elif op == "replace":
            text = text[:at] + payload + text[at + len(payload):]
        elif op == "dup-line":
            text = "\n".join([*lines[: line_at + 1], lines[line_at], *lines[line_at + 1:]])
        else:
            text = "\n".join(lines[:line_at] + lines[line_at + 1:])
    return text


@SETTINGS
@given(st.sampled_from(WEEK), st.lists(MUTATION, min_size=1, max_size=6))
def test_mutated_week(tree: Path, day: Path, mutations: list[tuple[str, float, int, str]]) -> None:
    text = mutate(day.read_text(encoding="utf-8"), mutations)
    assert_well_behaved(tree / "mutated.yaml", text.encode("utf-8", "surrogatepass"))


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
    st.sampled_from(["09:00", "19:30", "10m", "fade 500ms", "Panel", "clock", "2021-01-19",
                     "Europe/Stockholm", "00:30 +1d", "25:61", "0s", "-5m", "cut", "start"]),
    st.text(max_size=8),
)
KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=6))
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=6)),
    max_leaves=40,
)


@SETTINGS
@given(STRUCTURES)
def test_random_structures(tree: Path, data: object) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    assert_well_behaved(tree / "structure.yaml", text.encode("utf-8"))


def segment_strategy() -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries(
        {"id": st.sampled_from(["a", "b", "c", "a b"]), "scene": SCALARS},
        optional={key: SCALARS for key in ("start", "duration", "title", "transition", "manual",
                                           "organiser", "stream")}
        | {"overlays": st.lists(SCALARS, max_size=3),
           "lower_thirds": st.lists(st.dictionaries(st.sampled_from(["name", "role", "at", "for",
                                                                      "x"]), SCALARS), max_size=2)},
    )


@SETTINGS
@given(st.lists(segment_strategy(), min_size=0, max_size=5),
       st.sampled_from(["2021-01-19", "2021-03-28", "2021-10-31", "x"]))
def test_random_shows(tree: Path, segments: list[dict[str, object]], day: str) -> None:
    data = {"show": "Fuzz", "date": day, "timezone": "Europe/Stockholm",
            "catalogue": "../../scenes/campus-studio.yaml", "organisers": "organisers.yaml",
            "segments": segments}
    text = yaml.safe_dump(data, allow_unicode=True)
    assert_well_behaved(tree / "show.yaml", text.encode("utf-8"))

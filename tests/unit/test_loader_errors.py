"""Every error class of ``studio check``: the exact message, line and column.

Each case is a run-of-show file next to a small catalogue and organisers file; the expected
diagnostics are (file, line, column, severity, message) and must match exactly and completely.
"""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from studio.show.diagnostics import ShowError
from studio.show.loader import check_file, load_catalogue, load_show

CATALOGUE = """\
scenes: [Holding Slate, Studio Wide, Panel, Break]
graphics_scene: Graphics
overlays:
  live-bug: { source: LIVE Bug }
  clock: { source: Clock }
  logo-region: { source: Logo Region }
lower_third: { source: Lower Third, name_input: LT Name, role_input: LT Role }
transitions:
  default: fade 300ms
  slow: fade 1s
"""

ORGANISERS = """\
region: { name: Region Västerbotten, logo: logo-region }
umu: { name: Umeå universitet }
"""

HEAD = """\
show: Test
date: 2021-01-19
timezone: Europe/Stockholm
catalogue: catalogue.yaml
organisers: organisers.yaml
segments:
"""  # segments start on line 7


def doc(segments: str, head: str = HEAD) -> str:
    """The head, then the segments as a list indented by two spaces (line 7 on)."""
    return head + textwrap.indent(textwrap.dedent(segments), "  ")


OK_SEGMENTS = """\
  - id: a
    start: "09:00"
    scene: Studio Wide
    duration: 10m
"""

Expected = tuple[str, int, int, str, str]  # file, line, column, severity, message

CASES: list[tuple[str, str, list[Expected]]] = [
    ("yaml syntax error", doc("  - id: a\n    scene: [Panel\n"), [
        ("show.yaml", 9, 1, "error",
         "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ]),
    ("tab in indentation", HEAD + "  - id: a\n\tscene: Panel\n", [
        ("show.yaml", 8, 1, "error", "tab character: YAML indents with spaces, not tabs"),
    ]),
    ("duplicate top-level key", "show: A\nshow: B\n" + HEAD.split("\n", 1)[1] + OK_SEGMENTS, [
        ("show.yaml", 2, 1, "error", "duplicate key 'show' (first written on line 1)"),
    ]),
    ("duplicate key in a segment", doc(OK_SEGMENTS + "    scene: Panel\n"), [
        ("show.yaml", 11, 5, "error", "duplicate key 'scene' (first written on line 9)"),
    ]),
    ("unknown key", doc(OK_SEGMENTS + "    titel: Hej\n"), [
        ("show.yaml", 11, 5, "error", "unknown key 'titel' (did you mean 'title'?)"),
    ]),
    ("unknown top-level key", "shows: x\n" + HEAD.split("\n", 1)[1] + OK_SEGMENTS, [
        ("show.yaml", 1, 1, "error", "missing required key 'show'"),
        ("show.yaml", 1, 1, "error", "unknown key 'shows' (did you mean 'show'?)"),
    ]),
    ("missing required key", doc('  - id: a\n    start: "09:00"\n    duration: 5m\n'), [
        ("show.yaml", 7, 5, "error", "missing required key 'scene'"),
    ]),
    ("segment with only an id", doc("- id: a\n"), [
        ("show.yaml", 7, 5, "error", "missing required key 'scene'"),
    ]),
    ("several missing top-level keys", "show: x\nsegments: []\n", [
        ("show.yaml", 1, 1, "error", "missing required key 'date'"),
        ("show.yaml", 1, 1, "error", "missing required key 'timezone'"),
        ("show.yaml", 1, 1, "error", "missing required key 'catalogue'"),
        ("show.yaml", 2, 11, "error", "must not be empty (expected at least 1)"),
    ]),
    ("wrong type: number for text", doc(OK_SEGMENTS + "    title: 2021\n"), [
        ("show.yaml", 11, 12, "error", "expected text, not the number 2021 (put it in quotes)"),
    ]),
    ("wrong type: text for list", doc(OK_SEGMENTS + "    overlays: clock\n"), [
        ("show.yaml", 11, 15, "error", "expected a list, not 'clock'"),
    ]),
    ("wrong type: fits no branch of a union", doc(
        OK_SEGMENTS, HEAD.replace("organisers: organisers.yaml", "organisers: [a, b]")), [
        ("show.yaml", 5, 13, "error", "expected text or a mapping of keys, not a list"),
    ]),
    ("wrong type: boolean", doc(OK_SEGMENTS + "    manual: maybe\n"), [
        ("show.yaml", 11, 13, "error", "expected true or false, not 'maybe'"),
    ]),
    ("wrong type: segment not a mapping", doc("  - just text\n"), [
        ("show.yaml", 7, 5, "error", "expected a mapping of keys, not 'just text'"),
    ]),
    ("bad time of day", doc('- id: a\n  start: "25:00"\n  scene: Panel\n  duration: 5m\n'), [
        ("show.yaml", 8, 12, "error",
         "bad time of day '25:00': use \"HH:MM\", \"HH:MM:SS\" or \"00:30 +1d\""),
    ]),
    ("bad duration", doc('  - id: a\n    start: "09:00"\n    scene: Panel\n    duration: 10x\n'), [
        ("show.yaml", 10, 15, "error",
         "bad duration '10x': use 45s, 10m, 1h30m, 1h, 500ms or 01:30:00"),
    ]),
    ("duration as a bare number", doc('  - id: a\n    start: "09:00"\n    scene: Panel\n'
                                      "    duration: 90\n"), [
        ("show.yaml", 10, 15, "error",
         "a duration is a quoted text like 45s, 10m, 1h30m or 01:30:00, not 90"),
    ]),
    ("zero duration", doc('  - id: a\n    start: "09:00"\n    scene: Panel\n    duration: 0s\n'), [
        ("show.yaml", 10, 15, "error", "a duration must be longer than zero"),
    ]),
    ("bad id", doc('  - id: "a b"\n    start: "09:00"\n    scene: Panel\n    duration: 5m\n'), [
        ("show.yaml", 7, 9, "error",
         "bad id 'a b': use letters, digits, '-', '_' and '.', starting with a letter or digit"),
    ]),
    ("duplicate segment id", doc(OK_SEGMENTS + "  - id: a\n    scene: Panel\n    duration: 5m\n"), [
        ("show.yaml", 11, 9, "error", "duplicate segment id 'a' (first used on line 7)"),
    ]),
    ("anchors out of order", doc(
        '  - id: a\n    start: "10:00"\n    scene: Panel\n    duration: 10m\n'
        '  - id: b\n    start: "09:00"\n    scene: Panel\n    duration: 10m\n'), [
        ("show.yaml", 12, 12, "error",
         "hard anchors out of order: 'b' starts at 09:00, before 'a' at 10:00"),
    ]),
    ("anchor overlaps the planned end", doc(
        '  - id: a\n    start: "09:00"\n    scene: Panel\n    duration: 30m\n'
        '  - id: b\n    start: "09:20"\n    scene: Panel\n    duration: 10m\n'), [
        ("show.yaml", 12, 12, "error",
         "'b' starts at 09:20, before 'a' is planned to end at 09:30 (overlap of 10 min)"),
    ]),
    ("gap is a warning", doc(
        '  - id: a\n    start: "09:00"\n    scene: Panel\n    duration: 10m\n'
        '  - id: b\n    start: "09:15"\n    scene: Panel\n    duration: 10m\n'), [
        ("show.yaml", 12, 12, "warning",
         "gap of 5 min between 'a' (ends 09:10) and 'b' (starts 09:15)"),
    ]),
    ("first segment without a start", doc("  - id: a\n    scene: Panel\n    duration: 5m\n"), [
        ("show.yaml", 7, 9, "error", "the first segment 'a' needs a start time (\"HH:MM\")"),
    ]),
    ("last segment without a duration", doc('  - id: a\n    start: "09:00"\n    scene: Panel\n'), [
        ("show.yaml", 7, 9, "error",
         "the last segment 'a' needs a duration (it has nothing to run until)"),
    ]),
    ("DST: nonexistent local time", doc(
        '  - id: a\n    start: "02:30"\n    scene: Panel\n    duration: 10m\n',
        HEAD.replace("2021-01-19", "2021-03-28")), [
        ("show.yaml", 8, 12, "error",
         "02:30 does not exist on 2021-03-28 in Europe/Stockholm: the clocks go forward an "
         "hour that night, from 02:00 straight to 03:00; pick a time before 02:00 or from "
         "03:00 on"),
    ]),
    ("DST: ambiguous local time", doc(
        '  - id: a\n    start: "02:30"\n    scene: Panel\n    duration: 10m\n',
        HEAD.replace("2021-01-19", "2021-10-31")), [
        ("show.yaml", 8, 12, "error",
         "02:30 happens twice on 2021-10-31 in Europe/Stockholm: the clocks go back an hour "
         "that night; pick a time outside the repeated hour"),
    ]),
    ("unknown time zone", doc(OK_SEGMENTS, HEAD.replace("Europe/Stockholm", "Europe/Stokholm")), [
        ("show.yaml", 3, 11, "error", "unknown time zone 'Europe/Stokholm' (did you mean "
         "'Europe/Stockholm'?); use an IANA name like Europe/Stockholm"),
    ]),
    ("impossible date", doc(OK_SEGMENTS, HEAD.replace("2021-01-19", "2021-02-30")), [
        ("show.yaml", 2, 7, "error",
         "bad date '2021-02-30': use YYYY-MM-DD (day value is outside expected range)"),
    ]),
    ("a number is no date", doc(OK_SEGMENTS, HEAD.replace("2021-01-19", "1611014400")), [
        ("show.yaml", 2, 7, "error", "bad date 1611014400: use YYYY-MM-DD"),
    ]),
    ("unknown scene", doc(OK_SEGMENTS.replace("Studio Wide", "Studio Wid")), [
        ("show.yaml", 9, 12, "error", "unknown scene 'Studio Wid': not in the catalogue "
         "catalogue.yaml (did you mean 'Studio Wide'?)"),
    ]),
    ("unknown overlay", doc(OK_SEGMENTS + "    overlays: [live-bug, clok]\n"), [
        ("show.yaml", 11, 26, "error",
         "unknown overlay 'clok': not in the catalogue catalogue.yaml (did you mean 'clock'?)"),
    ]),
    ("unknown organiser", doc(OK_SEGMENTS + "    organiser: regoin\n"), [
        ("show.yaml", 11, 16, "error",
         "unknown organiser 'regoin': not in organisers.yaml (did you mean 'region'?)"),
    ]),
    ("unknown transition", doc(OK_SEGMENTS + "    transition: wipe 1s\n"), [
        ("show.yaml", 11, 17, "error",
         "unknown transition 'wipe': use one of cut, fade, default, slow"),
    ]),
    ("lower third beyond its segment", doc(
        OK_SEGMENTS + "    lower_thirds:\n      - { name: Anna, at: 11m }\n"), [
        ("show.yaml", 12, 27, "error",
         "lower third 'Anna' at 11 min lies beyond segment 'a', which lasts 10 min"),
    ]),
    ("lower third outlasting its segment is a warning", doc(
        OK_SEGMENTS + "    lower_thirds:\n      - { name: Anna, at: 9m50s, for: 30s }\n"), [
        ("show.yaml", 12, 39, "warning",
         "lower third 'Anna' is cut short: it would run 20 s past the end of segment 'a'"),
    ]),
    ("lower third without a name", doc(OK_SEGMENTS + "    lower_thirds:\n      - { role: X }\n"), [
        ("show.yaml", 12, 9, "error", "missing required key 'name'"),
    ]),
    ("missing catalogue", doc(OK_SEGMENTS, HEAD.replace("catalogue.yaml", "nope.yaml")), [
        ("show.yaml", 4, 12, "error", "catalogue not found: nope.yaml"),
    ]),
    ("catalogue is a directory", doc(OK_SEGMENTS, HEAD.replace("catalogue.yaml", "sub")), [
        ("show.yaml", 4, 12, "error", "catalogue is a directory, not a file: sub"),
    ]),
    ("missing organisers file", doc(OK_SEGMENTS, HEAD.replace("organisers.yaml", "orgs.yaml")), [
        ("show.yaml", 5, 13, "error", "organisers file not found: orgs.yaml"),
    ]),
    ("top level is a list", "- a\n- b\n", [
        ("show.yaml", 1, 1, "error", "expected a mapping of keys at the top, not a list"),
    ]),
    ("empty file", "", [("show.yaml", 1, 1, "error", "the file is empty")]),
    ("only comments", "# nothing yet\n", [("show.yaml", 1, 1, "error", "the file is empty")]),
    ("two documents", doc(OK_SEGMENTS) + "---\nshow: B\n", [
        ("show.yaml", 11, 1, "error", "only one YAML document per file"),
    ]),
    ("python tag", doc(OK_SEGMENTS + "    notes: !!python/object/apply:os.system [ls]\n"), [
        ("show.yaml", 11, 12, "error", "YAML tag tag:yaml.org,2002:python/object/apply:os.system "
         "is not supported: write plain values"),
    ]),
    ("merge key", doc(OK_SEGMENTS + "    <<: {title: x}\n"), [
        ("show.yaml", 11, 5, "error", "merge keys (<<) are not supported"),
    ]),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "catalogue.yaml").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "organisers.yaml").write_text(ORGANISERS, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    return tmp_path


def run_check(folder: Path, text: str | bytes, name: str = "show.yaml") -> list[Expected]:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(folder)  # paths in messages are as given: relative
    try:
        _show, diags = check_file(name)
    finally:
        os.chdir(cwd)
    return [(d.path, d.line, d.column, d.severity, d.message) for d in diags]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error_class(folder: Path, text: str, expected: list[Expected]) -> None:
    assert run_check(folder, text) == expected


def test_the_valid_base_document_passes(folder: Path) -> None:
    assert run_check(folder, doc(OK_SEGMENTS)) == []


def test_not_utf8_points_at_the_bad_byte(folder: Path) -> None:
    text = doc(OK_SEGMENTS + "    title: Ume\xe5\n").encode("latin-1")
    assert run_check(folder, text) == [
        ("show.yaml", 11, 15, "error",
         "not UTF-8: byte 0xE5 cannot be decoded; save the file as UTF-8"),
    ]


def test_union_errors_come_from_the_branch_the_user_meant(folder: Path) -> None:
    (folder / "catalogue.yaml").write_text(
        CATALOGUE.replace(
            "slow: fade 1s", "slow: fade 1x\n  stinger: { obs_name: S, duration: 2y }"
        ),
        encoding="utf-8",
    )
    assert run_check(folder, doc(OK_SEGMENTS)) == [
        ("catalogue.yaml", 10, 9, "error",
         "bad duration '1x': use 45s, 10m, 1h30m, 1h, 500ms or 01:30:00"),
        ("catalogue.yaml", 11, 37, "error",
         "bad duration '2y': use 45s, 10m, 1h30m, 1h, 500ms or 01:30:00"),
    ]


def test_errors_in_the_catalogue_are_reported_in_the_catalogue(folder: Path) -> None:
    (folder / "catalogue.yaml").write_text(
        CATALOGUE.replace("graphics_scene: Graphics", "graphic_scene: Graphics"), encoding="utf-8"
    )
    assert run_check(folder, doc(OK_SEGMENTS)) == [
        ("catalogue.yaml", 1, 1, "error", "missing required key 'graphics_scene'"),
        ("catalogue.yaml", 2, 1, "error",
         "unknown key 'graphic_scene' (did you mean 'graphics_scene'?)"),
    ]


def test_unknown_logo_is_reported_in_the_organisers_file(folder: Path) -> None:
    (folder / "organisers.yaml").write_text(
        ORGANISERS.replace("logo: logo-region", "logo: logo-regoin"), encoding="utf-8"
    )
    assert run_check(folder, doc(OK_SEGMENTS)) == [
        ("organisers.yaml", 1, 44, "error", "unknown overlay 'logo-regoin' as the logo of "
         "'region': not in the catalogue catalogue.yaml (did you mean 'logo-region'?)"),
    ]


def test_catalogue_not_utf8_is_reported_in_the_catalogue(folder: Path) -> None:
    (folder / "catalogue.yaml").write_bytes(b"scenes: [\xff]\n")
    assert run_check(folder, doc(OK_SEGMENTS)) == [
        ("catalogue.yaml", 1, 10, "error",
         "not UTF-8: byte 0xFF cannot be decoded; save the file as UTF-8"),
    ]


def test_all_problems_of_a_file_are_reported(folder: Path) -> None:
    text = doc("""\
      - id: a
        start: 19:30
        scene: Studio Wid
        titel: hej
        overlays: [live-bug, clok]
      - id: a
        duration: 90
        scene: Panel
        transition: wipe
        organiser: regin
      - id: c
        scene: Break
        title: 2021
        lower_thirds:
          - { name: X, at: 5x }
    """)
    found = [(line, column) for _f, line, column, _s, _m in run_check(folder, text)]
    assert found == [(9, 12), (10, 5), (11, 26), (12, 9), (13, 15), (15, 17), (16, 16),
                     (19, 12), (21, 24)]


def test_yaml_11_traps_are_plain_text(folder: Path) -> None:
    """``start: 19:30`` unquoted is 19:30 (YAML 1.1 would say 1170); ``no``/``on`` stay text."""
    text = doc("""\
      - id: a
        start: 19:30
        scene: Panel
        title: no
        notes: on
        duration: 10m
    """)
    assert run_check(folder, text) == []
    show = load_show(folder / "show.yaml")
    seg = show.segments[0]
    assert seg.start is not None
    assert (seg.start.hour, seg.start.minute) == (19, 30)
    assert (seg.title, seg.notes) == ("no", "on")


def test_show_past_midnight(folder: Path) -> None:
    text = doc("""\
      - id: late
        start: "23:30"
        scene: Panel
      - id: after-midnight
        start: "00:30 +1d"
        scene: Break
        duration: 30m
    """)
    assert run_check(folder, text) == []
    show = load_show(folder / "show.yaml")
    assert show.segments[1].start is not None and show.segments[1].start.day == 1


def test_load_show_raises_show_error_with_errors_only(folder: Path) -> None:
    (folder / "show.yaml").write_text(doc(OK_SEGMENTS + "    titel: x\n"), encoding="utf-8")
    with pytest.raises(ShowError) as info:
        load_show(folder / "show.yaml")
    assert [d.message for d in info.value.diagnostics] == [
        "unknown key 'titel' (did you mean 'title'?)"
    ]


def test_load_catalogue(folder: Path) -> None:
    catalogue = load_catalogue(folder / "catalogue.yaml")
    assert catalogue.scenes == ["Holding Slate", "Studio Wide", "Panel", "Break"]
    with pytest.raises(ShowError) as info:
        load_catalogue(folder / "missing.yaml")
    assert info.value.diagnostics[0].message.startswith("catalogue not found:")


# --------------------------------------------------------------------------- hostile YAML


def billion_laughs(levels: int = 12) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = [
    ("alias bomb", billion_laughs(),
     (5, 5, "document too large: more than 400000 values after expanding aliases")),
    ("many aliases", "a: &x 1\nb: [" + ", ".join(["*x"] * 150) + "]\n",
     (2, 405, "too many aliases (at most 100)")),
    ("recursive alias", "a: &x [1, *x]\n", (1, 11, "unknown or recursive alias *x")),
    ("deep flow nesting", "a: " + "[" * 5000 + "]" * 5000 + "\n",
     (1, 1003, "nested too deeply (at most 50 levels)")),  # libyaml stops at 1,000
    ("deep block nesting", "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "x\n",
     (51, 51, "nested too deeply (at most 50 levels)")),
]


@pytest.mark.parametrize(
    ("text", "expected"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_hostile_yaml_is_refused_quickly(
    folder: Path, text: str, expected: tuple[int, int, str]
) -> None:
    start = time.perf_counter()
    found = run_check(folder, text)
    assert time.perf_counter() - start < 1.0
    assert found == [("show.yaml", *expected[:2], "error", expected[2])]


def test_huge_file_is_refused_without_parsing(folder: Path) -> None:
    text = "notes: |\n" + ("  " + "x" * 1000 + "\n") * 5000  # ~5 MB
    start = time.perf_counter()
    assert run_check(folder, text) == [
        ("show.yaml", 1, 1, "error", "file too large: more than 4 MiB"),
    ]
    assert time.perf_counter() - start < 1.0


def test_a_fifo_is_refused_instead_of_blocking(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        _show, diags = check_file("pipe.yaml")
    finally:
        os.chdir(cwd)
    assert [d.format() for d in diags] == [
        "pipe.yaml:1:1: error: run-of-show file is not a regular file: pipe.yaml"
    ]


def test_load_show_of_a_catalogue_says_so(folder: Path) -> None:
    with pytest.raises(ShowError) as info:
        load_show(folder / "catalogue.yaml")
    assert [d.message for d in info.value.diagnostics] == [
        "not a run-of-show file (no 'show' and 'segments')"
    ]

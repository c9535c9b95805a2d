"""``studio schema``: the shipped JSON Schemas are current, the shipped files point at them with a
yaml-language-server modeline, and the files validate against them (a small validator for the
keywords the schemas use stands in for an editor)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from studio.cli import main
from studio.show.schema import KINDS, json_schema
from studio.show.yamlpos import compose

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = {
    "show": sorted((ROOT / "schedules" / "digital-vecka-2021").glob("2021-*.yaml")),
    "catalogue": [ROOT / "scenes" / "campus-studio.yaml"],
    "organisers": [ROOT / "schedules" / "digital-vecka-2021" / "organisers.yaml"],
}
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "") -> list[str]:
    """The JSON Schema keywords our schemas use; returns the problems found."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return validate(value, root["$defs"][name], root, path)
    if "anyOf" in schema:
        results = [validate(value, option, root, path) for option in schema["anyOf"]]
        return [] if any(not r for r in results) else min(results, key=len)
    kind = schema.get("type")
    types = {"string": str, "object": dict, "array": list, "boolean": bool, "null": type(None)}
    if kind == "integer" and not (isinstance(value, int) and not isinstance(value, bool)):
        return [f"{path}: not an integer"]
    if kind in types and not isinstance(value, types[kind]):
        return [f"{path}: not a {kind}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: not one of {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0):
            problems.append(f"{path}: too short")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{path}: too few items")
        for i, item in enumerate(value):
            problems += validate(item, schema.get("items", {}), root, f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        problems += [f"{path}: missing {key}" for key in schema.get("required", [])
                     if key not in value]
        for key, item in value.items():
            if key in props:
                problems += validate(item, props[key], root, f"{path}.{key}")
                continue
            matched = [p for p in patterns if re.search(p, key)]
            for pattern in matched:
                problems += validate(item, patterns[pattern], root, f"{path}.{key}")
            if not matched and schema.get("additionalProperties") is False:
                problems.append(f"{path}: unknown key {key!r}")
    return problems


def load(path: Path) -> Any:
    root, problems = compose(path.read_text(encoding="utf-8"))
    assert root is not None and not problems
    return root.value


def test_shipped_schemas_are_current(tmp_path: Path) -> None:
    assert main(["schema", "--output", str(tmp_path)]) == 0
    for kind in KINDS:
        generated = (tmp_path / f"{kind}.schema.json").read_text(encoding="utf-8")
        shipped = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert generated == shipped, f"run: studio schema --output schemas ({kind} changed)"


def test_schema_prints_one_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--kind", "catalogue"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Studio catalogue"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_files_carry_the_modeline_and_validate(kind: str) -> None:
    schema = json_schema(kind)
    for path in SHIPPED[kind]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = MODELINE.match(first)
        assert match, f"{path}: first line must be the yaml-language-server modeline"
        target = (path.parent / match[1]).resolve()
        assert target == (ROOT / "schemas" / f"{kind}.schema.json").resolve()
        assert validate(load(path), schema, schema) == [], path


def test_past_midnight_is_documented() -> None:
    start = json_schema("show")["$defs"]["Segment"]["properties"]["start"]
    assert "+1d" in json.dumps(start)
    assert "00:30 +1d" in start["anyOf"][0]["examples"]


@pytest.mark.parametrize(("segment", "problem"), [
    ({"id": "a", "scene": "Panel", "start": "25:00"}, "does not match"),
    ({"id": "a", "scene": "Panel", "start": "9.30"}, "does not match"),
    ({"id": "a", "scene": "Panel", "duration": "10x"}, "does not match"),
    ({"id": "a", "scene": "Panel", "duration": 90}, "not a string"),
    ({"id": "a", "scene": "Panel", "titel": "x"}, "unknown key 'titel'"),
    ({"id": "a b", "scene": "Panel"}, "does not match"),
    ({"id": "a", "scene": "Panel", "stream": "pause"}, "not one of"),
    ({"id": "a"}, "missing scene"),
])
def test_schema_rejects_what_the_loader_rejects(segment: dict[str, Any], problem: str) -> None:
    schema = json_schema("show")
    document = {"show": "x", "date": "2021-01-19", "timezone": "Europe/Stockholm",
                "catalogue": "c.yaml", "segments": [segment]}
    found = validate(document, schema, schema)
    assert any(problem in p for p in found), found


@pytest.mark.parametrize("value", ["45s", "10m", "1h30m", "1h", "500ms", "01:30:00", "1.5h"])
def test_duration_pattern_accepts_the_documented_forms(value: str) -> None:
    schema = json_schema("show")["$defs"]["Segment"]["properties"]["duration"]["anyOf"][0]
    assert re.search(schema["pattern"], value)

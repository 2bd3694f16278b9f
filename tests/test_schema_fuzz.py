"""Any response Cloudflare's published schema allows gets an answer, never a traceback.

Responses are generated from the "Fetch details of peer" 200 schema (a copy of
``../shared/cloudflare/peer-report.openapi.json`` in ``tests/fixtures``), checked against the
schema with ``jsonschema``, and fed to the CLI in every format and view.

The generator is our own, driven by the schema (:func:`strategy_for`): hypothesis-jsonschema
0.23.1, the newest release, fails inside current Hypothesis (``'many' object has no attribute
'more'``). Owning it also lets it aim where reports hurt: timestamp fields draw the edges of the
datetime range, numbers draw the extremes of the float range and ``1e400`` (valid JSON that
parses to infinity), strings draw control characters and Slack markup, and every object draws
unknown keys, often named like a documented field elsewhere (``rtt`` on a received track) or
like a field's Python name (``ge_5``). Minimised failures are kept in ``tests/fixtures/schema/``
and replayed by :func:`test_regression_fixture`.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.health import assess
from bot.realtimekit.models import parse_participant
from bot.render.sections import SECTIONS, render_section_view
from tests._vendor import blockkit_check
from tests.cli_contract import (
    FORMATS,
    args_for,
    assert_view,
    run_console,
    run_main,
    strict_json,
)

FIXTURES = Path(__file__).parent / "fixtures"
OPENAPI = FIXTURES / "peer-report.openapi.json"
REGRESSIONS = sorted((FIXTURES / "schema").glob("*.json"))
TIMESTAMP_KEYS = {"timestamp", "created_at", "updated_at", "joined_at", "left_at"}
TS_FORMAT = "peer-report-timestamp"
#: A stand-in the generator writes for numbers that are then printed as ``1e400``.
HUGE = 1.5e308


def _resolve(node: Any, components: dict[str, Any], key: str | None = None) -> Any:
    """OpenAPI 3.0 → JSON Schema: inline ``$ref``, turn ``nullable`` into a null alternative,
    and mark timestamp strings with a custom format (so they also draw range edges)."""
    if isinstance(node, list):
        return [_resolve(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _resolve(components[name], components, key)
    out = {
        k: (
            {p: _resolve(v, components, p) for p, v in node["properties"].items()}
            if k == "properties"
            else _resolve(v, components)
        )
        for k, v in node.items()
        if k not in ("nullable", "example", "description", "x-auditable")
    }
    if key in TIMESTAMP_KEYS and out.get("type") == "string" and "format" not in out:
        out["format"] = TS_FORMAT
    if node.get("nullable"):
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "type" not in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def response_schema() -> dict[str, Any]:
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    components = spec["components"]["schemas"]
    response = spec["components"]["responses"]["realtimekit_GetParticipantDataFromPeerId"]
    schema: dict[str, Any] = _resolve(response["content"]["application/json"]["schema"], components)
    return schema


SCHEMA = response_schema()
VALIDATOR = jsonschema.Draft4Validator(SCHEMA)
TIMESTAMPS = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999Z",
            "2026-11-24T14:00:00.000Z",
            "2026-11-24T14:05:00+05:30",
            "1764000000000",
            "",
        ]
    ),
    st.datetimes().map(lambda d: d.isoformat()),
    st.text(max_size=12),
)
NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, -0.0, 0.5, 1, 4.2, 5, 100, 1e15, 1e307, 1.7976931348623157e308, 5e-324]),
    st.sampled_from([1.5e308, -1.5e308]),  # written as 1e400 / -1e400 when ``infinite``
)
#: Items per generated array (a hunt for larger pages can raise it before building a strategy).
MAX_ITEMS = 4
LONG = ("<!channel> *x* " * 200, "é" * 2900, "203.0.113.7 " * 250)
SHORT_STRINGS = st.one_of(
    st.text(max_size=16),
    st.sampled_from(
        [
            "",
            "<!channel>",
            "*bold* _it_ `code` ~x~",
            "a\nb\r\nc",
            "\x1b[31mred",
            "\u202eevil",
            "$x$",
        ]
    ),
)
#: Now and then (one string in 40) a long one, to press on Slack's text limits.
STRINGS = st.integers(0, 39).flatmap(lambda n: st.sampled_from(LONG) if n == 0 else SHORT_STRINGS)
JSON = st.recursive(
    st.none() | st.booleans() | NUMBERS | STRINGS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(STRINGS, inner, max_size=3),
    max_leaves=6,
)


def _property_names(node: Any) -> set[str]:
    if isinstance(node, dict):
        names = set(node.get("properties") or {})
        return names.union(*(_property_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_property_names(v) for v in node))
    return set()


#: Unknown keys worth trying: every documented name (valid as unknown elsewhere) and the
#: Python names of the aliased fields.
TRICKY_KEYS = sorted(
    _property_names(SCHEMA)
    | {"ge_5", "ge_10", "ge_25", "ge_50", "ge_100ms", "ge_250ms", "ge_500ms", "model_extra"}
)


def strategy_for(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values the (resolved) JSON Schema allows, aimed at the edges."""
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of(*(strategy_for(option, depth) for option in schema[key]))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of(*(strategy_for({**schema, "type": k}, depth) for k in kind))
    if kind == "object":
        return _object(schema, depth)
    if kind == "array":
        return st.lists(strategy_for(schema.get("items", {}), depth + 1), max_size=MAX_ITEMS)
    if kind == "string":
        return TIMESTAMPS if schema.get("format") == TS_FORMAT else STRINGS
    if kind == "number":
        return NUMBERS
    if kind == "integer":
        return st.integers(min_value=-(10**20), max_value=10**20)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return JSON


#: Keys present nine times in ten, so most responses reach the deep parts of the report.
MOSTLY_PRESENT = {"success", "data", "participant", "peer_report", "metadata", "quality"}


def _object(schema: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema.get("properties") or {}
    values = {name: strategy_for(sub, depth + 1) for name, sub in properties.items()}
    anything = st.fixed_dictionaries({}, optional=values)
    main = {k: v for k, v in values.items() if k in MOSTLY_PRESENT}
    known = anything
    if main:
        rest = {k: v for k, v in values.items() if k not in main}
        usual = st.fixed_dictionaries(main, optional=rest)
        known = st.integers(0, 9).flatmap(lambda n: usual if n else anything)
    extra_schema = schema.get("additionalProperties")
    unknown = strategy_for(extra_schema, depth + 1) if isinstance(extra_schema, dict) else JSON
    names = st.sampled_from(TRICKY_KEYS) | STRINGS
    extras = st.dictionaries(
        names.filter(lambda n: n not in properties), unknown, max_size=2 if depth < 6 else 0
    )
    return st.builds(lambda a, b: {**b, **a}, known, extras)


RESPONSES = strategy_for(SCHEMA)


def _huge(node: Any) -> Any:
    """Floats at the top of the range become ``HUGE`` (written as ``1e400`` below)."""
    if isinstance(node, dict):
        return {k: _huge(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_huge(v) for v in node]
    if isinstance(node, float) and abs(node) > 1e300:
        return HUGE if node > 0 else -HUGE
    return node


def to_bytes(doc: Any, infinite: bool) -> bytes:
    text = json.dumps(_huge(doc) if infinite else doc, ensure_ascii=False, allow_nan=False)
    if infinite:
        text = text.replace(repr(HUGE), "1e400")
    return text.encode("utf-8", "surrogatepass")


PARTICIPANT_VALIDATOR = jsonschema.Draft4Validator(
    SCHEMA["properties"]["data"]["properties"]["participant"]
)


def has_participant(doc: Any) -> bool:
    """Whether the answer holds a participant (else the CLI says what came back, exit 3)."""
    if not isinstance(doc, dict):
        return False
    if not {"data", "success"} & set(doc):  # the bare participant form (DESIGN.md)
        return PARTICIPANT_VALIDATOR.is_valid(doc)
    data = doc.get("data")
    return isinstance(data, dict) and isinstance(data.get("participant"), dict)


def check_response(raw: bytes, directory: Path, section_formats: Sequence[str]) -> None:
    """The contract for one response: the summary in every format, each section in the given
    formats (``json`` prints a section as ``text`` does), the bot's modals; or one clear line."""
    path = directory / "response.json"
    path.write_bytes(raw)
    doc = json.loads(raw)
    if not has_participant(doc):
        code, out, err = run_main(args_for(path, "text", None))
        assert code == 3 and not out
        assert len(err.strip().splitlines()) == 1 and "no participant" in err
        return
    for fmt, section in [(f, None) for f in FORMATS] + [
        (f, section) for section in SECTIONS for f in section_formats
    ]:
        code, out, err = run_main(args_for(path, fmt, section))
        assert code == 0, (fmt, section, err)
        assert_view(fmt, section, out)
    participant = parse_participant(raw)
    for section in SECTIONS:  # the modal the bot would open, too
        view = render_section_view(
            participant, section, assessment=assess(participant), app_id="app", show_ip=False
        )
        assert blockkit_check.check(view, forbid_broadcast=True) == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(RESPONSES, st.booleans(), st.sampled_from(["text", "blocks"]))
def test_any_schema_valid_response_gets_an_answer(
    doc: Any, infinite: bool, section_format: str
) -> None:
    VALIDATOR.validate(doc)
    with tempfile.TemporaryDirectory() as directory:
        check_response(to_bytes(doc, infinite), Path(directory), [section_format])


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(RESPONSES.filter(has_participant), st.booleans())
def test_the_console_script_on_generated_responses(doc: Any, infinite: bool) -> None:
    VALIDATOR.validate(doc)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "response.json"
        path.write_bytes(to_bytes(doc, infinite))
        for fmt, section in (("blocks", "quality"), ("text", "raw")):
            result = run_console(*args_for(path, fmt, section))
            assert result.returncode == 0, result.stderr
            assert_view(fmt, section, result.stdout)


@pytest.mark.parametrize("fixture", REGRESSIONS, ids=[p.stem for p in REGRESSIONS])
def test_regression_fixture(fixture: Path, tmp_path: Path) -> None:
    """A minimised failure once found by the tests above: schema-valid, and answered."""
    raw = fixture.read_bytes()
    VALIDATOR.validate(json.loads(raw))
    check_response(raw, tmp_path, ["text", "blocks"])


def test_the_schema_copy_matches_the_shared_one() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "cloudflare" / OPENAPI.name
    if not shared.exists():
        pytest.skip("no ../shared beside this checkout")
    assert json.loads(shared.read_text()) == json.loads(OPENAPI.read_text())


def test_the_generator_covers_the_schema() -> None:
    """The converted schema still describes the whole participant, and the raw view holds it."""
    participant = SCHEMA["properties"]["data"]["properties"]["participant"]
    report = participant["properties"]["peer_report"]["properties"]
    assert {"metadata", "quality"} <= set(report)
    assert report["metadata"]["properties"]["events"]["items"]["properties"]["timestamp"] == {
        "type": "string",
        "format": TS_FORMAT,
    }
    doc = copy.deepcopy({"success": True, "data": {"participant": {"duration": 1.5e308}}})
    VALIDATOR.validate(doc)
    assert b"1e400" in to_bytes(doc, infinite=True)
    assert strict_json(to_bytes(doc, infinite=False).decode())

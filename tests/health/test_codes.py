"""The finding-code table and the thresholds module document themselves."""

from __future__ import annotations

import ast
import inspect
import re

from bot.health import CODES, codes, thresholds

AREAS = {"device", "network", "quality"}


def test_every_code_constant_is_in_the_table_with_its_area() -> None:
    constants = {
        value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)
    }
    assert constants == set(CODES)
    for code, info in CODES.items():
        area, _, what = code.partition(".")
        assert area in AREAS and info.area == area
        assert re.fullmatch(r"[a-z0-9_]+", what), code
        assert info.meaning.endswith((".", ")")) and len(info.meaning) > 20
        assert set(info.severities.split("|")) <= {"info", "warning", "critical"}


def test_codes_used_in_the_health_modules_are_documented() -> None:
    import bot.health.actions
    import bot.health.churn
    import bot.health.device
    import bot.health.events
    import bot.health.lifecycle
    import bot.health.livestream
    import bot.health.network
    import bot.health.permissions
    import bot.health.platform
    import bot.health.precall
    import bot.health.quality

    for module in (
        bot.health.actions,
        bot.health.churn,
        bot.health.device,
        bot.health.events,
        bot.health.lifecycle,
        bot.health.livestream,
        bot.health.network,
        bot.health.permissions,
        bot.health.platform,
        bot.health.precall,
        bot.health.quality,
    ):
        source = inspect.getsource(module)
        for name in re.findall(r"\bC\.([A-Z_]+)\b", source):
            assert getattr(codes, name) in CODES, name


def test_every_threshold_has_a_comment_naming_its_source() -> None:
    source = inspect.getsource(thresholds)
    lines = source.splitlines()
    tree = ast.parse(source)
    for node in tree.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        name = node.target.id
        # The comment block directly above the constant (or the group it belongs to).
        above = []
        index = node.lineno - 2
        while index >= 0 and (
            lines[index].startswith("#")
            or lines[index].strip().endswith(",")
            or re.match(r"^[A-Z_]+: Final", lines[index])
        ):
            above.append(lines[index])
            index -= 1
        comment = " ".join(line for line in above if line.startswith("#"))
        assert comment, f"{name} has no comment"
        assert re.search(r"\bS\d+\b|heuristic|W3C|ITU|G\.1\d\d|registry|vendor|notes", comment), (
            f"{name}: comment names no source: {comment!r}"
        )


def test_event_thresholds_name_their_source_too() -> None:
    from bot.health import event_thresholds

    source = inspect.getsource(event_thresholds)
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            above = lines[max(0, node.lineno - 4) : node.lineno - 1]
            comment = " ".join(line for line in above if line.startswith("#"))
            assert re.search(r"heuristic|ITU|G\.1\d\d|vendor|notes|issue", comment), node.target.id


def test_every_default_action_is_for_a_documented_code_and_a_sentence() -> None:
    from bot.health.actions import DEFAULT_ACTIONS

    for code, action in DEFAULT_ACTIONS.items():
        assert code in CODES
        assert action.endswith(".") and len(action) > 20

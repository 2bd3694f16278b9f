"""The nine ways a schema-valid Cloudflare answer used to break the CLI, each by name.

Each case runs every format and view in-process through ``main()`` (exit 0, contract shape,
valid Block Kit within its text budget) and the installed ``peer-report`` console script for
the combination that used to fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bot.realtimekit.models import parse_participant
from bot.render.sections import sparkline
from tests.cli_contract import (
    assert_every_view,
    assert_payload,
    assert_view,
    base_report,
    participant_of,
    run_console,
    run_main,
    strict_json,
    write,
)
from tests.test_cli import APP, PEER, FakeApi, live_env, run_cli
from tests.test_cli import fake_api as fake_api  # the loopback Cloudflare fixture

EARLY = "0001-01-01T00:00:00+01:00"  # one hour before the first instant Python can hold in UTC
LATE = "9999-12-31T23:59:59-01:00"  # one hour after the last


def _console_ok(path: Path, *args: str) -> str:
    result = run_console("show", "--file", str(path), "--color", "never", *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def _every_timestamp(doc: Any, value: str) -> int:
    """Set every timestamp-like field anywhere in the document; returns how many."""
    count = 0
    if isinstance(doc, dict):
        for key, item in doc.items():
            if key in ("timestamp", "created_at", "updated_at", "joined_at", "left_at"):
                doc[key] = value
                count += 1
            else:
                count += _every_timestamp(item, value)
    elif isinstance(doc, list):
        count += sum(_every_timestamp(item, value) for item in doc)
    return count


# 1 -------------------------------------------------------------------------------------------


def test_1_timestamps_at_the_edges_of_the_range_never_crash(tmp_path: Path) -> None:
    for edge in (EARLY, LATE):
        doc = base_report()
        assert _every_timestamp(doc, edge) > 30
        path = write(tmp_path / "edge.json", doc)
        assert_every_view(path)
        _console_ok(path, "--section", "events")


def test_1_timestamps_python_cannot_place_sort_last_as_given(tmp_path: Path) -> None:
    doc = base_report()
    metadata = participant_of(doc)["peer_report"]["metadata"]
    metadata["events"][0]["timestamp"] = EARLY
    participant_of(doc)["peer_events"][0]["created_at"] = LATE
    out = _console_ok(write(tmp_path / "r.json", doc), "--section", "events")
    rows = [line for line in out.splitlines() if line.startswith("`")]
    placed = [i for i, row in enumerate(rows) if row.startswith("`+")]
    given = [i for i, row in enumerate(rows) if EARLY in row or LATE in row]
    assert len(given) == 2 and placed
    assert max(placed) < min(given)  # unplaceable times come after every placed one


# 2 -------------------------------------------------------------------------------------------


def test_2_huge_numbers_are_not_measured_and_never_used(tmp_path: Path) -> None:
    doc = base_report()
    participant = participant_of(doc)
    participant["duration"] = 1e307
    quality = participant["peer_report"]["quality"]
    quality["audio_producer_cumulative"]["quality_mos"]["avg"] = 1e307
    quality["audio_producer_cumulative"]["packet_loss"]["avg"] = 1e307
    quality["audio_producer_cumulative"]["rtt"]["avg"] = 1e307
    quality["audio_producer"][0]["packets_sent"] = 1e307
    quality["video_consumer"][0]["bytes_received"] = -5
    pairs = participant["peer_report"]["metadata"]["candidate_pairs"]
    pairs["producing_transport"][0]["current_round_trip_time"] = 1e307
    text = json.dumps(doc).replace("1e+307", "1e400", 2)  # JSON allows it: infinity in Python
    path = tmp_path / "huge.json"
    path.write_text(text)

    parsed = parse_participant(text)
    assert parsed.duration is None
    assert parsed.peer_report and parsed.peer_report.quality
    cumulative = parsed.peer_report.quality.audio_producer_cumulative
    assert cumulative and cumulative.quality_mos and cumulative.quality_mos.avg is None
    assert parsed.not_measured_count == 7

    views = assert_every_view(path)
    assessment = views[("json", None)]
    assert assessment["areas"]["quality"]["metrics"].get("audio_producer_mos") is None
    summary = _console_ok(path)
    assert "7 numbers were beyond any physical meaning" in summary
    assert "in the call" not in summary  # no duration: it was not measured
    for fmt in ("text", "blocks"):
        _console_ok(path, "--format", fmt)


# 3 -------------------------------------------------------------------------------------------


def test_3_unknown_keys_named_like_real_fields_are_never_read(tmp_path: Path) -> None:
    doc = base_report()
    quality = participant_of(doc)["peer_report"]["quality"]
    quality["audio_consumer_cumulative"]["rtt"] = {"avg": {"not": "a number"}}
    quality["audio_consumer_cumulative"]["issues"] = "cpu"
    quality["audio_consumer_cumulative"]["frame_per_second"] = [1, 2]
    quality["audio_consumer"][0]["rtt"] = "fast"
    quality["video_consumer_cumulative"]["rtt"] = {"avg": 999}
    path = write(tmp_path / "unknown.json", doc)
    views = assert_every_view(path)
    out = _console_ok(path, "--section", "quality")
    received = out.split("*Received audio*")[1].split("*Sent camera video*")[0]
    assert "RTT" not in received and "fps" not in received and "999" not in out
    raw = views[("text", "raw")]
    assert participant_of(raw)["peer_report"]["quality"]["audio_consumer"][0]["rtt"] == "fast"


# 4 -------------------------------------------------------------------------------------------


def test_4_mos_at_the_float_extremes_in_sparklines(tmp_path: Path) -> None:
    doc = base_report()
    quality = participant_of(doc)["peer_report"]["quality"]
    for index, row in enumerate(quality["audio_producer"]):
        row["mos_quality"] = (1.7e308, -1.7e308, 4.0)[index % 3]
    quality["audio_producer_cumulative"]["quality_mos"] = {"avg": -1.7e308, "p50": 1.7e308}
    path = write(tmp_path / "mos.json", doc)
    assert_every_view(path)
    out = _console_ok(path, "--section", "quality")
    assert "MOS over time" in out
    # The sparkline itself is total: extremes, infinities and NaN never break it.
    line = sparkline([1.7e308, -1.7e308, 3.0, float("inf"), float("nan"), 1.7e308])
    assert len(line) == 4 and line[0] == "█" and line[1] == "▁"
    assert sparkline([float("nan")]) == ""


# 5 -------------------------------------------------------------------------------------------


def test_5_live_an_answer_without_a_participant_is_an_upstream_failure(
    fake_api: tuple[type[FakeApi], str],
) -> None:
    handler, base = fake_api
    handler.body = b'{"success": true}'
    result = run_cli("show", APP, PEER, env=live_env(base))
    assert result.returncode == 3, result.stderr
    assert b"without a participant" in result.stderr and b"Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_5_an_answer_without_a_participant_says_what_came_back(tmp_path: Path) -> None:
    for body, said in (({"success": True}, '"success": true'), ({"data": {}}, '"data": {}')):
        path = write(tmp_path / "empty.json", body)
        result = run_console("show", "--file", str(path))
        assert result.returncode == 3, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr
        assert "no participant" in lines[0] and said in lines[0]
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"success": tru')  # truly unreadable: still the user's input, exit 2
    result = run_console("show", "--file", str(garbage))
    assert result.returncode == 2 and "not valid JSON" in result.stderr


# 6 -------------------------------------------------------------------------------------------


def test_6_python_names_of_aliased_fields_stay_unknown(tmp_path: Path) -> None:
    doc = base_report()
    loss = participant_of(doc)["peer_report"]["quality"]["audio_consumer_cumulative"]
    loss = loss["packet_loss"]
    loss["ge_5"] = "n/a"
    plain = write(tmp_path / "plain.json", base_report())
    path = write(tmp_path / "ge5.json", doc)
    assert_every_view(path)
    _console_ok(path, "--section", "quality")
    # A numeric impostor is never read as the real 5 % figure either.
    del loss["5_or_greater_event_fraction"]
    loss["ge_5"] = 0.99
    parsed = parse_participant(json.dumps(doc))
    assert parsed.peer_report and parsed.peer_report.quality
    real = parsed.peer_report.quality.audio_consumer_cumulative
    assert real and real.packet_loss and real.packet_loss.ge_5 is None
    assert real.packet_loss.model_extra == {"ge_5": 0.99}
    impostor = write(tmp_path / "impostor.json", doc)
    assert "99%" not in run_main(["show", "--file", str(impostor), "--section", "quality"])[1]
    verdict = [
        strict_json(run_main(["show", "--file", str(p), "--format", "json"])[1])
        for p in (plain, impostor)
    ]
    assert verdict[0]["areas"]["quality"]["status"] == verdict[1]["areas"]["quality"]["status"]


# 7 -------------------------------------------------------------------------------------------


def test_7_raw_view_prints_the_bytes_as_sent(tmp_path: Path) -> None:
    doc = base_report()
    participant = participant_of(doc)
    participant["duration"] = "@DURATION@"
    participant["peer_report"]["quality"]["audio_producer"][0]["packets_lost"] = "@ZERO@"
    participant["brand_new"] = {"count": "@BIG@", "ratio": "@FLOAT@"}
    text = (
        json.dumps(doc)
        .replace('"@DURATION@"', "1e400")
        .replace('"@ZERO@"', "0")
        .replace('"@BIG@"', "123456789012345678901234567890")
        .replace('"@FLOAT@"', "1.50")
    )
    path = tmp_path / "raw.json"
    path.write_text(text)

    def exact(source: str) -> Any:
        return json.loads(source, parse_float=str, parse_int=str)

    for extra in ((), ("--format", "json"), ("--mask-ip",)):
        out = _console_ok(path, "--section", "raw", *extra)
        strict_json(out)  # valid JSON: no Infinity
        assert re.search(r'"duration": 1e400,', out) and '"packets_lost": 0,' in out
        printed = exact(out)
        if "--mask-ip" in extra:
            assert printed.pop("_note").startswith("IP addresses")
            assert "203.0.113.7" not in out
            continue
        assert printed == exact(text)  # every number, key and string exactly as sent


# 8 -------------------------------------------------------------------------------------------


def test_8_every_payload_within_the_text_budget_it_declares(tmp_path: Path) -> None:
    doc = base_report()
    participant = participant_of(doc)
    metadata = participant["peer_report"]["metadata"]
    pair = metadata["candidate_pairs"]["producing_transport"][0]
    metadata["candidate_pairs"]["producing_transport"] = [
        {**pair, "remote_candidate_address": "r" * 2900, "local_candidate_url": "turn:" + "u" * 500}
        for _ in range(30)
    ]
    metadata["events"] = [
        {"name": "e" * 200, "timestamp": "2026-11-24T14:01:00Z", "metadata": {"k": "v" * 900}}
    ] * 30
    quality = participant["peer_report"]["quality"]
    quality["video_producer_cumulative"]["frame_per_second"]["avg"] = 999.99
    quality["video_producer_cumulative"]["frame_width"]["avg"] = 99999.4
    path = write(tmp_path / "long.json", doc)
    views = assert_every_view(path)  # includes the budget and the number width
    for section in ("pairs", "events"):
        payload = views[("blocks", section)]
        assert_payload(payload)
        assert "Next ▶" in json.dumps(
            payload, ensure_ascii=False
        )  # the page buttons survive the cut
    out = _console_ok(path, "--section", "quality", "--format", "blocks")
    assert_view("blocks", "quality", out)
    assert "1000.0 fps" in out and "width 99999px" in out


# 9 -------------------------------------------------------------------------------------------


def test_9_line_breaks_and_control_characters_are_neutralised(tmp_path: Path) -> None:
    forged = "Peer report: Mallory  —  overall GOOD"
    doc = base_report()
    participant = participant_of(doc)
    participant["display_name"] = f"Eve\n{forged}\r\n\x1b[31m\u202e"
    participant["role"] = "host\nQuality: POOR — forged"
    participant["session_id"] = "s\n\x07x"
    metadata = participant["peer_report"]["metadata"]
    metadata["events"][0]["name"] = "reconnect\nEvents — forged"
    metadata["audio_devices_updates"][0]["added"][0]["label"] = "Mic\u2028Device & IP — forged"
    metadata["device_info"]["os"] = "mac\x00OS\x9b"
    path = write(tmp_path / "ctl.json", doc)
    views = assert_every_view(path)
    for (fmt, section), value in views.items():
        if (section == "raw" and fmt != "blocks") or (fmt, section) == ("json", None):
            continue  # data, not text: the raw report and the JSON assessment keep values as is
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        for bad in ("\x1b", "\u202e", "\u2028", "\x00", "\x07", "\x9b", "\r"):
            assert bad not in text, (fmt, section, repr(bad))
        if isinstance(value, str):
            lines = value.splitlines()
            assert not any(line.startswith(forged) for line in lines), (fmt, section)
            assert not any(line.startswith(("Quality: POOR", "Events — forged")) for line in lines)
            assert not any(line.startswith("Device & IP — forged") for line in lines)
        else:
            for obj in _texts(value):
                assert "\n" + forged not in obj
    title = _console_ok(path, "--section", "device").splitlines()[0]
    assert title.startswith("Device & IP — Eve") and forged in title


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) else []

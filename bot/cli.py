"""``peer-report`` command line: ``show``, ``session``, ``demos``, ``serve``, ``check``.

Thin: parse arguments, build Settings once, call the pipeline, print. Exit codes follow
DESIGN.md: 0 done (whatever the verdict), 2 bad input, 3 upstream failure. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.realtimekit.client import FetchedReport

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_UPSTREAM = 3

FORMATS = ("text", "json", "blocks")


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line (its default already uses 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"peer-report: error: {message}\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    from bot.ids import SECTIONS

    parser = _Parser(
        prog="peer-report",
        description="Judge a Cloudflare RealtimeKit participant's peer report.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    show = sub.add_parser("show", help="assess one or more peers (live, --file or --demo)")
    show.add_argument(
        "refs",
        nargs="*",
        metavar="REF",
        help="APP PEER, APP/PEER, a pasted URL, or a bare peer UUID (default app)",
    )
    source = show.add_mutually_exclusive_group()
    source.add_argument("--file", metavar="PATH", help="a saved API response ('-' = stdin)")
    source.add_argument(
        "--demo",
        nargs="?",
        const="",
        metavar="NAME",
        help="a bundled sample (see `peer-report demos`); no token, no network",
    )
    show.add_argument("--app", metavar="APP", help="app ID or alias for bare peer IDs")
    show.add_argument("--format", choices=FORMATS, default="text")
    show.add_argument("--events", action="store_true", help="include peer events (live fetch)")
    show.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME",
        help="ask the API for one section only (device_info, ip_information, events, …)",
    )
    show.add_argument("--section", choices=SECTIONS, help="print one drill-down view")
    show.add_argument("--page", type=int, default=1, help="page of a paginated section")
    show.add_argument("--chart", metavar="OUT.png", help="also write the quality chart")
    privacy = show.add_mutually_exclusive_group()
    privacy.add_argument(
        "--mask-ip",
        action="store_true",
        help="mask IP addresses and city (as in a shared Slack channel); default for blocks",
    )
    privacy.add_argument(
        "--show-ip",
        action="store_true",
        help="full IP addresses and city even in --format blocks (default for text and json)",
    )
    show.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    session = sub.add_parser(
        "session", help="triage a whole call: every participant, and whose connection broke it"
    )
    session.add_argument(
        "refs",
        nargs="*",
        metavar="REF",
        help="[APP] SESSION_ID, or an API URL …/realtime/kit/APP/sessions/SESSION_ID",
    )
    session.add_argument(
        "--demo",
        nargs="?",
        const="",
        metavar="NAME",
        help="a bundled sample session (see `peer-report demos`); no token, no network",
    )
    session.add_argument("--app", metavar="APP", help="app ID or alias when only SESSION is given")
    session.add_argument("--format", choices=FORMATS, default="text")
    session.add_argument(
        "--concurrency", type=_positive, default=8, help="reports fetched at once (default 8)"
    )
    session.add_argument(
        "--max-peers",
        type=_positive,
        default=100,
        help="above this, triage media senders first and a stated sample of the rest",
    )

    sub.add_parser("demos", help="list the bundled sample reports")

    serve = sub.add_parser("serve", help="run the Slack bot (Socket Mode or HTTP)")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server listens
    serve.add_argument("--demo", action="store_true", help="answer from bundled samples")

    sub.add_parser("check", help="check the Cloudflare and Slack configuration live")
    return parser


@dataclass(frozen=True)
class Loaded:
    report: FetchedReport
    app_id: str | None


def _fail(message: str, code: int) -> int:
    print(f"peer-report: {message}", file=sys.stderr)
    return code


def _settings() -> Settings:
    from pydantic import ValidationError

    from bot.config import Settings
    from bot.realtimekit.errors import ConfigurationError

    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise ConfigurationError(f"configuration: {err['msg']}") from None


def _read_file(path: str) -> bytes:
    from bot.realtimekit.errors import BadInputError

    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read {path}: {exc.strerror or exc}") from None


def _local_report(raw: bytes, app_id: str | None, origin: str, *, keep_raw: bool) -> Loaded:
    from datetime import UTC, datetime

    from bot.realtimekit.client import FetchedReport
    from bot.realtimekit.errors import BadInputError, NoParticipantError
    from bot.realtimekit.models import NoParticipantInReport, ReportParseError, parse_participant

    try:
        participant = parse_participant(raw)
    except NoParticipantInReport as exc:  # what the API said, not the user's mistake: exit 3
        raise NoParticipantError(f"{origin}: {exc}") from None
    except ReportParseError as exc:
        raise BadInputError(f"{origin}: {exc}") from None
    report = FetchedReport(
        participant=participant,
        raw=raw if keep_raw else b"",
        fetched_at=datetime.now(UTC),
        app_id=app_id or "",
        peer_id=participant.id or "",
    )
    return Loaded(report, app_id)


def _load_local(args: argparse.Namespace, settings: Settings) -> Loaded | None:
    """The report of ``--demo`` or ``--file`` (no event loop needed), else None."""
    from bot.ids import EXAMPLE_APP as DEMO_APP
    from bot.ids import validate_app_id
    from bot.realtimekit.errors import BadInputError
    from bot.samples import DEFAULT_SAMPLE, load_sample_bytes

    app = validate_app_id(args.app, settings.realtimekit_apps) if args.app else None
    default_app = app or settings.realtimekit_app_id
    # Only the raw view shows the bytes as sent; otherwise they are dropped once parsed.
    keep_raw = args.section == "raw"
    if args.demo is not None:
        name = args.demo or DEFAULT_SAMPLE
        try:
            raw = load_sample_bytes(name)
        except ValueError as exc:
            raise BadInputError(str(exc)) from None
        return _local_report(raw, default_app or DEMO_APP, f"sample {name}", keep_raw=keep_raw)
    if args.file is not None:
        if args.refs:
            raise BadInputError("give either --file or peer references, not both")
        return _local_report(_read_file(args.file), default_app, args.file, keep_raw=keep_raw)
    return None


async def _load_live(args: argparse.Namespace, settings: Settings, into: list[Loaded]) -> None:
    """Fetch every peer the command names, in order, appending to ``into``.

    The reports go out through ``into``, not as the coroutine's result: ``asyncio.run`` on
    Python 3.11 formats the main task's repr (result included) when it restores the SIGINT
    handler, which for a big parsed report costs seconds.
    """
    from bot.ids import parse_refs, validate_app_id
    from bot.realtimekit.errors import BadInputError

    aliases = settings.realtimekit_apps
    app = validate_app_id(args.app, aliases) if args.app else None
    default_app = app or settings.realtimekit_app_id
    if not args.refs:
        raise BadInputError("no peer given: pass APP PEER, a URL, --file PATH or --demo")

    parsed = parse_refs(
        " ".join(args.refs), default_app=default_app, aliases=aliases, allow_section=False
    )
    from bot.cache import MemoryReportCache
    from bot.realtimekit.client import RealtimeKitClient
    from bot.service import LiveSource

    source = LiveSource(
        RealtimeKitClient.from_settings(settings), MemoryReportCache(ttl=settings.cache_ttl)
    )
    try:
        for ref in parsed.refs:
            report = await source.fetch(
                ref.app_id,
                ref.peer_id,
                include_peer_events=args.events or args.section == "events",
                filters=args.filter,
            )
            into.append(Loaded(report, ref.app_id))
    finally:
        await source.aclose()


def _emit(args: argparse.Namespace, loaded: list[Loaded]) -> None:
    from bot.health import assess

    outputs: list[Any] = []
    texts: list[str] = []
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    # A terminal is the requester's own screen; a Slack payload goes where others may see it.
    show_ip = args.show_ip or (not args.mask_ip and args.format != "blocks")
    for item in loaded:
        participant = item.report.participant
        app_id = item.app_id or ""
        assessment = assess(participant, app_id=item.app_id)
        if args.section:
            from bot.render.sections import render_section_blocks, render_section_text

            if args.format == "blocks":
                outputs.append(
                    render_section_blocks(
                        participant,
                        args.section,
                        assessment=assessment,
                        app_id=app_id,
                        show_ip=show_ip,
                        page=args.page,
                        raw=item.report.raw,
                        peer_id=item.report.peer_id or None,
                    )
                )
            else:
                texts.append(
                    render_section_text(
                        participant,
                        args.section,
                        assessment=assessment,
                        show_ip=show_ip,
                        raw=item.report.raw,
                    )
                )
        elif args.format == "json":
            outputs.append(assessment.model_dump(mode="json"))
        elif args.format == "blocks":
            from bot.render.summary import render_summary

            outputs.append(
                render_summary(
                    participant,
                    assessment,
                    app_id=app_id,
                    peer_id=item.report.peer_id or None,
                    show_ip=show_ip,
                )
            )
        else:
            from bot.render.text import render_text

            texts.append(render_text(participant, assessment, color=color, show_ip=show_ip))
        if args.chart:
            from bot.render.chart import render_chart_png

            Path(args.chart).write_bytes(render_chart_png(participant))
    if texts:
        sys.stdout.write("\n\n".join(t.rstrip("\n") for t in texts) + "\n")
    if outputs:
        document = outputs[0] if len(outputs) == 1 else outputs
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _cmd_show(args: argparse.Namespace) -> int:
    settings = _settings()
    local = _load_local(args, settings)
    loaded: list[Loaded] = []
    if local is not None:
        loaded.append(local)
    else:
        asyncio.run(_load_live(args, settings, loaded))
    _emit(args, loaded)
    return EXIT_OK


def _cmd_demos() -> int:
    from bot.samples import DEFAULT_SAMPLE, SAMPLE_DESCRIPTIONS, sample_names
    from bot.samples.sessions import DEFAULT_SESSION, SESSION_DESCRIPTIONS, session_names

    width = max(len(n) for n in [*sample_names(), *session_names()])
    for name in sample_names():
        mark = " (default)" if name == DEFAULT_SAMPLE else ""
        print(f"{name:<{width}}  {SAMPLE_DESCRIPTIONS.get(name, '')}{mark}")
    print("\nWhole-call sessions (peer-report session --demo NAME):")
    for name in session_names():
        mark = " (default)" if name == DEFAULT_SESSION else ""
        print(f"{name:<{width}}  {SESSION_DESCRIPTIONS.get(name, '')}{mark}")
    return EXIT_OK


async def _session(args: argparse.Namespace, settings: Settings) -> Any:
    from bot.ids import EXAMPLE_APP as DEMO_APP
    from bot.ids import SessionRef, parse_session_ref, validate_app_id
    from bot.realtimekit.errors import BadInputError
    from bot.triage.sources import Backend, demo_backend, run_triage

    aliases = settings.realtimekit_apps
    app = validate_app_id(args.app, aliases) if args.app else None
    default_app = app or settings.realtimekit_app_id
    if args.demo is not None:
        if args.refs:
            raise BadInputError("give either --demo or a session, not both")
        from bot.samples.sessions import DEFAULT_SESSION, session_id_of

        name = args.demo or DEFAULT_SESSION
        try:
            backend = demo_backend(name=name)
            ref = SessionRef(default_app or DEMO_APP, session_id_of(name))
        except ValueError as exc:
            raise BadInputError(str(exc)) from None
        return await run_triage(
            backend, ref, concurrency=args.concurrency, max_peers=args.max_peers
        )
    if not args.refs:
        raise BadInputError("no session given: pass [APP] SESSION_ID, a session URL or --demo")
    ref = parse_session_ref(
        " ".join(args.refs), default_app=default_app, aliases=aliases, require_word=False
    )
    from bot.cache import MemoryReportCache
    from bot.realtimekit.client import RealtimeKitClient
    from bot.service import LiveSource

    client = RealtimeKitClient.from_settings(settings)
    source = LiveSource(client, MemoryReportCache(ttl=settings.cache_ttl))

    async def fetch(app_id: str, peer_id: str) -> FetchedReport:
        return await source.fetch(app_id, peer_id, include_peer_events=True)

    try:
        return await run_triage(
            Backend(client, fetch, client.rate_gate),
            ref,
            concurrency=args.concurrency,
            max_peers=args.max_peers,
        )
    finally:
        await source.aclose()


def _cmd_session(args: argparse.Namespace) -> int:
    triage = asyncio.run(_session(args, _settings()))
    if args.format == "json":
        document: Any = triage.as_json()
    elif args.format == "blocks":
        from bot.render.session import render_session_blocks

        document = render_session_blocks(triage)
    else:
        from bot.render.session import render_session_text

        sys.stdout.write(render_session_text(triage))
        return EXIT_OK
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from bot.slack.server import serve

    return serve(_settings(), port=args.port, host=args.host, demo=args.demo)


def _cmd_check() -> int:
    from bot.setup_check import check_setup, format_checks

    checks = asyncio.run(check_setup(_settings()))
    print(format_checks(checks))
    return EXIT_OK if all(c.ok for c in checks) else EXIT_UPSTREAM


def main(argv: Sequence[str] | None = None) -> int:
    from bot.ids import IdError
    from bot.realtimekit.errors import PeerReportError

    args = build_parser().parse_args(argv)
    try:
        if args.command == "show":
            return _cmd_show(args)
        if args.command == "demos":
            return _cmd_demos()
        if args.command == "session":
            return _cmd_session(args)
        if args.command == "serve":
            return _cmd_serve(args)
        return _cmd_check()
    except IdError as exc:
        return _fail(str(exc), EXIT_BAD_INPUT)
    except PeerReportError as exc:
        return _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())

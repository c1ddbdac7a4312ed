"""The `griddesk` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.logs import setup_logging
from bot.settings import ConfigError, Settings, StartupError, load_settings
from handlers.parsing.linear import ModelError

log = logging.getLogger(__name__)


def _settings(path: str | None) -> Settings:
    return load_settings(path)


def cmd_check_config(args: argparse.Namespace) -> int:
    settings = _settings(args.config)
    d = settings.directory()
    print(
        f"OK: {settings.street.name}, {len(d.communities)} communities, {len(d.grids)} grids, "
        f"{sum(len(g.buildings) for g in d.grids.values())} buildings, {len(d.staff)} staff, "
        f"{len(d.chats)} chats"
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if args.serve:  # issue 11: then open the web desk on the replayed morning
        from bot.demo_serve import serve_demo

        return serve_demo(_settings(args.config), args.host, args.port)
    from bot.demo import run_demo

    return run_demo(_settings(args.config))


def cmd_parse(args: argparse.Namespace) -> int:
    from bot.parse_command import run_parse
    from handlers.desk import Desk
    from handlers.parsing.staff_intent import default_staff_reader
    from handlers.parsing.understanding import default_understanding

    settings = _settings(args.config)
    default_staff_reader() if args.staff else default_understanding()  # a bad model file stops here
    desk = Desk(settings.directory())
    contexts = {}
    for chat in settings.chats:
        # a chat is named by its id, or for a WeChat room configured by topic, the topic
        key = chat.id or chat.topic
        if key:
            contexts[key] = desk.parse_context(chat.platform, chat.id or "", chat.topic)
    default = desk.parse_context("", "")
    return run_parse(sys.stdin, sys.stdout, lambda chat: contexts.get(chat or "", default), args.staff)


def cmd_train(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.training import run_train
    from handlers.parsing.staff_intent import STAFF_MODEL
    from handlers.parsing.understanding import RESIDENTS_MODEL

    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("griddesk train needs scikit-learn: pip install -e '.[train]'", file=sys.stderr)
        return 2
    data = Path(args.data) if args.data else Path(__file__).resolve().parent.parent / "data"
    out = Path(args.out) if args.out else RESIDENTS_MODEL
    staff_out = Path(args.staff_out) if args.staff_out else STAFF_MODEL
    corrections = Path(args.with_corrections) if args.with_corrections else None
    if corrections is not None and not corrections.is_file():
        print(f"no such corrections file: {corrections}", file=sys.stderr)
        return 2
    return run_train(data, out, staff_out, corrections, seed=args.seed, cv=not args.no_cv)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.database import make_engine, upgrade

    settings = _settings(args.config)
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    print(f"database at newest schema: {engine.url.render_as_string(hide_password=True)}")
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from bot.interactive import run_console

    return run_console(_settings(args.config), args.chat, args.as_person)


def cmd_run(args: argparse.Namespace) -> int:
    from bot.serve import serve

    return serve(_settings(args.config), announce=lambda line: print(line, flush=True))


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.doctor import run_doctor

    return run_doctor(_settings(args.config))


def cmd_replay_dead(args: argparse.Namespace) -> int:
    from bot.doctor import run_replay_dead

    return run_replay_dead(_settings(args.config), args.ids)


def cmd_corrections_export(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from storage.corrections import labelled_examples
    from storage.database import make_engine, session_scope

    settings = _settings(args.config)
    since = None
    if args.since:
        try:
            day = datetime.strptime(args.since, "%Y-%m-%d").date()
        except ValueError:
            print(f"--since needs a date like 2026-11-01, not {args.since!r}", file=sys.stderr)
            return 2
        since = datetime.combine(day, time(0), ZoneInfo(settings.timezone))
    engine = make_engine(settings.resolved_database_url)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    count = 0
    try:
        with session_scope(engine) as session:
            for example in labelled_examples(session, since):
                out.write(json.dumps(example, ensure_ascii=False) + "\n")
                count += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"{count} corrections exported", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="griddesk", description="GridDesk 网格前台")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--config", help="config file (default: the bundled sample config.yaml)")
        p.set_defaults(handler=handler)
        return p

    p = add("check-config", cmd_check_config, "validate a config file")
    p.add_argument("file", nargs="?", help="config file to check")
    p = add("demo", cmd_demo, "replay a bundled morning in three building groups, then its report (no tokens, no servers)")
    p.add_argument("--serve", action="store_true", help="then serve the web desk on it (issue 11)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p = add("parse", cmd_parse, "JSON lines in, one parse result per line out")
    p.add_argument("--staff", action="store_true", help="read staff replies (intent) instead of residents' messages")
    p = sub.add_parser("train", help="train the understanding models from the labelled data")
    p.add_argument("--data", help="labelled data directory with corpus/, staff/, blind/ (default: data/)")
    p.add_argument("--out", help="residents' model file (default: the bundled one)")
    p.add_argument("--staff-out", help="staff replies' model file (default: the bundled one)")
    p.add_argument("--with-corrections", help="JSONL of staff corrections (griddesk corrections export)")
    p.add_argument("--seed", type=int, default=20261126)
    p.add_argument("--no-cv", action="store_true", help="skip cross-validation (faster)")
    p.set_defaults(handler=cmd_train)
    p = add("console", cmd_console, "type as a resident or worker in a chat")
    p.add_argument("--chat", required=True, help="console chat id from the config, or 'private'")
    p.add_argument("--as", dest="as_person", required=True, help="who you are (a name)")
    add("run", cmd_run, "run the bot on the configured platforms")
    corrections = sub.add_parser("corrections", help="staff corrections as training data")
    corrections_sub = corrections.add_subparsers(dest="corrections_command", required=True)
    export = corrections_sub.add_parser("export", help="write corrections as JSONL (griddesk parse format)")
    export.add_argument("--config")
    export.add_argument("--since", help="only corrections from this date on (YYYY-MM-DD)")
    export.add_argument("--out", help="output file (default: standard output)")
    export.set_defaults(handler=cmd_corrections_export)
    add("doctor", cmd_doctor, "health: dead letters, outbox backlog, last messages, late timers "
        "(exit 1 if something needs a look)")
    p = add("replay-dead", cmd_replay_dead, "handle dead letters again (all, or the ids given)")
    p.add_argument("ids", nargs="*", type=int, help="dead letter ids (see griddesk doctor)")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="migrate the database to the newest schema")
    up.add_argument("--config")
    up.set_defaults(handler=cmd_db_upgrade)
    from bot import office_cli, replay_cli  # issue 11: web, export, staff; issue 12: replay

    office_cli.register(sub, add)
    replay_cli.register(sub, add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "file", None):
        args.config = args.file
    setup_logging(args.verbose)
    try:
        return int(args.handler(args))
    except ConfigError as exc:
        print(f"配置错误 / config error: {exc}", file=sys.stderr)
        return 2
    except StartupError as exc:
        print(f"无法启动 / cannot start: {exc}", file=sys.stderr)
        return 2
    except ModelError as exc:
        print(f"模型错误 / model error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

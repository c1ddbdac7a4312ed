"""The office's commands: ``griddesk web``, ``login-link``, ``export`` and ``staff``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.settings import ConfigError, Settings, load_settings
from handlers.onboarding import LOGIN_LINK_MINUTES, login_url

Add = Callable[[str, Any, str], argparse.ArgumentParser]


def _now(settings: Settings) -> datetime:
    return datetime.now(ZoneInfo(settings.timezone))


def _engine(settings: Settings) -> Any:
    from bot.bootstrap import open_storage

    return open_storage(settings.resolved_database_url)


def _person(settings: Settings, staff_id: str) -> str:
    known = {s.id for s in settings.staff}
    if staff_id not in known:
        raise ConfigError(f"staff: no staff member with id {staff_id!r} (known: {', '.join(sorted(known))})")
    return staff_id


def cmd_web(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.web.app import create_app

    settings = load_settings(args.config)
    app = create_app(settings, _engine(settings), lambda: _now(settings))
    print(f"GridDesk 工作台: http://{args.host}:{args.port}/ (links point at {settings.web.base_url})")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", proxy_headers=True)
    return 0


def issue_login_link(settings: Settings, engine: Any, staff_id: str, now: datetime, by: str) -> str:
    from storage.database import session_scope
    from storage.staff_binding import audit
    from storage.staff_binding import issue_login_link as issue

    with session_scope(engine) as session:
        token = issue(session, staff_id, now, timedelta(minutes=LOGIN_LINK_MINUTES))
        audit(session, by, "login_link", staff_id, "issued by an administrator", now)
    return login_url(settings.web.base_url, token)


def cmd_login_link(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    staff_id = _person(settings, args.staff_id)
    print(issue_login_link(settings, _engine(settings), staff_id, _now(settings), "admin:cli"))
    return 0


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-23, got {value!r}") from None


def cmd_export(args: argparse.Namespace) -> int:
    from bot.web.export import MAX_DAYS, export_handover
    from bot.web.office import digest_scope_of
    from storage.database import session_scope
    from storage.staff_binding import audit

    settings = load_settings(args.config)
    first, last = args.date_from, args.date_to or args.date_from
    if last < first or (last - first).days >= MAX_DAYS:
        print(f"--from must not be after --to, and at most {MAX_DAYS} days", file=sys.stderr)
        return 2
    directory = settings.directory()
    person = directory.staff[_person(settings, args.as_staff)] if args.as_staff else None
    scope = digest_scope_of(person, directory) if person else None
    now = _now(settings)
    with session_scope(_engine(settings)) as session:
        data, count = export_handover(session, directory, person, scope, first, last,
                                      ZoneInfo(settings.timezone), now,
                                      frozenset(settings.web.personal_data_roles))
        audit(session, args.as_staff or "admin:cli", "export", f"{first}..{last}",
              f"{count} rows to {args.out}", now)
    Path(args.out).write_bytes(data)
    print(f"{count} 件工单 → {args.out}")
    return 0


def cmd_staff(args: argparse.Namespace) -> int:
    from storage.database import session_scope
    from storage.staff_binding import bindings_of, issue_binding_code, pending_codes, unbind

    settings = load_settings(args.config)
    now = _now(settings)
    engine = _engine(settings)
    if args.staff_command == "invite":
        staff_id = _person(settings, args.staff_id)
        with session_scope(engine) as session:
            code = issue_binding_code(session, staff_id, "admin:cli", now)
        print(f"{code}  (请本人私聊网格前台发送“绑定 {code}”,72小时内有效)")
        return 0
    if args.staff_command == "unbind":
        staff_id = _person(settings, args.staff_id)
        with session_scope(engine) as session:
            removed = unbind(session, staff_id, args.platform, "admin:cli", now)
        print(f"unbound {removed} identit{'y' if removed == 1 else 'ies'} of {staff_id}")
        return 0
    with session_scope(engine) as session:
        codes = pending_codes(session, now)
        for person in settings.staff:
            bound = ", ".join(f"{b.platform}:{b.user_id}" for b in bindings_of(session, person.id))
            configured = ", ".join(f"{p}:{u}" for p, u in person.identities.items())
            code = f"  pending code {codes[person.id].code}" if person.id in codes else ""
            print(f"{person.id:16} {person.name:6} configured [{configured}] bound [{bound}]{code}")
    return 0


def register(sub: Any, add: Add) -> None:
    """Called by bot.cli.build_parser (issue 11)."""
    p = add("web", cmd_web, "serve the web desk for staff and leaders")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p = add("login-link", cmd_login_link, "print a one-time web login link for a staff member")
    p.add_argument("staff_id")
    p = add("export", cmd_export, "write the 问题交接单 (handover sheet) as an Excel workbook")
    p.add_argument("--from", dest="date_from", type=_day, required=True, help="first day, 2026-11-23")
    p.add_argument("--to", dest="date_to", type=_day, help="last day (default: --from)")
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--as", dest="as_staff", help="export as this staff member sees it (default: everything)")
    staff = sub.add_parser("staff", help="bind staff to their chat accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    for name, help_text in (("invite", "issue a six-digit binding code"),
                            ("unbind", "remove identities bound through the chat"),
                            ("list", "who is bound where")):
        q = staff_sub.add_parser(name, help=help_text)
        q.add_argument("--config")
        if name != "list":
            q.add_argument("staff_id")
        if name == "unbind":
            q.add_argument("--platform", choices=["telegram", "wechat", "console"])
        q.set_defaults(handler=cmd_staff)

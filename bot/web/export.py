"""Building the 问题交接单 workbook for a person (web) or an administrator (CLI)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.web.workbook import handover_workbook
from handlers.digest_build import DigestScope, build_digest
from handlers.directory import Directory, Role, Staff
from handlers.handover import handover_row
from handlers.office import TicketScope, may_see_personal, scope_of
from storage.digest import digest_facts
from storage.web_queries import return_visits, tickets_between

MAX_DAYS = 366


def export_handover(session: Session, directory: Directory, person: Staff | None,
                    digest_scope: DigestScope | None, first: date, last: date, tz: ZoneInfo,
                    now: datetime, personal_roles: frozenset[Role]) -> tuple[bytes, int]:
    """The workbook and its row count; ``person`` None means an administrator (everything)."""
    start = datetime.combine(first, time(), tz)
    end = datetime.combine(last + timedelta(days=1), time(), tz)
    scope = scope_of(person, directory) if person is not None else TicketScope(everything=True)
    tickets = tickets_between(session, scope, start, end)
    visits = return_visits(session, [t.id for t in tickets if t.id is not None])

    def personal(t_community: str, t_grid: str | None, t_assignee: str | None) -> bool:
        return person is None or may_see_personal(person, directory, t_community, t_grid,
                                                  t_assignee, personal_roles)

    rows = [handover_row(t, visits.get(t.id or 0, []), directory,
                         personal(t.community, t.grid, t.assignee), now,
                         lambda d: d.astimezone(tz))
            for t in tickets]
    scope_for_rates = digest_scope or DigestScope(directory.street_name)
    digest = build_digest(digest_facts(session, scope_for_rates, start, min(end, now), now),
                          scope_for_rates, start, min(end, now), now, directory)
    title = f"{scope_for_rates.name} {first:%Y-%m-%d} 至 {last:%Y-%m-%d} 三率(按网格)"
    summary = [*digest.by_grid, replace(digest.totals, name="合计")]
    return handover_workbook(rows, summary, title), len(rows)

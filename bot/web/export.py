"""Building the 问题交接单 workbook for a person (web) or an administrator (CLI)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.web.workbook import handover_workbook
from handlers.digest_build import DigestFacts, DigestScope, TicketFacts, build_digest
from handlers.directory import Directory, Role, Staff
from handlers.handover import handover_row
from handlers.office import TicketScope, may_see_personal, scope_of
from handlers.tickets import Ticket
from storage.web_queries import return_visits, tickets_between

MAX_DAYS = 366


def facts_of(t: Ticket) -> TicketFacts:
    assert t.id is not None and t.code is not None
    return TicketFacts(t.id, t.code, t.community, t.grid, t.building, t.category.value,
                       t.status.value, t.assignee, t.escalation_level, t.rating, t.created_at,
                       t.acknowledged_at, t.resolved_at, t.rated_at, t.ack_due, t.resolve_due)


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
    # The summary counts the sheet's own tickets, so its figures add up to its rows.
    scope_for_rates = digest_scope or DigestScope(directory.street_name)
    facts = DigestFacts(active=[facts_of(t) for t in tickets],
                        escalated={t.id for t in tickets if t.id is not None and t.escalation_level})
    until = max(min(end, now), start)
    digest = build_digest(facts, scope_for_rates, start, until, now, directory)
    title = f"{scope_for_rates.name} {first:%Y-%m-%d} 至 {last:%Y-%m-%d} 三率(按网格)"
    summary = [*digest.by_grid, replace(digest.totals, name="合计")]
    return handover_workbook(rows, summary, title), len(rows)

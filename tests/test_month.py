"""A month replayed through the console: residents post every day (weekends and
National Day included), workers sometimes forget; the weekly digests must match
figures worked out from the plan below."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.bootstrap import build_desk
from tests.console_bot import ConsoleBot
from tests.factories import SHANGHAI
from tests.test_conversation import keyword_parser
from tests.test_digest import digest_of

FIRST_DAY = datetime(2026, 9, 28, tzinfo=SHANGHAI)  # Monday; Oct 1–7 holiday, Oct 10 调休
DAYS = 28


def plan(day: int) -> dict[str, bool]:
    """What happens to the ticket posted on day ``day`` (an urgent burst pipe at 09:00)."""
    return {
        "ack_late": day % 3 == 0,        # acknowledged after 45 min (deadline 30 min)
        "resolve_late": day % 4 == 0,    # fixed after 30 h (deadline 24 h) instead of 5 h
        "dissatisfied": day % 5 == 0,    # rated 不满意 (else 满意) an hour after the fix
    }


@pytest.fixture
def month(settings, engine) -> ConsoleBot:  # type: ignore[no-untyped-def]
    bot = ConsoleBot(build_desk(settings, parse=keyword_parser), engine, FIRST_DAY)
    events: list[tuple[datetime, int, str]] = []
    for day in range(DAYS):
        start = FIRST_DAY + timedelta(days=day, hours=9)
        p = plan(day)
        events.append((start, day, "post"))
        events.append((start + timedelta(minutes=45 if p["ack_late"] else 10), day, "ack"))
        fixed = start + timedelta(hours=30 if p["resolve_late"] else 5)
        events.append((fixed, day, "resolve"))
        events.append((fixed + timedelta(hours=1), day, "rate"))
    for when, day, what in sorted(events):
        bot.at(when)  # the scheduler's tick: reminders, overdue notices, escalations
        building = 1 + day % 4  # 王芳's grid; no two open pipes in one building
        reporter = f"居民{day}"
        code = day + 1
        if what == "post":
            bot.say("jl-3", reporter, f"{building}号楼水管爆了", at=when)
        elif what == "ack":
            bot.say("王芳", "王芳", f"#{code} 收到", private=True, at=when)
        elif what == "resolve":
            bot.say("王芳", "王芳", f"#{code} 已解决 换了管子", private=True, at=when)
        else:
            bot.say("jl-3", reporter, "不满意" if plan(day)["dissatisfied"] else "满意", at=when)
    return bot


def expected_week(first: int) -> dict[str, int]:
    """Figures for the week whose Monday is day ``first``, from the plan."""
    days = range(first, first + 7)
    # fixed in the week (a late fix of the previous Sunday's ticket lands on Monday)
    fixed_in_week = [d for d in range(first - 1, first + 7) if d >= 0 and
                     first <= d + (1.25 if plan(d)["resolve_late"] else 0.21) < first + 7]
    return {
        "new": 7,
        "acknowledged": 7,
        "response_ok": sum(not plan(d)["ack_late"] for d in days),
        # 不满意 reopens: that fix no longer counts as resolved, and the fresh deadline
        # (24 h after the rating) passes in the same week unmet
        "resolved": sum(not plan(d)["dissatisfied"] for d in fixed_in_week),
        "resolution_total": len(fixed_in_week),
        "resolution_ok": sum(not plan(d)["resolve_late"] and not plan(d)["dissatisfied"]
                             for d in fixed_in_week),
        "rated": len(fixed_in_week),
        "satisfied": sum(not plan(d)["dissatisfied"] for d in fixed_in_week),
    }


def test_weekly_digests_over_a_month_match_the_plan(month):
    for week in range(1, 4):  # the Mondays Oct 5, 12, 19 report the weeks before
        monday = FIRST_DAY + timedelta(days=7 * week, hours=8)
        t = digest_of(month, "li_hongmei", monday, weekly=True).totals
        want = expected_week(7 * (week - 1))
        got = {
            "new": t.new, "acknowledged": t.acknowledged, "response_ok": t.response.ok,
            "resolved": t.resolved, "resolution_total": t.resolution.total,
            "resolution_ok": t.resolution.ok, "rated": t.satisfaction.total,
            "satisfied": t.satisfaction.ok,
        }
        assert got == want, f"week from {monday - timedelta(days=7):%m-%d}"


def test_dissatisfied_reopened_and_late_fixes_escalated(month):
    # 不满意 reopened them, nobody fixed them again, so their fresh deadline escalated them
    reopened = [d for d in range(DAYS) if plan(d)["dissatisfied"]]
    assert {month.ticket(d + 1).status.value for d in reopened} == {"escalated"}
    assert {month.ticket(d + 1).rating for d in reopened} == {"dissatisfied"}
    late = [d for d in range(DAYS) if plan(d)["resolve_late"]]
    assert all(month.ticket(d + 1).escalation_level >= 1 for d in late)
    fine = [d for d in range(DAYS) if not plan(d)["resolve_late"] and not plan(d)["dissatisfied"]]
    assert {month.ticket(d + 1).status.value for d in fine} == {"closed"}
    assert all(month.ticket(d + 1).escalation_level == 0 for d in fine)

"""The report of a replay: what the bot would have done with the office's history,
as figures a street office is judged by. Built from what the replay left in the
database and from the journal of deliveries; ``replay_report_text`` prints it.

No resident's name, phone or room is in it: tickets are named by code, category,
grid and building, staff by name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.replay import ReplayRun
from bot.replay_checks import (
    WAITING,
    Check,
    Evidence,
    Timeline,
    check_deadlines,
    check_emergencies,
    check_follow_up,
    check_receipts,
)
from bot.replay_input import History
from bot.replay_journal import Delivered, Posted
from bot.replay_transcript import ChatNames
from bot.settings import Settings
from handlers.cards import CardStatus
from handlers.categories import CATEGORY_LABELS, URGENCY_LABELS
from handlers.digest import GroupFigures, RateCounts
from handlers.digest_build import DigestScope, build_digest
from handlers.directory import Directory
from handlers.tickets import OPEN_STATUSES, STATUS_LABELS, Status, Ticket
from handlers.timers import DueKind
from schedules.sla import Unit, parse_duration
from storage.database import session_scope
from storage.replay_queries import ReplayFacts, replay_facts
from storage.repository import SqlTicketStore

_UNITS = {Unit.MINUTES: "分钟", Unit.HOURS: "小时", Unit.DAYS: "天", Unit.WORKING_HOURS: "个工作小时",
          Unit.WORKING_DAYS: "个工作日"}
RATINGS = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}
FOLLOW_UPS = (
    (DueKind.ACK_REMINDER, "接单提醒"), (DueKind.ACK_OVERDUE, "接单超时通知"),
    (DueKind.ACK_REASSIGN, "备岗接手"), (DueKind.ACK_GRID_LEADER, "超时未接单告知网格长"),
    (DueKind.RESOLVE_REMINDER, "办结提醒"), (DueKind.RESOLVE_OVERDUE, "超时未办结上报社区"),
    (DueKind.RESOLVE_OVERDUE_STREET, "超时未办结上报街道"), (DueKind.RETURN_VISIT, "回访任务"),
    (DueKind.RATING_REMINDER, "评价提醒"),
)


def _duration(text: str) -> str:
    d = parse_duration(text)
    return f"{d.amount:g}{_UNITS[d.unit]}"


def rate_definitions(settings: Settings) -> dict[str, str]:
    sla = settings.sla
    ack = "、".join(f"{URGENCY_LABELS[u]}{_duration(s.acknowledge)}" for u, s in sla.items())
    fix = "、".join(f"{URGENCY_LABELS[u]}{_duration(s.resolve)}" for u, s in sla.items())
    return {
        "response": f"这段时间新登记的工单中,在接单时限内有了答复(工作人员回“收到”接单,或者直接办好)的比例。"
                    f"接单时限:{ack}。",
        "resolution": f"这段时间办结的工单,加上办结时限已过还没办结的工单,其中在时限内办结的比例。办结时限:{fix}。"
                      "居民评“不满意”的,工单重新打开,那次办结不算。",
        "satisfaction": "这段时间收到的评价中,“满意”和“基本满意”的比例;过期没评价的不算。"
                        "评“不满意”的工单重新处理后请居民再评,一件工单只算最后一次评价。",
        "common": "误报、不是诉求、居民撤销、合并到别的工单的,都不计入三率。口径与每天的日报相同。",
    }


def _rate(c: RateCounts) -> dict[str, Any]:
    return {"ok": c.ok, "total": c.total, "rate": round(c.rate, 4) if c.rate is not None else None}


def _rates(g: GroupFigures) -> dict[str, Any]:
    return {"name": g.name, "new": g.new, "response": _rate(g.response),
            "resolution": _rate(g.resolution), "satisfaction": _rate(g.satisfaction)}


@dataclass
class _Context:
    settings: Settings
    directory: Directory
    tz: ZoneInfo
    run: ReplayRun
    facts: ReplayFacts
    evidence: Evidence
    timelines: dict[int, Timeline]

    def when(self, at: datetime | None) -> str | None:
        return at.astimezone(self.tz).isoformat(timespec="minutes") if at else None

    def name(self, staff_id: str | None) -> str:
        person = self.directory.staff.get(staff_id or "")
        if person is None:
            return "未指定"
        return person.name + ("(休假)" if person.on_leave else "")

    def grid(self, code: str | None) -> str:
        grid = self.directory.grids.get(code or "")
        return grid.name if grid else "未分网格"


def _lines(ctx: _Context, history: History) -> tuple[dict[str, Any], list[tuple[Posted, str, Ticket | None]]]:
    """How each resident's line ended: opened a ticket, joined one, became a card, or nothing."""
    f = ctx.facts
    by_source = {(t.platform, t.chat_id, t.source_message_id): t for t in f.tickets}
    by_id = {t.id: t for t in f.tickets}
    cards = {(c.platform, c.chat_id, c.message_id): c for c in f.cards}
    outcomes: list[tuple[Posted, str, Ticket | None]] = []
    for entry in ctx.run.journal.entries:
        if not isinstance(entry, Posted) or entry.line.staff_id is not None:
            continue
        key = (entry.platform, entry.chat_id, entry.line.message_id)
        card, ticket = cards.get(key), by_source.get(key)
        if card is not None:
            outcomes.append((entry, f"card_{card.status.value}", by_id.get(card.ticket_id)))
        elif ticket is not None:
            opened_now = ticket.created_at - entry.line.at <= timedelta(seconds=59)
            outcomes.append((entry, "opened" if opened_now else "filed_later", ticket))
        elif key in f.links:
            outcomes.append((entry, "joined", by_id.get(f.links[key])))
        else:
            outcomes.append((entry, "other", None))
    counts = Counter(outcome for _, outcome, _ in outcomes)
    staff_lines = sum(1 for line in history.lines if line.staff_id is not None)
    summary = {
        "read": len(history.lines) + len(history.skipped),
        "replayed": len(history.lines),
        "skipped": [{"line": s.number, "reason": s.reason} for s in history.skipped],
        "errors": [{"line": n, "error": e} for n, e in ctx.run.journal.errors],
        "notices": [{"line": n, "notice": text} for n, text in ctx.run.journal.notices],
        "from_residents": len(outcomes),
        "from_staff": staff_lines,
        "opened_ticket": counts["opened"],
        "joined_ticket": counts["joined"],
        "became_card": sum(v for k, v in counts.items() if k.startswith("card_")),
        "filed_by_staff_later": counts["filed_later"] + counts["card_filed"],
        "nothing": counts["other"],
    }
    return summary, outcomes


def _tickets(ctx: _Context) -> dict[str, Any]:
    tickets = ctx.facts.tickets
    communities = {c.code: c.name for c in ctx.settings.communities}

    def count(key: Any) -> dict[str, int]:
        return dict(Counter(key(t) for t in tickets).most_common())

    return {
        "total": len(tickets),
        "by_status": count(lambda t: STATUS_LABELS[t.status]),
        "by_category": count(lambda t: CATEGORY_LABELS[t.category]),
        "by_grid": count(lambda t: ctx.grid(t.grid)),
        "by_community": count(lambda t: communities.get(t.community, t.community)),
        "by_urgency": count(lambda t: URGENCY_LABELS[t.urgency]),
        "open_at_end": sum(1 for t in tickets if t.status in OPEN_STATUSES),
    }


def _overdue(ctx: _Context) -> list[dict[str, Any]]:
    end = ctx.run.end
    found = []
    for tl in ctx.timelines.values():
        t = tl.ticket
        missed = []
        if t.ack_due and t.ack_due <= end and tl.status_at(t.ack_due) in WAITING:
            missed.append(("接单", t.ack_due, *tl.left(t.ack_due, WAITING)))
        if t.resolve_due and t.resolve_due <= end and tl.status_at(t.resolve_due) in OPEN_STATUSES:
            missed.append(("办结", t.resolve_due, *tl.left(t.resolve_due, OPEN_STATUSES)))
        for what, due, met, how in missed:
            holder = tl.holder_at(due)
            later = [s for at, s in tl.holders if at > due and s != holder]
            found.append({
                "ticket": t.label, "category": CATEGORY_LABELS[t.category], "grid": ctx.grid(t.grid),
                "building": t.building, "missed": what, "due": ctx.when(due), "met": ctx.when(met),
                "met_by": how,
                "late_minutes": int(((met or end) - due).total_seconds() // 60),
                "held_by": ctx.name(holder), "then_held_by": [ctx.name(s) for s in dict.fromkeys(later)],
                "status_at_end": STATUS_LABELS[t.status], "escalation_level": t.escalation_level,
            })
    return sorted(found, key=lambda o: (o["due"] or "", o["ticket"]))


def _follow_ups(ctx: _Context) -> dict[str, Any]:
    told: Counter[str] = Counter()
    for (_, kind), causes in ctx.evidence.timers.items():
        told[kind] += sum(1 for c in causes if any(d is not None for d in c.delivered))
    events = [e for evs in ctx.facts.events.values() for e in evs]
    by_staff = sum(1 for e in events if e.to_status is Status.ESCALATED and e.actor != "system")
    held = [(c, d) for c in ctx.run.journal.causes for d in c.delivered if d is not None and d.at > c.at]
    return {
        **{label: told[kind.value] for kind, label in FOLLOW_UPS},
        "网格员主动上报": by_staff,
        "回访已记录": sum(1 for e in events if e.action == "return_visit"),
        "超期未评价自动办结": sum(1 for e in events if e.action == "unrated"),
        "免打扰时段暂缓发送": len(held),
        "held_at_end": ctx.facts.held_at_end,
    }


def _emergencies(ctx: _Context) -> list[dict[str, Any]]:
    found = []
    for tl in ctx.timelines.values():
        t = tl.ticket
        for since in tl.emergency_since:
            leaders = (ctx.directory.grid_leaders(t.grid) if t.grid else []) \
                + ctx.directory.community_leaders(t.community)
            told = {}
            for leader in leaders:
                times = [d.at for d in ctx.evidence.deliveries[t.id or 0]
                         if d.at >= since and _reaches_private(d, leader.identities)]
                told[leader.name] = int((min(times) - since).total_seconds()) if times else None
            ack = tl.first_ack if tl.first_ack and tl.first_ack[0] >= since else None
            found.append({
                "ticket": t.label, "category": CATEGORY_LABELS[t.category],
                "kind": t.emergency_kind.value if t.emergency_kind else None, "grid": ctx.grid(t.grid),
                "building": t.building, "since": ctx.when(since),
                "raised_later": since != t.created_at,
                "first_ack_minutes": round((ack[0] - since).total_seconds() / 60, 1) if ack else None,
                "acknowledged_by": ctx.name(ack[1]) if ack else None,
                "leaders_told_after_seconds": told, "status_at_end": STATUS_LABELS[t.status],
                "now_urgency": URGENCY_LABELS[t.urgency],
            })
    return sorted(found, key=lambda e: e["since"] or "")


def _reaches_private(d: Delivered, identities: dict[str, str]) -> bool:
    return d.private and identities.get(d.platform) == d.chat_id


def _conversation(ctx: _Context, outcomes: list[tuple[Posted, str, Ticket | None]]) -> dict[str, Any]:
    cards = Counter(c.status for c in ctx.facts.cards)
    events = [e for evs in ctx.facts.events.values() for e in evs]
    staff_events = [e for e in events if e.actor in ctx.directory.staff]
    ratings = Counter(e.note for e in events if e.action == "rated")
    return {
        "cards": {"total": len(ctx.facts.cards), "filed": cards[CardStatus.FILED],
                  "ignored": cards[CardStatus.IGNORED], "pending": cards[CardStatus.PENDING]},
        "corrections": {
            "误报": sum(1 for e in staff_events if e.to_status is Status.DISMISSED and e.note == "误报"),
            "不是诉求": sum(1 for e in staff_events if e.to_status is Status.DISMISSED and e.note == "不是诉求"),
            "改类别": sum(1 for e in staff_events if e.action == "category"),
            "改紧急程度": sum(1 for e in staff_events if e.action == "urgency"),
            "改位置": sum(1 for e in staff_events if e.action == "location"),
            "立案(可能的诉求)": cards[CardStatus.FILED],
            "立案(机器人没登记的消息)": sum(1 for _, o, _ in outcomes if o == "filed_later"),
            "忽略(可能的诉求)": cards[CardStatus.IGNORED],
            "合并": sum(1 for e in staff_events if e.to_status is Status.MERGED),
        },
        "co_reports": {
            "reports": sum(1 for e in events if e.action == "co_reported"),
            "tickets": sum(1 for t in ctx.facts.tickets if t.households > 1),
            "most_households": max((t.households for t in ctx.facts.tickets), default=0),
        },
        "ratings": {**{RATINGS[k]: ratings[k] for k in RATINGS},
                    "超期未评价": sum(1 for e in events if e.action == "unrated"),
                    "待评价": sum(1 for t in ctx.facts.tickets if t.awaiting_rating)},
    }


def _bot_said(ctx: _Context, names: ChatNames) -> dict[str, Any]:
    groups: Counter[str] = Counter()
    people: Counter[str] = Counter()
    for d in ctx.run.journal.deliveries:
        if d.private:
            people[names.person(d.platform, d.chat_id)] += 1
        else:
            groups[names.chat(d.platform, d.chat_id, False)] += 1
    digests = Counter(c.kind for c in ctx.run.journal.causes
                      if c.what == "digest" and any(d is not None for d in c.delivered))
    return {"groups": dict(groups.most_common()), "private": dict(people.most_common()),
            "total": len(ctx.run.journal.deliveries), "daily_digests": digests["daily"],
            "weekly_digests": digests["weekly"]}


def _checks(ctx: _Context, outcomes: list[tuple[Posted, str, Ticket | None]]) -> list[Check]:
    receipts = Check("receipt", "每条诉求一发出就有回执")
    via = {"opened": "", "joined": "", "card_filed": "机器人拿不准、交网格员判断,网格员立案后,",
           "filed_later": "机器人没登记,网格员回复“立案”后,"}
    requests = [(p.line.number, p.line.at, p.platform, p.chat_id, t, via[o]) for p, o, t in outcomes
                if t is not None and o in via]
    check_receipts(requests, ctx.evidence, receipts)
    deadlines = Check("deadlines", "超时前有提醒,超时后有督办(超时通知、备岗接手、告知网格长、上报社区和街道)")
    timelines = list(ctx.timelines.values())
    check_deadlines(timelines, ctx.evidence, ctx.directory, ctx.run.end, deadlines, ctx.facts.timers)
    follow = Check("follow_up", "每件办结的工单都请居民评价,并给网格员回访任务")
    check_follow_up(timelines, ctx.evidence, ctx.run.end, follow, ctx.facts.timers)
    emergencies = Check("emergency", "每个紧急情况,网格长和社区负责人在同一分钟内收到")
    check_emergencies(timelines, ctx.evidence, ctx.directory, emergencies)
    return [receipts, deadlines, follow, emergencies]


def _digest_rates(settings: Settings, directory: Directory, engine: Engine, run: ReplayRun) -> dict[str, Any]:
    """三率 over the whole replay, counted by the digest's own code, for the street and each grid."""
    scope = DigestScope(directory.street_name)
    end = run.end + timedelta(seconds=1)
    with session_scope(engine) as session:
        facts = SqlTicketStore(session).digest_facts(scope, run.start, end, run.end)
    digest = build_digest(facts, scope, run.start, end, run.end, directory)
    return {"total": _rates(digest.totals), "by_grid": [_rates(g) for g in digest.by_grid],
            "definitions": rate_definitions(settings)}


def build_report(settings: Settings, directory: Directory, engine: Engine, history: History,
                 run: ReplayRun, database: str) -> dict[str, Any]:
    with session_scope(engine) as session:
        facts = replay_facts(session)
    tz = ZoneInfo(settings.timezone)
    timelines = {t.id or 0: Timeline(t, facts.events.get(t.id or 0, []), directory) for t in facts.tickets}
    ctx = _Context(settings, directory, tz, run, facts, Evidence(run.journal, tz), timelines)
    names = ChatNames(settings, directory)
    lines, outcomes = _lines(ctx, history)
    checks = _checks(ctx, outcomes)
    days = (run.end.astimezone(tz).date() - run.start.astimezone(tz).date()).days + 1
    return {
        "street": directory.street_name,
        "period": {"from": ctx.when(run.start), "to": ctx.when(run.end), "days": days},
        "database": database,
        "lines": lines,
        "rates": _digest_rates(settings, directory, engine, run),
        "tickets": _tickets(ctx),
        "overdue": _overdue(ctx),
        "follow_ups": _follow_ups(ctx),
        "emergencies": _emergencies(ctx),
        **_conversation(ctx, outcomes),
        "checks": [{"key": c.key, "promise": c.title, "ok": c.ok, "total": c.total,
                    "failures": [{"ticket": f.ticket, "why": f.why} for f in c.failures],
                    "notes": [{"ticket": f.ticket, "note": f.why} for f in c.notes]} for c in checks],
        "bot_said": _bot_said(ctx, names),
    }

"""The service promises, checked ticket by ticket on what a replay did.

1. Every request gets a receipt at the moment it is posted.
2. No ticket goes past a deadline without a reminder delivered before it, and the
   steps after it (the overdue notice, the backup, the grid leader; for a fix: the
   community, then the street) when their time comes.
3. Every fix gets a rating request at once and a return-visit task.
4. Every emergency's grid leader and community leader are told within the minute.

The judge is the delivery time, not the moment the core decided: a reminder held
by quiet hours until after the deadline did not help anyone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from bot.replay_journal import Cause, Delivered, Journal
from handlers.directory import Directory, Role, Staff
from handlers.tickets import OPEN_STATUSES, STATUS_LABELS, Status, Ticket, TicketEvent
from handlers.timers import DueKind

WAITING = {Status.NEW, Status.ASSIGNED, Status.TRANSFERRED}
LEFT_BY = {Status.ACKNOWLEDGED: "接单", Status.RESOLVED: "办结", Status.CLOSED: "办结", Status.MERGED: "合并",
           Status.DISMISSED: "关闭(无需处理)", Status.WITHDRAWN: "撤销", Status.ESCALATED: "上报",
           Status.REOPENED: "重新处理"}
SAME_MINUTE = timedelta(seconds=59)


@dataclass
class Finding:
    ticket: str
    why: str


@dataclass
class Check:
    key: str
    title: str
    total: int = 0
    ok: int = 0
    failures: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    """Kept, but worth saying: a step not yet due when the replay ended."""

    def passed(self, note: Finding | None = None) -> None:
        self.total += 1
        self.ok += 1
        if note is not None:
            self.notes.append(note)

    def failed(self, finding: Finding) -> None:
        self.total += 1
        self.failures.append(finding)


class Timeline:
    """A ticket's history read back from its audit events."""

    def __init__(self, ticket: Ticket, events: list[TicketEvent], directory: Directory) -> None:
        self.ticket = ticket
        self.events = sorted(events, key=lambda e: e.at)
        self.holders: list[tuple[datetime, str]] = []
        self.resolutions: list[datetime] = []
        self.emergency_since: list[datetime] = []
        self.first_ack: tuple[datetime, str] | None = None
        urgency_events = [e for e in self.events if e.action == "urgency"]
        if urgency_events:
            initially_emergency = urgency_events[0].note.startswith("emergency→")
        else:
            initially_emergency = ticket.is_emergency
        if initially_emergency:
            self.emergency_since.append(ticket.created_at)
        for e in self.events:
            handed_to = e.to_status in (Status.ASSIGNED, Status.TRANSFERRED) or e.action == "reassigned"
            if handed_to and e.note:
                self.holders.append((e.at, e.note))
            elif e.to_status is Status.ACKNOWLEDGED:
                worker = directory.staff.get(e.actor)
                if worker is not None and worker.role is Role.GRID_WORKER:
                    self.holders.append((e.at, worker.id))
                if self.first_ack is None:
                    self.first_ack = (e.at, e.actor)
            if e.to_status is Status.RESOLVED:
                self.resolutions.append(e.at)
            if e.action == "urgency" and e.note.endswith("→emergency"):
                self.emergency_since.append(e.at)

    def status_at(self, when: datetime) -> Status:
        status = Status.NEW
        for e in self.events:
            if e.at > when:
                break
            if e.to_status is not None:
                status = e.to_status
        return status

    def holder_at(self, when: datetime) -> str | None:
        holder = None
        for at, staff_id in self.holders:
            if at > when:
                break
            holder = staff_id
        return holder

    def left(self, when: datetime, states: set[Status] | frozenset[Status]) -> tuple[datetime | None, str | None]:
        """When, after ``when``, the ticket first left ``states``, and how (接单, 办结, 合并 …)."""
        for e in self.events:
            if e.at > when and e.to_status is not None and e.to_status not in states:
                return e.at, LEFT_BY.get(e.to_status, STATUS_LABELS[e.to_status])
        return None, None

    def reopened_after(self, resolved_at: datetime) -> bool:
        """Reopened (不满意) after this fix and before the next one."""
        later = [r for r in self.resolutions if r > resolved_at]
        until = min(later) if later else None
        return any(e.to_status is Status.REOPENED and e.at > resolved_at and (until is None or e.at < until)
                   for e in self.events)

    def escalated_before(self, when: datetime, times: int) -> bool:
        """Escalated at least ``times`` times (grid → community → street) by then."""
        return sum(1 for e in self.events if e.to_status is Status.ESCALATED and e.at <= when) >= times


class Evidence:
    """Deliveries and timer causes, indexed by ticket."""

    def __init__(self, journal: Journal, tz: tzinfo) -> None:
        self.tz = tz
        self.deliveries: dict[int, list[Delivered]] = defaultdict(list)
        for d in journal.deliveries:
            if d.ticket_id is not None:
                self.deliveries[d.ticket_id].append(d)
        self.timers: dict[tuple[int, str], list[Cause]] = defaultdict(list)
        for cause in journal.causes:
            if cause.what == "timer" and cause.ticket_id is not None and cause.kind:
                self.timers[(cause.ticket_id, cause.kind)].append(cause)

    def timer_deliveries(self, ticket_id: int, kind: DueKind) -> list[tuple[Cause, Delivered | None]]:
        """(cause, its first delivery or None) for each time the timer ran."""
        found = []
        for cause in self.timers.get((ticket_id, kind.value), []):
            sent = [d for d in cause.delivered if d is not None]
            found.append((cause, min(sent, key=lambda d: d.at) if sent else None))
        return found

    def hm(self, when: datetime) -> str:
        return f"{when.astimezone(self.tz):%m-%d %H:%M}"


def _reaches(d: Delivered, person: Staff) -> bool:
    if d.private:
        return person.identities.get(d.platform) == d.chat_id
    return d.text.startswith(f"@{person.name} ")


def check_receipts(requests: list[tuple[int, datetime, str, str, Ticket, str]], evidence: Evidence,
                   check: Check) -> None:
    """``requests``: (line number, posted at, platform, chat, the ticket it opened or joined,
    why an answer may have waited: "" or how it became a ticket later)."""
    for number, at, platform, chat_id, ticket, via in requests:
        assert ticket.id is not None
        answers = [d for d in evidence.deliveries[ticket.id]
                   if (d.platform, d.chat_id) == (platform, chat_id) and d.at >= at]
        first = min((d.at for d in answers), default=None)
        if first is not None and first - at <= SAME_MINUTE:
            check.passed()
        elif first is not None:
            check.failed(Finding(ticket.label, f"第{number}行的诉求 {evidence.hm(at)} 发出,{via}"
                                               f"{_minutes(first - at)}后({evidence.hm(first)})才回执"))
        else:
            check.failed(Finding(ticket.label, f"第{number}行的诉求没有得到回执"))


def _minutes(span: timedelta) -> str:
    return minutes_text(int(span.total_seconds() // 60))


def minutes_text(minutes: int) -> str:
    """45分钟, 3小时20分, 2天5小时: how late, as a report reads it."""
    if minutes < 60:
        return f"{minutes}分钟"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    days, hours = divmod(hours, 24)
    return f"{days}天{hours}小时" if hours else f"{days}天"


class _Steps:
    """The steps after one ticket's deadline, judged against its timers."""

    def __init__(self, tl: Timeline, evidence: Evidence, end: datetime, due_at: dict[str, datetime]) -> None:
        self.tl, self.evidence, self.end, self.due_at = tl, evidence, end, due_at
        self.problems: list[str] = []

    def reminder(self, kind: DueKind, deadline: datetime, what: str) -> None:
        assert self.tl.ticket.id is not None
        sent = [d.at for _, d in self.evidence.timer_deliveries(self.tl.ticket.id, kind) if d is not None]
        if not sent:
            self.problems.append(f"{what}时限前没有提醒")
        elif min(sent) > deadline:
            self.problems.append(f"{what}提醒{self.evidence.hm(min(sent))}才送达(免打扰时段),"
                                 f"晚于时限{self.evidence.hm(deadline)}")

    def step(self, kind: DueKind, what: str, needed: bool, silent_ok: bool = False) -> None:
        """The timer ``kind`` must have run at its time and told someone, if the ticket
        still needed it then; ``silent_ok`` when running without a message is right
        (already escalated, nobody to take over)."""
        assert self.tl.ticket.id is not None
        due = self.due_at.get(kind.value)
        if due is None or due > self.end or not needed:
            return
        runs = self.evidence.timer_deliveries(self.tl.ticket.id, kind)
        if not runs:
            self.problems.append(f"{self.evidence.hm(due)}没有{what}")
        elif all(d is None for _, d in runs) and not silent_ok:
            self.problems.append(f"{what}没有发出")


def check_deadlines(timelines: list[Timeline], evidence: Evidence, directory: Directory, end: datetime,
                    check: Check, plan: dict[int, dict[str, datetime]]) -> None:
    """``plan``: per ticket, when each of its timers was (or is) due."""
    for tl in timelines:
        t = tl.ticket
        assert t.id is not None
        if t.ack_due is not None and t.ack_due <= end and tl.status_at(t.ack_due) in WAITING:
            steps = _Steps(tl, evidence, end, plan.get(t.id, {}))
            holder = directory.staff.get(tl.holder_at(t.ack_due) or "")
            told = [d.at for d in evidence.deliveries[t.id] if holder is not None and _reaches(d, holder)]
            if told and min(told) > t.ack_due:
                steps.problems.append(f"新工单通知{evidence.hm(min(told))}才送达{holder.name if holder else ''}")
            steps.reminder(DueKind.ACK_REMINDER, t.ack_due, "接单")
            steps.step(DueKind.ACK_OVERDUE, "超时通知", True)
            reassign = plan.get(t.id, {}).get(DueKind.ACK_REASSIGN.value)
            steps.step(DueKind.ACK_REASSIGN, "备岗接手",
                       reassign is not None and tl.status_at(reassign) in WAITING,
                       silent_ok=not _backup_available(directory, holder))
            leader = plan.get(t.id, {}).get(DueKind.ACK_GRID_LEADER.value)
            steps.step(DueKind.ACK_GRID_LEADER, "告知网格长", leader is not None and tl.status_at(leader) in WAITING)
            _judge(check, t, "接单超时", steps.problems)
        if t.resolve_due is not None and t.resolve_due <= end and tl.status_at(t.resolve_due) in OPEN_STATUSES:
            steps = _Steps(tl, evidence, end, plan.get(t.id, {}))
            steps.reminder(DueKind.RESOLVE_REMINDER, t.resolve_due, "办结")
            steps.step(DueKind.RESOLVE_OVERDUE, "上报社区", True,
                       silent_ok=tl.escalated_before(t.resolve_due, 1))
            street = plan.get(t.id, {}).get(DueKind.RESOLVE_OVERDUE_STREET.value)
            steps.step(DueKind.RESOLVE_OVERDUE_STREET, "上报街道",
                       street is not None and tl.status_at(street) in OPEN_STATUSES,
                       silent_ok=tl.escalated_before(street or t.resolve_due, 2))
            _judge(check, t, "办结超时", steps.problems)


def _judge(check: Check, t: Ticket, what: str, problems: list[str]) -> None:
    if problems:
        check.failed(Finding(t.label, f"{what}:" + ";".join(problems)))
    else:
        check.passed()


def _backup_available(directory: Directory, holder: Staff | None) -> bool:
    if holder is None or holder.backup is None:
        return False
    backup = directory.available(holder.backup)
    return backup is not None and backup.id != holder.id


def check_follow_up(timelines: list[Timeline], evidence: Evidence, end: datetime, check: Check,
                    plan: dict[int, dict[str, datetime]]) -> None:
    for tl in timelines:
        t = tl.ticket
        assert t.id is not None
        for resolved_at in tl.resolutions:
            problems = []
            asked = [d for d in evidence.deliveries[t.id] if d.asks_rating and d.at >= resolved_at]
            if not asked or min(d.at for d in asked) - resolved_at > SAME_MINUTE:
                problems.append("没有请居民评价")
            visits = [c for c, d in evidence.timer_deliveries(t.id, DueKind.RETURN_VISIT)
                      if d is not None and c.at > resolved_at]
            note = None
            if not visits and tl.reopened_after(resolved_at):
                note = Finding(t.label, f"{evidence.hm(resolved_at)}的办结被评“不满意”,重新处理,不再回访这一次")
            elif not visits:
                due = plan.get(t.id, {}).get(DueKind.RETURN_VISIT.value)
                if due is not None and due > end and resolved_at == tl.resolutions[-1]:
                    note = Finding(t.label, f"回访任务{evidence.hm(due)}到期,试运行已结束")
                else:
                    problems.append("没有回访任务")
            if problems:
                check.failed(Finding(t.label, f"{evidence.hm(resolved_at)}办结后" + "、".join(problems)))
            else:
                check.passed(note)


def check_emergencies(timelines: list[Timeline], evidence: Evidence, directory: Directory,
                      check: Check) -> None:
    for tl in timelines:
        t = tl.ticket
        assert t.id is not None
        for since in tl.emergency_since:
            leaders = (directory.grid_leaders(t.grid) if t.grid else []) + directory.community_leaders(t.community)
            late = []
            for leader in leaders:
                told = [d.at for d in evidence.deliveries[t.id] if d.at >= since and _reaches(d, leader)]
                if not told:
                    late.append(f"{leader.name}没有收到")
                elif min(told) - since > SAME_MINUTE:
                    late.append(f"{leader.name}{_minutes(min(told) - since)}后才收到")
            if not leaders:
                late.append("没有配置网格长或社区负责人")
            if late:
                check.failed(Finding(t.label, f"{evidence.hm(since)}紧急情况:" + "、".join(late)))
            else:
                check.passed()

"""The 问题交接单 (problem handover sheet): one row per ticket, as an office hands
the day's problems over and reports them upward.

Pure: storage supplies the tickets and their return-visit notes, the edge writes
the workbook. Whoever lacks the right to residents' data gets the reporter's
name masked and phone numbers and rooms taken out of the description.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from handlers import texts
from handlers.actions import RATING_LABELS
from handlers.categories import CATEGORY_LABELS, URGENCY_LABELS
from handlers.directory import Directory
from handlers.office import mask_name, mask_phone, redact
from handlers.tickets import STATUS_LABELS, Status, Ticket

COLUMNS = ("编号", "反映时间", "反映人", "位置", "类别", "紧急程度", "问题描述", "责任网格员",
           "接单时间", "办结时间", "处理结果", "是否超时", "回访情况", "评价")
DESCRIPTION_CHARS = 300


@dataclass(frozen=True)
class HandoverRow:
    code: str
    reported_at: datetime
    reporter: str
    place: str
    category: str
    urgency: str
    description: str
    worker: str
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    result: str
    overdue: str
    visit: str
    rating: str

    def cells(self) -> tuple[object, ...]:
        return (self.code, self.reported_at, self.reporter, self.place, self.category,
                self.urgency, self.description, self.worker, self.acknowledged_at,
                self.resolved_at, self.result, self.overdue, self.visit, self.rating)


def ticket_label(t: Ticket, directory: Directory) -> str:
    """"吉利社区 #0042" where a street has several communities (a code is unique, the
    community name is for the reader), else "#0042"."""
    if len(directory.communities) > 1 and t.community in directory.communities:
        return f"{directory.communities[t.community].name} {t.label}"
    return t.label


def place_text(t: Ticket, personal: bool) -> str:
    """Where, with unit and room only for those who may see them."""
    return texts.place(t, private=personal)


def was_late(t: Ticket, now: datetime) -> bool:
    ack_late = t.ack_due is not None and (
        (t.acknowledged_at or t.resolved_at or now) > t.ack_due) and t.status is not Status.WITHDRAWN
    resolve_late = t.resolve_due is not None and (t.resolved_at or now) > t.resolve_due \
        and t.status not in (Status.WITHDRAWN, Status.MERGED)
    return ack_late or resolve_late


def handover_row(t: Ticket, visits: list[str], directory: Directory, personal: bool,
                 now: datetime, local: Callable[[datetime], datetime]) -> HandoverRow:
    reporter = t.reporter.name or "居民"
    if personal:
        reporter += f" {t.phone}" if t.phone else ""
    else:
        reporter = mask_name(reporter) + (f" {mask_phone(t.phone)}" if t.phone else "")
    worker = directory.staff.get(t.assignee or "")
    resolved = t.status in (Status.RESOLVED, Status.CLOSED)
    description = t.text if personal else redact(t.text)
    if t.households > 1:
        description = f"{description[:DESCRIPTION_CHARS]}(共{t.households}户反映)"
    return HandoverRow(
        code=ticket_label(t, directory),
        reported_at=local(t.created_at),
        reporter=reporter,
        place=place_text(t, personal),
        category=CATEGORY_LABELS[t.category],
        urgency=URGENCY_LABELS[t.urgency],
        description=description[:DESCRIPTION_CHARS + 12],
        worker=worker.name if worker else "未指定",
        acknowledged_at=local(t.acknowledged_at) if t.acknowledged_at else None,
        resolved_at=local(t.resolved_at) if t.resolved_at and resolved else None,
        result=(t.resolution or "已解决") if resolved else STATUS_LABELS[t.status],
        overdue="是" if was_late(t, now) else "否",
        visit=";".join(visits) if visits else ("未回访" if resolved else ""),
        rating=RATING_LABELS.get(t.rating or "", "未评价" if resolved else ""),
    )

"""The leaders' digest: figures in, a short Chinese chat text out.

Pure: whoever builds a ``Digest`` (from storage or a test) hands it over, and
these functions only format. The dataclasses carry no resident's name, phone
or room, so the text cannot leak them into a leaders' group. Staff names do
appear: who holds an overdue ticket is exactly what a leader needs to know.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.categories import CATEGORY_LABELS, Category

TOP_CATEGORIES = 3
TOP_OVERDUE = 5
TOP_HOT_SPOTS = 3


@dataclass(frozen=True)
class RateCounts:
    """``ok`` out of ``total``: responded in time, resolved, rated satisfied."""

    total: int = 0
    ok: int = 0

    @property
    def rate(self) -> float | None:
        return self.ok / self.total if self.total else None


@dataclass(frozen=True)
class GroupFigures:
    """One line of the digest: the whole scope, one grid, or one category.

    ``name`` is shown as is, except that a category code shows as its label.
    """

    name: str
    new: int = 0
    acknowledged: int = 0
    resolved: int = 0
    overdue: int = 0
    escalated: int = 0
    response: RateCounts = field(default_factory=RateCounts)
    resolution: RateCounts = field(default_factory=RateCounts)
    satisfaction: RateCounts = field(default_factory=RateCounts)


@dataclass(frozen=True)
class OverdueItem:
    code: int | str
    category: Category | str
    grid: str
    holder_name: str
    """The staff member holding the ticket, never the resident."""
    overdue_by: timedelta


@dataclass(frozen=True)
class HotSpot:
    """Repeated requests of one kind from one building: worth a look before the next (未诉先办)."""

    building: str
    category: Category | str
    count: int


@dataclass(frozen=True)
class Digest:
    scope_name: str
    period_start: datetime
    period_end: datetime
    """Exclusive: a daily digest runs from midnight to the next midnight; titles read
    the dates in the timezone these datetimes carry, so pass local (Asia/Shanghai) times."""
    totals: GroupFigures
    by_grid: list[GroupFigures] = field(default_factory=list)
    by_category: list[GroupFigures] = field(default_factory=list)
    most_overdue: list[OverdueItem] = field(default_factory=list)
    hot_spots: list[HotSpot] = field(default_factory=list)
    hot_spot_days: int = 7
    """The window the hot spots were counted over."""
    cards: CardCounts | None = None


@dataclass(frozen=True)
class CardCounts:
    """Messages the bot was unsure of and showed to a worker ("可能的诉求"), by outcome."""

    filed: int = 0
    ignored: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.filed + self.ignored + self.pending


def category_label(category: Category | str) -> str:
    try:
        return CATEGORY_LABELS[Category(category)]
    except ValueError:
        return str(category)


def percent(counts: RateCounts) -> str:
    """``83%``, or ``—`` when there was nothing to rate."""
    rate = counts.rate
    return "—" if rate is None else f"{math.floor(rate * 100 + 0.5)}%"


def duration_text(span: timedelta) -> str:
    """``45分钟``, ``3小时``, ``2天5小时``: coarse on purpose, for a chat line."""
    minutes = max(int(span.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes}分钟"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}小时"
    days, hours = divmod(hours, 24)
    return f"{days}天{hours}小时" if hours else f"{days}天"


def ticket_code(code: int | str) -> str:
    if isinstance(code, int):
        return f"#{code:04d}"
    return code if code.startswith("#") else f"#{code}"


def building_text(building: str) -> str:
    return f"{building}号楼" if building.isdigit() else building


def _day(t: datetime) -> str:
    return f"{t.month}月{t.day}日"


def _counts_line(g: GroupFigures) -> str:
    return (
        f"新增 {g.new} 件,接单 {g.acknowledged},办结 {g.resolved},"
        f"超时 {g.overdue},上报 {g.escalated}"
    )


def _rates_line(g: GroupFigures) -> str:
    return (
        f"响应率 {percent(g.response)} 解决率 {percent(g.resolution)} "
        f"满意率 {percent(g.satisfaction)}"
    )


def _grid_line(g: GroupFigures) -> str:
    return (
        f"· {g.name}:新增 {g.new},办结 {g.resolved},超时 {g.overdue};"
        f"响应 {percent(g.response)} 解决 {percent(g.resolution)} 满意 {percent(g.satisfaction)}"
    )


def _body(d: Digest) -> list[str]:
    lines = [_counts_line(d.totals), _rates_line(d.totals)]
    if d.by_grid:
        lines.append("【分网格】")
        lines += [_grid_line(g) for g in d.by_grid]
    busiest = sorted((c for c in d.by_category if c.new), key=lambda c: (-c.new, c.name))
    if busiest:
        shown = ",".join(f"{category_label(c.name)} {c.new}" for c in busiest[:TOP_CATEGORIES])
        lines.append(f"【主要诉求】{shown}")
    overdue = sorted(d.most_overdue, key=lambda o: o.overdue_by, reverse=True)[:TOP_OVERDUE]
    if overdue:
        lines.append("【超时待办】")
        lines += [
            f"{ticket_code(o.code)} {category_label(o.category)} 超时{duration_text(o.overdue_by)} "
            f"{o.holder_name}"
            for o in overdue
        ]
    if d.cards is not None and d.cards.total:
        c = d.cards
        lines.append(f"【可能的诉求】{c.total} 条交网格员判断:立案 {c.filed},忽略 {c.ignored},待处理 {c.pending}")
    spots = sorted(d.hot_spots, key=lambda h: (-h.count, h.building))[:TOP_HOT_SPOTS]
    if spots:
        lines.append("【未诉先办】")
        lines += [
            f"{building_text(h.building)} {category_label(h.category)} "
            f"{d.hot_spot_days}天内{h.count}件,建议主动排查"
            for h in spots
        ]
    return lines


def format_digest(d: Digest) -> str:
    """The daily text for the community leaders' chat."""
    title = f"【网格日报】{d.scope_name} {_day(d.period_start)}"
    return "\n".join([title, *_body(d)])


def format_weekly(d: Digest) -> str:
    """The Monday summary: the same figures over the week just ended."""
    last_day = d.period_end - timedelta(microseconds=1)
    title = f"【网格周报】{d.scope_name} {_day(d.period_start)}—{_day(last_day)}"
    return "\n".join([title, *_body(d)])

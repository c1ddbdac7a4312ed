"""Quiet hours: pings about ordinary (一般) tickets wait for the morning.

Nothing is ever dropped: a message that falls into quiet hours is delivered
when they end. Emergencies are never held (see shared/DOMAIN.md: "an emergency
waits behind quiet hours or a queue" must never happen), and neither are urgent
ones: a pipe that bursts at 23:10 has a 30-minute clock, and a replay of a month
showed that holding its pings until 07:00 broke every promise made about it.

``QuietHours(...).deliver_at`` has the shape of ``handlers.turn.QuietHours``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from handlers.categories import Urgency


class QuietHours:
    """A daily quiet period from ``start`` to ``end``, which may wrap midnight.

    ``start == end`` means no quiet hours at all.
    """

    def __init__(
        self,
        start: time = time(22, 0),
        end: time = time(7, 0),
        tz: tzinfo | str = "Asia/Shanghai",
    ) -> None:
        self.start = start
        self.end = end
        self.tz: tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz

    def _local(self, t: datetime) -> datetime:
        if t.tzinfo is None or t.utcoffset() is None:
            raise ValueError(f"expected a timezone-aware datetime, got {t!r}")
        return t.astimezone(self.tz)

    def is_quiet(self, t: datetime) -> bool:
        clock = self._local(t).time().replace(tzinfo=None)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def deliver_at(self, t: datetime, urgency: Urgency | str) -> datetime:
        """``t`` itself for an emergency, an urgent ticket or outside quiet hours, else
        when they end."""
        if Urgency(urgency) is not Urgency.NORMAL or not self.is_quiet(t):
            return t
        local = self._local(t)
        end = datetime.combine(local.date(), self.end, tzinfo=self.tz)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=self.tz)
        return end

"""Shared figures for the round-trip benchmarks."""

from __future__ import annotations

import os
import statistics
from datetime import datetime, timedelta


def machine() -> str:
    """What the figures were measured on: cores and load, printed first by each benchmark."""
    one, five, _ = os.getloadavg()
    return f"machine: {os.cpu_count()} cores, load average {one:.1f} (5 min: {five:.1f}) at start"


def report(name: str, latencies: list[float], rate: float) -> None:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{name}: {len(ordered)} round trips, p50 {statistics.median(ordered) * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms; "
          f"sustained {rate:.0f} messages/s")


class SpreadClock:
    """The bot's clock in a benchmark: message i is placed on a working hour of a week
    of its own, so requests are new tickets rather than co-reports of one."""

    def __init__(self, start: datetime) -> None:
        self.start = self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, i: int) -> None:
        self.now = self.start + timedelta(hours=i % 8, days=7 * (i // 8))

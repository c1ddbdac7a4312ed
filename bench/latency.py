"""Shared figures for the round-trip benchmarks."""

from __future__ import annotations

import statistics


def report(name: str, latencies: list[float], rate: float) -> None:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{name}: {len(ordered)} round trips, p50 {statistics.median(ordered) * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms; "
          f"sustained {rate:.0f} messages/s")

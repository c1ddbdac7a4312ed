"""Is a bot process on this host still the one that registered? (Linux /proc.)

A process is named by its pid and an incarnation token: the boot id and the
process's start time. A pid that is gone, or that now belongs to a process started
later (pid reuse, or pid 1 again in a restarted container), is a dead bot: its
outbox rows can be taken over at once instead of after the heartbeat timeout."""

from __future__ import annotations

import os
import socket
from pathlib import Path

PROC = Path("/proc")


def host() -> str:
    return socket.gethostname()


def incarnation(pid: int | None = None) -> str:
    """"<boot id>:<start time in clock ticks>", or "" where /proc cannot tell."""
    try:
        stat = (PROC / str(pid or os.getpid()) / "stat").read_text()
        boot = (PROC / "sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()
    return f"{boot}:{fields[19]}" if len(fields) > 19 else ""


def gone(pid: int, registered_as: str) -> bool:
    """True only when that process is certainly not running any more."""
    if not registered_as:
        return False
    current = incarnation(pid)
    if current:
        return current != registered_as
    return PROC.is_dir() and not (PROC / str(pid)).exists()

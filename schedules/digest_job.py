"""The daily (and Monday weekly) digest for every leader, sent once per period."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.runtime import Runtime
from bot.settings import Settings
from handlers.digest_build import period
from handlers.directory import Role
from storage.tables import OutboxRow

log = logging.getLogger(__name__)
LEADER_ROLES = (Role.GRID_LEADER, Role.COMMUNITY_LEADER, Role.STREET_LEADER)


async def send_digests(runtime: Runtime, weekly: bool) -> int:
    now = runtime.clock()
    start, _ = period(now, weekly)
    kind = "weekly" if weekly else "daily"
    rows: list[OutboxRow] = []
    sent = 0
    for leader in runtime.desk.directory.staff.values():
        if leader.role not in LEADER_ROLES:
            continue
        with runtime.unit_of_work(now) as uow:
            if not uow.claim_digest(leader.id, kind, start):
                continue
            uow.say(runtime.desk.digest_for(uow.store, leader, now, weekly))
            sent += 1
        rows += uow.ready
    await runtime.deliver(rows)
    log.info("%s digest sent to %d leaders", kind, sent)
    return sent


def digest_sender(runtime: Runtime, settings: Settings) -> Callable[[bool], Awaitable[int]]:
    async def send(weekly: bool) -> int:
        return await send_digests(runtime, weekly)

    return send

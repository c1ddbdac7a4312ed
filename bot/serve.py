"""`griddesk run`: every configured platform, the core, storage and the scheduler."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.bindings import REFRESH_SECONDS, BindingSync
from bot.bootstrap import build_desk, open_storage
from bot.platform import Platform
from bot.runtime import Runtime
from bot.settings import ConfigError, Settings
from schedules.digest_job import digest_sender
from schedules.scheduler import build_scheduler, tick

log = logging.getLogger(__name__)


def build_platforms(settings: Settings) -> list[Platform]:
    """A platform for each one that has chats in the config and its secret in the env."""
    wanted = {c.platform for c in settings.chats} | {
        p for s in settings.staff for p in s.identities
    }
    platforms: list[Platform] = []
    if "telegram" in wanted and os.environ.get("TELEGRAM_BOT_TOKEN"):
        from bot.telegram import TelegramPlatform

        platforms.append(TelegramPlatform.from_settings(settings, os.environ["TELEGRAM_BOT_TOKEN"]))
    if "wechat" in wanted and os.environ.get("WECHATY_PUPPET_SERVICE_TOKEN"):
        from bot.wechat import WeChatPlatform

        platforms.append(WeChatPlatform.from_settings(settings))
    if not platforms:
        raise ConfigError(
            "no platform to run: set TELEGRAM_BOT_TOKEN and/or WECHATY_PUPPET_SERVICE_TOKEN "
            "(with WECHATY_PUPPET_SERVICE_ENDPOINT), or try `griddesk demo` / `griddesk console`"
        )
    return platforms


async def _serve(settings: Settings) -> None:
    tz = ZoneInfo(settings.timezone)

    def clock() -> datetime:
        return datetime.now(tz)

    platforms = build_platforms(settings)
    engine = open_storage(settings.resolved_database_url)
    runtime = Runtime(build_desk(settings), engine, platforms, clock)
    bindings = BindingSync(runtime.desk, engine)  # issue 11: identities bound through the chat
    bindings.refresh()
    await runtime.start()
    await tick(runtime)  # catch up on whatever fell due while we were down
    scheduler = build_scheduler(runtime, settings.timezone, settings.digest_time,
                                digest_sender(runtime, settings))
    scheduler.add_job(bindings.refresh, "interval", seconds=REFRESH_SECONDS, id="bindings")  # issue 11
    scheduler.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("GridDesk running on %s", ", ".join(runtime.platforms))
    await stop.wait()
    scheduler.shutdown(wait=False)
    await runtime.stop()


def serve(settings: Settings) -> int:
    asyncio.run(_serve(settings))
    return 0

"""`griddesk run`: every configured platform, the core, storage and the scheduler.

Start-up checks the secrets against the config first: a token without its endpoint,
an endpoint without its token, a malformed value is one line naming the setting;
so is a database, gateway or Bot API that cannot be reached. Once running, one line
says what runs.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
from collections.abc import Callable, Mapping
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

from bot.bindings import REFRESH_SECONDS, BindingSync
from bot.bootstrap import build_desk, open_storage
from bot.logs import add_secret
from bot.platform import Platform
from bot.runtime import Runtime
from bot.settings import ConfigError, Settings, StartupError
from schedules.digest_job import digest_sender
from schedules.scheduler import build_scheduler, tick

log = logging.getLogger(__name__)

TELEGRAM_TOKEN = "TELEGRAM_BOT_TOKEN"
WECHAT_TOKEN = "WECHATY_PUPPET_SERVICE_TOKEN"
WECHAT_ENDPOINT = "WECHATY_PUPPET_SERVICE_ENDPOINT"
_BOT_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{10,}$")
_ENDPOINT = re.compile(r"^(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.-]+):\d{1,5}$")


def _uses(settings: Settings, platform: str) -> bool:
    return any(c.platform == platform for c in settings.chats) or any(
        platform in s.identities for s in settings.staff)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def wanted_platforms(settings: Settings, env: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Which platforms to run, and warnings; raises ConfigError (one line per problem)
    for missing or contradictory secrets."""
    problems: list[str] = []
    warnings: list[str] = []
    run: list[str] = []
    token = env.get(TELEGRAM_TOKEN, "").strip()
    if token and not _BOT_TOKEN.match(token):
        problems.append(f"{TELEGRAM_TOKEN} does not look like a bot token (<digits>:<letters>, from BotFather)")
    elif token and not _uses(settings, "telegram"):
        warnings.append(f"{TELEGRAM_TOKEN} is set but no chat or staff uses telegram: Telegram is not started")
    elif token:
        run.append("telegram")
    elif _uses(settings, "telegram"):
        warnings.append(f"telegram is configured but {TELEGRAM_TOKEN} is not set: Telegram is not started")
    wechat_token = env.get(WECHAT_TOKEN, "").strip()
    endpoint = (env.get(WECHAT_ENDPOINT) or settings.wechat.endpoint or "").strip()
    if wechat_token and not endpoint:
        problems.append(f"{WECHAT_TOKEN} is set but no gateway endpoint: set {WECHAT_ENDPOINT} "
                        "(host:port) or wechat.endpoint in the config")
    elif endpoint and not wechat_token and env.get(WECHAT_ENDPOINT):
        problems.append(f"{WECHAT_ENDPOINT} is set but {WECHAT_TOKEN} is not")
    elif endpoint and not _ENDPOINT.match(endpoint):
        where = WECHAT_ENDPOINT if env.get(WECHAT_ENDPOINT) else "wechat.endpoint"
        problems.append(f"{where} must be host:port (e.g. 127.0.0.1:8788), not {endpoint!r}")
    elif wechat_token and not _uses(settings, "wechat"):
        warnings.append(f"{WECHAT_TOKEN} is set but no chat or staff uses wechat: WeChat is not started")
    elif wechat_token:
        run.append("wechat")
    elif _uses(settings, "wechat"):
        warnings.append(f"wechat is configured but {WECHAT_TOKEN} is not set: WeChat is not started")
    if problems:
        raise ConfigError("\n  ".join(problems))
    if not run:
        raise ConfigError(
            f"no platform to run: set {TELEGRAM_TOKEN} and/or {WECHAT_TOKEN} "
            f"(with {WECHAT_ENDPOINT}), or try `griddesk demo` / `griddesk console`")
    return run, warnings


def build_platforms(settings: Settings, env: Mapping[str, str] = os.environ) -> list[Platform]:
    """A platform for each one that has chats in the config and its secret in the env."""
    run, warnings = wanted_platforms(settings, env)
    for warning in warnings:
        log.warning("%s", warning)
    platforms: list[Platform] = []
    if "telegram" in run:
        from bot.telegram import TelegramPlatform

        platforms.append(TelegramPlatform.from_settings(settings, env[TELEGRAM_TOKEN].strip()))
    if "wechat" in run:
        from bot.wechat import WeChatPlatform, WeChatUnavailable

        try:
            platforms.append(WeChatPlatform.from_settings(
                settings, token=env[WECHAT_TOKEN].strip(),
                endpoint=(env.get(WECHAT_ENDPOINT) or settings.wechat.endpoint or "").strip()))
        except (WeChatUnavailable, ValueError) as exc:
            raise ConfigError(str(exc)) from None
    return platforms


def describe_database(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite {parsed.database or ':memory:'}"
    name = {"postgresql": "PostgreSQL"}.get(parsed.get_backend_name(), parsed.get_backend_name())
    user = f"{parsed.username}@" if parsed.username else ""
    port = f":{parsed.port}" if parsed.port and parsed.port != 5432 else ""
    return f"{name} {user}{parsed.host or 'localhost'}{port}/{parsed.database or ''}"


def describe(settings: Settings, platforms: list[str], database_url: str) -> str:
    try:
        release = version("griddesk")
    except PackageNotFoundError:
        release = "?"
    parts = []
    for platform, word in (("wechat", "room"), ("telegram", "group")):
        if platform in platforms:
            parts.append(f"{platform} {_count(sum(c.platform == platform for c in settings.chats), word)}")
    return f"GridDesk {release}: {', '.join(parts)}, {describe_database(database_url)}"


def _unreachable(what: str, exc: BaseException) -> StartupError:
    text = " ".join(str(exc).split())[:300] or type(exc).__name__
    return StartupError(f"{what}: {text}")


async def _start(runtime: Runtime, database: str) -> None:
    """Platforms raise StartupError themselves (a refused token, an API out of reach)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        await runtime.start()
    except SQLAlchemyError as exc:
        raise _unreachable(f"database {database}", exc) from None


async def _serve(settings: Settings, announce: Callable[[str], None]) -> None:
    tz = ZoneInfo(settings.timezone)

    def clock() -> datetime:
        return datetime.now(tz)

    url = settings.resolved_database_url
    add_secret(make_url(url).password)
    platforms = build_platforms(settings)
    database = describe_database(url)
    try:
        engine = open_storage(url)
    except Exception as exc:
        raise _unreachable(f"database {database}", exc) from None
    runtime = Runtime(build_desk(settings), engine, platforms, clock,
                      flood_per_minute=settings.flood_per_minute)
    bindings = BindingSync(runtime.desk, engine)  # identities bound through the chat
    bindings.refresh()
    await _start(runtime, database)
    await tick(runtime)  # catch up on whatever fell due while we were down
    scheduler = build_scheduler(runtime, settings.timezone, settings.digest_time,
                                digest_sender(runtime, settings),
                                purge=lambda: runtime.purge(settings.retention_days))
    scheduler.add_job(bindings.refresh, "interval", seconds=REFRESH_SECONDS, id="bindings")
    scheduler.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    announce(describe(settings, list(runtime.platforms), url))
    await stop.wait()
    log.info("GridDesk stopping")
    scheduler.shutdown(wait=False)
    await runtime.stop()
    engine.dispose()


def serve(settings: Settings, announce: Callable[[str], None] = lambda line: None) -> int:
    asyncio.run(_serve(settings, announce))
    return 0

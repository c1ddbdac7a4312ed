"""People, chats and a recording sink for the Telegram tests; pytest fixtures that
start the loopback Bot API and the platform on it. Import the fixtures you use."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest
from telegram import Chat, User

from bot.telegram import TelegramPlatform
from handlers.messages import ButtonPress, Inbound, Outbound
from tests.telegram.server import TOKEN, FakeBotApi

RESIDENT = User(5001, "张阿姨", is_bot=False, username="zhang_ayi")
NEIGHBOUR = User(5002, "李大爷", is_bot=False)
WORKER = User(1001, "王芳", is_bot=False)
"""王芳's Telegram id in the bundled config: grid worker of JL-1 (buildings 1–4)."""
OTHER_BOT = User(777, "广告机器人", is_bot=True)
BUILDING_3 = Chat(-1001000000003, Chat.SUPERGROUP, title="吉利花园3号楼")
OLD_GROUP = Chat(-4000000003, Chat.GROUP, title="吉利花园3号楼")


def private_chat(user: User) -> Chat:
    return Chat(user.id, Chat.PRIVATE, first_name=user.first_name)


@dataclass
class RecordingSink:
    """An InboundSink that keeps what it got and can answer through the platform."""

    platform: TelegramPlatform | None = None
    reply: Callable[[Inbound], list[Outbound]] = lambda _m: []
    notice: str | None = None
    messages: list[Inbound] = field(default_factory=list)
    presses: list[ButtonPress] = field(default_factory=list)
    migrations: list[tuple[str, str, str]] = field(default_factory=list)
    sent_ids: list[str] = field(default_factory=list)

    async def on_message(self, message: Inbound) -> None:
        self.messages.append(message)
        for out in self.reply(message):
            assert self.platform is not None
            self.sent_ids.append(await self.platform.send(out))

    async def on_button(self, press: ButtonPress) -> str | None:
        self.presses.append(press)
        return self.notice

    def on_chat_migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        self.migrations.append((platform, old_chat_id, new_chat_id))


class RecordedSleep:
    """The platform's sleep for backoff and flood control: records, yields, never waits."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(0)


def receipt(message: Inbound) -> list[Outbound]:
    """A stand-in for the core: answer every group message in its chat, as a reply."""
    if message.is_private:
        return []
    return [Outbound("telegram", message.chat_id, f"已收到:{message.text}",
                     reply_to_message_id=message.message_id)]


def make_platform(api: FakeBotApi, sleep: RecordedSleep | None = None, **kwargs: object) -> TelegramPlatform:
    options: dict[str, object] = {"api_url": api.url, "poll_timeout": 5, "sleep": sleep or RecordedSleep()}
    options.update(kwargs)
    return TelegramPlatform(TOKEN, **options)  # type: ignore[arg-type]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@pytest.fixture
def sleeps() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
async def telegram(bot_api: FakeBotApi, sink: RecordingSink, sleeps: RecordedSleep) -> AsyncIterator[TelegramPlatform]:
    platform = make_platform(bot_api, sleeps)
    sink.platform = platform
    await platform.start(sink)
    try:
        yield platform
    finally:
        await platform.stop()

"""A recording sink and pytest fixtures that start the loopback WeChat gateway and
the platform on it. Import the fixtures you use.

Without the gateway's Node packages the tests skip, with the command that installs
them; under CI (env CI set) they fail instead, so a broken install is never green.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.wechat import WeChatPlatform, WeChatUnavailable, load_client
from handlers.messages import ButtonPress, Inbound, Outbound
from tests.wechat.gateway import TIMEOUT, TOKEN, Gateway, gateway_missing_reason


def require_gateway() -> None:
    try:
        load_client()
    except WeChatUnavailable as exc:
        if sys.version_info >= (3, 13):  # upstream: the client needs telnetlib
            pytest.skip(str(exc))
        raise
    reason = gateway_missing_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"WeChat gateway unavailable under CI: {reason}")
    pytest.skip(reason)


@dataclass
class RecordingSink:
    """An InboundSink that keeps what it got and can answer through the platform."""

    platform: WeChatPlatform | None = None
    reply: Callable[[Inbound], list[Outbound]] = lambda _m: []
    messages: list[Inbound] = field(default_factory=list)
    sent_ids: list[str] = field(default_factory=list)
    errors: list[Exception] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_message(self, message: Inbound) -> None:
        self.messages.append(message)
        self._changed.set()
        for out in self.reply(message):
            assert self.platform is not None
            try:
                self.sent_ids.append(await self.platform.send(out))
            except Exception as exc:
                self.errors.append(exc)

    async def on_button(self, press: ButtonPress) -> str | None:
        raise AssertionError("WeChat has no buttons")

    async def wait_for(self, probe: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
        """Wake on each message (and every 50 ms for outside state) until ``probe()``
        is truthy; fail after ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (result := probe()):
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout}s; got {self.messages[-5:]}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.05))
        return result

    async def next_message(self, after: int, timeout: float = TIMEOUT) -> Inbound:
        await self.wait_for(lambda: len(self.messages) > after, timeout)
        return self.messages[after]


def receipt(message: Inbound) -> list[Outbound]:
    """A stand-in for the core: answer every room message in its room."""
    if message.is_private:
        return []
    return [Outbound("wechat", message.chat_id, f"已收到:{message.text}")]


def make_platform(gateway: Gateway, **kwargs: Any) -> WeChatPlatform:
    options: dict[str, Any] = {"endpoint": gateway.endpoint, "token": TOKEN,
                               "backoff": 0.05, "max_backoff": 0.5, "start_timeout": TIMEOUT}
    options.update(kwargs)
    return WeChatPlatform(**options)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    require_gateway()
    gw = Gateway()
    await gw.start()
    try:
        yield gw
    finally:
        await gw.close()


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
async def wechat(gateway: Gateway, sink: RecordingSink) -> AsyncIterator[WeChatPlatform]:
    platform = make_platform(gateway)
    sink.platform = platform
    await platform.start(sink)
    assert platform.connected, "the platform did not log in on the gateway"
    try:
        yield platform
    finally:
        await platform.stop()

"""The Telegram platform: python-telegram-bot's Application on the one side, the
neutral ``Inbound``/``ButtonPress``/``Outbound`` on the other.

Long polling is our own small loop over ``getUpdates`` rather than PTB's Updater,
because the Updater acknowledges a batch (by asking for the next offset) while the
batch may still be waiting in its queue; a crash then loses those updates. Here an
update is acknowledged only after the sink has stored it: when the sink raises (the
database is down), the offset stays before it, the loop pauses and asks again, and
Telegram hands over the same update. A restart redelivers what was in flight and the
core's dedup absorbs it. Webhook mode (for deployments behind HTTPS) uses PTB's
Updater and needs ``python-telegram-bot[webhooks]``; there Telegram counts an update
as delivered once our HTTP answer went out, so a failing sink is retried in process
(and an update in hand when the process dies is lost: prefer long polling).

No conversation logic lives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlsplit

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import HTTPXRequest

from bot.platform import DeliveryError, InboundSink
from bot.settings import StartupError
from bot.telegram_convert import (
    CAPTION_LIMIT,
    NOTICE_LIMIT,
    PLATFORM,
    chat_ref,
    inbound_from_message,
    keyboard,
    press_from_query,
    split_text,
    utf16_len,
)
from bot.telegram_retry import Retrier, Sleep, retry_after_seconds
from handlers.messages import Outbound

log = logging.getLogger(__name__)

T = TypeVar("T")
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
SEEN_UPDATES = 10_000
"""How many recent update ids are remembered to drop redeliveries."""


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    """Public HTTPS URL Telegram posts to; its path is the path we listen on."""
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = None


class TelegramPlatform:
    name = PLATFORM

    def __init__(
        self,
        token: str | None = None,
        *,
        api_url: str = "https://api.telegram.org",
        poll_interval: float = 0.0,
        poll_timeout: int = 10,
        webhook: WebhookConfig | Any | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], datetime] | None = None,
        max_attempts: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_flood_wait: float = 60.0,
        request_timeout: float = 10.0,
        stop_timeout: float = 30.0,
        max_sink_backoff: float = 5.0,
    ) -> None:
        token = token or os.environ.get("TELEGRAM_BOT_TOKEN")
        if not token:
            raise ValueError("no Telegram bot token: set TELEGRAM_BOT_TOKEN")
        self._token = token
        self.api_url = api_url.rstrip("/")
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout
        self.webhook = _webhook_config(webhook)
        self._sleep = sleep
        self._retry = Retrier(sleep, max_attempts, backoff, max_backoff, max_flood_wait)
        self._clock = clock or (lambda: datetime.now(UTC))
        self.request_timeout = request_timeout
        self.stop_timeout = stop_timeout
        self.max_sink_backoff = max_sink_backoff
        """Longest pause before offering an update the sink could not store again."""
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._sink: InboundSink | None = None
        self._poller: asyncio.Task[None] | None = None
        self._waiting: asyncio.Future[Any] | None = None
        self._stopping = False
        self._seen: OrderedDict[int, None] = OrderedDict()
        self.high_water: int | None = None
        """The highest update id handled; polling acknowledges up to it."""
        self.migrated: dict[str, str] = {}
        """Old chat id → new chat id, for groups that became supergroups."""
        self._long_actions: dict[str, str] = {}

    @classmethod
    def from_settings(cls, telegram: Any, token: str | None = None, **kwargs: Any) -> TelegramPlatform:
        """From bot.settings' ``telegram`` section (api_url, poll_interval, poll_timeout,
        webhook), or from the whole settings object that holds it."""
        telegram = getattr(telegram, "telegram", telegram)
        return cls(
            token,
            api_url=telegram.api_url,
            poll_interval=telegram.poll_interval,
            poll_timeout=getattr(telegram, "poll_timeout", 10),
            webhook=telegram.webhook,
            **kwargs,
        )

    # --- life cycle -------------------------------------------------------------
    async def start(self, sink: InboundSink) -> None:
        self._sink = sink
        self._stopping = False
        timeout = self.request_timeout
        requests = [
            HTTPXRequest(connection_pool_size=size, connect_timeout=timeout, read_timeout=timeout,
                         write_timeout=timeout, pool_timeout=timeout)
            for size in (32, 1)  # sends, and the one long poll
        ]
        builder = (
            ApplicationBuilder()
            .token(self._token)
            .base_url(f"{self.api_url}/bot")
            .base_file_url(f"{self.api_url}/file/bot")
            .request(requests[0])
            .get_updates_request(requests[1])
            .job_queue(None)
        )
        if self.webhook is None:
            builder = builder.updater(None)
        app = builder.build()
        app.add_handler(TypeHandler(Update, self._on_update))
        app.add_error_handler(self._on_error)
        try:
            await self._retry.call("getMe", app.initialize)
        except BaseException as exc:
            for request in requests:  # PTB leaves them open when initialize fails
                await request.shutdown()
            if isinstance(exc, InvalidToken):
                raise StartupError("telegram: the bot token (TELEGRAM_BOT_TOKEN) was refused") from None
            if isinstance(exc, TelegramError):
                raise StartupError(f"telegram: cannot reach the Bot API at {self.api_url}: {exc}") from None
            raise
        await app.start()
        self._app = app
        if self.webhook is not None:
            await self._start_webhook(app, self.webhook)
        else:
            await self._retry.call("deleteWebhook", lambda: app.bot.delete_webhook(drop_pending_updates=False))
            self._poller = asyncio.create_task(self._poll_forever(), name="telegram-poll")
        log.info("telegram: running as @%s (%s)", app.bot.username,
                 "webhook" if self.webhook else "long polling")

    async def _start_webhook(self, app: Application[Any, Any, Any, Any, Any, Any], hook: WebhookConfig) -> None:
        if app.updater is None:
            raise RuntimeError("webhook mode needs PTB's Updater")
        try:
            await app.updater.start_webhook(
                listen=hook.listen,
                port=hook.port,
                url_path=urlsplit(hook.url).path.lstrip("/"),
                webhook_url=hook.url,
                secret_token=hook.secret_token,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
            )
        except RuntimeError as exc:
            if "webhooks" in str(exc):
                raise StartupError(
                    "Telegram webhook mode needs python-telegram-bot[webhooks] (tornado)"
                ) from exc
            raise

    async def stop(self) -> None:
        app = self._app
        if app is None:
            return
        self._stopping = True
        if self._poller is not None:
            if self._waiting is not None:
                self._waiting.cancel()
            # let the batch in hand finish, so what was handled can be acknowledged
            done, _ = await asyncio.wait({self._poller}, timeout=self.stop_timeout)
            if not done:
                log.warning("telegram: the sink did not finish within %.0fs; stopping anyway",
                            self.stop_timeout)
                self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
            await self._acknowledge(app)
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        self._app = None

    async def _acknowledge(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Tell the server what was handled, so a new process does not get it again."""
        if self.high_water is None:
            return
        try:
            await app.bot.get_updates(offset=self.high_water + 1, timeout=0, limit=1)
        except TelegramError as exc:
            log.info("telegram: could not acknowledge updates on stop (%s)", exc)

    # --- receiving ------------------------------------------------------------------
    async def _poll_forever(self) -> None:
        app = self._app
        assert app is not None
        failures = unstored = 0
        while not self._stopping:
            offset = self.high_water + 1 if self.high_water is not None else None
            try:
                updates = await self._interruptible(
                    app.bot.get_updates(offset=offset, timeout=self.poll_timeout,
                                        allowed_updates=ALLOWED_UPDATES)
                )
            except asyncio.CancelledError:
                if self._stopping:
                    return
                raise
            except RetryAfter as exc:
                await self._pause(retry_after_seconds(exc))
                continue
            except (InvalidToken, Forbidden) as exc:
                log.error("telegram: polling stopped: %s", exc)
                return
            except Exception as exc:  # network trouble, a conflict, an unreadable answer
                failures += 1
                delay = self._retry.delay(failures)
                log.warning("telegram: getUpdates failed (%r); retrying in %.1fs", exc, delay)
                await self._pause(delay)
                continue
            failures = 0
            for update in updates:
                try:
                    await app.process_update(update)
                except Exception:
                    log.exception("telegram: update %s could not be processed", update.update_id)
                if update.update_id not in self._seen:  # not stored: ask for it again
                    unstored += 1
                    delay = min(self._retry.delay(unstored), self.max_sink_backoff)
                    log.warning("telegram: update %s not stored; offered again in %.1fs",
                                update.update_id, delay)
                    await self._pause(delay)
                    break
            else:
                unstored = 0
                if self.poll_interval > 0 or (self.poll_timeout == 0 and not updates):
                    await self._pause(max(self.poll_interval, 0.05), real=True)

    async def _interruptible(self, awaitable: Awaitable[T]) -> T:
        """Await something ``stop()`` may cut short (a long poll, a pause)."""
        waiting: asyncio.Future[T] = asyncio.ensure_future(awaitable)
        self._waiting = waiting
        try:
            return await waiting
        finally:
            self._waiting = None

    async def _pause(self, seconds: float, *, real: bool = False) -> None:
        try:
            await self._interruptible((asyncio.sleep if real else self._sleep)(seconds))
        except asyncio.CancelledError:
            if not self._stopping:
                raise

    def _mark_handled(self, update_id: int) -> None:
        self._seen[update_id] = None
        if len(self._seen) > SEEN_UPDATES:
            self._seen.popitem(last=False)
        if self.high_water is None or update_id > self.high_water:
            self.high_water = update_id

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.update_id in self._seen:
            log.debug("telegram: update %s seen before; dropped", update.update_id)
            return
        attempt = 0
        while True:
            try:
                await self._dispatch(update)
                break
            except Exception as exc:
                log.warning("telegram: update %s was not stored (%s: %s)", update.update_id,
                            type(exc).__name__, exc)
                if self.webhook is None or self._stopping:
                    return  # long polling: the offset stays before it, the poll loop asks again
                attempt += 1
                await self._pause(min(self._retry.delay(attempt), self.max_sink_backoff))
        self._mark_handled(update.update_id)  # not when cancelled: then it is not handled

    async def _dispatch(self, update: Update) -> None:
        sink = self._sink
        assert sink is not None
        if update.callback_query is not None:
            await self._on_press(update, sink)
            return
        message = update.message or update.edited_message
        if message is None:
            return
        if message.migrate_to_chat_id is not None:
            await self._on_migrated(sink, str(message.chat.id), str(message.migrate_to_chat_id))
            return
        if message.migrate_from_chat_id is not None:
            await self._on_migrated(sink, str(message.migrate_from_chat_id), str(message.chat.id))
            return
        if self._app is not None and message.from_user is not None and message.from_user.id == self._app.bot.id:
            return
        inbound = inbound_from_message(
            message, edited=update.edited_message is not None, update_id=update.update_id
        )
        if inbound is not None:
            await sink.on_message(inbound)

    async def _on_press(self, update: Update, sink: InboundSink) -> None:
        query = update.callback_query
        assert query is not None
        press = press_from_query(query, self._clock(), self._long_actions, update_id=update.update_id)
        notice: str | None = None
        try:
            notice = await sink.on_button(press)
        finally:
            try:
                await self._retry.call(
                    "answerCallbackQuery",
                    lambda: query.answer(text=notice[:NOTICE_LIMIT] if notice else None),
                    attempts=2,
                )
            except TelegramError as exc:  # a stale query (older than ~15 s) cannot be answered
                log.info("telegram: could not answer callback query %s (%s)", query.id, exc)

    async def _on_migrated(self, sink: InboundSink, old: str, new: str) -> None:
        if self.migrated.get(old) == new:
            return
        self.migrated[old] = new
        log.info("telegram: chat %s is now %s", old, new)
        hook = getattr(sink, "on_chat_migrated", None)
        if hook is not None:
            result = hook(self.name, old, new)
            if asyncio.iscoroutine(result):
                await result

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: error while handling %r", update, exc_info=context.error)

    # --- sending -------------------------------------------------------------------
    async def send(self, message: Outbound) -> str:
        app = self._app
        if app is None:
            raise DeliveryError("the Telegram platform is not running")
        markup, long_actions = keyboard(message.buttons)
        self._long_actions.update(long_actions)
        chat = message.chat_id
        if message.edit_buttons_of is not None:
            return await self._edit_buttons(chat, message.edit_buttons_of, markup)
        reply = (
            ReplyParameters(int(message.reply_to_message_id), allow_sending_without_reply=True)
            if message.reply_to_message_id and message.reply_to_message_id.isdigit()
            else None
        )
        parts = split_text(message.text) if message.text else []
        sent: list[Message] = []
        try:
            if message.image_png is not None:
                caption = parts.pop(0) if parts and utf16_len(parts[0]) <= CAPTION_LIMIT else None
                photo = message.image_png
                sent.append(await self._send_call(chat, lambda c: app.bot.send_photo(
                    c, photo, caption=caption, reply_parameters=reply,
                    reply_markup=None if parts else markup)))
            for i, part in enumerate(parts):
                sent.append(await self._send_call(chat, _text_sender(
                    app.bot, part, None if sent else reply, markup if i == len(parts) - 1 else None)))
        except TelegramError as exc:
            raise DeliveryError(f"telegram: could not send to {chat}: {exc}") from exc
        if not sent:
            raise DeliveryError("telegram: nothing to send (empty text and no image)")
        return str(sent[0].message_id)

    async def _edit_buttons(self, chat: str, message_id: str, markup: InlineKeyboardMarkup | None) -> str:
        """Take used buttons away (a rating is given once; 接单 once)."""
        app = self._app
        assert app is not None
        if not message_id.isdigit():
            return message_id
        target = self.migrated.get(chat, chat)
        try:
            await self._retry.call("editMessageReplyMarkup", lambda: app.bot.edit_message_reply_markup(
                chat_ref(target), int(message_id), reply_markup=markup))
        except BadRequest as exc:  # already edited, or too old to edit: nothing left to do
            log.info("telegram: buttons of %s/%s not changed (%s)", chat, message_id, exc)
        except TelegramError as exc:
            raise DeliveryError(f"telegram: could not edit buttons in {chat}: {exc}") from exc
        return message_id

    async def _send_call(self, chat_id: str, call: Callable[[int | str], Awaitable[Message]]) -> Message:
        """One send, following a group's migration and retrying what may pass later."""
        attempts = 0
        while True:
            target = self.migrated.get(chat_id, chat_id)
            try:
                return await self._retry.call("send", partial(call, chat_ref(target)))
            except ChatMigrated as exc:
                attempts += 1
                if attempts > 1:
                    raise
                await self._on_migrated_send(chat_id, str(exc.new_chat_id))

    async def _on_migrated_send(self, old: str, new: str) -> None:
        if self._sink is not None:
            await self._on_migrated(self._sink, old, new)
        else:
            self.migrated[old] = new


def _text_sender(
    bot: Bot,
    text: str,
    reply: ReplyParameters | None,
    markup: InlineKeyboardMarkup | None,
) -> Callable[[int | str], Awaitable[Message]]:
    def send(chat: int | str) -> Awaitable[Message]:
        return bot.send_message(chat, text, reply_parameters=reply, reply_markup=markup)

    return send


def _webhook_config(value: Any) -> WebhookConfig | None:
    if value is None or isinstance(value, WebhookConfig):
        return value
    if isinstance(value, dict):
        return WebhookConfig(**value)
    return WebhookConfig(
        url=value.url,
        listen=getattr(value, "listen", "127.0.0.1"),
        port=getattr(value, "port", 8443),
        secret_token=getattr(value, "secret_token", None) or getattr(value, "secret", None),
    )

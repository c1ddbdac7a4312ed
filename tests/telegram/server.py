"""A Telegram Bot API that lives on 127.0.0.1, for tests and the benchmark.

It speaks the methods python-telegram-bot 22 calls, with payloads built from PTB's
own types, and keeps the real semantics that matter to a bot: ``getUpdates`` long
polls and keeps every update until a later call acknowledges it with ``offset``;
message ids count per chat. The test side plays the users (``post``, ``press``,
``edit``, ``migrate``), reads back what the bot said per chat, and can make the
next calls of a method fail (429 with ``retry_after``, or a dropped connection).

Everything runs on the test's event loop; waiting is ``wait_for(predicate)``, which
wakes on every change, never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Update,
    User,
    Voice,
)

from tests.telegram.wire import Closed, read_request, response

TOKEN = "123456:TEST-griddesk"
BOT_USER = User(id=123456, first_name="网格前台", is_bot=True, username="griddesk_bot")
JSON_FIELDS = {"reply_markup", "reply_parameters", "allowed_updates", "commands",
               "entities", "caption_entities", "link_preview_options"}


@dataclass
class Sent:
    """One message the bot sent (or edited), as a member of the chat would see it."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)
    """(label, callback_data) of the inline keyboard, row by row flattened."""
    reply_to: int | None = None
    photo: bytes | None = None
    edits: int = 0

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.buttons]


@dataclass
class Fault:
    kind: str  # "429", "drop" or "stall"
    retry_after: int = 1


class Migrated(LookupError):
    def __init__(self, new_chat_id: int) -> None:
        super().__init__("group chat was upgraded to a supergroup chat")
        self.new_chat_id = new_chat_id


class FakeBotApi:
    def __init__(self, token: str = TOKEN, bot: User = BOT_USER) -> None:
        self.token = token
        self.bot = bot
        self.url = ""
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answers: dict[str, str | None] = {}
        """callback query id → the notice answerCallbackQuery showed (None: no text)."""
        self.acknowledged_up_to = 0
        self.webhook_url = ""
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], Message] = {}
        self._query_ids = itertools.count(1)
        self._faults: dict[str, deque[Fault]] = {}
        self._changed = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._chats: dict[int, Chat] = {}
        self._migrated: dict[int, int] = {}
        self._delivered: list[dict[str, Any]] = []
        self._stall: tuple[str, Callable[[dict[str, Any]], bool]] | None = None
        self.stalled = asyncio.Event()

    # --- life cycle -----------------------------------------------------------
    async def start(self) -> FakeBotApi:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        self._server = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- the test side: faults -------------------------------------------------
    def fail_next(self, method: str, times: int = 1, *, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 Too Many Requests."""
        self._faults.setdefault(method, deque()).extend(Fault("429", retry_after) for _ in range(times))

    def drop_next(self, method: str, times: int = 1) -> None:
        """Close the connection on the next ``times`` calls of ``method`` without answering."""
        self._faults.setdefault(method, deque()).extend(Fault("drop") for _ in range(times))

    def stall_when(self, method: str, predicate: Callable[[dict[str, Any]], bool]) -> None:
        """The first call of ``method`` whose parameters match is carried out (a message
        is sent) but never answered: the bot waits until its request times out, or is
        killed meanwhile. ``stalled`` is set once it happened."""
        self._stall = (method, predicate)
        self.stalled = asyncio.Event()

    # --- the test side: users ----------------------------------------------------
    def post(
        self,
        chat: Chat,
        user: User,
        text: str | None = None,
        *,
        reply_to: Message | Sent | int | None = None,
        photo: bool = False,
        voice: bool = False,
        caption: str | None = None,
        **message_fields: Any,
    ) -> Message:
        """``user`` posts in ``chat``; returns the message as Telegram stored it."""
        message = Message(
            message_id=self._next_message_id(chat.id),
            date=_now(),
            chat=chat,
            from_user=user,
            text=text,
            caption=caption,
            photo=[PhotoSize("AgAD-photo", "uniq-photo", 640, 480)] if photo else None,
            voice=Voice("AwAD-voice", "uniq-voice", 3) if voice else None,
            reply_to_message=self._replied(chat.id, reply_to),
            **message_fields,
        )
        self._messages[(chat.id, message.message_id)] = message
        self._chats[chat.id] = chat
        self._push({"message": message.to_dict()})
        return message

    def edit(self, message: Message, text: str) -> Message:
        """The author edits an earlier message (Telegram sends ``edited_message``)."""
        edited = Message(
            message_id=message.message_id,
            date=message.date,
            chat=message.chat,
            from_user=message.from_user,
            text=text,
            edit_date=_now(),
            reply_to_message=message.reply_to_message,
        )
        self._messages[(message.chat.id, message.message_id)] = edited
        self._push({"edited_message": edited.to_dict()})
        return edited

    def press(self, sent: Sent, user: User, label: str) -> str:
        """``user`` presses the button labelled ``label`` under ``sent``; returns the query id."""
        data = dict(sent.buttons)[label]
        query_id = str(next(self._query_ids))
        query = CallbackQuery(
            id=query_id,
            from_user=user,
            chat_instance=f"ci{sent.chat_id}",
            message=self._messages[(sent.chat_id, sent.message_id)],
            data=data,
        )
        self._push({"callback_query": query.to_dict()})
        return query_id

    def migrate(self, old: Chat, new: Chat, by: User, *, announce: bool = True) -> None:
        """A group becomes a supergroup: a service message in each of the two chats
        (unless ``announce`` is off); from now on a send to the old id fails with
        ``migrate_to_chat_id``."""
        self._migrated[old.id] = new.id
        if announce:
            self.post(old, by, migrate_to_chat_id=new.id)
            self.post(new, by, migrate_from_chat_id=old.id)

    def push_callback(self, query: CallbackQuery) -> None:
        """A callback query exactly as given (e.g. someone pressing a button they should not see)."""
        self._push({"callback_query": query.to_dict()})

    def message_of(self, sent: Sent) -> Message:
        return self._messages[(sent.chat_id, sent.message_id)]

    def redeliver(self, update_id: int) -> None:
        """Queue an update again that was already delivered (a server hiccup)."""
        update = next(u for u in self._delivered if u["update_id"] == update_id)
        self._updates.append(update)
        self._changed_now()

    # --- the test side: reading back -----------------------------------------------
    def sent_to(self, chat_id: int | str) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == int(chat_id)]

    def texts_to(self, chat_id: int | str) -> list[str]:
        return [s.text for s in self.sent_to(chat_id)]

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def queued(self) -> list[dict[str, Any]]:
        """The updates not yet acknowledged, as JSON (what getUpdates or a webhook would carry)."""
        return [dict(u) for u in self._updates]

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until ``predicate()`` is truthy; returns it. Checked after every change on
        the server and at least every 20 ms (for what changes on the bot's side only)."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            changed = self._changed
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, 0.02))

    async def wait_sent(self, chat_id: int | str, count: int = 1, timeout: float = 5.0) -> list[Sent]:
        """Wait until the bot has sent ``count`` messages to ``chat_id``; returns them all."""
        await self.wait_for(lambda: len(self.sent_to(chat_id)) >= count, timeout)
        return self.sent_to(chat_id)

    async def wait_answer(self, query_id: str, timeout: float = 5.0) -> str | None:
        await self.wait_for(lambda: query_id in self.answers, timeout)
        return self.answers[query_id]

    async def wait_acknowledged(self, timeout: float = 5.0) -> None:
        """Wait until the bot has acknowledged every update queued so far."""
        await self.wait_for(lambda: not self._updates, timeout)

    # --- internals --------------------------------------------------------------------
    def _changed_now(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _push(self, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        Update.de_json({"update_id": update_id, **payload}, None)  # PTB must be able to read it
        self._updates.append({"update_id": update_id, **payload})
        self._changed_now()
        return update_id

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _replied(self, chat_id: int, target: Message | Sent | int | None) -> Message | None:
        if target is None:
            return None
        message_id = target if isinstance(target, int) else target.message_id
        return self._messages[(chat_id, message_id)]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while True:
                try:
                    request = await read_request(reader)
                except (Closed, asyncio.IncompleteReadError, ConnectionError):
                    return
                method = request.path.rsplit("/", 1)[-1]
                if not request.path.startswith(f"/bot{self.token}/"):
                    writer.write(response(401 if request.path.startswith("/bot") else 404,
                                          {"ok": False, "error_code": 401, "description": "Unauthorized"}))
                    await writer.drain()
                    continue
                params = _decode(request.params)
                self.calls.append((method, params))
                fault = self._take_fault(method)
                if fault is not None and fault.kind == "drop":
                    self._changed_now()
                    return
                if fault is not None:
                    status, payload = 429, {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {fault.retry_after}",
                        "parameters": {"retry_after": fault.retry_after},
                    }
                else:
                    status, payload = await self._call(method, params, request.files)
                if self._stall is not None and self._stall[0] == method and self._stall[1](params):
                    self._stall = None
                    self.stalled.set()
                    self._changed_now()
                    await asyncio.Event().wait()  # answered never; the task ends with the server
                writer.write(response(status, payload))
                await writer.drain()
                self._changed_now()
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            self._connections.discard(task)
            writer.close()

    def _take_fault(self, method: str) -> Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    async def _call(
        self, method: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> tuple[int, dict[str, Any]]:
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        try:
            result = await handler(params, files)
        except Migrated as exc:
            return 400, {"ok": False, "error_code": 400,
                         "description": "Bad Request: group chat was upgraded to a supergroup chat",
                         "parameters": {"migrate_to_chat_id": exc.new_chat_id}}
        except LookupError as exc:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
        return 200, {"ok": True, "result": result}

    # --- the Bot API methods ----------------------------------------------------------------
    async def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.bot.to_dict()

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self.acknowledged_up_to = max(self.acknowledged_up_to, offset - 1)
            self._changed_now()
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self._updates if u["update_id"] >= offset][:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                self._delivered.extend(ready)
                return ready
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        text = params["text"]
        if not text.strip() or len(text.encode("utf-16-le")) // 2 > 4096:
            raise LookupError("message text is empty or too long")
        return self._record_sent(params, text=text)

    async def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        photo = files.get("photo")
        if photo is None:
            raise LookupError("there is no photo in the request")
        return self._record_sent(params, text=params.get("caption", ""), photo=photo)

    def _record_sent(self, params: dict[str, Any], *, text: str, photo: bytes | None = None) -> Any:
        chat_id = int(params["chat_id"])
        if chat_id in self._migrated:
            raise Migrated(self._migrated[chat_id])
        reply = params.get("reply_parameters") or {}
        reply_to = reply.get("message_id") or params.get("reply_to_message_id")
        markup = params.get("reply_markup")
        chat = self._chat_of(chat_id)
        message = Message(
            message_id=self._next_message_id(chat_id),
            date=_now(),
            chat=chat,
            from_user=self.bot,
            text=None if photo else text,
            caption=text if photo else None,
            photo=[PhotoSize("AgAD-sent", "uniq-sent", 640, 480)] if photo else None,
            reply_markup=InlineKeyboardMarkup.de_json(markup, None) if markup else None,
            reply_to_message=self._messages.get((chat_id, int(reply_to))) if reply_to else None,
        )
        self._messages[(chat_id, message.message_id)] = message
        self.sent.append(Sent(chat_id, message.message_id, text, _buttons(markup),
                              int(reply_to) if reply_to else None, photo))
        return message.to_dict()

    def _chat_of(self, chat_id: int) -> Chat:
        if chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id > 0:
            return Chat(chat_id, Chat.PRIVATE)
        return Chat(chat_id, Chat.SUPERGROUP if str(chat_id).startswith("-100") else Chat.GROUP)

    def _find_sent(self, params: dict[str, Any]) -> tuple[Sent, Message]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self._messages.get(key)
        sent = next((s for s in self.sent if (s.chat_id, s.message_id) == key), None)
        if message is None or sent is None:
            raise LookupError("message to edit not found")
        return sent, message

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        sent, message = self._find_sent(params)
        sent.text, sent.edits = params["text"], sent.edits + 1
        markup = params.get("reply_markup")
        sent.buttons = _buttons(markup)
        edited = Message(message.message_id, message.date, message.chat, from_user=self.bot,
                         text=sent.text, edit_date=_now(),
                         reply_markup=InlineKeyboardMarkup.de_json(markup, None) if markup else None)
        self._messages[(message.chat.id, message.message_id)] = edited
        return edited.to_dict()

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        sent, message = self._find_sent(params)
        markup = params.get("reply_markup")
        sent.buttons, sent.edits = _buttons(markup), sent.edits + 1
        edited = Message(message.message_id, message.date, message.chat, from_user=self.bot,
                         text=message.text, caption=message.caption, edit_date=_now(),
                         reply_markup=InlineKeyboardMarkup.de_json(markup, None) if markup else None)
        self._messages[(message.chat.id, message.message_id)] = edited
        return edited.to_dict()

    async def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.answers[str(params["callback_query_id"])] = params.get("text")
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook_url = params.get("url", "")
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook_url = ""
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self._updates.clear()
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _api_close(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _api_logOut(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _decode(raw: dict[str, Any]) -> dict[str, Any]:
    """PTB sends every non-string parameter JSON-encoded inside the form."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in JSON_FIELDS and isinstance(value, str):
            params[key] = json.loads(value)
        else:
            params[key] = value
    return params


def _buttons(markup: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not markup:
        return []
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", [])
            for b in row]

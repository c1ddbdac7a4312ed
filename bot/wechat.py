"""The WeChat platform: a Wechaty puppet-service gateway on the one side, the
neutral ``Inbound``/``Outbound`` on the other.

We talk gRPC to a gateway (``wechaty-puppet-service``) through the Python
``PuppetService`` client only; the ``wechaty`` package itself does not import on
3.11. That client still uses ``telnetlib`` (gone in Python 3.13) and needs
``pyee<9``, so it is imported lazily: the rest of GridDesk runs anywhere, and only a
configured WeChat platform names the Python version it cannot run on.

The client has no reconnect of its own: its ``start()`` stops and restarts the
gateway's puppet (logging the WeChat account out and in), opens the event stream
and returns (or raises) when the stream ends. We open the stream without the stop,
in a loop that probes the gateway every ``backoff``…``max_backoff`` seconds (0.5 s
then every 1 s, back to 0.5 s after each login), and a periodic ``ding`` notices a
connection that died silently. While disconnected, ``send`` raises ``DeliveryError``
and the runtime's outbox keeps the message.

Events the gateway emits while nobody is connected are dropped by the puppet
service (wechaty-puppet-service 1.x keeps no backlog and has no call that lists past
messages), so that gap is as short as the probing allows. Events that did arrive are
noted in the inbound journal (``bot/wechat_journal.py``) and forgotten only once the
sink has stored them: a process killed with messages in hand leaves them for the
next one, which reads them again from the gateway by id. A message the sink could
not store (the database is down) is offered again, in order, until it is.

Events are translated concurrently (payload look-ups are round trips) but handed
to the sink in the order they arrived, so a photo follows the request it belongs to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.platform import DeliveryError, InboundSink
from bot.wechat_client import (
    WeChatUnavailable,
    load_client,
    png_file_box,
    split_endpoint,
    tame_library_logs,
)
from bot.wechat_convert import (
    IMAGE_FALLBACK,
    PLATFORM,
    Payload,
    inbound_from_payload,
    with_button_hints,
)
from bot.wechat_journal import Journal
from bot.wechat_lookup import Lookups
from handlers.messages import Inbound, Outbound
from handlers.turn import TOPIC_PREFIX

log = logging.getLogger(__name__)
__all__ = ["WeChatPlatform", "WeChatUnavailable", "load_client"]

Sleep = Callable[[float], Awaitable[None]]
READ_ATTEMPTS = 3


class WeChatPlatform:
    name = PLATFORM

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | None = None,
        *,
        room_ids: Iterable[str] = (),
        room_topics: Iterable[str] = (),
        start_timeout: float = 15.0,
        request_timeout: float = 10.0,
        keepalive: float = 30.0,
        reread_window: float = 120.0,
        backoff: float = 0.5,
        max_backoff: float = 1.0,
        probe_timeout: float = 2.0,
        max_sink_backoff: float = 5.0,
        stop_timeout: float = 10.0,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.endpoint = endpoint or os.environ.get("WECHATY_PUPPET_SERVICE_ENDPOINT")
        self._token = token or os.environ.get("WECHATY_PUPPET_SERVICE_TOKEN")
        if not self.endpoint:
            # Without one the client would ask a public discovery service for it.
            raise ValueError("no WeChat gateway endpoint: set WECHATY_PUPPET_SERVICE_ENDPOINT (host:port)")
        if not self._token:
            raise ValueError("no WeChat gateway token: set WECHATY_PUPPET_SERVICE_TOKEN")
        self._host, self._port = split_endpoint(self.endpoint)
        self._client, self._options = load_client()
        tame_library_logs(self._token)
        self.room_ids = set(room_ids)
        self.room_topics = set(room_topics)
        self.rooms_by_topic: dict[str, str] = {}
        """Configured topic → room id, as last resolved on the gateway."""
        self.start_timeout = start_timeout
        self.request_timeout = request_timeout
        self.keepalive = keepalive
        self.reread_window = reread_window
        """How long a message whose payload could not be read waits for a reconnect."""
        self.backoff = backoff
        self.max_backoff = max_backoff
        """The longest wait between two probes of a gateway that is down."""
        self.probe_timeout = probe_timeout
        self.max_sink_backoff = max_sink_backoff
        self.stop_timeout = stop_timeout
        self._sleep = sleep
        self._clock = clock or (lambda: datetime.now(UTC))
        self._sink: InboundSink | None = None
        self._puppet: Any = None
        self.self_id: str | None = None
        self.self_name: str | None = None
        self._logged_in = asyncio.Event()
        self._stopping = False
        self._runner: asyncio.Task[None] | None = None
        self._deliverer: asyncio.Task[None] | None = None
        self._busy = False
        self._take_over = False
        self._pending: asyncio.Queue[tuple[str, asyncio.Future[Inbound | None]]] = asyncio.Queue()
        self._journal = Journal(None, PLATFORM)
        self._lookups = Lookups(request_timeout)
        self.connections = 0
        """How many times a session logged in; tests and logs use it to see reconnects."""

    @classmethod
    def from_settings(cls, settings: Any, **kwargs: Any) -> WeChatPlatform:
        """From bot.settings: the ``wechat`` section and the WeChat chats (id or topic).
        The environment's WECHATY_PUPPET_SERVICE_ENDPOINT wins over ``wechat.endpoint``."""
        chats = [c for c in getattr(settings, "chats", []) if c.platform == PLATFORM]
        wechat = getattr(settings, "wechat", None)
        kwargs.setdefault("endpoint", os.environ.get("WECHATY_PUPPET_SERVICE_ENDPOINT")
                          or getattr(wechat, "endpoint", None))
        kwargs.setdefault("room_ids", [c.id for c in chats if c.id])
        kwargs.setdefault("room_topics", [c.topic for c in chats if c.topic])
        return cls(**kwargs)

    @property
    def connected(self) -> bool:
        return self._puppet is not None and self._logged_in.is_set()

    async def wait_connected(self, timeout: float) -> None:
        await asyncio.wait_for(self._logged_in.wait(), timeout)

    # --- life cycle -------------------------------------------------------------
    async def start(self, sink: InboundSink) -> None:
        self._sink = sink
        self._journal = Journal(sink, PLATFORM)
        self._stopping = False
        self._deliverer = asyncio.create_task(self._deliver_forever(), name="wechat-deliver")
        self._runner = asyncio.create_task(self._run(), name="wechat-connection")
        try:
            await self.wait_connected(self.start_timeout)
        except TimeoutError:
            log.warning("wechat: not logged in on %s after %.0fs; still trying in the background",
                        self.endpoint, self.start_timeout)

    async def stop(self) -> None:
        """Take no more events, hand the sink what was already read (for up to
        ``stop_timeout``), then close our connection. The gateway's WeChat session
        is left running."""
        self._stopping = True
        await self._cancel(self._runner)
        try:
            await asyncio.wait_for(self._drained(), self.stop_timeout)
        except TimeoutError:
            left = self._pending.qsize() + int(self._busy)
            log.warning("wechat: %d messages were not handled before stopping%s", left,
                        "; the next start reads them again" if self._journal.enabled else "")
        await self._cancel(self._deliverer)
        self._journal.flush()
        self._runner = self._deliverer = None
        self._close(self._puppet)
        self._puppet = None
        self._logged_in.clear()

    async def _drained(self) -> None:
        while self._busy or not self._pending.empty():
            await asyncio.sleep(0.01)

    @staticmethod
    async def _cancel(task: asyncio.Task[None] | None) -> None:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _run(self) -> None:
        delay = self.backoff
        down = False
        while not self._stopping:
            logins = self.connections
            try:
                await self._session()
                log.warning("wechat: the gateway %s ended the event stream", self.endpoint)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                (log.debug if down else log.warning)(
                    "wechat: gateway %s unreachable or lost (%s: %s); probing every %.1f-%.1fs",
                    self.endpoint, type(exc).__name__, exc, self.backoff, self.max_backoff)
            self._logged_in.clear()
            self._close(self._puppet)
            self._puppet = None
            if self.connections > logins:
                delay, down = self.backoff, False
            else:
                down = True
            await self._sleep(delay)
            delay = min(delay * 2, self.max_backoff)

    async def _session(self) -> None:
        # The client's own reachability check is a blocking telnet; look first without blocking.
        _, writer = await asyncio.wait_for(asyncio.open_connection(self._host, self._port),
                                           self.probe_timeout)
        writer.close()
        puppet = self._client(self._options(end_point=self.endpoint, token=self._token))
        puppet.on("login", lambda payload: self._on_login(puppet, payload))
        puppet.on("logout", self._on_logout)
        puppet.on("message", lambda payload: self._on_message(puppet, payload))
        puppet.on("room-topic", self._on_room_topic)
        puppet.on("scan", self._on_scan)
        puppet.on("error", self._on_error)
        self._puppet = puppet
        take_over, self._take_over = self._take_over, False
        listen = asyncio.create_task(puppet.start() if take_over else self._open(puppet),
                                     name="wechat-events")
        watch = asyncio.create_task(self._keepalive(puppet), name="wechat-keepalive")
        try:
            done, _ = await asyncio.wait({listen, watch}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                task.result()
        finally:
            for task in (listen, watch):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _open(self, puppet: Any) -> None:
        """``PuppetService.start()`` without its opening ``Stop`` call: Stop logs the
        gateway's WeChat account out and Start logs it in again, on every reconnect.
        Start on a running puppet changes nothing. (Private methods of the pinned
        client, 0.8.10.) If the gateway still holds an event stream for someone, it
        refuses ours; the next attempt then takes over with the client's own start()."""
        puppet._init_puppet()
        await puppet.puppet_stub.start()
        try:
            await puppet._listen_for_event()
        except Exception as exc:
            if "ALREADY_EXISTS" in repr(getattr(exc, "status", "")):
                log.warning("wechat: the gateway holds another event stream; taking it over")
                self._take_over = True
            raise

    async def _keepalive(self, puppet: Any) -> None:
        while True:
            await asyncio.sleep(self.keepalive)
            if puppet._puppet_stub is not None:
                await asyncio.wait_for(puppet.ding("griddesk"), self.request_timeout)

    @staticmethod
    def _close(puppet: Any) -> None:
        channel = getattr(puppet, "channel", None)
        if channel is not None:
            with contextlib.suppress(Exception):
                channel.close()
            puppet.channel = None
            puppet._puppet_stub = None

    # --- gateway events ---------------------------------------------------------
    def _on_login(self, puppet: Any, payload: Any) -> None:
        self.self_id = payload.contact_id
        self.connections += 1
        backlog = self._journal.backlog()
        if backlog:
            log.warning("wechat: reading %d messages again that a previous run received but "
                        "did not store", len(backlog))
        for message_id in backlog:
            self._read_later(puppet, message_id)
        asyncio.ensure_future(self._after_login(puppet))

    async def _after_login(self, puppet: Any) -> None:
        try:
            self.self_name = await self._lookups.contact_name(puppet, self.self_id or "")
        except Exception as exc:
            log.warning("wechat: could not read our own name (%s)", exc)
        if puppet is not self._puppet:
            return
        log.info("wechat: logged in as %s (%s) on %s", self.self_name, self.self_id, self.endpoint)
        self._logged_in.set()
        if self.room_topics:
            with contextlib.suppress(Exception):
                await self.resolve_room_topics(self.room_topics)

    def _on_logout(self, payload: Any) -> None:
        log.warning("wechat: logged out of %s (%s)", getattr(payload, "contact_id", "?"),
                    getattr(payload, "data", ""))
        self._logged_in.clear()

    def _on_scan(self, payload: Any) -> None:
        # The QR code is a login credential: say that one is waiting, never what it is.
        log.warning("wechat: the gateway is waiting for a QR code scan (status %s)",
                    getattr(payload, "status", "?"))

    def _on_error(self, payload: Any) -> None:
        log.warning("wechat: gateway error: %s", getattr(payload, "data", payload))

    def _on_room_topic(self, payload: Any) -> None:
        room_id, topic = getattr(payload, "room_id", None), getattr(payload, "new_topic", None)
        if room_id and topic:
            self._lookups.topic_changed(room_id, topic)
            log.info("wechat: room %s is now called %s", room_id, topic)

    def _on_message(self, puppet: Any, payload: Any) -> None:
        message_id = getattr(payload, "message_id", None)
        if not message_id:
            return
        self._journal.noted(str(message_id))
        self._read_later(puppet, str(message_id))

    def _read_later(self, puppet: Any, message_id: str) -> None:
        self._pending.put_nowait((message_id, asyncio.ensure_future(self._translate(puppet, message_id))))

    # --- inbound ----------------------------------------------------------------
    async def _deliver_forever(self) -> None:
        while True:
            message_id, future = await self._pending.get()
            self._busy = True
            try:
                await self._deliver(message_id, future)
            finally:
                self._busy = False

    async def _deliver(self, message_id: str, future: asyncio.Future[Inbound | None]) -> None:
        try:
            message = await future
        except Exception as exc:
            log.error("wechat: message %s could not be read from the gateway; it is lost (%s: %s)",
                      message_id, type(exc).__name__, exc)
            self._journal.done(message_id)
            return
        attempt = 0
        while message is not None and self._sink is not None:
            try:
                await self._sink.on_message(message)
                break
            except Exception as exc:  # not stored: offer it again, keep the order
                attempt += 1
                delay = min(self.backoff * 2 ** (attempt - 1), self.max_sink_backoff)
                log.warning("wechat: message %s/%s not stored (%s: %s); again in %.1fs",
                            message.chat_id, message.message_id, type(exc).__name__, exc, delay)
                await self._sleep(delay)
        self._journal.done(message_id)

    async def _translate(self, puppet: Any, message_id: str) -> Inbound | None:
        """Read one message; if the connection dropped meanwhile, read it again once
        reconnected (a gateway keeps message ids), rather than lose it."""
        for attempt in range(READ_ATTEMPTS):
            try:
                return await self._read(puppet, message_id)
            except Exception as exc:
                if self._stopping or attempt == READ_ATTEMPTS - 1:
                    raise
                log.info("wechat: message %s not read (%s: %s); trying again", message_id,
                         type(exc).__name__, exc)
                puppet = await self._next_session(puppet, exc)
        return None

    async def _next_session(self, failed: Any, exc: Exception) -> Any:
        """The session to read again on: a new one once reconnected, or the same one
        if it is still up after a moment (the failure was the message's, not the line's)."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        while not self._stopping:
            if self.connected and (self._puppet is not failed or loop.time() - start > 1.0):
                return self._puppet
            if loop.time() - start > self.reread_window:
                break
            await asyncio.sleep(0.05)
        raise exc

    async def _read(self, puppet: Any, message_id: str) -> Inbound | None:
        raw = await asyncio.wait_for(puppet.message_payload(message_id), self.request_timeout)
        talker = raw.from_id
        if not talker or talker == self.self_id:
            return None
        room_id = raw.room_id or None
        topic = await self._lookups.room_topic(puppet, room_id) if room_id else None
        if room_id and not self._wanted(room_id, topic):
            log.debug("wechat: ignoring room %s (%s): not configured", room_id, topic)
            return None
        configured_topic = next((t for t, r in self.rooms_by_topic.items() if r == room_id), None)
        payload = Payload(
            message_id=raw.id or message_id,
            talker_id=talker,
            text=raw.text or "",
            type_name=getattr(raw.type, "name", None),
            timestamp=raw.timestamp,
            room_id=room_id,
            room_topic=configured_topic or topic,
            talker_name=await self._lookups.contact_name(puppet, talker),
            mention_ids=tuple(raw.mention_ids or ()),
            filename=raw.filename or None,
        )
        return inbound_from_payload(payload, self.self_id, self.self_name, self._clock())

    def _wanted(self, room_id: str, topic: str | None) -> bool:
        if not self.room_ids and not self.room_topics:
            return True  # nothing configured here: the core decides
        return (room_id in self.room_ids or room_id in self.rooms_by_topic.values()
                or (topic is not None and topic in self.room_topics))

    async def resolve_room_topics(self, topics: Iterable[str]) -> dict[str, str]:
        """Exact room topic → room id for the rooms the bot is in; a topic that two
        rooms share, or that no room has, is left out (and logged)."""
        resolved = await self._lookups.rooms_called(self._require(), set(topics))
        self.rooms_by_topic.update(resolved)
        return resolved

    # --- outbound ---------------------------------------------------------------
    def _require(self) -> Any:
        puppet = self._puppet
        if puppet is None or not self._logged_in.is_set() or puppet._puppet_stub is None:
            raise DeliveryError(f"wechat: not connected to the gateway {self.endpoint}")
        return puppet

    def _address(self, chat_id: str) -> str:
        """A room configured only by topic is addressed as "topic:<群名>" by the core."""
        if not chat_id.startswith(TOPIC_PREFIX):
            return chat_id
        room_id = self.rooms_by_topic.get(chat_id[len(TOPIC_PREFIX):])
        if room_id is None:
            raise DeliveryError(f"wechat: no room with topic {chat_id[len(TOPIC_PREFIX):]!r} yet")
        return room_id

    async def send(self, message: Outbound) -> str:
        puppet = self._require()
        message = replace(message, chat_id=self._address(message.chat_id))
        text = with_button_hints(message.text, message.buttons)
        try:
            message_id = ""
            if text:
                message_id = await asyncio.wait_for(
                    puppet.message_send_text(message.chat_id, text), self.request_timeout)
            if message.image_png is not None:
                message_id = await self._send_png(puppet, message.chat_id, message.image_png) or message_id
        except DeliveryError:
            raise
        except Exception as exc:
            raise DeliveryError(f"wechat: send to {message.chat_id} failed: {type(exc).__name__}: {exc}") from exc
        return str(message_id or "")

    async def _send_png(self, puppet: Any, chat_id: str, png: bytes) -> str:
        box = png_file_box(png)
        try:
            response = await asyncio.wait_for(
                puppet.puppet_stub.message_send_file(conversation_id=chat_id, filebox=box),
                self.request_timeout)
        except (OSError, TimeoutError, ConnectionError):
            raise
        except Exception as exc:
            if type(exc).__name__ in ("StreamTerminatedError", "ProtocolError"):
                raise
            # The puppet cannot send files: the text went; say that the picture is missing.
            log.warning("wechat: the gateway could not send an image to %s (%s)", chat_id, exc)
            return str(await asyncio.wait_for(puppet.message_send_text(chat_id, IMAGE_FALLBACK),
                                              self.request_timeout) or "")
        return str(getattr(response, "id", "") or "")

"""The console platform: chats that live in this process, for the demo, the
interactive console and tests. It prints the conversation as people would see it."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.platform import InboundSink
from handlers.messages import ButtonPress, Inbound, MessageKind, Outbound

BOT_NAME = "网格前台"


@dataclass(frozen=True)
class Said:
    """One line of the transcript: who said what where."""

    chat_id: str
    speaker: str
    text: str
    private: bool
    message_id: str
    buttons: tuple[str, ...] = ()
    at: datetime | None = None
    actions: tuple[str, ...] = ()
    """What each button does (for tests that press them)."""


class ConsolePlatform:
    name = "console"

    def __init__(
        self,
        chat_names: dict[str, str] | None = None,
        echo: Callable[[str], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        id_prefix: str | None = None,
    ) -> None:
        self.chat_names = chat_names or {}
        self.echo = echo
        self.clock = clock
        self.transcript: list[Said] = []
        self.edits: list[tuple[str, tuple[str, ...]]] = []
        """(message id, buttons left) for every message whose used buttons were taken away."""
        self._ids = itertools.count(1)
        self.id_prefix = id_prefix if id_prefix is not None else secrets.token_hex(4)
        """Message ids are "m<prefix>-<n>": unique per session, so a second console on the
        same database never collides with ids already stored (and silently deduped)."""
        self._sink: InboundSink | None = None

    async def start(self, sink: InboundSink) -> None:
        self._sink = sink

    async def stop(self) -> None:
        self._sink = None

    def _show(self, said: Said) -> None:
        self.transcript.append(said)
        if self.echo is None:
            return
        where = f"私聊·{said.chat_id}" if said.private else self.chat_names.get(said.chat_id, said.chat_id)
        stamp = f"{said.at:%H:%M} " if said.at else ""
        body = said.text.replace("\n", "\n" + " " * 8)
        line = f"{stamp}[{where}] {said.speaker}: {body}"
        if said.buttons:
            line += "\n" + " " * 8 + " ".join(f"[{b}]" for b in said.buttons)
        self.echo(line)

    def _next_id(self) -> str:
        return f"m{self.id_prefix}-{next(self._ids)}"

    async def send(self, message: Outbound) -> str:
        if message.edit_buttons_of is not None:
            self.edits.append((message.edit_buttons_of, tuple(b.label for b in message.buttons)))
            return message.edit_buttons_of
        message_id = self._next_id()
        self._show(
            Said(
                chat_id=message.chat_id,
                speaker=f"🤖{BOT_NAME}",
                text=message.text + (" [图表]" if message.image_png else ""),
                private=message.private,
                message_id=message_id,
                buttons=tuple(b.label for b in message.buttons),
                at=self.clock() if self.clock else None,
                actions=tuple(b.action for b in message.buttons),
            )
        )
        return message_id

    async def post(
        self,
        chat_id: str,
        sender: str,
        text: str,
        at: datetime,
        *,
        private: bool = False,
        reply_to: str | None = None,
        kind: MessageKind = MessageKind.TEXT,
    ) -> str:
        """Someone types in a chat; on the console a person's id is their name."""
        assert self._sink is not None, "start the platform first"
        message_id = self._next_id()
        self._show(Said(chat_id, sender, text if kind is MessageKind.TEXT else f"[{kind.value}]",
                        private, message_id, at=at))
        await self._sink.on_message(
            Inbound(
                platform=self.name,
                chat_id=chat_id,
                message_id=message_id,
                sender_id=sender,
                sender_name=sender,
                text=text,
                sent_at=at,
                is_private=private,
                kind=kind,
                reply_to_message_id=reply_to,
            )
        )
        return message_id

    async def press(self, chat_id: str, sender: str, message_id: str, action: str, at: datetime) -> str | None:
        assert self._sink is not None
        return await self._sink.on_button(
            ButtonPress(self.name, chat_id, message_id, sender, sender, action, at)
        )

    def said_in(self, chat_id: str) -> list[Said]:
        return [s for s in self.transcript if s.chat_id == chat_id]

    def bot_said_in(self, chat_id: str) -> list[str]:
        return [s.text for s in self.transcript if s.chat_id == chat_id and s.speaker.startswith("🤖")]

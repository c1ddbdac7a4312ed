"""What one handled message or button press works with, and how it addresses people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from handlers.categories import Urgency
from handlers.directory import Chat, ChatKind, Directory, Staff
from handlers.messages import Button, Outbound
from handlers.ports import TicketStore
from handlers.tickets import Reporter, Ticket, TicketEvent

if TYPE_CHECKING:
    from handlers.timers import TimerPolicy

TOPIC_PREFIX = "topic:"
"""A chat configured only by its WeChat room topic is addressed as "topic:<群名>"."""

QuietHours = Callable[[datetime, Urgency], datetime]
"""When a ping about a ticket of that urgency may be delivered (quiet hours)."""


@dataclass
class Turn:
    store: TicketStore
    directory: Directory
    now: datetime
    platform: str
    chat_id: str
    sender_id: str
    sender_name: str
    chat: Chat | None
    staff: Staff | None
    is_private: bool
    message_id: str | None = None
    timers: TimerPolicy | None = None
    quiet: QuietHours | None = None
    deferrable: bool = False
    """Set for timer-driven turns: even group messages then respect quiet hours."""
    outbox: list[Outbound] = field(default_factory=list)

    @property
    def actor(self) -> str:
        return self.staff.id if self.staff else f"resident:{self.platform}:{self.sender_id}"

    @property
    def reporter(self) -> Reporter:
        return Reporter(self.platform, self.sender_id, self.sender_name, self.chat_id)

    def record(self, ticket: Ticket, event: TicketEvent) -> None:
        """Save a change with its audit event; a new state re-plans the ticket's timers."""
        self.store.save_ticket(ticket)
        self.store.append_event(event)
        if event.to_status is not None:
            self.replan(ticket)

    def replan(self, ticket: Ticket) -> None:
        if self.timers is not None and ticket.id is not None:
            self.store.replace_due(ticket.id, self.timers.plan(ticket))

    @staticmethod
    def _urgent(ticket: Ticket | None) -> bool:
        return ticket is not None and ticket.urgency is Urgency.EMERGENCY

    def _not_before(self, ticket: Ticket | None) -> datetime | None:
        if self.quiet is None or ticket is None:
            return None
        when = self.quiet(self.now, ticket.urgency)
        return when if when > self.now else None

    def reply(self, text: str, ticket: Ticket | None = None, buttons: tuple[Button, ...] = ()) -> None:
        self.outbox.append(
            Outbound(
                platform=self.platform,
                chat_id=self.chat_id,
                text=text,
                private=self.is_private,
                reply_to_message_id=self.message_id,
                ticket_id=ticket.id if ticket else None,
                buttons=buttons,
                urgent=self._urgent(ticket),
            )
        )

    def tell_ticket_chat(
        self, ticket: Ticket, text: str, buttons: tuple[Button, ...] = ()
    ) -> None:
        """Say something where the ticket was reported, answering the original message."""
        self.outbox.append(
            Outbound(
                platform=ticket.platform,
                chat_id=ticket.chat_id,
                text=text,
                private=ticket.chat_id == ticket.reporter.user_id,
                reply_to_message_id=ticket.source_message_id,
                ticket_id=ticket.id,
                buttons=buttons,
                not_before=self._not_before(ticket) if self.deferrable else None,
                urgent=self._urgent(ticket),
            )
        )

    def tell_staff(
        self,
        person: Staff,
        text: str,
        ticket: Ticket | None = None,
        buttons: tuple[Button, ...] = (),
        prefer_platform: str | None = None,
    ) -> None:
        """Privately where we can reach them, else in their community's staff chat."""
        prefer = prefer_platform or self.platform
        platform = prefer if prefer in person.identities else next(iter(person.identities), None)
        if platform is not None:
            self.outbox.append(
                Outbound(
                    platform=platform,
                    chat_id=person.identities[platform],
                    text=text,
                    private=True,
                    ticket_id=ticket.id if ticket else None,
                    buttons=buttons,
                    not_before=self._not_before(ticket),
                    urgent=self._urgent(ticket),
                )
            )
            return
        for chat in self.directory.chats_of_kind(ChatKind.COMMUNITY_STAFF):
            community = ticket.community if ticket else None
            address = chat.chat_id or (f"{TOPIC_PREFIX}{chat.topic}" if chat.topic else None)
            if address and (community is None or chat.community == community):
                self.outbox.append(
                    Outbound(
                        platform=chat.platform,
                        chat_id=address,
                        text=f"@{person.name} {text}",
                        ticket_id=ticket.id if ticket else None,
                        not_before=self._not_before(ticket),
                        urgent=self._urgent(ticket),
                    )
                )
                return

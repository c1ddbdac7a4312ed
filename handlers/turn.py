"""What one handled message or button press works with, and how it addresses people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from handlers import texts
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
Deadlines = Callable[[Urgency, datetime], tuple[datetime | None, datetime | None]]
"""(acknowledge by, resolve by) for a ticket of that urgency created then (SLA)."""


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
    deadlines: Deadlines | None = None
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

    def local(self, when: datetime) -> datetime:
        return when.astimezone(ZoneInfo(self.directory.policy.timezone))

    def expectation(self, ticket: Ticket) -> str:
        """When the resident can expect an answer, in their terms ("今天17:30前")."""
        if ticket.ack_due is not None:
            return texts.by_when(self.local(ticket.ack_due), self.local(self.now))
        return self.directory.policy.ack_expectation.get(
            ticket.urgency.value, texts.DEFAULT_EXPECTATION[ticket.urgency])

    def _not_before(self, ticket: Ticket | None, urgency: Urgency | None = None) -> datetime | None:
        if ticket is not None:
            # an urgent ticket wakes someone until it is taken on; after that its
            # reminders wait for the morning like an ordinary one's
            urgency = ticket.urgency if ticket.is_emergency or ticket.awaiting_acknowledgement else Urgency.NORMAL
        if self.quiet is None or urgency is None:
            return None
        when = self.quiet(self.now, urgency)
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
        self, ticket: Ticket, text: str, buttons: tuple[Button, ...] = (), reply_to: str | None = None
    ) -> None:
        """Say something where the ticket was reported, answering the original message
        (or ``reply_to``)."""
        self.outbox.append(
            Outbound(
                platform=ticket.platform,
                chat_id=ticket.chat_id,
                text=text,
                private=ticket.chat_id == ticket.reporter.user_id,
                reply_to_message_id=reply_to or ticket.source_message_id or None,
                ticket_id=ticket.id,
                buttons=buttons,
                not_before=self._not_before(ticket) if self.deferrable else None,
                urgent=self._urgent(ticket),
            )
        )

    def staff_reply(self, text: str, ticket: Ticket | None = None, buttons: tuple[Button, ...] = ()) -> None:
        """An answer meant for the staff member who spoke: here when private, privately
        when they spoke in a residents' group (worker-only texts stay out of groups)."""
        if self.is_private or self.staff is None or (
                self.chat is not None and self.chat.kind in (ChatKind.COMMUNITY_STAFF, ChatKind.LEADERS)):
            self.reply(text, ticket, buttons)
        else:
            self.tell_staff(self.staff, text, ticket, buttons)

    def tell_staff(
        self,
        person: Staff,
        text: str,
        ticket: Ticket | None = None,
        buttons: tuple[Button, ...] = (),
        prefer_platform: str | None = None,
        card_id: int | None = None,
        urgency: Urgency | None = None,
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
                    card_id=card_id,
                    buttons=buttons,
                    not_before=self._not_before(ticket, urgency),
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
                        card_id=card_id,
                        not_before=self._not_before(ticket, urgency),
                        urgent=self._urgent(ticket),
                    )
                )
                return

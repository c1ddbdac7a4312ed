"""The database tables. Timestamps are stored as UTC-aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, LargeBinary, UniqueConstraint, false
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(nullable: bool = True, index: bool = False) -> Any:
    return Column(UtcDateTime(), nullable=nullable, index=index)


class InboundMessage(SQLModel, table=True):
    """Every message that reached us, once: the redelivery guard and the record.
    From a chat we do not serve only the key is kept (``disposition`` "unserved")."""

    __tablename__ = "inbound_message"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "message_id"),
        Index("ix_inbound_message_sent_at", "sent_at"),
        Index("ix_inbound_message_received", "platform", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    message_id: str = Field(max_length=128)
    sender_id: str = Field(max_length=128)
    sender_name: str = Field(default="", max_length=128)
    kind: str = Field(default="text", max_length=16)
    text: str = ""
    sent_at: datetime = Field(sa_column=_ts(nullable=False))
    received_at: datetime | None = Field(default=None, sa_column=_ts())
    disposition: str | None = Field(default=None, max_length=16)
    """None: handled; "unserved": a chat we do not serve (no text kept); "throttled"."""


class TicketCounter(SQLModel, table=True):
    """Ticket codes. One row, keyed ``CODE_SPACE``, for the whole deployment; rows
    keyed by community are from the days when codes restarted per community."""

    __tablename__ = "ticket_counter"

    community: str = Field(primary_key=True, max_length=32)
    last_code: int = 0


CODE_SPACE = "*"


class TicketRow(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("community", "code"),
        Index("ix_ticket_similar", "community", "building", "category", "status"),
        Index("ix_ticket_chat", "platform", "chat_id", "created_at"),
        Index("ix_ticket_status_resolve_due", "status", "resolve_due"),
        Index("ix_ticket_status_ack_due", "status", "ack_due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    community: str = Field(max_length=32)
    code: int
    grid: str | None = Field(default=None, max_length=32, index=True)
    building: str | None = Field(default=None, max_length=16)
    unit: str | None = Field(default=None, max_length=16)
    room: str | None = Field(default=None, max_length=16)
    landmark: str | None = Field(default=None, max_length=64)
    category: str = Field(max_length=32)
    urgency: str = Field(max_length=16)
    emergency_kind: str | None = Field(default=None, max_length=16)
    status: str = Field(max_length=16, index=True)
    text: str = ""
    phone: str | None = Field(default=None, max_length=32)
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    source_message_id: str = Field(max_length=128)
    reporter_id: str = Field(max_length=128)
    reporter_name: str = Field(default="", max_length=128)
    assignee: str | None = Field(default=None, max_length=64, index=True)
    escalation_level: int = 0
    households: int = 1
    resolution: str = ""
    rating: str | None = Field(default=None, max_length=16)
    rated_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    created_at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    acknowledged_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    resolved_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    closed_at: datetime | None = Field(default=None, sa_column=_ts())
    ack_due: datetime | None = Field(default=None, sa_column=_ts(index=True))
    resolve_due: datetime | None = Field(default=None, sa_column=_ts(index=True))


class TicketEventRow(SQLModel, table=True):
    """The append-only audit log: rows are inserted, never updated or deleted."""

    __tablename__ = "ticket_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    actor: str = Field(max_length=160)
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    note: str = ""


class ReporterRow(SQLModel, table=True):
    __tablename__ = "reporter"
    __table_args__ = (
        UniqueConstraint("ticket_id", "platform", "user_id"),
        Index("ix_reporter_user", "platform", "user_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    platform: str = Field(max_length=16)
    user_id: str = Field(max_length=128)
    name: str = Field(default="", max_length=128)
    chat_id: str = Field(max_length=128)
    unit: str | None = Field(default=None, max_length=16)
    room: str | None = Field(default=None, max_length=16)
    phone: str | None = Field(default=None, max_length=32)
    text: str = ""


class MessageLink(SQLModel, table=True):
    """A platform message (source, receipt, notification) that is about a ticket."""

    __tablename__ = "message_link"

    platform: str = Field(primary_key=True, max_length=16)
    chat_id: str = Field(primary_key=True, max_length=128)
    message_id: str = Field(primary_key=True, max_length=128)
    ticket_id: int = Field(foreign_key="ticket.id")


class OutboxRow(SQLModel, table=True):
    """Everything the bot has to say, kept until the platform took it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "platform"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    text: str = ""
    private: bool = False
    buttons: str = "[]"
    reply_to_message_id: str | None = Field(default=None, max_length=128)
    ticket_id: int | None = None
    card_id: int | None = None
    edit_buttons_of: str | None = Field(default=None, max_length=128)
    image_png: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    deliver_after: datetime = Field(sa_column=_ts(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_ts())
    attempts: int = 0
    last_error: str = ""
    platform_message_id: str | None = Field(default=None, max_length=128)
    claimed_by: str | None = Field(default=None, max_length=32)
    """The bot process sending it; a dead process's claims are taken over at once."""
    claimed_until: datetime | None = Field(default=None, sa_column=_ts())
    urgent: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """About an emergency: retried within seconds, first out after a restart."""


class DueItemRow(SQLModel, table=True):
    """A ticket's timer. Done timers stay as the record of what was sent."""

    __tablename__ = "due_item"
    __table_args__ = (
        UniqueConstraint("ticket_id", "kind", "due_at"),
        Index("ix_due_pending", "done_at", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    kind: str = Field(max_length=32)
    due_at: datetime = Field(sa_column=_ts(nullable=False))
    claimed_until: datetime | None = Field(default=None, sa_column=_ts())
    done_at: datetime | None = Field(default=None, sa_column=_ts())


class SentDigest(SQLModel, table=True):
    """One row per digest sent, so two bot processes never send the same one twice."""

    __tablename__ = "sent_digest"

    staff_id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(primary_key=True, max_length=16)
    period_start: datetime = Field(sa_column=Column(UtcDateTime(), primary_key=True))
    sent_at: datetime = Field(sa_column=_ts(nullable=False))


class ChatAlias(SQLModel, table=True):
    """A chat that changed id (a Telegram group became a supergroup) → its configured id."""

    __tablename__ = "chat_alias"

    platform: str = Field(primary_key=True, max_length=16)
    chat_id: str = Field(primary_key=True, max_length=128)
    configured_chat_id: str = Field(max_length=128)


class CardRow(SQLModel, table=True):
    """A message the bot was not sure about, shown to a worker ("可能的诉求")."""

    __tablename__ = "card"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "message_id"),
        Index("ix_card_assignee_status", "assignee", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    message_id: str = Field(max_length=128)
    sender_id: str = Field(max_length=128)
    sender_name: str = Field(default="", max_length=128)
    kind: str = Field(default="text", max_length=16)
    text: str = ""
    reason: str = Field(default="", max_length=64)
    community: str = Field(max_length=32)
    grid: str | None = Field(default=None, max_length=32)
    assignee: str | None = Field(default=None, max_length=64)
    category: str | None = Field(default=None, max_length=32)
    urgency: str | None = Field(default=None, max_length=16)
    confidence: float = 0.0
    status: str = Field(default="pending", max_length=16)
    ticket_id: int | None = None
    decided_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    decided_at: datetime | None = Field(default=None, sa_column=_ts())


class CardLink(SQLModel, table=True):
    """A notification message that carried a card: a reply to it is about the card."""

    __tablename__ = "card_link"

    platform: str = Field(primary_key=True, max_length=16)
    chat_id: str = Field(primary_key=True, max_length=128)
    message_id: str = Field(primary_key=True, max_length=128)
    card_id: int = Field(foreign_key="card.id")


class LabelledExampleRow(SQLModel, table=True):
    """A staff correction kept as a training example (``griddesk corrections export``)."""

    __tablename__ = "labelled_example"

    id: int | None = Field(default=None, primary_key=True)
    text: str = ""
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    labels: str = "{}"
    """JSON: is_request, category, urgency, location."""
    fix: str = Field(max_length=32)
    corrected: str = "[]"
    staff_id: str = Field(max_length=64)
    ticket_id: int | None = None
    at: datetime = Field(sa_column=_ts(nullable=False, index=True))


class PendingQuestionRow(SQLModel, table=True):
    """What the bot asked a staff member and waits for ("哪个工单?")."""

    __tablename__ = "pending_question"

    staff_id: str = Field(primary_key=True, max_length=64)
    intent: str = Field(default="", max_length=32)
    note: str = ""
    ticket_ids: str = "[]"
    asked_at: datetime = Field(sa_column=_ts(nullable=False))


class DeadLetter(SQLModel, table=True):
    """An inbound message or button press that could not be handled after every
    retry: kept whole (for ``griddesk replay-dead``) with the error, never dropped."""

    __tablename__ = "dead_letter"
    __table_args__ = (UniqueConstraint("platform", "chat_id", "message_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    chat_id: str = Field(max_length=128)
    message_id: str = Field(max_length=128)
    kind: str = Field(max_length=16)
    """"message" or "button"."""
    payload: str = ""
    error: str = ""
    attempts: int = 0
    failed_at: datetime = Field(sa_column=_ts(nullable=False))
    replayed_at: datetime | None = Field(default=None, sa_column=_ts(index=True))


class BotProcess(SQLModel, table=True):
    """A running bot process and its heartbeat: outbox rows it holds are free for
    others as soon as it stops beating (or is known dead on this host)."""

    __tablename__ = "bot_process"

    id: str = Field(primary_key=True, max_length=32)
    host: str = Field(max_length=128)
    pid: int
    incarnation: str = Field(default="", max_length=64)
    """Boot id and process start time: tells a live process from a reused pid."""
    platforms: str = Field(default="", max_length=128)
    started_at: datetime = Field(sa_column=_ts(nullable=False))
    heartbeat_at: datetime = Field(sa_column=_ts(nullable=False, index=True))


class InboundJournal(SQLModel, table=True):
    """Message ids a platform received but has not yet handed over and stored
    (WeChat pushes events once; a crash must not forget what was pushed)."""

    __tablename__ = "inbound_journal"

    platform: str = Field(primary_key=True, max_length=16)
    message_id: str = Field(primary_key=True, max_length=128)
    received_at: datetime = Field(sa_column=_ts(nullable=False))

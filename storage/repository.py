"""``SqlTicketStore``: the core's ``TicketStore`` port on one SQLModel session."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session

from handlers.cards import Card, CardStatus
from handlers.categories import Category, EmergencyKind, Urgency
from handlers.corrections import LabelledExample
from handlers.digest_build import DigestFacts, DigestScope
from handlers.messages import Inbound, MessageKind
from handlers.staff_talk import PendingQuestion
from handlers.tickets import OPEN_STATUSES, Reporter, Status, Ticket, TicketEvent
from handlers.timers import Due
from storage import digest, due
from storage.database import insert_for
from storage.tables import (
    CODE_SPACE,
    CardLink,
    CardRow,
    DueItemRow,
    InboundMessage,
    LabelledExampleRow,
    MessageLink,
    PendingQuestionRow,
    ReporterRow,
    TicketCounter,
    TicketEventRow,
    TicketRow,
)

_OPEN = [s.value for s in OPEN_STATUSES]
MAX_STORED_TEXT = 20_000


def to_ticket(row: TicketRow) -> Ticket:
    return Ticket(
        id=row.id,
        code=row.code,
        community=row.community,
        category=Category(row.category),
        urgency=Urgency(row.urgency),
        text=row.text,
        platform=row.platform,
        chat_id=row.chat_id,
        source_message_id=row.source_message_id,
        reporter=Reporter(row.platform, row.reporter_id, row.reporter_name, row.chat_id),
        created_at=row.created_at,
        building=row.building,
        unit=row.unit,
        room=row.room,
        landmark=row.landmark,
        phone=row.phone,
        emergency_kind=EmergencyKind(row.emergency_kind) if row.emergency_kind else None,
        grid=row.grid,
        assignee=row.assignee,
        status=Status(row.status),
        escalation_level=row.escalation_level,
        households=row.households,
        acknowledged_at=row.acknowledged_at,
        resolved_at=row.resolved_at,
        closed_at=row.closed_at,
        ack_due=row.ack_due,
        resolve_due=row.resolve_due,
        resolution=row.resolution,
        rating=row.rating,
        rated_at=row.rated_at,
    )


def _card_values(c: Card) -> dict[str, Any]:
    return {
        "platform": c.platform, "chat_id": c.chat_id[:128], "message_id": c.message_id[:128],
        "sender_id": c.sender_id[:128], "sender_name": c.sender_name[:128], "kind": c.kind,
        "text": c.text[:MAX_STORED_TEXT], "reason": c.reason[:64], "community": c.community, "grid": c.grid,
        "assignee": c.assignee, "category": c.category.value if c.category else None,
        "urgency": c.urgency.value if c.urgency else None, "confidence": c.confidence,
        "status": c.status.value, "ticket_id": c.ticket_id, "decided_by": c.decided_by,
        "created_at": c.created_at, "decided_at": c.decided_at,
    }


def _to_card(row: CardRow) -> Card:
    return Card(
        id=row.id, platform=row.platform, chat_id=row.chat_id, message_id=row.message_id,
        sender_id=row.sender_id, sender_name=row.sender_name, kind=row.kind, text=row.text,
        reason=row.reason, community=row.community, grid=row.grid, assignee=row.assignee,
        category=Category(row.category) if row.category else None,
        urgency=Urgency(row.urgency) if row.urgency else None, confidence=row.confidence,
        status=CardStatus(row.status), ticket_id=row.ticket_id, decided_by=row.decided_by,
        created_at=row.created_at, decided_at=row.decided_at,
    )


def _row_values(t: Ticket) -> dict[str, Any]:
    return {
        "community": t.community,
        "grid": t.grid,
        "building": t.building,
        "unit": t.unit,
        "room": t.room,
        "landmark": t.landmark,
        "category": t.category.value,
        "urgency": t.urgency.value,
        "emergency_kind": t.emergency_kind.value if t.emergency_kind else None,
        "status": t.status.value,
        "text": t.text[:MAX_STORED_TEXT],
        "phone": t.phone,
        "platform": t.platform,
        "chat_id": t.chat_id,
        "source_message_id": t.source_message_id,
        "reporter_id": t.reporter.user_id,
        "reporter_name": t.reporter.name[:128],
        "assignee": t.assignee,
        "escalation_level": t.escalation_level,
        "households": t.households,
        "resolution": t.resolution[:MAX_STORED_TEXT],
        "rating": t.rating,
        "rated_at": t.rated_at,
        "created_at": t.created_at,
        "acknowledged_at": t.acknowledged_at,
        "resolved_at": t.resolved_at,
        "closed_at": t.closed_at,
        "ack_due": t.ack_due,
        "resolve_due": t.resolve_due,
    }


_TICKET_TABLE = TicketRow.__table__  # type: ignore[attr-defined]
_INBOUND_TABLE = InboundMessage.__table__  # type: ignore[attr-defined]
_REPORTER_TABLE = ReporterRow.__table__  # type: ignore[attr-defined]
_LINK_TABLE = MessageLink.__table__  # type: ignore[attr-defined]
_INSERT_ONCE: dict[tuple[str, str], Any] = {}
_DUE_TABLE = DueItemRow.__table__  # type: ignore[attr-defined]
_INSERT_DUE: dict[str, Any] = {}
_UPDATE_TICKET = update(_TICKET_TABLE).where(_TICKET_TABLE.c.id == bindparam("ticket_id"))


class SqlTicketStore:
    def __init__(self, session: Session, now: datetime | None = None) -> None:
        self.session = session
        self.now = now
        """When messages recorded through this store were received."""
        self._preloaded: list[TicketRow] = []

    def _insert_once(self, table: Any, unique: tuple[str, ...], values: dict[str, Any]) -> bool:
        """INSERT … ON CONFLICT DO NOTHING; True if the row is new. Statements are built
        once per dialect: building them per message was most of the intake time."""
        dialect = self.session.get_bind().dialect.name
        statement = _INSERT_ONCE.get((dialect, table.name))
        if statement is None:
            statement = (
                insert_for(self.session, table)
                .on_conflict_do_nothing(index_elements=list(unique))
                .returning(*[table.c[name] for name in unique])
            )
            _INSERT_ONCE[(dialect, table.name)] = statement
        return self.session.connection().execute(statement, values).first() is not None

    def record_inbound(self, message: Inbound, disposition: str | None = None) -> bool:
        return self._insert_once(_INBOUND_TABLE, ("platform", "chat_id", "message_id"), {
            "platform": message.platform,
            "chat_id": message.chat_id[:128],
            "message_id": message.message_id[:128],
            "sender_id": message.sender_id[:128],
            "sender_name": message.sender_name[:128],
            "kind": message.kind.value,
            "text": message.text[:MAX_STORED_TEXT],
            "sent_at": message.sent_at,
            "received_at": self.now,
            "disposition": disposition,
        })

    def record_key_only(self, message: Inbound, disposition: str) -> bool:
        """Only what redelivery needs (platform, chat, message id): for chats we do not
        serve, no text, sender or name is kept."""
        return self._insert_once(_INBOUND_TABLE, ("platform", "chat_id", "message_id"), {
            "platform": message.platform,
            "chat_id": message.chat_id[:128],
            "message_id": message.message_id[:128],
            "sender_id": "",
            "sender_name": "",
            "kind": message.kind.value,
            "text": "",
            "sent_at": message.sent_at,
            "received_at": self.now,
            "disposition": disposition,
        })

    def _next_code(self) -> int:
        """One code space for the deployment, so "#42" means one ticket everywhere."""
        statement = (
            insert_for(self.session, TicketCounter)
            .values(community=CODE_SPACE, last_code=1)
            .on_conflict_do_update(
                index_elements=["community"],
                set_={"last_code": TicketCounter.last_code + 1},  # type: ignore[operator]
            )
            .returning(TicketCounter.last_code)
        )
        return int(self.session.execute(statement).scalar_one())

    def add_ticket(self, ticket: Ticket) -> Ticket:
        code = self._next_code()
        row = TicketRow(code=code, **_row_values(ticket))
        self.session.add(row)
        self.session.flush()
        ticket.id, ticket.code = row.id, code
        return ticket

    def save_ticket(self, ticket: Ticket) -> None:
        # A prepared Core statement: building an ORM update per change was the hot spot.
        self.session.connection().execute(_UPDATE_TICKET, {"ticket_id": ticket.id, **_row_values(ticket)})
        loaded = self.session.identity_map.get(identity_key(TicketRow, ticket.id))
        if loaded is not None:  # the Core update bypassed the ORM: reload on next use
            self.session.expire(loaded)

    def append_event(self, event: TicketEvent) -> None:
        self.session.add(
            TicketEventRow(
                ticket_id=event.ticket_id,
                at=event.at,
                actor=event.actor,
                action=event.action,
                from_status=event.from_status.value if event.from_status else None,
                to_status=event.to_status.value if event.to_status else None,
                note=event.note[:MAX_STORED_TEXT],
            )
        )

    def preload_tickets(self, ticket_ids: list[int]) -> None:
        """Load many tickets in one query; ``get_ticket`` then finds them in the session."""
        if ticket_ids:  # kept referenced: the session's identity map holds rows only weakly
            self._preloaded = list(
                self.session.execute(select(TicketRow).where(TicketRow.id.in_(ticket_ids))).scalars()  # type: ignore[union-attr]
            )

    def get_ticket(self, ticket_id: int) -> Ticket | None:
        row = self.session.get(TicketRow, ticket_id)
        return to_ticket(row) if row else None

    def _first(self, *conditions: Any) -> Ticket | None:
        statement = (
            select(TicketRow).where(and_(*conditions)).order_by(TicketRow.id.desc()).limit(1)  # type: ignore[union-attr]
        )
        row = self.session.execute(statement).scalar_one_or_none()
        return to_ticket(row) if row else None

    def find_ticket(self, community: str, code: int) -> Ticket | None:
        return self._first(TicketRow.community == community, TicketRow.code == code)

    def find_ticket_by_code(self, code: int) -> Ticket | None:
        return self._first(TicketRow.code == code)

    def _all(self, *conditions: Any, limit: int = 50) -> list[Ticket]:
        statement = (
            select(TicketRow).where(and_(*conditions)).order_by(TicketRow.id.desc()).limit(limit)  # type: ignore[union-attr]
        )
        return [to_ticket(row) for row in self.session.execute(statement).scalars()]

    def open_tickets_in_building(self, community: str, building: str, since: datetime) -> list[Ticket]:
        return self._all(
            TicketRow.community == community,
            TicketRow.building == building,
            TicketRow.status.in_(_OPEN),  # type: ignore[attr-defined]
            TicketRow.created_at >= since,  # type: ignore[operator]
        )

    def open_tickets_of(self, staff_id: str) -> list[Ticket]:
        return self._all(TicketRow.assignee == staff_id, TicketRow.status.in_(_OPEN))  # type: ignore[attr-defined]

    def inbound(self, platform: str, chat_id: str, message_id: str) -> Inbound | None:
        row = self.session.execute(
            select(InboundMessage).where(InboundMessage.platform == platform, InboundMessage.chat_id == chat_id,
                                         InboundMessage.message_id == message_id)
        ).scalar_one_or_none()
        if row is None:
            return None
        return Inbound(platform=row.platform, chat_id=row.chat_id, message_id=row.message_id,
                       sender_id=row.sender_id, sender_name=row.sender_name, text=row.text,
                       sent_at=row.sent_at, kind=MessageKind(row.kind) if row.kind in MessageKind._value2member_map_
                       else MessageKind.OTHER)

    # --- cards -------------------------------------------------------------------------
    def add_card(self, card: Card) -> Card:
        row = CardRow(**_card_values(card))
        self.session.add(row)
        self.session.flush()
        card.id = row.id
        return card

    def get_card(self, card_id: int) -> Card | None:
        row = self.session.get(CardRow, card_id)
        return _to_card(row) if row else None

    def save_card(self, card: Card) -> None:
        row = self.session.get(CardRow, card.id)
        assert row is not None
        for key, value in _card_values(card).items():
            setattr(row, key, value)
        self.session.add(row)

    def card_for_message(self, platform: str, chat_id: str, message_id: str) -> Card | None:
        link = self.session.get(CardLink, (platform, chat_id, message_id))
        if link is not None:
            return self.get_card(link.card_id)
        row = self.session.execute(
            select(CardRow).where(CardRow.platform == platform, CardRow.chat_id == chat_id,
                                  CardRow.message_id == message_id)
        ).scalar_one_or_none()
        return _to_card(row) if row else None

    def pending_cards_of(self, staff_id: str) -> list[Card]:
        rows = self.session.execute(
            select(CardRow).where(CardRow.assignee == staff_id, CardRow.status == CardStatus.PENDING.value)
            .order_by(CardRow.id.desc()).limit(20)  # type: ignore[union-attr]
        ).scalars()
        return [_to_card(r) for r in rows]

    # --- corrections and questions -------------------------------------------------------
    def add_labelled_example(self, example: LabelledExample) -> None:
        self.session.add(LabelledExampleRow(
            text=example.text[:MAX_STORED_TEXT], platform=example.platform, chat_id=example.chat_id,
            labels=json.dumps(example.labels, ensure_ascii=False), fix=example.fix,
            corrected=json.dumps(example.corrected), staff_id=example.staff_id,
            ticket_id=example.ticket_id, at=example.at))

    def set_pending(self, question: PendingQuestion) -> None:
        self.session.merge(PendingQuestionRow(
            staff_id=question.staff_id, intent=question.intent, note=question.note[:2000],
            ticket_ids=json.dumps(list(question.ticket_ids)), asked_at=question.asked_at))

    def take_pending(self, staff_id: str) -> PendingQuestion | None:
        row = self.session.get(PendingQuestionRow, staff_id)
        if row is None:
            return None
        self.session.delete(row)
        return PendingQuestion(row.staff_id, row.intent, row.note, tuple(json.loads(row.ticket_ids)),
                               row.asked_at)

    def latest_ticket_in_chat(self, platform: str, chat_id: str, since: datetime) -> Ticket | None:
        return self._first(
            TicketRow.platform == platform,
            TicketRow.chat_id == chat_id,
            TicketRow.created_at >= since,  # type: ignore[operator]
        )

    def latest_ticket_reported_by(
        self, platform: str, user_id: str, chat_id: str, since: datetime
    ) -> Ticket | None:
        return self._first(
            TicketRow.platform == platform,
            TicketRow.chat_id == chat_id,
            TicketRow.reporter_id == user_id,
            TicketRow.created_at >= since,  # type: ignore[operator]
        )

    def add_reporter(self, ticket_id: int, reporter: Reporter) -> bool:
        return self._insert_once(_REPORTER_TABLE, ("ticket_id", "platform", "user_id"), {
            "ticket_id": ticket_id,
            "platform": reporter.platform,
            "user_id": reporter.user_id,
            "name": reporter.name[:128],
            "chat_id": reporter.chat_id,
            "unit": reporter.unit,
            "room": reporter.room,
            "phone": reporter.phone,
            "text": reporter.text[:2000],
        })

    def reporters(self, ticket_id: int) -> list[Reporter]:
        rows = self.session.execute(
            select(ReporterRow).where(ReporterRow.ticket_id == ticket_id).order_by(ReporterRow.id)  # type: ignore[arg-type]
        ).scalars()
        return [Reporter(r.platform, r.user_id, r.name, r.chat_id, r.unit, r.room, r.phone, r.text) for r in rows]

    def link_message(self, platform: str, chat_id: str, message_id: str, ticket_id: int) -> None:
        self._insert_once(_LINK_TABLE, ("platform", "chat_id", "message_id"), {
            "platform": platform, "chat_id": chat_id, "message_id": message_id, "ticket_id": ticket_id,
        })

    def ticket_for_message(self, platform: str, chat_id: str, message_id: str) -> int | None:
        link = self.session.get(MessageLink, (platform, chat_id, message_id))
        return link.ticket_id if link else None

    def awaiting_rating(self, platform: str, user_id: str) -> Ticket | None:
        statement = (
            select(TicketRow)
            .join(ReporterRow, ReporterRow.ticket_id == TicketRow.id)  # type: ignore[arg-type]
            .where(
                ReporterRow.platform == platform,
                ReporterRow.user_id == user_id,
                TicketRow.status == Status.RESOLVED.value,
                TicketRow.rating.is_(None),  # type: ignore[union-attr]
            )
            .order_by(TicketRow.resolved_at.desc())  # type: ignore[union-attr]
            .limit(1)
        )
        row = self.session.execute(statement).scalar_one_or_none()
        return to_ticket(row) if row else None

    def replace_due(self, ticket_id: int, plan: list[Due]) -> None:
        wanted = {(d.kind.value, d.at.astimezone(UTC)) for d in plan}
        due.drop_pending_except(self.session, ticket_id, wanted)
        if wanted:  # a Core statement built once per dialect: re-planning runs on every change of state
            dialect = self.session.get_bind().dialect.name
            statement = _INSERT_DUE.get(dialect)
            if statement is None:
                statement = _INSERT_DUE[dialect] = insert_for(self.session, _DUE_TABLE).on_conflict_do_nothing(
                    index_elements=["ticket_id", "kind", "due_at"])
            self.session.connection().execute(
                statement, [{"ticket_id": ticket_id, "kind": kind, "due_at": at} for kind, at in wanted])

    def digest_facts(self, scope: DigestScope, start: datetime, end: datetime,
                     now: datetime) -> DigestFacts:
        return digest.digest_facts(self.session, scope, start, end, now)

    def events(self, ticket_id: int) -> list[TicketEvent]:
        rows = self.session.execute(
            select(TicketEventRow)
            .where(TicketEventRow.ticket_id == ticket_id)  # type: ignore[arg-type]
            .order_by(TicketEventRow.id)  # type: ignore[arg-type]
        ).scalars()
        return [
            TicketEvent(
                ticket_id=r.ticket_id,
                at=r.at,
                actor=r.actor,
                action=r.action,
                from_status=Status(r.from_status) if r.from_status else None,
                to_status=Status(r.to_status) if r.to_status else None,
                note=r.note,
            )
            for r in rows
        ]

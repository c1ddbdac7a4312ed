"""The front desk: one entry point for every message and button press.

``Desk.handle_message`` decides, in this order: ignore the bot's own and
redelivered messages; edits; photos and voice (added to the sender's fresh
ticket, else a card); explicit ticket commands (#42 …, /resolve 42 …); what
staff say in their own words (``staff_talk``); residents' ratings and co-reports
("+1"); and finally what a resident's free text means: a ticket when the
reading is sure, a card for a worker when it is not, nothing for chatter.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from handlers import texts
from handlers.actions import dismiss, find_ticket, is_reporter, is_responsible, rate, run_command
from handlers.cards import Card, CardStatus, file_card, ignore_card, offer_card
from handlers.commands import (
    TicketCommand,
    Verb,
    card_mentioned,
    code_mentioned,
    digest_request,
    is_co_report,
    parse_command,
    parse_rating,
)
from handlers.corrections import Correction, Fix
from handlers.digest import Digest, format_digest, format_weekly
from handlers.digest_build import build_digest, period, scope_for
from handlers.directory import ChatKind, Directory, Staff
from handlers.intake import Deadlines, add_co_reporter, staff_buttons, submit_request
from handlers.messages import Button, ButtonPress, Inbound, MessageKind, Outbound
from handlers.onboarding import Onboarding
from handlers.parsing import ParseContext, ParsedRequest, Reading, read_message
from handlers.parsing.staff_intent import StaffReading, read_staff_reply
from handlers.ports import TicketStore
from handlers.staff_talk import Said, handle_staff_text
from handlers.tickets import Ticket
from handlers.timers import DueKind, TimerPolicy, carry_out
from handlers.turn import QuietHours, Turn

log = logging.getLogger(__name__)

CO_REPORT_WINDOW = timedelta(hours=2)
ATTACHMENT_WINDOW = timedelta(minutes=10)
_MENTION = re.compile(r"@\S{1,32}[\u2005\s]")
_BUTTON_VERBS = {"ack": Verb.ACKNOWLEDGE, "resolve": Verb.RESOLVE, "escalate": Verb.ESCALATE}
_RESIDENT_CHATS = (ChatKind.BUILDING, ChatKind.GRID)

Parser = Callable[[str, ParseContext | None], ParsedRequest | None]
Reader = Callable[[str, ParseContext | None], Reading]


def storable(text: str) -> str:
    """Text any database takes: lone surrogates become U+FFFD, NUL characters go."""
    fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return fixed.replace("\x00", "")


def _storage_key(message: Inbound) -> Inbound:
    """An edit keeps its message id; each version (by edit time) is stored once."""
    if message.extras.get("edited"):
        edited_at = message.extras.get("edited_at") or message.sent_at
        stamp = edited_at.isoformat() if isinstance(edited_at, datetime) else str(edited_at)
        return replace(message, message_id=f"{message.message_id}@{stamp}")
    return message


def strip_mentions(text: str) -> str:
    return _MENTION.sub("", text + " ").strip()


def reader_of(parse: Parser) -> Reader:
    """A plain parser (request or None) as a reader that is always sure."""

    def read(text: str, context: ParseContext | None = None) -> Reading:
        parsed = parse(text, context)
        if parsed is None:
            from handlers.parsing.understanding import NOTHING

            return NOTHING
        return Reading(True, 1.0, 1.0 if parsed.emergency_kind else 0.0, parsed.category, parsed.urgency,
                       parsed.location, parsed.phone, parsed.emergency_kind)

    return read


class Desk:
    def __init__(
        self,
        directory: Directory,
        parse: Parser | None = None,
        deadlines: Deadlines | None = None,
        timers: TimerPolicy | None = None,
        quiet: QuietHours | None = None,
        chart: Callable[[Digest], bytes] | None = None,
        read: Reader = read_message,
        read_staff: Callable[[str], StaffReading] = read_staff_reply,
        onboarding: Onboarding | None = None,
    ) -> None:
        self.directory = directory
        self.read = reader_of(parse) if parse is not None else read
        self.read_staff = read_staff
        self.deadlines = deadlines
        self.timers = timers
        self.quiet = quiet
        self.chart = chart
        self.onboarding = onboarding  # "绑定 123456" and "网页" (binding, web login links)
        self._contexts: dict[tuple[str, str], ParseContext] = {}

    def parse_context(self, platform: str, chat_id: str, topic: str | None = None) -> ParseContext:
        chat = self.directory.chat(platform, chat_id, topic)
        key = (platform, chat_id)
        if key not in self._contexts:
            community = self.directory.communities.get(chat.community or "") if chat else None
            self._contexts[key] = ParseContext(
                default_building=chat.default_building if chat else None,
                landmarks=frozenset(community.landmarks if community else ()),
                compound_names=frozenset(community.compounds if community else ()),
            )
        return self._contexts[key]

    def _turn(self, store: TicketStore, platform: str, chat_id: str, sender_id: str,
              sender_name: str, is_private: bool, now: datetime, message_id: str | None,
              topic: str | None = None) -> Turn:
        return Turn(
            store=store,
            directory=self.directory,
            now=now,
            platform=platform,
            chat_id=chat_id,
            sender_id=sender_id,
            sender_name=sender_name,
            chat=self.directory.chat(platform, chat_id, topic),
            staff=self.directory.staff_by_identity(platform, sender_id),
            is_private=is_private,
            message_id=message_id,
            timers=self.timers,
            quiet=self.quiet,
            deadlines=self.deadlines,
        )

    # --- messages ------------------------------------------------------------
    def handle_message(self, store: TicketStore, message: Inbound, now: datetime) -> list[Outbound]:
        if message.from_bot:
            return []
        message = replace(message, text=storable(message.text), sender_name=storable(message.sender_name),
                          quoted_text=storable(message.quoted_text) if message.quoted_text else None)
        if not store.record_inbound(_storage_key(message)):
            return []
        topic = message.extras.get("room_topic")
        turn = self._turn(store, message.platform, message.chat_id, message.sender_id,
                          message.sender_name, message.is_private, now, message.message_id,
                          topic if isinstance(topic, str) else None)
        if turn.chat is None and not message.is_private:
            return []
        if message.extras.get("edited"):
            self._edit(turn, message)
        elif message.kind is not MessageKind.TEXT:
            self._attachment(turn, message)
        else:
            self._text(turn, message)
        return turn.outbox

    def _read_in_chat(self, text: str, platform: str, chat_id: str) -> Reading:
        chat = self.directory.chat(platform, chat_id)
        return self.read(text, self.parse_context(platform, chat_id, chat.topic if chat else None))

    def _text(self, turn: Turn, message: Inbound) -> None:
        said = strip_mentions(message.text)
        if not said:
            return
        text = unicodedata.normalize("NFKC", said)  # ＃４２　已解决，… reads as #42 已解决,…
        if self.onboarding is not None and self.onboarding.handle(turn, text):
            return
        linked = self._linked_ticket(turn, message)
        command = parse_command(text)
        if command is not None:
            self._command(turn, command, linked)
            return
        if turn.staff is not None:
            wanted = digest_request(text)
            if wanted is not None:
                if not self._digest(turn, turn.staff, wanted):
                    turn.reply(texts.digest_not_for_you())
                return
            card = self._linked_card(turn, message)
            handle_staff_text(turn, Said(text, message, linked, card), self.read_staff, self._read_in_chat)
            return
        rating = parse_rating(text)
        if rating is not None:
            ticket = linked if linked is not None and is_reporter(turn, linked) else None
            ticket = ticket or turn.store.awaiting_rating(turn.platform, turn.sender_id)
            if ticket is not None:
                rate(turn, ticket, rating)
                return
        if is_co_report(text):
            ticket = linked or turn.store.latest_ticket_in_chat(
                turn.platform, turn.chat_id, turn.now - CO_REPORT_WINDOW
            )
            if ticket is not None and ticket.is_open and not turn.is_private:
                add_co_reporter(turn, ticket)
                return
        reading = self._read_in_chat(said, turn.platform, turn.chat_id)
        request = reading.request
        if reading.worth_a_ticket and request is not None:
            submit_request(turn, request, said)
        elif reading.worth_a_card and self._resident_chat(turn):
            offer_card(turn, message, reading)
        elif turn.is_private:
            turn.reply(texts.private_help())

    def _resident_chat(self, turn: Turn) -> bool:
        return not turn.is_private and turn.chat is not None and turn.chat.kind in _RESIDENT_CHATS

    def _linked_card(self, turn: Turn, message: Inbound) -> Card | None:
        """The card a reply or a quote refers to, if any."""
        if message.reply_to_message_id:
            card = turn.store.card_for_message(turn.platform, turn.chat_id, message.reply_to_message_id)
            if card is not None:
                return card
        card_id = card_mentioned(message.quoted_text) if message.quoted_text else None
        return turn.store.get_card(card_id) if card_id is not None else None

    def _linked_ticket(self, turn: Turn, message: Inbound) -> Ticket | None:
        """The ticket a reply or a quote refers to, if any."""
        if message.reply_to_message_id:
            ticket_id = turn.store.ticket_for_message(
                turn.platform, turn.chat_id, message.reply_to_message_id
            )
            if ticket_id is not None:
                return turn.store.get_ticket(ticket_id)
        if message.quoted_text:
            code = code_mentioned(message.quoted_text)
            if code is not None:
                return find_ticket(turn, code)
        return None

    def _command(self, turn: Turn, command: TicketCommand, linked: Ticket | None) -> None:
        ticket = linked
        if command.code is not None:
            ticket = find_ticket(turn, command.code)
            if ticket is None:
                turn.staff_reply(texts.unknown_ticket(command.code))
                return
        if ticket is None:
            turn.staff_reply(texts.which_ticket())
            return
        run_command(turn, command, ticket)

    def _edit(self, turn: Turn, message: Inbound) -> None:
        ticket_id = turn.store.ticket_for_message(turn.platform, turn.chat_id, message.message_id)
        ticket = turn.store.get_ticket(ticket_id) if ticket_id is not None else None
        if ticket is None or ticket.source_message_id != message.message_id:
            return
        previous, ticket.text = ticket.text, message.text
        turn.record(ticket, ticket.note(turn.actor, turn.now, "edited", previous))

    def _attachment(self, turn: Turn, message: Inbound) -> None:
        """A photo or voice message belongs to the sender's fresh ticket; alone in a
        residents' group it goes to a worker as a card (the bot cannot read it)."""
        ticket = turn.store.latest_ticket_reported_by(
            turn.platform, turn.sender_id, turn.chat_id, turn.now - ATTACHMENT_WINDOW
        )
        if ticket is not None:
            note = f"{message.kind.value}:{message.message_id}"
            turn.record(ticket, ticket.note(turn.actor, turn.now, "attachment", note))
        elif turn.staff is None and self._resident_chat(turn) \
                and message.kind in (MessageKind.IMAGE, MessageKind.VOICE):
            offer_card(turn, message, None)

    # --- buttons -------------------------------------------------------------
    def handle_button(
        self, store: TicketStore, press: ButtonPress, now: datetime
    ) -> tuple[list[Outbound], str | None]:
        """Returns what to send and a short notice for the person who pressed. A used
        button is taken away (edited out of the message) so it cannot be used twice."""
        turn = self._turn(store, press.platform, press.chat_id, press.sender_id,
                          press.sender_name, False, now, None)
        turn.is_private = turn.chat is None
        parts = press.action.split(":")
        try:
            verb, number = parts[0], int(parts[1])
        except (IndexError, ValueError):
            return [], None
        if verb in ("file", "ignore"):
            notice, left = self._card_button(turn, verb, number)
        else:
            notice, left = self._ticket_button(turn, verb, parts, number)
        if left is not None:
            turn.outbox.append(Outbound(platform=press.platform, chat_id=press.chat_id, text="",
                                        buttons=left, edit_buttons_of=press.message_id))
        return turn.outbox, notice

    def _ticket_button(self, turn: Turn, verb: str, parts: list[str], ticket_id: int
                       ) -> tuple[str | None, tuple[Button, ...] | None]:
        ticket = turn.store.get_ticket(ticket_id)
        if ticket is None:
            return "工单不存在", ()
        if verb == "rate" and len(parts) == 3:
            if not is_reporter(turn, ticket):
                return texts.not_reporter_rating(), None
            return rate(turn, ticket, parts[2]), ()
        if verb == "dismiss" or verb in _BUTTON_VERBS:
            if turn.staff is None or not is_responsible(turn, ticket):
                return texts.not_allowed(), None
            if verb == "dismiss":
                return dismiss(turn, turn.staff, ticket, not_a_request=False), ()
            notice = run_command(turn, TicketCommand(_BUTTON_VERBS[verb], None), ticket)
            if verb == "ack" and ticket.id is not None:
                return notice, tuple(b for b in staff_buttons(ticket.id) if not b.action.startswith("ack:"))
            return notice, ()
        return None, None

    def _card_button(self, turn: Turn, verb: str, card_id: int) -> tuple[str | None, tuple[Button, ...] | None]:
        card = turn.store.get_card(card_id)
        if card is None:
            return None, ()
        if turn.staff is None:
            return texts.not_allowed(), None
        if card.status is not CardStatus.PENDING:
            filed = turn.store.get_ticket(card.ticket_id) if card.ticket_id else None
            return texts.card_already_done(filed.label if filed else None), ()
        if verb == "ignore":
            ignore_card(turn, card)
            return texts.card_ignored(), ()
        reading = self._read_in_chat(card.text, card.platform, card.chat_id) if card.text else None
        ticket = file_card(turn, card, Correction(Fix.FILE), reading)
        return texts.card_filed(ticket), ()

    # --- time ----------------------------------------------------------------
    def handle_due(
        self, store: TicketStore, ticket_id: int, kind: DueKind, now: datetime
    ) -> list[Outbound]:
        """A ticket's timer fell due: remind, reassign, escalate, ask for the visit/rating."""
        ticket = store.get_ticket(ticket_id)
        if ticket is None:
            return []
        turn = self._turn(store, ticket.platform, ticket.chat_id, "system", "system", False, now, None)
        turn.deferrable = True
        carry_out(turn, ticket, kind)
        return turn.outbox

    # --- leaders' digest -------------------------------------------------------
    def _digest(self, turn: Turn, leader: Staff, wanted: str) -> bool:
        """"today" so far (日报 on demand), "yesterday" (昨日日报, the scheduled one), "weekly"."""
        scope = scope_for(leader, self.directory)
        if scope is None:
            return False
        weekly = wanted == "weekly"
        start, end = period(turn.now, weekly)
        if wanted == "today":
            start, end = end, turn.now + timedelta(seconds=1)  # so far, this moment included
        facts = turn.store.digest_facts(scope, start, end, turn.now)
        digest = build_digest(facts, scope, start, end, turn.now, self.directory)
        turn.reply((format_weekly if weekly else format_digest)(digest))
        if self.chart is not None:
            turn.outbox.append(replace(turn.outbox[-1], text="", image_png=self.chart(digest),
                                       reply_to_message_id=None))
        return True

    def digest_for(self, store: TicketStore, leader: Staff, now: datetime, weekly: bool) -> list[Outbound]:
        """The scheduled digest, sent to the leader privately."""
        turn = self._turn(store, "", "", leader.id, leader.name, True, now, None)
        if not self._digest(turn, leader, "weekly" if weekly else "yesterday") or not turn.outbox:
            return []
        text, *images = turn.outbox
        turn.outbox = []
        turn.tell_staff(leader, text.text)
        for image in images:
            turn.outbox.append(replace(turn.outbox[0], text="", image_png=image.image_png))
        return turn.outbox

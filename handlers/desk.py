"""The front desk: one entry point for every message and button press.

``Desk.handle_message`` decides, in this order: ignore the bot's own and
redelivered messages, edits and attachments, explicit ticket commands, replies
and quotes to a ticket message, ratings, co-reports ("+1"), and finally whether
free text is a new request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from handlers import texts
from handlers.actions import find_ticket, is_reporter, is_responsible, rate, run_command
from handlers.commands import (
    TicketCommand,
    Verb,
    code_mentioned,
    is_co_report,
    is_digest_request,
    parse_bare_command,
    parse_command,
    parse_rating,
)
from handlers.digest import Digest, format_digest, format_weekly
from handlers.digest_build import build_digest, period, scope_for
from handlers.directory import Directory, Staff
from handlers.intake import Deadlines, add_co_reporter, submit_request
from handlers.messages import ButtonPress, Inbound, MessageKind, Outbound
from handlers.onboarding import Onboarding
from handlers.parsing import ParseContext, ParsedRequest, parse_message
from handlers.ports import TicketStore
from handlers.tickets import Ticket
from handlers.timers import DueKind, TimerPolicy, carry_out
from handlers.turn import QuietHours, Turn

log = logging.getLogger(__name__)

CO_REPORT_WINDOW = timedelta(hours=2)
ATTACHMENT_WINDOW = timedelta(minutes=10)
_MENTION = re.compile(r"@\S{1,32}[\u2005\s]")
_BUTTON_VERBS = {"ack": Verb.ACKNOWLEDGE, "resolve": Verb.RESOLVE, "escalate": Verb.ESCALATE}

Parser = Callable[[str, ParseContext | None], ParsedRequest | None]


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


class Desk:
    def __init__(
        self,
        directory: Directory,
        parse: Parser = parse_message,
        deadlines: Deadlines | None = None,
        timers: TimerPolicy | None = None,
        quiet: QuietHours | None = None,
        chart: Callable[[Digest], bytes] | None = None,
        onboarding: Onboarding | None = None,
    ) -> None:
        self.directory = directory
        self.parse = parse
        self.deadlines = deadlines
        self.timers = timers
        self.quiet = quiet
        self.chart = chart
        self.onboarding = onboarding  # issue 11: "绑定 123456" and "网页"
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

    def _text(self, turn: Turn, message: Inbound) -> None:
        text = strip_mentions(message.text)
        if not text:
            return
        if self.onboarding is not None and self.onboarding.handle(turn, text):  # issue 11
            return
        command = parse_command(text)
        linked = self._linked_ticket(turn, message)
        if command is None and linked is not None and turn.staff is not None:
            command = parse_bare_command(text)
        if command is None and turn.staff is not None and turn.is_private:
            bare = parse_bare_command(text)
            if bare is not None and bare.verb is Verb.ACKNOWLEDGE:
                linked = turn.store.latest_awaiting_ack(turn.staff.id)
                command = bare
        if command is not None:
            self._command(turn, command, linked)
            return
        if turn.staff is not None and is_digest_request(text):
            weekly = "周" in text or "weekly" in text
            if not self._digest(turn, turn.staff, weekly):
                turn.reply(texts.digest_not_for_you())
            return
        if turn.staff is None:
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
        if turn.staff is not None:
            if turn.is_private:
                turn.reply(texts.staff_private_help())
            return
        parsed = self.parse(text, self.parse_context(turn.platform, turn.chat_id, turn.chat.topic if turn.chat else None))
        if parsed is None:
            if turn.is_private:
                turn.reply(texts.private_help())
            return
        submit_request(turn, parsed, text, self.deadlines)

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
                turn.reply(texts.unknown_ticket(command.code))
                return
        if ticket is None:
            turn.reply(texts.which_ticket())
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
        ticket = turn.store.latest_ticket_reported_by(
            turn.platform, turn.sender_id, turn.chat_id, turn.now - ATTACHMENT_WINDOW
        )
        if ticket is not None:
            note = f"{message.kind.value}:{message.message_id}"
            turn.record(ticket, ticket.note(turn.actor, turn.now, "attachment", note))

    # --- buttons -------------------------------------------------------------
    def handle_button(
        self, store: TicketStore, press: ButtonPress, now: datetime
    ) -> tuple[list[Outbound], str | None]:
        """Returns what to send and a short notice for the person who pressed."""
        turn = self._turn(store, press.platform, press.chat_id, press.sender_id,
                          press.sender_name, False, now, None)
        turn.is_private = turn.chat is None
        parts = press.action.split(":")
        try:
            ticket = store.get_ticket(int(parts[1]))
        except (IndexError, ValueError):
            return [], None
        if ticket is None:
            return [], "工单不存在"
        if parts[0] == "rate" and len(parts) == 3:
            if not is_reporter(turn, ticket):
                return [], texts.not_reporter_rating()
            notice = rate(turn, ticket, parts[2])
            return turn.outbox, notice
        verb = _BUTTON_VERBS.get(parts[0])
        if verb is None:
            return [], None
        if not is_responsible(turn, ticket):
            return [], texts.not_allowed()
        notice = run_command(turn, TicketCommand(verb, None), ticket)
        return turn.outbox, notice

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
    def _digest(self, turn: Turn, leader: Staff, weekly: bool) -> bool:
        scope = scope_for(leader, self.directory)
        if scope is None:
            return False
        start, end = period(turn.now, weekly)
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
        if not self._digest(turn, leader, weekly) or not turn.outbox:
            return []
        text, *images = turn.outbox
        turn.outbox = []
        turn.tell_staff(leader, text.text)
        for image in images:
            turn.outbox.append(replace(turn.outbox[0], text="", image_png=image.image_png))
        return turn.outbox

"""The chat side of onboarding: "绑定 123456" binds the sender to a staff member,
"网页" (or /web) asks for a one-time link to the web desk.

An office cannot write every worker's ``wxid_…`` or Telegram id into the config
(on WeChat people cannot even see their own id), so an administrator issues a
six-digit code and the person sends it to the bot privately: the identity they
send it from is then theirs. Codes are single use, expire, and a sender who
guesses wrong five times in an hour is refused for a while.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from handlers import onboarding_texts as texts
from handlers.ports import TicketStore
from handlers.turn import Turn

LOGIN_LINK_MINUTES = 15
BINDING_CODE_HOURS = 72
GUESSES_PER_HOUR = 5

_BIND = re.compile(r"^(?:绑定|/bind(?:@\w+)?)\s*[:：]?\s*(\d{6})$", re.I)
_WEB = re.compile(r"^(?:网页|登录网页|工作台|网页登录|/web(?:@\w+)?)$", re.I)


@dataclass(frozen=True)
class IssuedCode:
    code: str
    staff_id: str
    expires_at: datetime
    used_at: datetime | None


class OnboardingStore(Protocol):
    """Bindings, codes and login links, in the transaction of the message."""

    def binding_code(self, code: str) -> IssuedCode | None: ...

    def use_binding_code(self, code: str, now: datetime) -> None: ...

    def bind(self, staff_id: str, platform: str, user_id: str, now: datetime) -> None:
        """Make (platform, user id) the staff member's identity there, replacing an older one."""

    def failed_bindings(self, platform: str, user_id: str, since: datetime) -> int: ...

    def record_failed_binding(self, platform: str, user_id: str, now: datetime) -> None: ...

    def issue_login_link(self, staff_id: str, now: datetime, valid: timedelta) -> str:
        """A fresh one-time token (only its hash is kept)."""

    def audit(self, actor: str, action: str, subject: str, note: str, now: datetime) -> None: ...


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def binding_code_in(text: str) -> str | None:
    m = _BIND.match(_normalized(text))
    return m.group(1) if m else None


def is_web_request(text: str) -> bool:
    return bool(_WEB.match(_normalized(text)))


def login_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/login/{token}"


@dataclass
class Onboarding:
    stores: Callable[[TicketStore], OnboardingStore]
    """The onboarding store on the same transaction as the message's ticket store."""
    base_url: str
    on_bound: Callable[[str, str, str], None] | None = None
    """Called with (staff id, platform, user id) so the edge can refresh the directory."""

    def handle(self, turn: Turn, text: str) -> bool:
        """True if the message was about binding or the web desk (and has been answered)."""
        code = binding_code_in(text)
        if code is not None:
            self._bind(turn, code, self.stores(turn.store))
            return True
        if is_web_request(text) and turn.staff is not None:
            if not turn.is_private:
                turn.reply(texts.login_in_private_only())
                return True
            store = self.stores(turn.store)
            token = store.issue_login_link(turn.staff.id, turn.now,
                                           timedelta(minutes=LOGIN_LINK_MINUTES))
            store.audit(turn.staff.id, "login_link", turn.platform, "requested in the chat", turn.now)
            turn.reply(texts.login_link(login_url(self.base_url, token), LOGIN_LINK_MINUTES))
            return True
        return False

    def _bind(self, turn: Turn, code: str, store: OnboardingStore) -> None:
        issued = store.binding_code(code)
        usable = issued is not None and issued.used_at is None and issued.expires_at > turn.now
        if not turn.is_private:
            if usable:  # everyone in the group saw it
                store.use_binding_code(code, turn.now)
                store.audit(turn.actor, "binding_code_burnt", code, "posted in a group", turn.now)
            turn.reply(texts.code_in_group())
            return
        if turn.staff is not None:
            turn.reply(texts.already_bound(turn.staff))
            return
        if store.failed_bindings(turn.platform, turn.sender_id, turn.now - timedelta(hours=1)) \
                >= GUESSES_PER_HOUR:
            turn.reply(texts.too_many_attempts())
            return
        person = turn.directory.staff.get(issued.staff_id) if issued is not None and usable else None
        if issued is None or person is None:
            store.record_failed_binding(turn.platform, turn.sender_id, turn.now)
            turn.reply(texts.code_invalid())
            return
        store.bind(person.id, turn.platform, turn.sender_id, turn.now)
        store.use_binding_code(code, turn.now)
        store.audit(person.id, "bound", f"{turn.platform}:{turn.sender_id}",
                    f"binding code sent by {turn.sender_name}", turn.now)
        if self.on_bound is not None:
            self.on_bound(person.id, turn.platform, turn.sender_id)
        turn.reply(texts.welcome(person, turn.directory))

"""Web desk sign-in: one-time login links become 8-hour sessions.

The browser holds a random session token; the database keeps only its hash
and the session's CSRF token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session

from storage.office_tables import LoginLink, WebSession
from storage.staff_binding import audit, token_hash

SESSION_HOURS = 8


@dataclass(frozen=True)
class SignedIn:
    staff_id: str
    csrf_token: str
    session_hash: str


def login_link_state(session: Session, token: str, now: datetime) -> str | None:
    """The staff id a link is for if it is still usable, else None."""
    link = session.get(LoginLink, token_hash(token))
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link.staff_id


def redeem_login_link(session: Session, token: str, now: datetime) -> tuple[str, SignedIn] | None:
    """Use the link once: returns the new session's cookie token and its record."""
    hashed = token_hash(token)
    used = session.execute(
        update(LoginLink)
        .where(LoginLink.token_hash == hashed, LoginLink.used_at.is_(None),  # type: ignore[arg-type,union-attr]
               LoginLink.expires_at > now)  # type: ignore[operator]
        .values(used_at=now)
        .returning(LoginLink.staff_id)
    ).scalar_one_or_none()
    if used is None:
        return None
    cookie = secrets.token_urlsafe(32)
    record = WebSession(token_hash=token_hash(cookie), staff_id=used,
                        csrf_token=secrets.token_urlsafe(24), created_at=now,
                        expires_at=now + timedelta(hours=SESSION_HOURS))
    session.add(record)
    audit(session, used, "login", "web", "login link used", now)
    return cookie, SignedIn(used, record.csrf_token, record.token_hash)


def signed_in(session: Session, cookie: str | None, now: datetime) -> SignedIn | None:
    if not cookie:
        return None
    record = session.get(WebSession, token_hash(cookie))
    if record is None or record.ended_at is not None or record.expires_at <= now:
        return None
    return SignedIn(record.staff_id, record.csrf_token, record.token_hash)


def sign_out(session: Session, cookie: str, now: datetime) -> None:
    session.execute(update(WebSession).where(WebSession.token_hash == token_hash(cookie))  # type: ignore[arg-type]
                    .values(ended_at=now))

"""Tables of the office: staff identities bound through the chat, binding codes,
one-time login links, web sessions, and the staff audit log (migration 0004).

Secrets (login links, session cookies) are stored only as SHA-256 hashes, so a
copy of the database opens no session.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.tables import _ts


class StaffBinding(SQLModel, table=True):
    """A chat identity a staff member proved is theirs by sending a binding code."""

    __tablename__ = "staff_binding"

    platform: str = Field(primary_key=True, max_length=16)
    user_id: str = Field(primary_key=True, max_length=128)
    staff_id: str = Field(max_length=64, index=True)
    bound_at: datetime = Field(sa_column=_ts(nullable=False))


class BindingCode(SQLModel, table=True):
    """A six-digit code an administrator issued; usable once, until it expires."""

    __tablename__ = "binding_code"

    code: str = Field(primary_key=True, max_length=6)
    staff_id: str = Field(max_length=64, index=True)
    issued_by: str = Field(max_length=64)
    issued_at: datetime = Field(sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=_ts())


class BindingAttempt(SQLModel, table=True):
    """A wrong code sent to the bot: counted to stop guessing."""

    __tablename__ = "binding_attempt"
    __table_args__ = (Index("ix_binding_attempt_sender", "platform", "user_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    user_id: str = Field(max_length=128)
    at: datetime = Field(sa_column=_ts(nullable=False))


class LoginLink(SQLModel, table=True):
    __tablename__ = "login_link"

    token_hash: str = Field(primary_key=True, max_length=64)
    staff_id: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=_ts())


class WebSession(SQLModel, table=True):
    __tablename__ = "web_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    staff_id: str = Field(max_length=64, index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=_ts())


class StaffAudit(SQLModel, table=True):
    """Append-only: who did what at the office (logins, bindings, web actions)."""

    __tablename__ = "staff_audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    actor: str = Field(max_length=160)
    action: str = Field(max_length=32)
    subject: str = Field(default="", max_length=160)
    note: str = ""

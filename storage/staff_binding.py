"""Staff identities bound through the chat, binding codes, login links and the
staff audit log: ``SqlOnboardingStore`` implements the core's OnboardingStore on
one session; the functions serve the CLI and the web desk."""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from handlers.onboarding import BINDING_CODE_HOURS, IssuedCode
from storage.office_tables import (
    BindingAttempt,
    BindingCode,
    LoginLink,
    StaffAudit,
    StaffBinding,
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def audit(session: Session, actor: str, action: str, subject: str, note: str, now: datetime) -> None:
    session.add(StaffAudit(at=now, actor=actor[:160], action=action[:32], subject=subject[:160],
                           note=note[:2000]))


def bound_identities(session: Session) -> dict[str, dict[str, str]]:
    """staff id → platform → user id, for ``Directory.with_bound_identities``."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    rows = session.execute(select(StaffBinding).order_by(StaffBinding.bound_at)).scalars()  # type: ignore[arg-type]
    for row in rows:
        found[row.staff_id][row.platform] = row.user_id
    return dict(found)


def bindings_of(session: Session, staff_id: str) -> list[StaffBinding]:
    return list(session.execute(
        select(StaffBinding).where(StaffBinding.staff_id == staff_id)  # type: ignore[arg-type]
        .order_by(StaffBinding.platform)).scalars())


def bind(session: Session, staff_id: str, platform: str, user_id: str, now: datetime) -> None:
    session.execute(delete(StaffBinding).where(
        ((StaffBinding.staff_id == staff_id) & (StaffBinding.platform == platform))  # type: ignore[arg-type]
        | ((StaffBinding.platform == platform) & (StaffBinding.user_id == user_id))))
    session.add(StaffBinding(platform=platform, user_id=user_id, staff_id=staff_id, bound_at=now))
    session.flush()


def unbind(session: Session, staff_id: str, platform: str | None, by: str, now: datetime) -> int:
    """Remove a person's bound identities (on one platform, or all); configured ones stay."""
    condition = StaffBinding.staff_id == staff_id
    if platform:
        condition = condition & (StaffBinding.platform == platform)  # type: ignore[assignment]
    removed = [f"{b.platform}:{b.user_id}" for b in session.execute(
        select(StaffBinding).where(condition)).scalars()]  # type: ignore[arg-type]
    session.execute(delete(StaffBinding).where(condition))  # type: ignore[arg-type]
    for identity in removed:
        audit(session, by, "unbound", identity, f"staff {staff_id}", now)
    return len(removed)


def issue_binding_code(session: Session, staff_id: str, by: str, now: datetime,
                       valid: timedelta = timedelta(hours=BINDING_CODE_HOURS)) -> str:
    """A fresh six-digit code for ``staff_id``; earlier unused codes of theirs stop working."""
    session.execute(update(BindingCode).where(
        BindingCode.staff_id == staff_id, BindingCode.used_at.is_(None))  # type: ignore[arg-type,union-attr]
        .values(used_at=now))
    session.execute(delete(BindingCode).where(BindingCode.expires_at < now - timedelta(days=30)))  # type: ignore[arg-type,operator]
    taken = set(session.execute(select(BindingCode.code)).scalars())
    code = f"{secrets.randbelow(1_000_000):06d}"
    while code in taken:
        code = f"{secrets.randbelow(1_000_000):06d}"
    session.add(BindingCode(code=code, staff_id=staff_id, issued_by=by, issued_at=now,
                            expires_at=now + valid))
    audit(session, by, "binding_code", staff_id, "issued", now)
    session.flush()
    return code


@dataclass(frozen=True)
class PendingCode:
    staff_id: str
    code: str
    expires_at: datetime


def pending_codes(session: Session, now: datetime) -> dict[str, PendingCode]:
    rows = session.execute(select(BindingCode).where(
        BindingCode.used_at.is_(None), BindingCode.expires_at > now)).scalars()  # type: ignore[union-attr,operator]
    return {r.staff_id: PendingCode(r.staff_id, r.code, r.expires_at) for r in rows}


def issue_login_link(session: Session, staff_id: str, now: datetime, valid: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    session.add(LoginLink(token_hash=token_hash(token), staff_id=staff_id, created_at=now,
                          expires_at=now + valid))
    session.flush()
    return token


class SqlOnboardingStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def binding_code(self, code: str) -> IssuedCode | None:
        row = self.session.get(BindingCode, code)
        return IssuedCode(row.code, row.staff_id, row.expires_at, row.used_at) if row else None

    def use_binding_code(self, code: str, now: datetime) -> None:
        self.session.execute(update(BindingCode).where(BindingCode.code == code)  # type: ignore[arg-type]
                             .values(used_at=now))

    def bind(self, staff_id: str, platform: str, user_id: str, now: datetime) -> None:
        bind(self.session, staff_id, platform, user_id, now)

    def failed_bindings(self, platform: str, user_id: str, since: datetime) -> int:
        return int(self.session.execute(select(func.count()).select_from(BindingAttempt).where(
            BindingAttempt.platform == platform, BindingAttempt.user_id == user_id,  # type: ignore[arg-type]
            BindingAttempt.at >= since)).scalar_one())  # type: ignore[operator]

    def record_failed_binding(self, platform: str, user_id: str, now: datetime) -> None:
        self.session.add(BindingAttempt(platform=platform, user_id=user_id[:128], at=now))

    def issue_login_link(self, staff_id: str, now: datetime, valid: timedelta) -> str:
        return issue_login_link(self.session, staff_id, now, valid)

    def audit(self, actor: str, action: str, subject: str, note: str, now: datetime) -> None:
        audit(self.session, actor, action, subject, note, now)

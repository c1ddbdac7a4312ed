"""Keeps the core's directory in step with identities bound through the chat.

The core's Directory is read-only and knows nothing of the database: at start,
after a binding in this process, and every half minute (to see codes redeemed,
or people unbound, by another process such as the web desk or the CLI) the edge
hands the desk a directory built from the config plus the stored bindings.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from handlers.desk import Desk
from handlers.directory import Directory
from handlers.onboarding import Onboarding
from storage.database import session_scope
from storage.staff_binding import SqlOnboardingStore, bound_identities

log = logging.getLogger(__name__)
REFRESH_SECONDS = 30


def onboarding_for(base_url: str) -> Onboarding:
    """The chat side of binding and login links, on the message's own transaction."""
    return Onboarding(stores=lambda store: SqlOnboardingStore(store.session),  # type: ignore[attr-defined]
                      base_url=base_url)


class BindingSync:
    def __init__(self, desk: Desk, engine: Engine) -> None:
        self.desk = desk
        self.engine = engine
        self.configured: Directory = desk.directory
        self.bound: dict[str, dict[str, str]] = {}
        if desk.onboarding is not None:
            desk.onboarding.on_bound = self.add

    def refresh(self) -> None:
        with session_scope(self.engine) as session:
            bound = bound_identities(session)
        if bound != self.bound:
            self.bound = bound
            self.desk.directory = self.configured.with_bound_identities(bound)
            log.info("staff bindings loaded: %d people", len(bound))

    def add(self, staff_id: str, platform: str, user_id: str) -> None:
        """A binding made in this process: recognise the person from their next message."""
        self.bound = {k: dict(v) for k, v in self.bound.items() if k != staff_id} | {
            staff_id: {**self.bound.get(staff_id, {}), platform: user_id}}
        for person, identities in self.bound.items():
            if person != staff_id and identities.get(platform) == user_id:
                del identities[platform]
        self.desk.directory = self.configured.with_bound_identities(self.bound)

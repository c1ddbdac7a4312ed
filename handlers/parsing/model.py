"""What the parser takes and gives; kept apart so every parsing module can import it."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.categories import Category, EmergencyKind, Urgency


@dataclass(frozen=True)
class Location:
    building: str | None = None
    unit: str | None = None
    room: str | None = None
    landmark: str | None = None


@dataclass(frozen=True)
class ParseContext:
    """What the chat a message came from tells the parser."""

    default_building: str | None = None
    """In a building chat, a message naming no building is about this one."""
    landmarks: frozenset[str] = field(default_factory=frozenset)
    """Local place names from the config lexicon (菜窖, 车棚, 南门 …)."""
    compound_names: frozenset[str] = field(default_factory=frozenset)
    """Compound names to strip before a building number (吉利花园1号楼 → 1)."""


@dataclass(frozen=True)
class ParsedRequest:
    category: Category
    urgency: Urgency
    location: Location
    phone: str | None = None
    """A phone number written in the message; private, never echoed to a group."""
    emergency_kind: EmergencyKind | None = None
    confidence: float = 1.0
    """How sure the reading is that this is a request at all (0–1)."""
    emergency_score: float = 0.0
    """How likely it is an emergency (0–1); 1.0 when the rule safety net raised it."""

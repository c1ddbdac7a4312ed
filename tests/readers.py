"""A stand-in for the learned reading in conversation tests: what each message
means is written in the test, so a test of the conversation does not depend on
the model (the model has its own tests and figures)."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.categories import Category, EmergencyKind, Urgency
from handlers.parsing import Location, ParseContext, Reading
from handlers.parsing.location import extract_location, extract_phone
from handlers.parsing.normalize import normalize
from handlers.parsing.understanding import NOTHING


@dataclass
class Meaning:
    category: Category
    urgency: Urgency = Urgency.NORMAL
    confidence: float = 0.95
    kind: EmergencyKind | None = None


@dataclass
class ScriptedReader:
    """Messages containing a key mean what the key says; places and phones are read
    by the real rules (they are structure, not meaning)."""

    meanings: dict[str, Meaning] = field(default_factory=dict)

    def __call__(self, text: str, context: ParseContext | None = None) -> Reading:
        meaning = next((m for key, m in self.meanings.items() if key in text), None)
        if meaning is None:
            return NOTHING
        phone, body = extract_phone(normalize(text).text)
        location: Location = extract_location(body, context or ParseContext())
        emergency = meaning.urgency is Urgency.EMERGENCY
        return Reading(
            is_request=meaning.confidence >= 0.5,
            confidence=meaning.confidence,
            emergency_score=1.0 if emergency else 0.0,
            category=meaning.category,
            urgency=meaning.urgency,
            location=location,
            phone=phone,
            emergency_kind=meaning.kind or (EmergencyKind.OTHER if emergency else None),
        )


EVERYDAY = ScriptedReader({  # the first key found in a message wins
    "配电箱冒火花": Meaning(Category.POWER_LIGHTING, Urgency.EMERGENCY, kind=EmergencyKind.ELECTRIC),
    "楼道灯冒烟": Meaning(Category.POWER_LIGHTING, Urgency.EMERGENCY, kind=EmergencyKind.FIRE),
    "楼道灯": Meaning(Category.POWER_LIGHTING),
    "水管爆": Meaning(Category.PLUMBING, Urgency.URGENT),
    "下水道堵": Meaning(Category.PLUMBING),
    "停水": Meaning(Category.PLUMBING, Urgency.URGENT),
    "摔倒": Meaning(Category.ASSISTANCE, Urgency.EMERGENCY, kind=EmergencyKind.FALL),
    "健身器材坏": Meaning(Category.PUBLIC_FACILITIES),
    "那个东西又": Meaning(Category.OTHER, confidence=0.4),
    "煤气味": Meaning(Category.GAS, Urgency.EMERGENCY, kind=EmergencyKind.GAS),
    "水越来越大": Meaning(Category.PLUMBING, Urgency.URGENT),
})

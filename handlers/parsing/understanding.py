"""How a resident's message is read: the learned model decides, the rules guard.

This is the one place where the model and the rules meet. The decision:

1. **Structure by rules.** The text is normalised (width, script, dialect,
   numerals); the phone number and the place (building, unit, room, landmark)
   are read by ``location``. The model never guesses a place.
2. **Meaning by the model** (``griddesk train``, weights in ``models/``):
   P(request), the category and urgency distributions, and P(emergency).
3. **A request** when P(request) ≥ ``REQUEST_AT``.
4. **An emergency** when P(emergency) ≥ ``EMERGENCY_AT`` and P(request) ≥
   ``EMERGENCY_FLOOR`` (chit-chat that merely sounds alarming is not one); the
   threshold is set low on purpose, because a false alarm costs a phone call and
   a missed one can cost a life. An emergency is always a request.
5. **The safety net.** When the model reads a request and the rule reader
   (``rules.parse_by_rules``) sees a danger now in it, the request is an
   emergency whatever urgency the model gave it. The rules only ever raise: they
   cannot make a request chatter, lower an urgency or change a category the model
   is sure of. They do not turn what the model reads as chatter (a fire-drill
   notice, a first-aid article, last week's incident) into an emergency: those
   look-alikes were the rules' known weakness, and the model sees the same rule
   cues as features (``features.rule_tokens``) and weighs them itself.
6. Otherwise the urgency is the likelier of urgent and normal, the category the
   model's first choice; an emergency's hotline kind comes from the rules when
   they name one, else from its category.

``confidence`` is P(request) (1.0 when the safety net raised it) and
``emergency_score`` P(emergency) (1.0 likewise). The conversation opens a
ticket at ``TICKET_AT`` or more and shows messages between ``CARD_AT`` and
``TICKET_AT`` to a worker as a card instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from handlers.categories import Category, EmergencyKind, Urgency
from handlers.parsing.emergency import emergency_kind
from handlers.parsing.features import rule_tokens, tokens_of
from handlers.parsing.linear import LinearModel, load
from handlers.parsing.location import extract_location, extract_phone
from handlers.parsing.model import Location, ParseContext, ParsedRequest
from handlers.parsing.normalize import normalize
from handlers.parsing.rules import parse_by_rules

MODELS = Path(__file__).parent / "models"
RESIDENTS_MODEL = MODELS / "residents.json.gz"

_CJK = re.compile(r"[\u4e00-\u9fff]")
REQUEST_AT = 0.5
EMERGENCY_AT = 0.3
EMERGENCY_FLOOR = 0.2
TICKET_AT = 0.6
CARD_AT = 0.3

_KIND_OF_CATEGORY = {
    Category.ASSISTANCE: EmergencyKind.FALL,
    Category.FIRE_SAFETY: EmergencyKind.FIRE,
    Category.GAS: EmergencyKind.GAS,
    Category.ELEVATOR: EmergencyKind.TRAPPED,
    Category.HOUSING: EmergencyKind.COLLAPSE,
    Category.POWER_LIGHTING: EmergencyKind.ELECTRIC,
    Category.SECURITY: EmergencyKind.CRIME,
    Category.PLUMBING: EmergencyKind.FLOOD,
}


@dataclass(frozen=True)
class Reading:
    """Everything understood of one message, request or not."""

    is_request: bool
    confidence: float
    emergency_score: float
    category: Category
    """The best guess, also for a message that is not a request (for a card)."""
    urgency: Urgency
    location: Location
    phone: str | None = None
    emergency_kind: EmergencyKind | None = None
    raised_by_rules: bool = False
    ticket_at: float = TICKET_AT
    card_at: float = CARD_AT

    @property
    def request(self) -> ParsedRequest | None:
        if not self.is_request:
            return None
        return ParsedRequest(
            category=self.category,
            urgency=self.urgency,
            location=self.location,
            phone=self.phone,
            emergency_kind=self.emergency_kind,
            confidence=self.confidence,
            emergency_score=self.emergency_score,
        )

    @property
    def worth_a_ticket(self) -> bool:
        return self.is_request and (self.urgency is Urgency.EMERGENCY or self.confidence >= self.ticket_at)

    @property
    def worth_a_card(self) -> bool:
        """Unsure: a worker should look at it rather than the bot guess in the group."""
        return not self.worth_a_ticket and self.confidence >= self.card_at


NOTHING = Reading(False, 0.0, 0.0, Category.OTHER, Urgency.NORMAL, Location())


class Understanding:
    """Reads messages with one model. Thresholds come from the model file (``griddesk
    train`` chooses them by cross-validation), else from the constants above."""

    def __init__(self, model: LinearModel, request_at: float | None = None,
                 emergency_at: float | None = None, emergency_floor: float | None = None,
                 safety_net: bool = True) -> None:
        chosen = model.meta.get("thresholds", {})
        self.model = model
        self.request_at = request_at if request_at is not None else float(chosen.get("request_at", REQUEST_AT))
        self.emergency_at = emergency_at if emergency_at is not None \
            else float(chosen.get("emergency_at", EMERGENCY_AT))
        self.emergency_floor = emergency_floor if emergency_floor is not None \
            else float(chosen.get("emergency_floor", EMERGENCY_FLOOR))
        self.ticket_at = max(float(chosen.get("ticket_at", TICKET_AT)), self.request_at)
        self.card_at = min(float(chosen.get("card_at", CARD_AT)), self.request_at)
        self.safety_net = safety_net

    def read(self, text: str, context: ParseContext | None = None) -> Reading:
        if not isinstance(text, str):
            return NOTHING
        context = context or ParseContext()
        normalized = normalize(text)
        body = normalized.text
        for name in context.compound_names:
            if name and name.lower() in body:
                body = body.replace(name.lower(), " ")
        if len(_CJK.findall(body, 0, 200)) < 2:
            return NOTHING  # residents write Chinese: code, links and noise are not read
        phone, body = extract_phone(body)
        ruled = parse_by_rules(text, context, normalized)
        p = self.model.probabilities(tokens_of(normalized) + rule_tokens(normalized.text, ruled))
        confidence = p["request"]["yes"]
        emergency = p["emergency"]["yes"]
        category = Category(max(p["category"], key=p["category"].__getitem__))
        urgency = Urgency.URGENT if p["urgency"]["urgent"] > p["urgency"]["normal"] else Urgency.NORMAL
        is_request = confidence >= self.request_at
        kind: EmergencyKind | None = None
        raised = False
        if emergency >= self.emergency_at and confidence >= self.emergency_floor:
            is_request, urgency = True, Urgency.EMERGENCY
        elif self.safety_net and is_request and ruled is not None and ruled.urgency is Urgency.EMERGENCY:
            urgency, raised = Urgency.EMERGENCY, True
            confidence = emergency = 1.0
            if p["category"][category.value] < 0.5:
                category = ruled.category
            kind = ruled.emergency_kind
        if urgency is Urgency.EMERGENCY and kind is None:
            kind = emergency_kind(body) or _KIND_OF_CATEGORY.get(category, EmergencyKind.OTHER)
        return Reading(
            is_request=is_request,
            confidence=confidence,
            emergency_score=emergency,
            category=category,
            urgency=urgency,
            location=extract_location(body, context),
            phone=phone,
            emergency_kind=kind,
            raised_by_rules=raised,
            ticket_at=self.ticket_at,
            card_at=self.card_at,
        )


_default: Understanding | None = None


def default_understanding() -> Understanding:
    """The bundled model, loaded once (a missing file raises ``ModelError`` naming it)."""
    global _default
    if _default is None:
        _default = Understanding(load(RESIDENTS_MODEL))
    return _default


def read_message(text: str, context: ParseContext | None = None) -> Reading:
    return default_understanding().read(text, context)


def parse_message(text: str, context: ParseContext | None = None) -> ParsedRequest | None:
    """A request with its category, urgency and place, or None for anything else."""
    return read_message(text, context).request

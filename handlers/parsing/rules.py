"""The rule reading of a message: the safety net under the learned model.

Once the whole parser, tuned phrase by phrase; now it is asked one thing by
``understanding``: does this message describe a danger now? It may raise an
emergency the model missed; it never lowers anything the model read.
"""

from __future__ import annotations

import re

from handlers.categories import Category, EmergencyKind, Urgency
from handlers.parsing import intent
from handlers.parsing.danger import life_support_outage
from handlers.parsing.emergency import URGENT_CUES, emergency_kind, is_urgent
from handlers.parsing.lexicon import category_scores
from handlers.parsing.location import extract_location, extract_phone
from handlers.parsing.model import ParseContext, ParsedRequest
from handlers.parsing.normalize import Normalized, normalize

_KIND_CATEGORY = {
    EmergencyKind.FALL: Category.ASSISTANCE,
    EmergencyKind.FIRE: Category.FIRE_SAFETY,
    EmergencyKind.GAS: Category.GAS,
    EmergencyKind.TRAPPED: Category.ELEVATOR,
    EmergencyKind.COLLAPSE: Category.HOUSING,
    EmergencyKind.ELECTRIC: Category.POWER_LIGHTING,
    EmergencyKind.CRIME: Category.SECURITY,
    EmergencyKind.FLOOD: Category.PLUMBING,
}
_OUTDOOR = re.compile(r"树|路面|地面|马路|井盖|广告牌|挡土墙|围墙|路灯杆|宣传栏")
_UPSTAIRS = re.compile(r"楼上")
_SOMEONE = re.compile(r"老人|老头|老太|大爷|大妈|奶奶|爷爷|孩子|小孩|婴儿|宝宝|孕妇|病人|我妈|我爸|老伴|人")
_MAYDAY = re.compile(r"救命|救救")
_PANIC = re.compile(r"快来人|快来|赶紧来|快报警|报警|救命|快打|快救")
_OURS = re.compile(r"我家|我们家|咱家|我们楼|咱楼|本楼|\d号楼|\d栋|\d单元")
_FIRST_PERSON = re.compile(r"我|咱|本人|社区|网格员|物业|小区")
_PRIORITY = {c: i for i, c in enumerate((
    Category.GAS, Category.ELEVATOR, Category.HEATING, Category.FIRE_SAFETY,
    Category.POWER_LIGHTING, Category.PLUMBING, Category.NEIGHBOR_NOISE, Category.HOUSING,
    Category.SECURITY, Category.ASSISTANCE, Category.TRAFFIC_PARKING, Category.SANITATION,
    Category.PUBLIC_FACILITIES, Category.CONSULTATION, Category.OTHER,
))}


def _best(scores: dict[Category, int]) -> Category | None:
    if not scores:
        return None
    return min(scores, key=lambda c: (-scores[c], _PRIORITY[c]))


def _emergency_category(kind: EmergencyKind, text: str, scores: dict[Category, int]) -> Category:
    if kind is EmergencyKind.COLLAPSE and _OUTDOOR.search(text):
        return Category.PUBLIC_FACILITIES
    if kind is EmergencyKind.FLOOD and _UPSTAIRS.search(text):
        return Category.NEIGHBOR_NOISE
    category = _KIND_CATEGORY.get(kind)
    if category is None and life_support_outage(text):
        return Category.POWER_LIGHTING  # the fix is the power, even though a person is at risk
    if category is None and _SOMEONE.search(text):
        category = Category.ASSISTANCE
    if category is None:
        scores = {c: s for c, s in scores.items() if c != Category.CONSULTATION}
        category = _best(scores) or Category.ASSISTANCE
    return category


_SHARED = frozenset({"[视频]", "[链接]", "[文件]"})
_LAUGHING_EMOTES = frozenset({"😂", "🤣", "[捂脸]", "[偷笑]", "[破涕为笑]", "[呲牙]", "[旺柴]"})


def _joking(text: str, emotes: tuple[str, ...]) -> bool:
    if intent.JOKE.search(text) is not None and intent.NOT_JOKING.search(text) is None:
        return True
    if not any(e in _LAUGHING_EMOTES for e in emotes):
        return False
    # a facepalm on a complaint (电梯又坏了[捂脸]) is exasperation, not a joke
    return intent.GRIPE.search(text) is None or intent.STATE.search(text) is None \
        or intent.POSITIVE.search(text) is not None


def _not_chatter(text: str, emotes: tuple[str, ...], kind: EmergencyKind | None) -> bool:
    """False for the many kinds of message that look like talk, not asks."""
    if intent.is_ack(text) or intent.RED_PACKET.search(text) or "[红包]" in emotes or "[转账]" in emotes:
        return False
    alarm = kind is not None and intent.URGENCY_WORDS.search(text) is not None
    if intent.is_notice(text) and not (alarm and "【" not in text):
        return False
    staff = intent.STAFF_REPLY.search(text)
    if staff is not None and intent.is_staff_reply(text) and (kind is None or staff.start() <= 4):
        return False  # a resident's alarm may borrow a staff phrase mid-sentence
    if kind is None and (intent.is_thanks_for_fix(text) or intent.AD.search(text) or intent.is_lost_found(text)):
        return False
    if kind is None and (intent.PAST_FOLLOW_UP.search(text) or intent.HOW_TO.search(text)):
        return False
    if _joking(text, emotes) and not alarm and intent.HELP.search(text) is None:
        return False
    if (intent.MEDIA.search(text) or any(e in _SHARED for e in emotes)) and not _OURS.search(text):
        return False
    if kind is None and intent.GOOD_NEWS.search(text):
        return False
    if kind is None and intent.HYPERBOLE.search(text) and intent.ASK.search(text) is None:
        return False
    if kind is None and intent.POSITIVE.search(text) and intent.HELP.search(text) is None \
            and intent.STATE.search(text) is None:
        return False
    if kind is None and intent.CHAT_QUESTION.search(text) and not is_urgent(text) and not _OURS.search(text):
        return False
    return not intent.scheduled_question(text)


def parse_by_rules(text: str, context: ParseContext | None = None,
                   normalized: Normalized | None = None) -> ParsedRequest | None:
    """``normalized``: the text already normalised, when the caller has it."""
    if not isinstance(text, str):
        return None
    context = context or ParseContext()
    normalized = normalized or normalize(text)
    body = normalized.text
    for name in context.compound_names:
        if name and name.lower() in body:
            body = body.replace(name.lower(), " ")
    if intent.content_chars(body, 2) < 2:
        return None
    phone, body = extract_phone(body)
    kind = emergency_kind(body)
    if not _not_chatter(body, normalized.emotes, kind):
        return None
    asks = {m.start() for m in intent.HELP.finditer(body)}
    troubles = frozenset(m.start() for m in intent.PROBLEM.finditer(body) if m.start() not in asks)
    scoring = body
    for name in context.landmarks:
        if name and name in scoring:
            scoring = scoring.replace(name, " " * len(name))
    scores = category_scores(scoring, troubles)
    category: Category | None
    if kind is None and _PANIC.search(body):
        panicked = _classify(body, scores)
        if panicked is Category.SECURITY:
            kind = EmergencyKind.CRIME
        elif panicked is Category.ASSISTANCE:
            kind = EmergencyKind.OTHER
    if kind is EmergencyKind.OTHER and is_urgent(body) and not _MAYDAY.search(body) \
            and not life_support_outage(body):
        kind = None  # 水管爆了…快来人: the cry is about a burst pipe, which is urgent
    elif kind is None and _MAYDAY.search(body) and is_urgent(body):
        kind = EmergencyKind.OTHER  # 救命 with an outage (呼吸机…) is more than urgent
    if kind is not None:
        category = _emergency_category(kind, body, scores)
        urgency = Urgency.EMERGENCY
    else:
        category = _classify(body, scores)
        if category is None:
            return None
        urgency = Urgency.URGENT if category is not Category.CONSULTATION and is_urgent(body) else Urgency.NORMAL
    return ParsedRequest(
        category=category,
        urgency=urgency,
        location=extract_location(body, context),
        phone=phone,
        emergency_kind=kind,
    )


_UTILITIES = (
    (re.compile(r"水"), Category.PLUMBING),
    (re.compile(r"电"), Category.POWER_LIGHTING),
    (re.compile(r"暖气|供暖|度|冷|冻"), Category.HEATING),
    (re.compile(r"气|做不了饭|做不成饭|饭都做不"), Category.GAS),
)


def _broken_utility(text: str) -> Category | None:
    """An urgent cue with no category word: which supply the cue itself is about."""
    if not is_urgent(text):
        return None
    for match in URGENT_CUES.finditer(text):
        for word, category in _UTILITIES:
            if word.search(match.group(0)):
                return category
    return None


def _classify(text: str, scores: dict[Category, int]) -> Category | None:
    problem = intent.PROBLEM.search(text) is not None or is_urgent(text)
    helps = intent.HELP.search(text) is not None
    consult = scores.get(Category.CONSULTATION, 0)
    if consult >= 4 and intent.POLICY_Q.search(text):
        others: dict[Category, int] = {c: s for c, s in scores.items() if c != Category.CONSULTATION}
        top = _best(others)
        if top is None or consult >= others[top]:
            return Category.CONSULTATION
    scores = {c: s for c, s in scores.items() if c != Category.CONSULTATION}
    best = _best(scores)
    if best is not None and scores[best] >= 2 and (problem or helps):
        if intent.CHAT_QUESTION.search(text) and not problem and scores[best] < 4:
            return None
        return best
    utility = _broken_utility(text)
    if utility is not None:
        return utility  # no water / power / heat / gas at home is a request even unasked
    if (best is None or scores[best] < 2) and intent.ASK.search(text) and problem and intent.content_chars(text, 6) >= 6 \
            and _FIRST_PERSON.search(text) \
            and (_OURS.search(text) or not intent.CHAT_QUESTION.search(text)):
        return Category.OTHER
    return None

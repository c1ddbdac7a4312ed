"""What the learned models look at: the same tokens at training and at run time.

Tokens are character n-grams (1–3) of the normalised text with every digit
written as 0 (building 3 and building 13 are the same evidence), whole Latin
words (wifi, ok), the WeChat emotes and emoji that normalising took out, a
length bucket, and the cues of the rule reader (a danger construction, a
notice, a past event, a joke …) as ``r:`` tokens: the model learns how far to
trust each rule, which measured better than either alone (README, "Understanding").
Training (``bot/training.py``) hands this very function to scikit-learn, so a
model can never see tokens the bot would not produce.
"""

from __future__ import annotations

import re

from handlers.parsing import intent
from handlers.parsing.emergency import emergency_kind, is_urgent
from handlers.parsing.location import extract_phone
from handlers.parsing.model import ParsedRequest
from handlers.parsing.normalize import Normalized, normalize

NGRAM_MAX = 3
_DIGIT = re.compile(r"\d")
_LATIN_WORD = re.compile(r"[a-z]{2,}")
_NOT_TEXT = re.compile(r"[\s,.!?;:'\"()\[\]{}<>~\-_=+*/\\|。,!?;:、…“”‘’()【】《》·]+")
_LENGTHS = (4, 8, 16, 32, 64)


def _length_token(n: int) -> str:
    for bound in _LENGTHS:
        if n <= bound:
            return f"len<={bound}"
    return "len>64"


def tokens_of(normalized: Normalized) -> list[str]:
    phone, text = extract_phone(normalized.text)
    text = _DIGIT.sub("0", text)  # a phone number says "call me", not what is wrong: one token
    out = [f"w:{w}" for w in _LATIN_WORD.findall(text)] + (["phone"] if phone else [])
    out += [f"e:{e}" for e in normalized.emotes]
    compact = _NOT_TEXT.sub(" ", text).strip()
    out.append(_length_token(len(compact.replace(" ", ""))))
    if not compact:
        return out
    padded = f"^{compact}$"
    size = len(padded)
    for n in range(1, NGRAM_MAX + 1):
        for i in range(size - n + 1):
            gram = padded[i:i + n]
            if " " not in gram:
                out.append(gram)
    return out


_CUES = (
    ("notice", intent.is_notice), ("thanks_for_fix", intent.is_thanks_for_fix),
    ("staff_reply", intent.is_staff_reply), ("lost_found", intent.is_lost_found), ("ack", intent.is_ack),
    ("scheduled_question", intent.scheduled_question),
)
_PATTERNS = (
    ("ad", intent.AD), ("media", intent.MEDIA), ("joke", intent.JOKE), ("past", intent.PAST_FOLLOW_UP),
    ("how_to", intent.HOW_TO), ("good_news", intent.GOOD_NEWS), ("hyperbole", intent.HYPERBOLE),
    ("positive", intent.POSITIVE), ("chat_question", intent.CHAT_QUESTION), ("help", intent.HELP),
    ("ask", intent.ASK), ("state", intent.STATE), ("red_packet", intent.RED_PACKET),
)


def rule_tokens(body: str, ruled: ParsedRequest | None) -> list[str]:
    """What the rule reader saw in the normalised ``body``, and what it concluded."""
    out = [f"r:{name}" for name, test in _CUES if test(body)]
    out += [f"r:{name}" for name, pattern in _PATTERNS if pattern.search(body)]
    kind = emergency_kind(body)
    if kind is not None:
        out += ["r:danger", f"r:danger:{kind.value}"]
    if is_urgent(body):
        out.append("r:urgent")
    if ruled is None:
        out.append("r:not_request")
    else:
        out += ["r:request", f"r:urgency:{ruled.urgency.value}", f"r:category:{ruled.category.value}"]
    return out


def plain_tokens(text: str) -> list[str]:
    """Tokens without the rule cues (the staff replies' model)."""
    return tokens_of(normalize(text))


def tokens(text: str) -> list[str]:
    """Tokens of a resident's raw text, rule cues included (as the bot reads it)."""
    from handlers.parsing.rules import parse_by_rules

    normalized = normalize(text)
    return tokens_of(normalized) + rule_tokens(normalized.text, parse_by_rules(text, None, normalized))

"""What the learned models look at: the same tokens at training and at run time.

Tokens are character n-grams (1–3) of the normalised text with every digit
written as 0 (building 3 and building 13 are the same evidence), whole Latin
words (wifi, ok), the WeChat emotes and emoji that normalising took out, and a
length bucket. Training (``bot/training.py``) hands this very function to
scikit-learn, so a model can never see tokens the bot would not produce.
"""

from __future__ import annotations

import re

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
    text = _DIGIT.sub("0", normalized.text)
    out = [f"w:{w}" for w in _LATIN_WORD.findall(text)]
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


def tokens(text: str) -> list[str]:
    """Tokens of raw text (for training and for ``griddesk parse``)."""
    return tokens_of(normalize(text))

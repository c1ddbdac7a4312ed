"""Bring whatever residents type into one plain form before any cue is looked for.

Order matters: width and script first (so ``電梯`` and ``３号楼`` look like
``电梯`` and ``3号楼``), then dialect spellings, then numerals in front of
location words, so that every later regex sees one spelling of each thing.
"""

from __future__ import annotations

import re

from handlers.parsing.dialect import to_mandarin
from handlers.parsing.numerals import CN_NUMERAL_CHARS, cn_to_int
from handlers.parsing.t2s_table import SIMPLIFIED, TRADITIONAL

MAX_CHARS = 500
"""Residents' requests are short; beyond this it is a pasted article or noise."""


def _width_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20
    table[0x2005] = 0x20  # WeChat puts U+2005 after an @-mention
    for c in range(0x20):
        table[c] = 0x20
    table[0x7F] = 0x20
    for c in (0x200B, 0x200C, 0x200D, 0xFEFF, 0xFE0F):
        table[c] = None
    return table


_TABLE: dict[int, int | None] = {**str.maketrans(TRADITIONAL, SIMPLIFIED), **_width_table()}
_TABLE.update({ord("–"): ord("-"), ord("—"): ord("-"), ord("－"): ord("-"), ord("～"): ord("~"),
               ord("﹣"): ord("-"), ord("‐"): ord("-"), ord("‑"): ord("-")})
for _c in "著": # 著 is mostly 着 in residents' text (着火), not 著名
    _TABLE[ord(_c)] = ord("着")

_SURROGATES = re.compile("[\ud800-\udfff]")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff\u2300-\u23ff\u3030\u303d]"
)
_WECHAT_EMOTE = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,4}\]")
_MENTION = re.compile(r"@[^\s@]{1,6}(?=\s)|@[^\s@]{1,6}$")
"""A short @-name ending at whitespace (WeChat adds U+2005) goes whole. Otherwise
only the @ and a role word go (below): a long run up to the next space may be the
request itself (@网格员王芳停气了 快来), and a name left behind is harmless."""
_BARE_AT = re.compile(r"@(?:网格员|楼长|物业|管家|社区|书记|主任)?")
_SPACES = re.compile(r"\s+")

_CN_BEFORE_PLACE = re.compile(
    f"[{CN_NUMERAL_CHARS}]+(?=\\s*(?:号楼|号|栋|幢|座|单元|门|楼|层|室|户|#))"
)
_CN_DIGIT_RUN = re.compile("[零〇○一二三四五六七八九幺]{3,4}")


def _digits(match: re.Match[str]) -> str:
    value = cn_to_int(match.group(0))
    return match.group(0) if value is None else str(value)


def _digit_run(match: re.Match[str]) -> str:
    run = match.group(0)
    # "一一" style runs are rare in prose; a run of 3-4 digit characters
    # reads as a room number (六零一 → 601) in residents' text.
    value = cn_to_int(run)
    return run if value is None else str(value).zfill(len(run))


class Normalized:
    """The text as looked at by cue matching, plus marks lost in normalising."""

    __slots__ = ("text", "emotes", "had_emoji")

    def __init__(self, text: str, emotes: tuple[str, ...], had_emoji: bool) -> None:
        self.text = text
        self.emotes = emotes
        self.had_emoji = had_emoji


def normalize(raw: str) -> Normalized:
    text = raw[:MAX_CHARS] if len(raw) > MAX_CHARS else raw
    text = _SURROGATES.sub("", text).translate(_TABLE).lower()
    emotes = tuple(_WECHAT_EMOTE.findall(text))
    if emotes:
        text = _WECHAT_EMOTE.sub(" ", text)
    stripped = _EMOJI.sub(" ", text)
    had_emoji = stripped != text
    if had_emoji:
        emotes = emotes + tuple(_EMOJI.findall(text))
    text = stripped
    if "@" in text:
        text = _BARE_AT.sub(" ", _MENTION.sub(" ", text))
    text = to_mandarin(text)
    text = _CN_BEFORE_PLACE.sub(_digits, text)
    text = _CN_DIGIT_RUN.sub(_digit_run, text)
    text = _SPACES.sub(" ", text).strip()
    return Normalized(text, emotes, had_emoji)

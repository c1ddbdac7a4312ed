"""Recognising what staff and residents type to act on a ticket.

"#42 收到", "#0042 已解决 换了阀门", "/resolve 42 换了阀门", "#42 转 李娜",
"#42 上报 需要社区协调", "#42 进度", "#42 撤销", a bare "收到" in reply to a
notification, a rating "1"/"满意", a co-report "+1"/"我家也是".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from handlers.corrections import parse_correction


class Verb(StrEnum):
    ACKNOWLEDGE = "ack"
    RESOLVE = "resolve"
    TRANSFER = "transfer"
    ESCALATE = "escalate"
    NOTE = "note"
    PROGRESS = "status"
    WITHDRAW = "withdraw"
    VISIT = "visit"
    MERGE = "merge"
    CORRECT = "correct"
    """误报, 不是诉求, 类别 燃气, 紧急, 位置 …: see ``handlers.corrections``."""


@dataclass(frozen=True)
class TicketCommand:
    verb: Verb
    code: int | None
    """None when the message names no ticket (a reply or quote must then say which)."""
    argument: str = ""


_WORD_VERBS: list[tuple[str, Verb]] = [
    ("已解决", Verb.RESOLVE),
    ("解决了", Verb.RESOLVE),
    ("已处理", Verb.RESOLVE),
    ("处理好了", Verb.RESOLVE),
    ("已办结", Verb.RESOLVE),
    ("办结", Verb.RESOLVE),
    ("解决", Verb.RESOLVE),
    ("收到", Verb.ACKNOWLEDGE),
    ("接单", Verb.ACKNOWLEDGE),
    ("好的", Verb.ACKNOWLEDGE),
    ("转派", Verb.TRANSFER),
    ("转给", Verb.TRANSFER),
    ("转", Verb.TRANSFER),
    ("上报", Verb.ESCALATE),
    ("升级", Verb.ESCALATE),
    ("备注", Verb.NOTE),
    ("进度", Verb.PROGRESS),
    ("进展", Verb.PROGRESS),
    ("状态", Verb.PROGRESS),
    ("查询", Verb.PROGRESS),
    ("撤销", Verb.WITHDRAW),
    ("撤回", Verb.WITHDRAW),
    ("取消", Verb.WITHDRAW),
    ("回访", Verb.VISIT),
    ("合并到", Verb.MERGE),
    ("合并", Verb.MERGE),
    ("并入", Verb.MERGE),
]

_SLASH_VERBS = {
    "ack": Verb.ACKNOWLEDGE,
    "resolve": Verb.RESOLVE,
    "done": Verb.RESOLVE,
    "transfer": Verb.TRANSFER,
    "escalate": Verb.ESCALATE,
    "note": Verb.NOTE,
    "status": Verb.PROGRESS,
    "progress": Verb.PROGRESS,
    "withdraw": Verb.WITHDRAW,
    "cancel": Verb.WITHDRAW,
    "visit": Verb.VISIT,
    "merge": Verb.MERGE,
}

_HASH = re.compile(r"^[#＃]\s*0*(\d{1,30})\s*[:：,，]?\s*(.*)$", re.S)
_SLASH = re.compile(r"^/([a-z]+)(?:@\w+)?(?:\s+[#＃]?0*(\d{1,30}))?\s*(.*)$", re.S | re.I)
_CODE_IN_TEXT = re.compile(r"[#＃]\s*0*(\d{1,30})")
_CODE_ONLY = re.compile(r"^[#＃]?\s*0*(\d{1,30})[\s。.!！]*$")
_ACK_ONLY = re.compile(r"^(收到|好的|好|接单|ok|OK|Ok|明白|马上去|马上处理|这就去)[!！。.~～]*$")
_CO_REPORT = re.compile(
    r"^(\+1|＋1|\+\+|同样|同上|我家也是|我家也一样|我们家也是|我家也|俺家也是|我也是|我们也是|这边也是|我们楼也是|一样)"
    r"[!！。.~～,，\s]*\S{0,12}$"
)
_RATINGS = {
    "1": "satisfied",
    "满意": "satisfied",
    "非常满意": "satisfied",
    "2": "basically",
    "基本满意": "basically",
    "还行": "basically",
    "3": "dissatisfied",
    "不满意": "dissatisfied",
    "不满": "dissatisfied",
}


def parse_command(text: str) -> TicketCommand | None:
    """A ticket command written out in full, or None."""
    text = text.strip()
    if m := _HASH.match(text):
        rest = m.group(2).strip()
        if parse_correction(rest) is not None:
            return TicketCommand(Verb.CORRECT, int(m.group(1)), rest)
        for word, verb in _WORD_VERBS:
            if rest.startswith(word):
                return TicketCommand(verb, int(m.group(1)), rest[len(word):].strip(" :：,，"))
        return None
    if m := _SLASH.match(text):
        slash_verb = _SLASH_VERBS.get(m.group(1).lower())
        if slash_verb is None:
            return None
        code = int(m.group(2)) if m.group(2) else None
        return TicketCommand(slash_verb, code, m.group(3).strip())
    return None


def parse_bare_command(text: str) -> TicketCommand | None:
    """A verb without a ticket code ("收到", "已解决 换了灯泡"), meaningful only in a reply."""
    text = text.strip()
    if _ACK_ONLY.match(text):
        return TicketCommand(Verb.ACKNOWLEDGE, None)
    for word, verb in _WORD_VERBS:
        if text.startswith(word) and verb is not Verb.ACKNOWLEDGE:
            return TicketCommand(verb, None, text[len(word):].strip(" :：,，"))
    return None


def code_only(text: str) -> int | None:
    """"#3", "0003", "3": an answer naming a ticket."""
    m = _CODE_ONLY.match(text.strip())
    return int(m.group(1)) if m else None


_CARD_IN_TEXT = re.compile(r"【可能的诉求 K(\d{1,12})】")


def card_mentioned(text: str) -> int | None:
    """The card a quoted "可能的诉求" message carries (WeChat quotes give only text)."""
    m = _CARD_IN_TEXT.search(text)
    return int(m.group(1)) if m else None


def code_mentioned(text: str) -> int | None:
    """The ticket code a quoted notification carries ("【新工单 #0042】…")."""
    m = _CODE_IN_TEXT.search(text)
    return int(m.group(1)) if m else None


def is_co_report(text: str) -> bool:
    return bool(_CO_REPORT.match(text.strip()))


_RATING_LEAD = re.compile(r"^(非常满意|基本满意|不满意|不太满意|满意|还行|不满)")
_THANKS = ("谢谢", "感谢", "多谢", "辛苦", "点赞", "好的", "👍", "🙏")


def parse_rating(text: str) -> str | None:
    """1 / 满意 / 基本满意 / 不满意, alone or followed by thanks ("满意,谢谢王芳");
    不满意 followed by anything (what is still wrong) is still 不满意."""
    text = text.strip().strip("!！。.~～ ")
    exact = _RATINGS.get(text)
    if exact is not None:
        return exact
    m = _RATING_LEAD.match(text)
    if m is None:
        return None
    word = m.group(1)
    if word in ("不满意", "不太满意", "不满"):
        return "dissatisfied"
    if word == "基本满意":
        return "basically"  # "基本满意 就是来得有点晚": the qualifier is already in the word
    tail = text[m.end():].lstrip(" ,，。.!！~～、")
    if tail and not tail.startswith(_THANKS):
        return None
    return _RATINGS.get(word, "satisfied")


def digest_request(text: str) -> str | None:
    """"today" (日报: today so far), "yesterday" (昨日日报) or "weekly" (周报), or None."""
    t = text.strip().lower()
    if t in {"日报", "/digest", "看日报", "今日日报", "今天日报"} or t.startswith("/digest@"):
        return "today"
    if t in {"昨日日报", "昨天日报", "昨天的日报", "/yesterday"}:
        return "yesterday"
    if t in {"周报", "/weekly", "本周周报", "看周报"} or t.startswith("/weekly@"):
        return "weekly"
    return None

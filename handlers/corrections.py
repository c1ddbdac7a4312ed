"""Staff correct the bot in chat: 立案, 误报 / 不是诉求, 类别 燃气, 紧急 / 加急 / 一般,
位置 5号楼2单元. Each correction changes the ticket through its own methods, is an
audited event, and is kept as a labelled example (``griddesk corrections export``)
so the next model learns the office's own residents' words.

误报 (a real-sounding report of something that was not there) closes the ticket but
is not a training example: the words were a request; only the fact was wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from handlers.categories import CATEGORY_LABELS, Category, Urgency
from handlers.parsing.location import extract_location
from handlers.parsing.model import Location, ParseContext
from handlers.parsing.normalize import normalize


class Fix(StrEnum):
    FILE = "file"  # 立案
    IGNORE = "ignore"  # 忽略 (a card)
    FALSE_ALARM = "false_alarm"  # 误报
    NOT_A_REQUEST = "not_a_request"  # 不是诉求
    CATEGORY = "category"
    URGENCY = "urgency"
    LOCATION = "location"


@dataclass(frozen=True)
class Correction:
    fix: Fix
    category: Category | None = None
    urgency: Urgency | None = None
    location: Location | None = None


@dataclass
class LabelledExample:
    """A message with the labels staff gave it, in the ``griddesk parse`` shape."""

    text: str
    platform: str
    chat_id: str
    labels: dict[str, Any]
    fix: str
    staff_id: str
    at: datetime
    ticket_id: int | None = None
    corrected: list[str] = field(default_factory=list)


_CATEGORY_WORDS: dict[str, Category] = {label: c for c, label in CATEGORY_LABELS.items()}
_CATEGORY_WORDS.update({c.value: c for c in Category})
_CATEGORY_WORDS.update({
    "卫生": Category.SANITATION, "垃圾": Category.SANITATION, "环卫": Category.SANITATION,
    "给排水": Category.PLUMBING, "排水": Category.PLUMBING, "水管": Category.PLUMBING, "下水": Category.PLUMBING,
    "上下水": Category.PLUMBING, "房屋": Category.HOUSING, "房屋修缮": Category.HOUSING, "维修": Category.HOUSING,
    "暖气": Category.HEATING, "供热": Category.HEATING, "供电": Category.POWER_LIGHTING,
    "照明": Category.POWER_LIGHTING, "电路": Category.POWER_LIGHTING, "路灯": Category.POWER_LIGHTING,
    "煤气": Category.GAS, "天然气": Category.GAS, "消防": Category.FIRE_SAFETY, "交通": Category.TRAFFIC_PARKING,
    "停车": Category.TRAFFIC_PARKING, "噪音": Category.NEIGHBOR_NOISE, "邻里": Category.NEIGHBOR_NOISE,
    "邻里纠纷": Category.NEIGHBOR_NOISE, "纠纷": Category.NEIGHBOR_NOISE, "设施": Category.PUBLIC_FACILITIES,
    "安全": Category.SECURITY, "帮扶": Category.ASSISTANCE, "救助": Category.ASSISTANCE,
    "咨询": Category.CONSULTATION, "政策": Category.CONSULTATION, "其它": Category.OTHER,
})
_URGENCY_WORDS = {"紧急": Urgency.EMERGENCY, "加急": Urgency.URGENT, "急": Urgency.URGENT,
                  "一般": Urgency.NORMAL, "普通": Urgency.NORMAL, "不急": Urgency.NORMAL}
_SEP = r"[\s::,,为是成改]*"
_FILE = re.compile(rf"^(?:立案|登记|建单){_SEP}(.*)$")
_IGNORE = re.compile(r"^(?:忽略|不用管|不立案)[!!。.\s]*$")
_FALSE_ALARM = re.compile(r"^误报[!!。.\s]*(.*)$")
_NOT_REQUEST = re.compile(r"^(?:不是诉求|非诉求|不是问题)[!!。.\s]*(.*)$")
_CATEGORY = re.compile(rf"^(?:类别|分类|类型|改类别){_SEP}(\S+)[!!。.\s]*$")
_URGENCY = re.compile(rf"^(?:改为|改成|紧急程度{_SEP})?(紧急|加急|一般|普通|不急)[!!。.\s]*$")
_LOCATION = re.compile(rf"^(?:位置|地点|地址){_SEP}(.+)$")


def category_named(word: str) -> Category | None:
    word = word.strip().rstrip(",，。.!！")
    return _CATEGORY_WORDS.get(word) or _CATEGORY_WORDS.get(word.lower())


def parse_correction(text: str) -> Correction | None:
    """A correction word as staff type it, or None."""
    text = text.strip()
    if m := _FILE.match(text):
        rest = m.group(1).split()
        return Correction(
            Fix.FILE,
            category=next((c for w in rest if (c := category_named(w)) is not None), None),
            urgency=next((_URGENCY_WORDS[w] for w in rest if w in _URGENCY_WORDS), None),
        )
    if _IGNORE.match(text):
        return Correction(Fix.IGNORE)
    if _FALSE_ALARM.match(text):
        return Correction(Fix.FALSE_ALARM)
    if _NOT_REQUEST.match(text):
        return Correction(Fix.NOT_A_REQUEST)
    if m := _CATEGORY.match(text):
        category = category_named(m.group(1))
        return Correction(Fix.CATEGORY, category=category) if category else None
    if m := _URGENCY.match(text):
        return Correction(Fix.URGENCY, urgency=_URGENCY_WORDS[m.group(1)])
    if m := _LOCATION.match(text):
        location = extract_location(normalize(m.group(1)).text, ParseContext())
        if location.building or location.landmark or location.unit or location.room:
            return Correction(Fix.LOCATION, location=location)
    return None


def labels(is_request: bool, category: Category | None = None, urgency: Urgency | None = None,
           location: Location | None = None) -> dict[str, Any]:
    where = location or Location()
    return {
        "is_request": is_request,
        "category": category.value if is_request and category else None,
        "urgency": urgency.value if is_request and urgency else None,
        "location": {"building": where.building, "unit": where.unit, "room": where.room,
                     "landmark": where.landmark},
    }

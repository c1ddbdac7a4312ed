"""What a staff member means by a free-text reply about a ticket.

"灯换好了", "收到 让维保下午来", "去看了 没漏", "这个归二网格 转李娜": a learned
model (``griddesk train``, ``models/staff.json.gz``) reads one of eight intents.
The exact verbs of ``handlers.commands`` ("#42 已解决", "/ack 42") stay as
shortcuts and are tried first; this is for everything staff say in their own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from handlers.parsing.features import tokens_of
from handlers.parsing.linear import LinearModel, load
from handlers.parsing.normalize import normalize

STAFF_MODEL = Path(__file__).parent / "models" / "staff.json.gz"
SURE_AT = 0.5
"""Below this the conversation asks the worker what they meant instead of acting."""


class StaffIntent(StrEnum):
    ACK = "ack"
    PROGRESS = "progress"
    RESOLVED = "resolved"
    FALSE_ALARM = "false_alarm"
    TRANSFER = "transfer"
    ESCALATE = "escalate"
    QUESTION = "question"
    OTHER = "other"


@dataclass(frozen=True)
class StaffReading:
    intent: StaffIntent
    confidence: float

    @property
    def sure(self) -> bool:
        return self.confidence >= SURE_AT


class StaffReader:
    def __init__(self, model: LinearModel) -> None:
        self.model = model

    def read(self, text: str) -> StaffReading:
        normalized = normalize(text if isinstance(text, str) else "")
        if not normalized.text and not normalized.emotes:
            return StaffReading(StaffIntent.OTHER, 1.0)
        p = self.model.probabilities(tokens_of(normalized))["intent"]
        best = max(p, key=p.__getitem__)
        return StaffReading(StaffIntent(best), p[best])


_default: StaffReader | None = None


def default_staff_reader() -> StaffReader:
    global _default
    if _default is None:
        _default = StaffReader(load(STAFF_MODEL))
    return _default


def read_staff_reply(text: str) -> StaffReading:
    return default_staff_reader().read(text)

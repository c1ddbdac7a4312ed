"""The labelled data in ``data/``: loading, checking, de-duplicating, splitting.

Every file under ``data/corpus/`` (residents' messages) and ``data/staff/``
(staff replies) is JSON lines as ``data/LABELS.md`` describes. Loading checks
every line and reports a bad one by file and line number instead of stopping.

De-duplication is deterministic: files in name order, lines in file order, the
first of a group wins. Two messages are the same when their key (normalised
text, digits as 0, punctuation and spaces gone) is the same, and near-duplicates
when their character 3-gram sets overlap by ``NEAR`` or more (Jaccard).

The test split is fixed by a hash of the key: about ``TEST_PERCENT`` % of
messages, always the same ones, whatever else is added.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handlers.categories import Category, Urgency
from handlers.parsing.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RESIDENT_DIR = DATA / "corpus"
STAFF_DIR = DATA / "staff"
BLIND_DIR = DATA / "blind"
TEST_PERCENT = 15
NEAR = 0.8
STAFF_INTENTS = ("ack", "progress", "resolved", "false_alarm", "transfer", "escalate", "question", "other")
_CATEGORIES = {c.value for c in Category}
_URGENCIES = {u.value for u in Urgency}
_LOCATION_KEYS = ("building", "unit", "room", "landmark")
_NOT_TEXT = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d")


@dataclass
class Example:
    text: str
    labels: dict[str, Any]
    source: str
    """file:line it came from."""
    styles: tuple[str, ...] = ()
    key: str = ""
    weight: float = 1.0

    @property
    def split(self) -> str:
        digest = hashlib.sha1(self.key.encode("utf-8")).hexdigest()
        return "test" if int(digest[:8], 16) % 100 < TEST_PERCENT else "train"

    def as_record(self) -> dict[str, Any]:
        return {"text": self.text, **self.labels}


@dataclass
class Loaded:
    examples: list[Example] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    duplicates: int = 0
    near_duplicates: int = 0
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    """(kept source, dropped source) where the dropped one had other labels."""


def dedup_key(text: str) -> str:
    return _NOT_TEXT.sub("", _DIGITS.sub("0", normalize(text).text))


def check_resident(record: Any) -> str | None:
    """Why a residents' line is not valid, or None."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        return "needs an object with a non-empty text"
    is_request = record.get("is_request")
    if not isinstance(is_request, bool):
        return "is_request must be true or false"
    category, urgency = record.get("category"), record.get("urgency")
    if is_request and (category not in _CATEGORIES or urgency not in _URGENCIES):
        return f"a request needs a category and an urgency (got {category!r}, {urgency!r})"
    if not is_request and (category is not None or urgency is not None):
        return "category and urgency are null for a message that is not a request"
    location = record.get("location")
    if not isinstance(location, dict) or any(
        not (location.get(k) is None or isinstance(location.get(k), str)) for k in _LOCATION_KEYS
    ):
        return "location needs building, unit, room, landmark as strings or null"
    return None


def check_staff(record: Any) -> str | None:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        return "needs an object with a non-empty text"
    if record.get("intent") not in STAFF_INTENTS:
        return f"intent must be one of {', '.join(STAFF_INTENTS)}"
    return None


def _resident_labels(record: dict[str, Any]) -> dict[str, Any]:
    location = record["location"]
    return {
        "is_request": record["is_request"],
        "category": record["category"],
        "urgency": record["urgency"],
        "location": {k: location.get(k) for k in _LOCATION_KEYS},
    }


def read_files(paths: Iterable[Path], staff: bool = False) -> Loaded:
    loaded = Loaded()
    check = check_staff if staff else check_resident
    for path in paths:
        with path.open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where = f"{path.name}:{number}"
                try:
                    record = json.loads(line)
                except ValueError:
                    loaded.problems.append(f"{where}: not valid JSON")
                    continue
                problem = check(record)
                if problem is not None:
                    loaded.problems.append(f"{where}: {problem}")
                    continue
                labels = {"intent": record["intent"]} if staff else _resident_labels(record)
                styles = record.get("styles") or ()
                loaded.examples.append(Example(record["text"], labels, where,
                                               tuple(s for s in styles if isinstance(s, str)),
                                               dedup_key(record["text"])))
    return loaded


def _shingles(key: str) -> frozenset[str]:
    if len(key) < 3:
        return frozenset({key})
    return frozenset(key[i:i + 3] for i in range(len(key) - 2))


class _NearIndex:
    """Finds a kept set with Jaccard ≥ NEAR by prefix filtering: two such sets share
    one of their rarest ``len - ceil(NEAR·len) + 1`` shingles, so only those are indexed."""

    def __init__(self, frequency: dict[str, int]) -> None:
        self.frequency = frequency
        self.sets: list[frozenset[str]] = []
        self.index: dict[str, list[int]] = defaultdict(list)

    def _prefix(self, shingles: frozenset[str]) -> list[str]:
        ordered = sorted(shingles, key=lambda g: (self.frequency.get(g, 0), g))
        return ordered[: len(ordered) - math.ceil(NEAR * len(ordered)) + 1]

    def find(self, shingles: frozenset[str]) -> bool:
        if len(shingles) < 4:  # short messages: only exact repeats count
            return False
        seen: set[int] = set()
        for g in self._prefix(shingles):
            for j in self.index.get(g, ()):
                if j in seen:
                    continue
                seen.add(j)
                other = self.sets[j]
                common = len(shingles & other)
                if common / (len(shingles) + len(other) - common) >= NEAR:
                    return True
        return False

    def add(self, shingles: frozenset[str]) -> None:
        if len(shingles) < 4:
            return
        position = len(self.sets)
        self.sets.append(shingles)
        for g in self._prefix(shingles):
            self.index[g].append(position)


def deduplicate(loaded: Loaded, against: Iterable[str] = ()) -> Loaded:
    """Drop repeats and near-repeats, keeping the first; also drop anything that
    repeats a text in ``against`` (the blind sets must stay unseen)."""
    out = Loaded(problems=loaded.problems)
    banned = {dedup_key(t) for t in against}
    frequency: dict[str, int] = defaultdict(int)
    for key in [e.key for e in loaded.examples] + list(banned):
        for g in _shingles(key):
            frequency[g] += 1
    kept, blind = _NearIndex(frequency), _NearIndex(frequency)
    for key in banned:
        blind.add(_shingles(key))
    by_key: dict[str, Example] = {}
    for example in loaded.examples:
        if not example.key:
            continue
        first = by_key.get(example.key)
        if first is not None or example.key in banned:
            out.duplicates += 1
            if first is not None and first.labels != example.labels:
                out.conflicts.append((first.source, example.source))
            continue
        shingles = _shingles(example.key)
        if kept.find(shingles) or blind.find(shingles):
            out.near_duplicates += 1
            continue
        by_key[example.key] = example
        kept.add(shingles)
        out.examples.append(example)
    return out


def load_residents(directory: Path = RESIDENT_DIR, extra: Iterable[Path] = (),
                   blind: Iterable[str] = ()) -> Loaded:
    paths = sorted(directory.glob("*.jsonl")) + list(extra)
    return deduplicate(read_files(paths), against=blind)


def load_staff(directory: Path = STAFF_DIR, blind: Iterable[str] = ()) -> Loaded:
    return deduplicate(read_files(sorted(directory.glob("*.jsonl")), staff=True), against=blind)


def blind_texts(directory: Path = BLIND_DIR) -> list[str]:
    texts = []
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    texts.append(json.loads(line)["text"])
                except (ValueError, KeyError, TypeError):
                    continue
    return texts

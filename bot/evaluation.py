"""Figures for the understanding of residents' messages and staff replies.

One definition of every figure, used by ``griddesk train`` (cross-validation and
the test split), ``bench/parser_report.py`` and the blind-set report:

- request P / R / F1 over all messages;
- category and urgency accuracy over the messages that *are* requests (the
  reading's best guess counts even when the request was missed, so a miss is not
  hidden twice);
- emergency recall: gold emergencies read as requests with urgency emergency;
- false emergencies: messages that are not emergencies, read as one, as a share
  of all such messages;
- building: the building read equals the gold building, over gold requests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

URGENCIES = ("emergency", "urgent", "normal", None)
Prediction = dict[str, Any]
"""The ``griddesk parse`` shape: is_request, category, urgency, location, …"""


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


@dataclass
class Report:
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    requests: int = 0
    category_hits: int = 0
    urgency_hits: int = 0
    building_hits: int = 0
    location_hits: int = 0
    emergencies: int = 0
    emergencies_caught: int = 0
    others: int = 0
    false_emergencies: int = 0
    category: Counter[tuple[str, str]] = field(default_factory=Counter)
    urgency: Counter[tuple[str | None, str | None]] = field(default_factory=Counter)
    errors: list[tuple[dict[str, Any], Prediction]] = field(default_factory=list)

    def add(self, gold: dict[str, Any], got: Prediction) -> None:
        self.n += 1
        gold_req, got_req = bool(gold["is_request"]), bool(got["is_request"])
        self.tp += gold_req and got_req
        self.fp += (not gold_req) and got_req
        self.fn += gold_req and not got_req
        got_urgency = got["urgency"] if got_req else None
        self.urgency[(gold.get("urgency"), got_urgency)] += 1
        wrong = gold_req != got_req
        if gold.get("urgency") == "emergency":
            self.emergencies += 1
            self.emergencies_caught += got_urgency == "emergency"
        else:
            self.others += 1
            self.false_emergencies += got_urgency == "emergency"
        if gold_req:
            self.requests += 1
            guess_category = got.get("category") or got.get("best_category")
            guess_urgency = got.get("urgency") or got.get("best_urgency")
            self.category[(gold["category"], guess_category or "-")] += 1
            self.category_hits += guess_category == gold["category"]
            self.urgency_hits += guess_urgency == gold["urgency"]
            location = got.get("location") or {}
            gold_location = gold.get("location") or {}
            self.building_hits += location.get("building") == gold_location.get("building")
            self.location_hits += location == gold_location
            wrong = wrong or guess_category != gold["category"] or guess_urgency != gold["urgency"]
        elif got_req:
            self.category[("-", got.get("category") or "-")] += 1
        if wrong:
            self.errors.append((gold, got))

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def category_accuracy(self) -> float:
        return _ratio(self.category_hits, self.requests)

    @property
    def urgency_accuracy(self) -> float:
        return _ratio(self.urgency_hits, self.requests)

    @property
    def building_accuracy(self) -> float:
        return _ratio(self.building_hits, self.requests)

    @property
    def location_accuracy(self) -> float:
        return _ratio(self.location_hits, self.requests)

    @property
    def emergency_recall(self) -> float:
        return _ratio(self.emergencies_caught, self.emergencies)

    @property
    def false_emergency_rate(self) -> float:
        return _ratio(self.false_emergencies, self.others)

    def summary(self) -> dict[str, float | int]:
        return {
            "messages": self.n,
            "request_precision": round(self.precision, 4),
            "request_recall": round(self.recall, 4),
            "request_f1": round(self.f1, 4),
            "category_accuracy": round(self.category_accuracy, 4),
            "urgency_accuracy": round(self.urgency_accuracy, 4),
            "emergency_recall": round(self.emergency_recall, 4),
            "emergencies": self.emergencies,
            "false_emergency_rate": round(self.false_emergency_rate, 4),
            "building_accuracy": round(self.building_accuracy, 4),
            "location_exact": round(self.location_accuracy, 4),
        }

    def per_category(self) -> dict[str, tuple[float, float, int]]:
        """Precision and recall of each category over gold requests (and false requests)."""
        cats = sorted({c for pair in self.category for c in pair if c != "-"})
        rows = {}
        for cat in cats:
            tp = self.category[(cat, cat)]
            predicted = sum(v for (_, p), v in self.category.items() if p == cat)
            gold = sum(v for (g, _), v in self.category.items() if g == cat)
            rows[cat] = (_ratio(tp, predicted), _ratio(tp, gold), gold)
        return rows


def evaluate(examples: Iterable[dict[str, Any]], predict: Callable[[dict[str, Any]], Prediction]) -> Report:
    report = Report()
    for example in examples:
        report.add(example, predict(example))
    return report


def render(title: str, report: Report) -> str:
    s = report.summary()
    lines = [
        f"== {title} ({report.n} messages, {report.requests} requests, {report.emergencies} emergencies)",
        f"request           P {s['request_precision']:.3f}  R {s['request_recall']:.3f}  "
        f"F1 {s['request_f1']:.3f}   (tp {report.tp}, fp {report.fp}, fn {report.fn})",
        f"category accuracy {s['category_accuracy']:.3f}   urgency accuracy {s['urgency_accuracy']:.3f}",
        f"emergency recall  {s['emergency_recall']:.3f} ({report.emergencies_caught}/{report.emergencies})"
        f"   false emergencies {s['false_emergency_rate']:.3f} ({report.false_emergencies}/{report.others})",
        f"building          {s['building_accuracy']:.3f}   location exact {s['location_exact']:.3f}",
        "",
        f"{'category':<18}{'P':>7}{'R':>7}{'n':>6}",
    ]
    for cat, (p, r, n) in report.per_category().items():
        lines.append(f"{cat:<18}{p:>7.2f}{r:>7.2f}{n:>6}")
    lines += ["", "urgency (rows gold, columns read; '-' = not a request)",
              " " * 11 + "".join(f"{str(u or '-'):>11}" for u in URGENCIES)]
    for gold in URGENCIES:
        row = "".join(f"{report.urgency[(gold, got)]:>11}" for got in URGENCIES)
        lines.append(f"{str(gold or '-'):>11}{row}")
    return "\n".join(lines)


@dataclass
class IntentReport:
    n: int = 0
    hits: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[tuple[dict[str, Any], str]] = field(default_factory=list)

    def add(self, gold: str, got: str, example: dict[str, Any]) -> None:
        self.n += 1
        self.hits += gold == got
        self.confusion[(gold, got)] += 1
        if gold != got:
            self.errors.append((example, got))

    @property
    def accuracy(self) -> float:
        return _ratio(self.hits, self.n)

    def recall_of(self, intent: str) -> float:
        gold = sum(v for (g, _), v in self.confusion.items() if g == intent)
        return _ratio(self.confusion[(intent, intent)], gold)

    def precision_of(self, intent: str) -> float:
        got = sum(v for (_, p), v in self.confusion.items() if p == intent)
        return _ratio(self.confusion[(intent, intent)], got)


def render_intents(title: str, report: IntentReport, labels: Iterable[str]) -> str:
    labels = list(labels)
    lines = [f"== {title} ({report.n} replies)  accuracy {report.accuracy:.3f}",
             f"{'intent':<13}{'P':>7}{'R':>7}{'n':>6}"]
    for label in labels:
        n = sum(v for (g, _), v in report.confusion.items() if g == label)
        lines.append(f"{label:<13}{report.precision_of(label):>7.2f}{report.recall_of(label):>7.2f}{n:>6}")
    lines += ["", "confusion (rows gold, columns read)",
              " " * 13 + "".join(f"{label[:8]:>9}" for label in labels)]
    for gold in labels:
        lines.append(f"{gold:<13}" + "".join(f"{report.confusion[(gold, got)]:>9}" for got in labels))
    return "\n".join(lines)

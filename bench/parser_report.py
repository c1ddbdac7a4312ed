"""Quality report for the request parser over labelled JSON-lines corpora.

Usage: python bench/parser_report.py [corpus.jsonl ...]   (default tests/corpus/dev.jsonl)
Prints request detection P/R, per-category P/R/F1, the urgency confusion
matrix, emergency recall and the location exact-match rate; --errors lists
the messages it got wrong.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.parse_command import as_output  # noqa: E402
from handlers.parsing import ParseContext, parse_message  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "corpus" / "dev.jsonl"
URGENCIES = ("emergency", "urgent", "normal", None)


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def context_of(record: dict[str, Any]) -> ParseContext:
    ctx = record.get("context") or {}
    return ParseContext(
        default_building=ctx.get("default_building"),
        landmarks=frozenset(ctx.get("landmarks", ())),
        compound_names=frozenset(ctx.get("compound_names", ())),
    )


def predict(record: dict[str, Any]) -> dict[str, Any]:
    return as_output(parse_message(record["text"], context_of(record)))


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


@dataclass
class Report:
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    category: Counter[tuple[str, str]] = field(default_factory=Counter)
    urgency: Counter[tuple[str | None, str | None]] = field(default_factory=Counter)
    category_hits: int = 0
    location_hits: int = 0
    errors: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def category_accuracy(self) -> float:
        return _ratio(self.category_hits, self.tp)

    @property
    def location_accuracy(self) -> float:
        return _ratio(self.location_hits, self.tp)

    @property
    def emergency_recall(self) -> float:
        total = sum(v for (gold, _), v in self.urgency.items() if gold == "emergency")
        return _ratio(self.urgency[("emergency", "emergency")], total)

    def per_category(self) -> dict[str, tuple[float, float, float, int]]:
        """P/R/F1 and support per gold category; a missed request counts as a miss."""
        cats = sorted({c for pair in self.category for c in pair if c != "-"})
        rows = {}
        for cat in cats:
            tp = self.category[(cat, cat)]
            predicted = sum(v for (g, p), v in self.category.items() if p == cat)
            gold = sum(v for (g, p), v in self.category.items() if g == cat)
            p, r = _ratio(tp, predicted), _ratio(tp, gold)
            rows[cat] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, gold)
        return rows


def evaluate(records: list[dict[str, Any]]) -> Report:
    report = Report()
    for record in records:
        got = predict(record)
        report.n += 1
        gold_req, got_req = bool(record["is_request"]), got["is_request"]
        report.tp += gold_req and got_req
        report.fp += (not gold_req) and got_req
        report.fn += gold_req and not got_req
        report.urgency[(record.get("urgency"), got["urgency"])] += 1
        wrong = gold_req != got_req
        if gold_req or got_req:
            report.category[(record.get("category") or "-", got["category"] or "-")] += 1
        if gold_req and got_req:
            if got["category"] == record["category"]:
                report.category_hits += 1
            else:
                wrong = True
            if got["location"] == record["location"]:
                report.location_hits += 1
            else:
                wrong = True
            wrong = wrong or got["urgency"] != record["urgency"]
        if wrong:
            report.errors.append((record, got))
    return report


def render(path: Path, report: Report) -> str:
    lines = [f"== {path} ({report.n} messages)",
             f"request detection: P={report.precision:.3f} R={report.recall:.3f} "
             f"(tp={report.tp} fp={report.fp} fn={report.fn})",
             f"category accuracy on detected requests: {report.category_accuracy:.3f}",
             f"emergency recall: {report.emergency_recall:.3f}",
             f"location exact match on detected requests: {report.location_accuracy:.3f}",
             "", f"{'category':<18}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}"]
    for cat, (p, r, f1, n) in report.per_category().items():
        lines.append(f"{cat:<18}{p:>7.2f}{r:>7.2f}{f1:>7.2f}{n:>5}")
    lines += ["", "urgency confusion (rows gold, columns predicted; '-' = not a request)",
              " " * 11 + "".join(f"{str(u or '-'):>11}" for u in URGENCIES)]
    for gold in URGENCIES:
        row = "".join(f"{report.urgency[(gold, got)]:>11}" for got in URGENCIES)
        lines.append(f"{str(gold or '-'):>11}{row}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    show_errors = "--errors" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or [DEFAULT_CORPUS]
    for path in paths:
        report = evaluate(load(path))
        print(render(path, report))
        if show_errors:
            print("\nerrors:")
            for record, got in report.errors:
                gold = {k: record.get(k) for k in ("is_request", "category", "urgency", "location")}
                print(f"  {record['text']!r}\n    gold {json.dumps(gold, ensure_ascii=False)}\n"
                      f"    got  {json.dumps(got, ensure_ascii=False)}")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

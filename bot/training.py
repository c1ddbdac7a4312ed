"""`griddesk train`: learn to read residents' messages and staff replies.

Both models are TF-IDF over ``handlers.parsing.features`` tokens followed by
logistic regression heads (scikit-learn, fixed seed), exported as the small
gzip JSON the pure-Python scorer in ``handlers.parsing.linear`` reads. Every
figure printed here is computed through that scorer and the real reading
(``handlers.parsing.understanding``), rules and all, never through scikit-learn,
so what is measured is what the bot does.

scikit-learn is needed to train, not to run: it is the ``train`` extra.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.corpus import STAFF_INTENTS, Example, Loaded
from bot.evaluation import IntentReport, Report
from handlers.categories import Category
from handlers.parsing import linear
from handlers.parsing.features import tokens
from handlers.parsing.staff_intent import StaffReader
from handlers.parsing.understanding import Understanding

log = logging.getLogger(__name__)

SEED = 20261126
FOLDS = 5
RESIDENT_C = 8.0
STAFF_C = 8.0
MIN_DF = 2
_CATEGORIES = [c.value for c in Category]


@dataclass
class Head:
    name: str
    target: Callable[[Example], str | None]
    """The label to learn for an example, or None to leave the example out."""
    labels: Sequence[str] | None = None
    class_weight: str | None = None


RESIDENT_HEADS = (
    Head("request", lambda e: "yes" if e.labels["is_request"] else "no", ("no", "yes")),
    Head("emergency", lambda e: "yes" if e.labels["urgency"] == "emergency" else "no", ("no", "yes")),
    Head("category", lambda e: e.labels["category"], _CATEGORIES),
    Head("urgency", lambda e: e.labels["urgency"], ("emergency", "normal", "urgent")),
)
STAFF_HEADS = (Head("intent", lambda e: e.labels["intent"], STAFF_INTENTS, "balanced"),)


@dataclass
class TokenCache:
    """Tokenising is most of a fit's time; every example is tokenised once."""

    cache: dict[str, list[str]] = field(default_factory=dict)

    def __call__(self, text: str) -> list[str]:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = tokens(text)
        return found


def fit(examples: Sequence[Example], heads: Sequence[Head], c: float, seed: int = SEED,
        tokenize: Callable[[str], list[str]] = tokens, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train every head on ``examples``; returns the model as the scorer's dict."""
    import numpy
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True, min_df=MIN_DF,
                                 norm="l2", dtype=numpy.float64)
    token_lists = [tokenize(e.text) for e in examples]
    matrix = vectorizer.fit_transform(token_lists)
    vocabulary: dict[str, int] = vectorizer.vocabulary_
    idf = vectorizer.idf_
    columns: list[list[float]] = []
    exported_heads = []
    offset = 0
    for head in heads:
        rows = [i for i, e in enumerate(examples) if head.target(e) is not None]
        y = [head.target(examples[i]) for i in rows]
        model = LogisticRegression(C=c, max_iter=3000, random_state=seed, class_weight=head.class_weight)
        model.fit(matrix[rows], y)
        labels = [str(label) for label in model.classes_]
        if head.labels is not None and set(labels) != set(head.labels):
            missing = set(head.labels) - set(labels)
            raise ValueError(f"head {head.name}: no training example for {', '.join(sorted(missing))}")
        coef = model.coef_
        columns += [list(row) for row in coef]
        exported_heads.append({"name": head.name, "labels": labels, "offset": offset,
                               "bias": [round(float(b), 5) for b in model.intercept_]})
        offset += coef.shape[0]
    vocab = {}
    for token, column in vocabulary.items():
        vocab[token] = [round(float(idf[column]), 4)] + [round(float(col[column]), 4) for col in columns]
    return {"format": linear.FORMAT, "heads": exported_heads, "vocab": vocab, "meta": meta or {}}


def _folds(examples: Sequence[Example], k: int, seed: int, stratum: Callable[[Example], str]) -> list[list[int]]:
    """Stratified folds, deterministic for a seed."""
    by_stratum: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        by_stratum.setdefault(stratum(e), []).append(i)
    rng = random.Random(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    start = 0
    for key in sorted(by_stratum):
        members = by_stratum[key]
        rng.shuffle(members)
        for j, i in enumerate(members):
            folds[(start + j) % k].append(i)
        start += len(members)
    return folds


def resident_stratum(e: Example) -> str:
    return f"{e.labels['is_request']}:{e.labels['urgency']}"


def read_as_prediction(understanding: Understanding, text: str) -> dict[str, Any]:
    reading = understanding.read(text)
    location = reading.location
    return {
        "is_request": reading.is_request,
        "category": reading.category.value if reading.is_request else None,
        "urgency": reading.urgency.value if reading.is_request else None,
        "best_category": reading.category.value,
        "best_urgency": reading.urgency.value,
        "location": {"building": location.building, "unit": location.unit, "room": location.room,
                     "landmark": location.landmark},
        "confidence": reading.confidence,
        "emergency_score": reading.emergency_score,
    }


def evaluate_residents(model: dict[str, Any] | linear.LinearModel, examples: Sequence[Example],
                       **options: Any) -> Report:
    scorer = model if isinstance(model, linear.LinearModel) else linear.from_dict(model)
    understanding = Understanding(scorer, **options)
    report = Report()
    for e in examples:
        report.add(e.as_record(), read_as_prediction(understanding, e.text))
    return report


def evaluate_staff(model: dict[str, Any] | linear.LinearModel, examples: Sequence[Example]) -> IntentReport:
    scorer = model if isinstance(model, linear.LinearModel) else linear.from_dict(model)
    reader = StaffReader(scorer)
    report = IntentReport()
    for e in examples:
        report.add(e.labels["intent"], reader.read(e.text).intent, e.as_record())
    return report


def cross_validate(examples: Sequence[Example], heads: Sequence[Head], c: float,
                   stratum: Callable[[Example], str], seed: int = SEED, k: int = FOLDS,
                   tokenize: Callable[[str], list[str]] = tokens) -> list[tuple[list[int], dict[str, Any]]]:
    """Train on k−1 folds, keep the model for the held-out fold: (held-out indices, model)."""
    out = []
    for held in _folds(examples, k, seed, stratum):
        held_set = set(held)
        train = [e for i, e in enumerate(examples) if i not in held_set]
        out.append((held, fit(train, heads, c, seed, tokenize)))
    return out


def cv_report_residents(examples: Sequence[Example], folds: list[tuple[list[int], dict[str, Any]]],
                        **options: Any) -> Report:
    total = Report()
    for held, model in folds:
        understanding = Understanding(linear.from_dict(model), **options)
        for i in held:
            total.add(examples[i].as_record(), read_as_prediction(understanding, examples[i].text))
    return total


def cv_report_staff(examples: Sequence[Example], folds: list[tuple[list[int], dict[str, Any]]]) -> IntentReport:
    total = IntentReport()
    for held, model in folds:
        reader = StaffReader(linear.from_dict(model))
        for i in held:
            total.add(examples[i].labels["intent"], reader.read(examples[i].text).intent,
                      examples[i].as_record())
    return total


def describe(loaded: Loaded, name: str) -> str:
    lines = [f"{name}: {len(loaded.examples)} examples after removing {loaded.duplicates} repeats "
             f"and {loaded.near_duplicates} near-repeats"]
    if loaded.conflicts:
        lines.append(f"  {len(loaded.conflicts)} repeats carried other labels (the first was kept), e.g. "
                     + "; ".join(f"{a} vs {b}" for a, b in loaded.conflicts[:3]))
    if loaded.problems:
        lines.append(f"  {len(loaded.problems)} lines skipped: " + "; ".join(loaded.problems[:5]))
    return "\n".join(lines)


def timed(label: str) -> Callable[[], str]:
    start = time.perf_counter()
    return lambda: f"{label} in {time.perf_counter() - start:.1f} s"


# --- thresholds ------------------------------------------------------------------

MISSED_EMERGENCY_COST = 20
"""A missed emergency counts as much as this many false alarms when choosing where
the emergency threshold sits."""
CARD_SHARE_OF_REQUESTS = 0.01
"""At most this share of real requests may fall below the card threshold (silence)."""
TICKET_PRECISION = 0.97
"""Messages at or above the ticket threshold must be requests this often (no guess in a group)."""


@dataclass(frozen=True)
class Scored:
    is_request: bool
    is_emergency: bool
    p_request: float
    p_emergency: float
    rules_raise: bool


def score_held_out(examples: Sequence[Example], folds: list[tuple[list[int], dict[str, Any]]]) -> list[Scored]:
    """The model's own probabilities for every example, from the fold that did not see it."""
    from handlers.parsing.rules import parse_by_rules
    from handlers.parsing.understanding import Urgency

    out: dict[int, Scored] = {}
    for held, model in folds:
        understanding = Understanding(linear.from_dict(model), request_at=2.0, emergency_at=2.0, safety_net=False)
        for i in held:
            e = examples[i]
            reading = understanding.read(e.text)
            ruled = parse_by_rules(e.text)
            out[i] = Scored(bool(e.labels["is_request"]), e.labels["urgency"] == "emergency",
                            reading.confidence, reading.emergency_score,
                            ruled is not None and ruled.urgency is Urgency.EMERGENCY)
    return [out[i] for i in sorted(out)]


def choose_thresholds(scored: Sequence[Scored], safety_net: bool = True) -> dict[str, float]:
    grid = [round(0.02 * i, 2) for i in range(1, 50)]

    def emergency_cost(t: float) -> float:
        missed = sum(s.is_emergency and not (s.p_emergency >= t or (safety_net and s.rules_raise)) for s in scored)
        false = sum((not s.is_emergency) and (s.p_emergency >= t or (safety_net and s.rules_raise)) for s in scored)
        return MISSED_EMERGENCY_COST * missed + false

    def request_f1(t: float) -> float:
        tp = sum(s.is_request and s.p_request >= t for s in scored)
        fp = sum((not s.is_request) and s.p_request >= t for s in scored)
        fn = sum(s.is_request and s.p_request < t for s in scored)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    emergency_at = min(grid, key=lambda t: (emergency_cost(t), -t))
    request_at = max(grid, key=lambda t: (request_f1(t), -abs(t - 0.5)))
    requests = sorted(s.p_request for s in scored if s.is_request)
    card_at = min(request_at, requests[int(len(requests) * CARD_SHARE_OF_REQUESTS)] if requests else request_at)
    ticket_at = request_at
    for t in sorted(g for g in grid if g >= request_at):
        above = [s for s in scored if s.p_request >= t]
        if above and sum(s.is_request for s in above) / len(above) >= TICKET_PRECISION:
            ticket_at = t
            break
    else:
        ticket_at = max(grid)
    return {"request_at": request_at, "emergency_at": emergency_at,
            "ticket_at": ticket_at, "card_at": round(max(card_at - 0.005, 0.05), 3)}


# --- the command ---------------------------------------------------------------------


def _counts(examples: Sequence[Example]) -> str:
    requests = sum(bool(e.labels.get("is_request")) for e in examples)
    emergencies = sum(e.labels.get("urgency") == "emergency" for e in examples)
    return f"{len(examples)} ({requests} requests, {emergencies} emergencies)"


def train_residents(loaded: Loaded, corrections: Sequence[Example] = (), seed: int = SEED,
                    cv: bool = True, echo: Callable[[str], None] = print) -> dict[str, Any]:
    from bot.evaluation import render

    train = [e for e in loaded.examples if e.split == "train"] + list(corrections)
    test = [e for e in loaded.examples if e.split == "test"]
    echo(f"train split {_counts(train)}; test split {_counts(test)}"
         + (f"; {len(corrections)} staff corrections added to training" if corrections else ""))
    tokenize = TokenCache()
    meta: dict[str, Any] = {"seed": seed, "trained_on": len(train), "c": RESIDENT_C}
    if cv:
        done = timed("cross-validation")
        folds = cross_validate(train, RESIDENT_HEADS, RESIDENT_C, resident_stratum, seed, tokenize=tokenize)
        thresholds = choose_thresholds(score_held_out(train, folds))
        report = cv_report_residents(train, folds, **_reading_options(thresholds))
        meta["thresholds"] = thresholds
        meta["cross_validation"] = report.summary()
        echo(done())
        echo(f"thresholds chosen by cross-validation: {thresholds}")
        echo(render(f"cross-validation, {FOLDS} folds of the train split", report))
    done = timed("final model")
    model = fit(train, RESIDENT_HEADS, RESIDENT_C, seed, tokenize, meta)
    echo(done())
    if test:
        report = evaluate_residents(model, test)
        model["meta"]["test_split"] = report.summary()
        echo(render("test split (never trained on)", report))
    return model


def _reading_options(thresholds: dict[str, float]) -> dict[str, float]:
    return {"request_at": thresholds["request_at"], "emergency_at": thresholds["emergency_at"]}


def train_staff(loaded: Loaded, seed: int = SEED, cv: bool = True,
                echo: Callable[[str], None] = print) -> dict[str, Any]:
    from bot.evaluation import render_intents

    train = [e for e in loaded.examples if e.split == "train"]
    test = [e for e in loaded.examples if e.split == "test"]
    echo(f"staff replies: train split {len(train)}, test split {len(test)}")
    tokenize = TokenCache()
    meta: dict[str, Any] = {"seed": seed, "trained_on": len(train), "c": STAFF_C}
    if cv:
        folds = cross_validate(train, STAFF_HEADS, STAFF_C, lambda e: e.labels["intent"], seed, tokenize=tokenize)
        report = cv_report_staff(train, folds)
        meta["cross_validation"] = {"accuracy": round(report.accuracy, 4),
                                    "resolved_recall": round(report.recall_of("resolved"), 4)}
        echo(render_intents(f"staff intents, cross-validation, {FOLDS} folds", report, STAFF_INTENTS))
    model = fit(train, STAFF_HEADS, STAFF_C, seed, tokenize, meta)
    if test:
        report = evaluate_staff(model, test)
        model["meta"]["test_split"] = {"accuracy": round(report.accuracy, 4),
                                       "resolved_recall": round(report.recall_of("resolved"), 4)}
        echo(render_intents("staff intents, test split (never trained on)", report, STAFF_INTENTS))
    return model


def load_corrections(path: Path) -> Loaded:
    """Corrections exported by `griddesk corrections export`: the parse format with the
    staff's labels. They only ever train (their own split is ignored)."""
    from bot.corpus import read_files

    return read_files([path])


def run_train(data: Path, out: Path, staff_out: Path, corrections: Path | None = None,
              seed: int = SEED, cv: bool = True, echo: Callable[[str], None] = print) -> int:
    from bot.corpus import blind_texts, deduplicate, load_residents, load_staff

    if not (data / "corpus").is_dir():
        echo(f"no labelled data: {data / 'corpus'} is not a directory (use --data DIR)")
        return 2
    total = timed("training")
    blind = blind_texts(data / "blind")
    residents = load_residents(data / "corpus", blind=blind)
    echo(describe(residents, f"residents' messages ({data / 'corpus'})"))
    extra: list[Example] = []
    if corrections is not None:
        loaded = load_corrections(corrections)
        echo(describe(loaded, f"corrections ({corrections})"))
        if loaded.problems and not loaded.examples:
            return 2
        extra = deduplicate(loaded).examples
    model = train_residents(residents, extra, seed, cv, echo)
    linear.save(out, model)
    echo(f"wrote {out} ({out.stat().st_size // 1024} KB, {len(model['vocab'])} tokens)")
    if (data / "staff").is_dir():
        staff = load_staff(data / "staff", blind=blind)
        echo(describe(staff, f"staff replies ({data / 'staff'})"))
        staff_model = train_staff(staff, seed, cv, echo)
        linear.save(staff_out, staff_model)
        echo(f"wrote {staff_out} ({staff_out.stat().st_size // 1024} KB, {len(staff_model['vocab'])} tokens)")
    echo(total())
    return 0

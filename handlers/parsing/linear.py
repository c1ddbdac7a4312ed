"""A small pure-Python scorer for the linear models ``griddesk train`` writes.

The file is gzip-compressed JSON. Every token has an idf and one weight per
output of every head; a head is a logistic regression (one output, sigmoid) or a
multinomial one (one output per label, softmax). Scoring reproduces
scikit-learn's ``TfidfVectorizer(sublinear_tf=True, norm="l2")`` followed by
``decision_function``, so what training measured is what the bot computes.
Standard library only: the core stays free of numeric packages.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "griddesk-linear/1"


class ModelError(Exception):
    """The model file is missing, unreadable or not a model; names the file."""


@dataclass(frozen=True)
class Head:
    name: str
    labels: tuple[str, ...]
    offset: int
    """Where this head's weights start in each token's weight list."""
    bias: tuple[float, ...]

    @property
    def width(self) -> int:
        return len(self.bias)


class LinearModel:
    def __init__(self, heads: list[Head], vocab: dict[str, list[float]], meta: dict[str, Any]) -> None:
        self.heads = {h.name: h for h in heads}
        self.meta = meta
        self.width = sum(h.width for h in heads)
        # idf folded into the weights once: a token seen once adds its row as it is
        self._rows = {token: (entry[0], tuple(entry[0] * w for w in entry[1:])) for token, entry in vocab.items()}

    def scores(self, tokens: list[str]) -> list[float]:
        """Raw decision values of every head, concatenated."""
        rows = []
        norm = 0.0
        found = self._rows
        for token, count in Counter(tokens).items():
            entry = found.get(token)
            if entry is None:
                continue
            idf, row = entry
            if count == 1:
                norm += idf * idf
                rows.append(row)
            else:
                tf = 1.0 + math.log(count)
                norm += (tf * idf) ** 2
                rows.append(tuple(tf * w for w in row))
        if not rows:
            return [0.0] * self.width
        scale = 1.0 / math.sqrt(norm)
        return [sum(column) * scale for column in zip(*rows, strict=True)]

    def probabilities(self, tokens: list[str]) -> dict[str, dict[str, float]]:
        raw = self.scores(tokens)
        out: dict[str, dict[str, float]] = {}
        for head in self.heads.values():
            values = [raw[head.offset + i] + b for i, b in enumerate(head.bias)]
            out[head.name] = _probabilities(head.labels, values)
        return out


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _probabilities(labels: tuple[str, ...], values: list[float]) -> dict[str, float]:
    if len(values) == 1:  # binary: the single output is the second label's log-odds
        p = _sigmoid(values[0])
        return {labels[0]: 1.0 - p, labels[1]: p}
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return {label: e / total for label, e in zip(labels, exps, strict=True)}


def from_dict(data: dict[str, Any]) -> LinearModel:
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} model")
    heads = [
        Head(h["name"], tuple(h["labels"]), int(h["offset"]), tuple(float(b) for b in h["bias"]))
        for h in data["heads"]
    ]
    vocab: dict[str, list[float]] = data["vocab"]
    width = sum(h.width for h in heads)
    for token, entry in vocab.items():
        if len(entry) != width + 1:
            raise ValueError(f"token {token!r} has {len(entry)} numbers, expected {width + 1}")
    return LinearModel(heads, vocab, dict(data.get("meta", {})))


def load(path: Path) -> LinearModel:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return from_dict(json.load(f))
    except FileNotFoundError as exc:
        raise ModelError(f"model file {path} is missing; rebuild it with `griddesk train`") from exc
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise ModelError(f"model file {path} is unreadable ({exc}); rebuild it with `griddesk train`") from exc


def save(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    with path.open("wb") as out, gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=0) as f:
        f.write(raw.encode("utf-8"))  # no name, no time in the header: the same model, the same bytes

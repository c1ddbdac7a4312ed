"""Does `griddesk train --with-corrections` learn an office's own residents' words?

Usage: python bench/learning_from_corrections.py [--style dialect_yue] [--fed 200]

One phrasing style is taken out of the corpus entirely (Cantonese by default), as if
the office's residents wrote in a way the corpus lacks. A model is trained without it
(before); then ``--fed`` messages of that style, written to a file in the format of
`griddesk corrections export`, are added with the same code path as
`griddesk train --with-corrections` (after). Both are measured on the rest of the
style and on the main test split (less that style), with the shipped model's
thresholds, so the only difference is the corrections.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.corpus import blind_texts, deduplicate, load_residents  # noqa: E402
from bot.training import (  # noqa: E402
    RESIDENT_C,
    RESIDENT_HEADS,
    TokenCache,
    evaluate_residents,
    fit,
    load_corrections,
)
from handlers.parsing.linear import load  # noqa: E402
from handlers.parsing.understanding import RESIDENTS_MODEL  # noqa: E402


def errors(report) -> str:  # type: ignore[no-untyped-def]
    s = report.summary()
    return (f"request F1 {s['request_f1']:.3f}  category {s['category_accuracy']:.3f}  "
            f"urgency {s['urgency_accuracy']:.3f}  emergency recall {s['emergency_recall']:.3f}  "
            f"false emergencies {s['false_emergency_rate']:.3f}  ({report.n} messages)")


def main(argv: list[str]) -> int:
    style = argv[argv.index("--style") + 1] if "--style" in argv else "dialect_yue"
    fed_count = int(argv[argv.index("--fed") + 1]) if "--fed" in argv else 200
    thresholds = load(RESIDENTS_MODEL).meta.get("thresholds", {})
    options = {k: thresholds[k] for k in ("request_at", "emergency_at", "emergency_floor") if k in thresholds}
    loaded = load_residents(blind=blind_texts())
    styled = [e for e in loaded.examples if style in e.styles]
    rest = [e for e in loaded.examples if style not in e.styles]
    random.Random(7).shuffle(styled)
    fed, held = styled[:fed_count], styled[fed_count:]
    base = [e for e in rest if e.split == "train"]
    main_test = [e for e in rest if e.split == "test"]
    print(f"style {style}: {len(styled)} messages; {len(fed)} fed as corrections, {len(held)} held out; "
          f"base training {len(base)}, main test {len(main_test)}; thresholds {options}")
    tokenize = TokenCache()
    start = time.perf_counter()
    before = fit(base, RESIDENT_HEADS, RESIDENT_C, tokenize=tokenize)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corrections.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for e in fed:  # the `griddesk corrections export` shape
                f.write(json.dumps({"text": e.text, "chat": "jl-3", **e.labels, "corrected": ["file"],
                                    "fix": "file", "by": "wang_fang", "at": "2026-11-20T10:00:00+08:00"},
                                   ensure_ascii=False) + "\n")
        corrections = deduplicate(load_corrections(path)).examples
    after = fit(base + corrections, RESIDENT_HEADS, RESIDENT_C, tokenize=tokenize)
    print(f"(two trainings in {time.perf_counter() - start:.0f} s)")
    for name, model in (("before", before), ("after ", after)):
        print(f"{name} on the held-out {style}: {errors(evaluate_residents(model, held, **options))}")
        print(f"{name} on the main test split:  {errors(evaluate_residents(model, main_test, **options))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Quality of the understanding over labelled JSON-lines files, through the bot's own
reading (bundled model, rules and all).

Usage:
    python bench/parser_report.py FILE.jsonl [...] [--errors] [--json]
    python bench/parser_report.py --staff FILE.jsonl [...] [--errors]

Residents' files follow data/LABELS.md section 1, staff files section 2. Prints the
figures defined in bot/evaluation.py; --errors lists what was read wrong.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.corpus import STAFF_INTENTS, read_files  # noqa: E402
from bot.evaluation import IntentReport, Report, render, render_intents  # noqa: E402
from bot.training import read_as_prediction  # noqa: E402
from handlers.parsing.staff_intent import default_staff_reader  # noqa: E402
from handlers.parsing.understanding import default_understanding  # noqa: E402


def residents(path: Path, show_errors: bool, as_json: bool) -> None:
    loaded = read_files([path])
    understanding = default_understanding()
    report = Report()
    for example in loaded.examples:
        report.add(example.as_record(), read_as_prediction(understanding, example.text))
    if as_json:
        print(json.dumps({"file": str(path), **report.summary()}, ensure_ascii=False))
        return
    print(render(str(path), report))
    for problem in loaded.problems:
        print(f"  skipped {problem}")
    if show_errors:
        print("\nerrors:")
        for gold, got in report.errors:
            want = {k: gold.get(k) for k in ("is_request", "category", "urgency")}
            have = {k: got.get(k) for k in ("is_request", "category", "urgency", "confidence", "emergency_score")}
            print(f"  {gold['text']!r}\n    gold {json.dumps(want, ensure_ascii=False)}\n"
                  f"    got  {json.dumps(have, ensure_ascii=False)}")


def staff(path: Path, show_errors: bool) -> None:
    loaded = read_files([path], staff=True)
    reader = default_staff_reader()
    report = IntentReport()
    for example in loaded.examples:
        report.add(example.labels["intent"], reader.read(example.text).intent.value, example.as_record())
    print(render_intents(str(path), report, STAFF_INTENTS))
    print(f"\"resolved\" recognised: {report.recall_of('resolved'):.3f}")
    if show_errors:
        print("\nerrors:")
        for gold, got in report.errors:
            print(f"  {gold['text']!r}: gold {gold['intent']}, got {got}")


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv if not a.startswith("--")]
    if not paths:
        print(__doc__)
        return 2
    for path in paths:
        if "--staff" in argv:
            staff(path, "--errors" in argv)
        else:
            residents(path, "--errors" in argv, "--json" in argv)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

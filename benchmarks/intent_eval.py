"""`make eval` (intents): the intent classifier on utterances it never saw.

The utterances in tests/corpus/intents/ were written by helper sessions that never saw the
classifier or its examples, then split into a development half and a frozen validation
half. Prints accuracy, the share that would get a clarifying question (and the accuracy
of the rest), and the confusion table (rows: the writer's label, columns: the reading).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from agents.intent_model import INTENTS, IntentClassifier
from knowledge.embeddings import LocalMiniLMEmbedder

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "intents"
SHORT = {i: i.replace("library_", "lib_").replace("rule_", "r_")[:8] for i in INTENTS}


def load(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (CORPUS / f"{name}.jsonl").read_text().splitlines()]


def evaluate(classifier: IntentClassifier, rows: list[dict[str, object]], name: str) -> float:
    confusion: Counter[tuple[str, str]] = Counter()
    unsure = unsure_right = 0
    start = time.perf_counter()
    for row in rows:
        reading = classifier.classify(
            str(row["text"]),
            has_attachments=bool(row.get("files")),
            has_history=bool(row.get("previous")),
        )
        confusion[(str(row["intent"]), reading.intent)] += 1
        if not reading.confident:
            unsure += 1
            unsure_right += reading.intent == row["intent"]
    seconds = time.perf_counter() - start
    right = sum(n for (gold, got), n in confusion.items() if gold == got)
    sure = len(rows) - unsure
    print(f"\n{name}: {len(rows)} utterances, accuracy {right / len(rows):.3f}")
    print(
        f"  clarifying question asked on {unsure} ({unsure / len(rows):.1%}); accuracy when sure "
        f"{(right - unsure_right) / max(sure, 1):.3f}; {1000 * seconds / len(rows):.1f} ms each"
    )
    print_confusion(confusion)
    return right / len(rows)


def print_confusion(confusion: Counter[tuple[str, str]]) -> None:
    print(" " * 15 + "".join(f"{SHORT[i]:>9}" for i in INTENTS))
    for gold in INTENTS:
        cells = "".join(f"{confusion[(gold, got)] or '.':>9}" for got in INTENTS)
        print(f"{gold:<15}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=["dev", "validation", "both"], default="both")
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "quorum")
    args = parser.parse_args()
    start = time.perf_counter()
    classifier = IntentClassifier.from_file(
        LocalMiniLMEmbedder.load(args.cache_dir), cache_dir=args.cache_dir
    )
    print(f"classifier built in {time.perf_counter() - start:.1f} s")
    for split in ("dev", "validation") if args.split == "both" else (args.split,):
        evaluate(classifier, load(split), split)


if __name__ == "__main__":
    main()

"""`make eval` (intents): the intent classifier on utterances it never saw.

The utterances in tests/corpus/intents/ were written by helper sessions that never saw the
classifier or its examples, in two sets, each split into a development half (dev, dev2)
and a frozen validation half (validation, validation2). Prints accuracy, the share that
would get a clarifying question (and the accuracy of the rest), and the confusion table
(rows: the writer's label, columns: the reading). Only the development halves' misreads
can be listed (`--errors`); the validation halves give totals and the table only, and
`--no-validation` skips them. `--cross-validate` reads each labelled example with a
classifier trained on the other folds: how the confidence threshold was chosen, on the
training examples themselves and never on an evaluation set.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from agents.intent_model import INTENTS, Intent, IntentClassifier, IntentReading, load_examples
from knowledge.embeddings import LocalMiniLMEmbedder

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "intents"
SHORT = {i: i.replace("library_", "lib_").replace("rule_", "r_")[:8] for i in INTENTS}


def load(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (CORPUS / f"{name}.jsonl").read_text().splitlines()]


DEVELOPMENT = ("dev", "dev2")
VALIDATION = ("validation", "validation2")


def evaluate(
    classifier: IntentClassifier, rows: list[dict[str, object]], name: str, *, errors: bool = False
) -> float:
    """Accuracy on `rows`; with `errors` (development halves only), each misread printed."""
    misread: list[str] = []
    confusion: Counter[tuple[str, str]] = Counter()
    unsure = unsure_right = 0
    start = time.perf_counter()
    for row in rows:
        reading = classifier.classify(
            str(row["text"]),
            has_attachments=bool(row.get("files")),
            has_history=bool(row.get("previous")),
        )
        if errors and name in DEVELOPMENT and reading.intent != row["intent"]:
            misread.append(
                f"  {row['intent']} -> {reading.intent} ({reading.confidence:.2f}): {row['text']}"
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
    if misread:
        print("\n".join(misread))
    return right / len(rows)


def cross_validate(embedder: LocalMiniLMEmbedder, folds: int = 5) -> None:
    """k-fold cross-validation on the examples: accuracy, and per confidence threshold the
    share that would be asked back and the accuracy of the rest."""
    examples = load_examples()
    labelled = [(text, intent) for intent in INTENTS for text in examples[intent]]
    readings: list[tuple[Intent, IntentReading]] = []
    for fold in range(folds):
        held = {i for i in range(len(labelled)) if i % folds == fold}
        kept: dict[Intent, list[str]] = {intent: [] for intent in INTENTS}
        for i, (text, intent) in enumerate(labelled):
            if i not in held:
                kept[intent].append(text)
        classifier = IntentClassifier(embedder, kept)
        for i in sorted(held):
            text, intent = labelled[i]
            readings.append((intent, classifier.classify(text, has_history=True)))
    right = sum(gold == reading.intent for gold, reading in readings)
    print(
        f"\n{folds}-fold cross-validation on {len(readings)} examples: {right / len(readings):.3f}"
    )
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        sure = [(gold, r) for gold, r in readings if r.confidence >= threshold]
        correct = sum(gold == r.intent for gold, r in sure)
        print(
            f"  threshold {threshold:.2f}: asked back {1 - len(sure) / len(readings):.1%}, "
            f"accuracy when sure {correct / max(len(sure), 1):.3f}"
        )


def print_confusion(confusion: Counter[tuple[str, str]]) -> None:
    print(" " * 15 + "".join(f"{SHORT[i]:>9}" for i in INTENTS))
    for gold in INTENTS:
        cells = "".join(f"{confusion[(gold, got)] or '.':>9}" for got in INTENTS)
        print(f"{gold:<15}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=[*DEVELOPMENT, *VALIDATION, "all"], default="all")
    parser.add_argument("--no-validation", action="store_true", help="the development halves only")
    parser.add_argument("--errors", action="store_true", help="list the development misreads")
    parser.add_argument("--cross-validate", action="store_true", help="k-fold on the examples")
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "quorum")
    args = parser.parse_args()
    start = time.perf_counter()
    embedder = LocalMiniLMEmbedder.load(args.cache_dir)
    if args.cross_validate:
        cross_validate(embedder)
        return
    classifier = IntentClassifier.from_file(embedder, cache_dir=args.cache_dir)
    print(f"classifier built in {time.perf_counter() - start:.1f} s")
    splits = (*DEVELOPMENT, *VALIDATION) if args.split == "all" else (args.split,)
    for split in splits:
        if not (args.no_validation and split in VALIDATION):
            evaluate(classifier, load(split), split, errors=args.errors)


if __name__ == "__main__":
    main()

"""How far two readers of the same pairs agree: the labelled set against a second, blind reading.

    python eval/real/tools/agreement.py [LABELS_DIR]

``LABELS_DIR/audit.jsonl`` holds a second reader's answers for samples of pairs of
``pairs.jsonl`` (by ``key``), each row marked with its ``round`` and ``stratum``.

Round ``a1``: ``agree`` where newstrace's verdict (reuse or not) was the first label's when the
sample was drawn, ``disagree`` where it was not. Printed per stratum and in all: the share of
pairs given the same category and Cohen's kappa, then the same for reuse or not (copy and excerpt
against the rest), and in the ``disagree`` stratum how often the second reader sided with the
first label and how often with newstrace. That sample describes these pairs, not the set.

Round ``a2``: a random sample of each of three strata that together hold every pair of
``pairs.jsonl`` whose texts are stored: ``first-reuse`` (labelled copy or excerpt),
``first-other-related`` (labelled otherwise; newstrace relates the two texts in some way) and
``first-other-unproposed`` (labelled otherwise; newstrace has no relation for them). Each row
carries its stratum's ``population``. Weighting each stratum by it gives what the second reader,
measured as newstrace is against the first labels, would score over the whole set (precision
and recall of "reuse"), and what newstrace scores against the second reader, each with a 95 %
bootstrap interval (strata resampled on their own, 2,000 draws).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

from common import REPORTED, REUSE


def kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> tuple[float, float]:
    """Observed agreement and Cohen's kappa of two readers' labels, one pair of labels per item.

    >>> kappa([("a", "a"), ("b", "b"), ("a", "b"), ("b", "b")])
    (0.75, 0.5)
    """
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    first, second = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(first[k] * second[k] for k in first.keys() | second.keys()) / (n * n)
    return observed, (observed - expected) / (1 - expected) if expected < 1 else 1.0


def weighted_scores(strata: dict[str, list[tuple[bool, bool]]], population: dict[str, int]) -> tuple[float, float]:
    """Precision and recall of a reader ``y`` against a reader ``x`` over a population sampled by
    strata: each stratum's sample holds (x says reuse, y says reuse) pairs and stands for its
    ``population``.

    >>> weighted_scores({"s": [(True, True), (False, True)], "t": [(False, False)] * 4}, {"s": 10, "t": 100})
    (0.5, 1.0)
    """
    tp = fp = fn = 0.0
    for name, rows in strata.items():
        w = population[name] / len(rows)
        tp += w * sum(x and y for x, y in rows)
        fp += w * sum(y and not x for x, y in rows)
        fn += w * sum(x and not y for x, y in rows)
    return tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0


def _interval(values: list[float]) -> str:
    values = sorted(values)
    return f"{values[int(0.025 * len(values))]:.3f}-{values[int(0.975 * len(values)) - 1]:.3f}"


def print_weighted(rows: list[dict], first: dict[str, dict], draws: int = 2000) -> None:
    """Round a2: the second reader against the first, and newstrace against each, over the set."""
    population = {r["stratum"]: r["population"] for r in rows}
    strata: dict[str, list[dict]] = {}
    for r in rows:
        strata.setdefault(r["stratum"], []).append(r)
    for name, rs in strata.items():
        said = sum(r["category"] in REUSE for r in rs)
        print(f"  {name:24} {len(rs):3} of {population[name]:6,} pairs; the second reader says reuse for {said}")

    def says(r: dict, who: str) -> bool:
        if who == "first":
            return first[r["key"]]["category"] in REUSE
        return r["category"] in REUSE if who == "second" else r["newstrace"] in REPORTED

    views = {
        "second reader against the first labels": ("first", "second"),
        "newstrace against the first labels": ("first", "newstrace"),
        "newstrace against the second reader": ("second", "newstrace"),
    }
    rng = random.Random(20261205)
    for label, (truth, reader) in views.items():
        sample = {k: [(says(r, truth), says(r, reader)) for r in rs] for k, rs in strata.items()}
        p, r = weighted_scores(sample, population)
        boot = [
            weighted_scores({k: rng.choices(v, k=len(v)) for k, v in sample.items()}, population)
            for _ in range(draws)
        ]
        print(f"  {label:40} precision {p:.3f} ({_interval([b[0] for b in boot])}), "
              f"recall {r:.3f} ({_interval([b[1] for b in boot])})")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels", type=Path, nargs="?", default=Path(__file__).parents[1] / "labels")
    args = ap.parse_args()
    first = {p["key"]: p for p in map(json.loads, (args.labels / "pairs.jsonl").read_text().splitlines())}
    audit = [json.loads(line) for line in (args.labels / "audit.jsonl").read_text().splitlines() if line]
    second = [r for r in audit if r.get("round") == "a2"]
    audit = [r for r in audit if r.get("round") == "a1"]
    print("round a1 (newstrace's verdicts when drawn: agree / disagree with the first label)")
    for name in ("agree", "disagree", "all"):
        rows = [r for r in audit if name in ("all", r["stratum"])]
        if not rows:
            continue
        cats = [(first[r["key"]]["category"], r["category"]) for r in rows]
        reuse = [(x in REUSE, y in REUSE) for x, y in cats]
        (co, ck), (ro, rk) = kappa(cats), kappa(reuse)
        print(f"{name:9} {len(rows):3} pairs: same category {co:.3f} (kappa {ck:.3f}); "
              f"reuse or not {ro:.3f} (kappa {rk:.3f})")  # fmt: skip
        if name == "disagree":
            with_first = sum(x == y for x, y in reuse)
            print(f"          the second reader sides with the first label on {with_first}, "
                  f"with newstrace on {len(rows) - with_first}")  # fmt: skip
    if second:
        print("round a2 (random within strata, weighted by each stratum's population)")
        print_weighted(second, first)


if __name__ == "__main__":
    main()

"""How far two readers of the same pairs agree: the labelled set against a second, blind reading.

    python eval/real/tools/agreement.py [LABELS_DIR]

``LABELS_DIR/audit.jsonl`` holds a second reader's answers for a sample of pairs of
``pairs.jsonl`` (by ``key``), each marked with its ``stratum``: ``agree`` where newstrace's
verdict (reuse or not) was the first label's when the sample was drawn, ``disagree`` where it was
not. Printed per stratum and in all: the share of pairs given the same category and Cohen's
kappa, then the same for reuse or not (copy and excerpt against the rest), and in the
``disagree`` stratum how often the second reader sided with the first label and how often with
newstrace. The sample is stratified, not random: its kappa describes these pairs, not the set.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

REUSE = {"copy", "excerpt"}


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels", type=Path, nargs="?", default=Path(__file__).parents[1] / "labels")
    args = ap.parse_args()
    first = {p["key"]: p for p in map(json.loads, (args.labels / "pairs.jsonl").read_text().splitlines())}
    audit = [json.loads(line) for line in (args.labels / "audit.jsonl").read_text().splitlines() if line]
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


if __name__ == "__main__":
    main()

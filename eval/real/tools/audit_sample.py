"""Draw a random sample of labelled pairs for a second reading, within three strata.

    python eval/real/tools/audit_sample.py WORK OUT.json --take first-reuse=90 ... [--seed N] [--skip KEYS.json]

``WORK`` is the ``--work`` folder of a ``newstrace eval real`` run (one store per corpus, named
``CORPUS.db``). Every pair of ``labels/pairs.jsonl`` whose two texts are in its corpus's store
falls in one stratum: ``first-reuse`` (labelled copy or excerpt), ``first-other-related``
(labelled otherwise; the store holds a relation for the pair) or ``first-other-unproposed``
(labelled otherwise; no relation). ``OUT.json`` gets each stratum's population and the drawn
pairs, with newstrace's relation, for ``render`` and for ``agreement.py`` (round a2 was drawn
from the stores of 843cef6 with ``--seed 20261205``: 90 / 55 / 15, then 0 / 70 / 90 with
``--skip`` the first draw).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
from pathlib import Path

from common import REUSE


def strata(work: Path, labels: Path) -> dict[str, list[dict]]:
    """Every labelled pair with both texts stored, by stratum."""
    pairs = [json.loads(line) for line in (labels / "pairs.jsonl").read_text().splitlines() if line]
    out: dict[str, list[dict]] = {"first-reuse": [], "first-other-related": [], "first-other-unproposed": []}
    for corpus in sorted({p["corpus"] for p in pairs}):
        db = work / f"{corpus}.db"
        if corpus == "seeds" or not db.exists():
            continue
        con = sqlite3.connect(db)
        ids = {inp: i for i, inp in con.execute("select id, input_id from documents")}
        rel = {}
        for a, b, r in con.execute("select a, b, relation from pairs"):
            rel[a, b] = rel[b, a] = r
        for p in pairs:
            if p["corpus"] != corpus or p["a"] not in ids or p["b"] not in ids:
                continue
            r = rel.get((ids[p["a"]], ids[p["b"]]))
            row = {"corpus": corpus, "a": p["a"], "b": p["b"], "key": p["key"], "newstrace": r or "not proposed"}
            other = "first-other-related" if r else "first-other-unproposed"
            name = "first-reuse" if p["category"] in REUSE else other
            out[name].append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--take", action="append", default=[], help="STRATUM=N")
    ap.add_argument("--seed", type=int, default=20261205)
    ap.add_argument("--skip", type=Path, help="an earlier OUT.json whose pairs are not drawn again")
    ap.add_argument("--labels", type=Path, default=Path(__file__).parents[1] / "labels")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pop = strata(args.work, args.labels)
    skip = {x["key"] for x in json.loads(args.skip.read_text())["sample"]} if args.skip else set()
    sample = []
    for spec in args.take:
        name, n = spec.split("=")
        for row in rng.sample([x for x in pop[name] if x["key"] not in skip], int(n)):
            sample.append({**row, "stratum": name, "population": len(pop[name])})
    rng.shuffle(sample)
    args.out.write_text(json.dumps({"population": {k: len(v) for k, v in pop.items()}, "sample": sample}, indent=0))
    print({k: len(v) for k, v in pop.items()}, len(sample), "drawn")


if __name__ == "__main__":
    main()

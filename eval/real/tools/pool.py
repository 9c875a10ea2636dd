"""Propose the pairs of a real corpus to label (see ../README.md, "How pairs were chosen").

    python eval/real/tools/pool.py CORPUS NAME OUT.jsonl [--store S.db ...] [--map text=content ...]

Three sources of pairs, recorded per pair in ``selected_by``:

- ``8gram``: pairs sharing at least 3 distinct word 8-grams of the raw text, by a plain count that
  keeps frequent 8-grams (so boilerplate pairs are in the set, as negatives). 8-grams in more than
  400 documents are not expanded into pairs (a footer in 400 documents is 80,000 pairs of one
  kind); the pairs they would add share that block only, which is boilerplate by construction.
- ``newstrace@STORE``: every candidate pair a newstrace store verified (any relation), mapped to
  input ids: the pairs some version of newstrace proposed.
- ``hard_negative``: pairs of the same topic (many shared rare words) with fewer than 3 shared
  8-grams, sampled at random with a fixed seed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

from common import grams, read_corpus, shared_runs, word_spans

MAX_DF = 400


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("name", help="corpus name recorded with each pair")
    ap.add_argument("out")
    ap.add_argument("--store", action="append", default=[], help="newstrace store(s) to take candidates from")
    ap.add_argument("--map", action="append", default=[], help="FIELD=COLUMN, as for newstrace ingest")
    ap.add_argument("--min-grams", type=int, default=3)
    ap.add_argument("--hard-negatives", type=int, default=100)
    ap.add_argument("--exclude", help="an earlier pool: pairs already in it are not written again")
    args = ap.parse_args()
    mapping = dict(m.split("=", 1) for m in args.map)
    recs = read_corpus(args.corpus, mapping)
    by_id = {r.id: k for k, r in enumerate(recs)}
    spans = [word_spans(r.text) for r in recs]
    words = [[w for w, _, _ in s] for s in spans]
    gsets = [grams(w) for w in words]
    inv: dict[int, list[int]] = defaultdict(list)
    for k, g in enumerate(gsets):
        for h in g:
            inv[h].append(k)
    df = {h: len(v) for h, v in inv.items()}
    shared: Counter[tuple[int, int]] = Counter()
    for v in inv.values():
        if 1 < len(v) <= MAX_DF:
            for x, y in itertools.combinations(v, 2):
                shared[(x, y)] += 1
    selected: dict[tuple[int, int], set[str]] = defaultdict(set)
    for pair, c in shared.items():
        if c >= args.min_grams:
            selected[pair].add("8gram")
    for store in args.store:
        conn = sqlite3.connect(store)
        ids = dict(conn.execute("SELECT id, input_id FROM documents"))
        for a, b in conn.execute("SELECT a, b FROM pairs"):
            ia, ib = by_id.get(ids.get(a, "")), by_id.get(ids.get(b, ""))
            if ia is None or ib is None or ia == ib:
                continue
            selected[(min(ia, ib), max(ia, ib))].add(f"newstrace@{Path(store).name}")
    # Hard negatives: share many rare content words (same topic), few 8-grams.
    wdf: Counter[str] = Counter()
    for w in words:
        wdf.update({x for x in w if len(x) > 3 and not x.isdigit()})
    rare = [{x for x in w if len(x) > 3 and not x.isdigit() and 2 <= wdf[x] <= 20} for w in words]
    rinv: dict[str, list[int]] = defaultdict(list)
    for k, s in enumerate(rare):
        for x in s:
            rinv[x].append(k)
    topic: Counter[tuple[int, int]] = Counter()
    for v in rinv.values():
        for x, y in itertools.combinations(v, 2):
            topic[(x, y)] += 1
    pool = [p for p, c in topic.items() if c >= 6 and shared.get(p, 0) < args.min_grams and p not in selected]
    rng = random.Random(14)
    pool.sort()
    for p in rng.sample(pool, min(args.hard_negatives, len(pool))):
        selected[p].add("hard_negative")
    skip: set[tuple[str, str]] = set()
    if args.exclude:
        for line in Path(args.exclude).read_text().splitlines():
            r = json.loads(line)
            skip.add((r["a"], r["b"]))
    n = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for x, y in sorted(selected):
            a, b = sorted((recs[x].id, recs[y].id))
            if (a, b) in skip:
                continue
            ia, ib = by_id[a], by_id[b]
            runs = shared_runs(spans[ia], spans[ib])
            run_info = []
            for r in runs:
                gs = grams(words[ia][r.a_word : r.a_word + r.words])
                dfs = sorted(df.get(h, 1) for h in gs)
                run_info.append([r.words, dfs[len(dfs) // 2] if dfs else 1])
            sig = " | ".join(
                sorted(re.sub(r"\W+", " ", recs[ia].text[r.a_start : r.a_end].lower())[:80] for r in runs)
            )
            row = {
                "corpus": args.name, "a": a, "b": b, "selected_by": sorted(selected[(x, y)]),
                "shared_8grams": shared.get((x, y), 0), "runs": run_info,
                "words": [len(words[ia]), len(words[ib])], "signature": sig,
            }  # fmt: skip
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} pairs -> {args.out}")
    print(Counter("+".join(sorted(v)) for v in selected.values()).most_common())


if __name__ == "__main__":
    main()

"""Merge labellers' answers with the pool index into the labelled set.

    python eval/real/tools/merge.py ROUND_DIR LABELS_DIR [--round r1] [--append]

``ROUND_DIR`` holds ``index.json`` (from render.py) and ``batch_*.labels.jsonl`` (one answer per
key). Pairs read one by one go to ``LABELS_DIR/pairs.jsonl``, one line each:
``{"corpus", "a", "b", "category", "direction", "note", "selected_by", "round", "key",
"labelled": "read", "roundup": id?}``; a group's answer goes to ``LABELS_DIR/groups.jsonl`` once,
with its members (``"members": [[a, b], ...]``). A key without an answer, or an answer that is
not one of the categories, stops the merge.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

CATEGORIES = {"copy", "excerpt", "quote", "boilerplate", "none"}
DIRECTIONS = {"a>b", "b>a", "common", "unknown"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("round_dir", type=Path)
    ap.add_argument("labels_dir", type=Path)
    ap.add_argument("--round", default="r1")
    ap.add_argument("--append", action="store_true")
    args = ap.parse_args()
    index = json.loads((args.round_dir / "index.json").read_text())
    answers: dict[str, dict] = {}
    for f in sorted(args.round_dir.glob("batch_*.labels.jsonl")):
        for n, line in enumerate(f.read_text().splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if r["key"] in answers:
                raise SystemExit(f"{f}:{n}: {r['key']} answered twice")
            if r["category"] not in CATEGORIES or r.get("direction", "unknown") not in DIRECTIONS:
                raise SystemExit(f"{f}:{n}: bad label {r}")
            answers[r["key"]] = r
    missing = sorted(set(index) - set(answers))
    if missing:
        raise SystemExit(f"{len(missing)} keys have no answer: {missing[:10]}")
    rows, groups = [], []
    for key, entry in index.items():
        ans = answers[key]
        common = {"category": ans["category"], "direction": ans.get("direction", "unknown"),
                  "note": ans.get("note", ""), "round": args.round, "key": key}  # fmt: skip
        if "group" in entry:
            members = entry["group"]
            groups.append({**common, "corpus": members[0]["corpus"], "labelled": "group, 3 members read",
                           "members": sorted([m["a"], m["b"]] for m in members)})  # fmt: skip
            continue
        row = {**common, "corpus": entry["corpus"], "a": entry["a"], "b": entry["b"],
               "selected_by": entry["selected_by"], "labelled": "read"}  # fmt: skip
        if ans.get("roundup") in ("A", "B"):
            row["roundup"] = entry["a"] if ans["roundup"] == "A" else entry["b"]
        rows.append(row)
    rows.sort(key=lambda r: (r["corpus"], r["a"], r["b"]))
    mode = "a" if args.append else "w"
    args.labels_dir.mkdir(parents=True, exist_ok=True)
    for name, items in (("pairs", rows), ("groups", groups)):
        with (args.labels_dir / f"{name}.jsonl").open(mode, encoding="utf-8") as f:
            for r in items:
                f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    n = len(rows) + sum(len(g["members"]) for g in groups)
    print(f"{len(rows)} pairs read one by one, {len(groups)} groups; {n} pairs -> {args.labels_dir}")


if __name__ == "__main__":
    main()

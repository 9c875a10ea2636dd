"""Show a labelled pair of the multilingual set for reading: provenance, label, both texts.

python eval/multilingual/tools/show.py M0007            # a pair by its key
python eval/multilingual/tools/show.py wmtml/0012 wmtml/0140
python eval/multilingual/tools/show.py --sample 10      # ten family pairs, fixed seed
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ids", nargs="*", help="a pair key (M0001), or two document ids")
    ap.add_argument("--sample", type=int, help="show this many family pairs, drawn with seed 17")
    ap.add_argument("--chars", type=int, default=1200, help="characters of each text (0: all)")
    args = ap.parse_args()
    with gzip.open(ROOT / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as fh:
        docs = {d["id"]: d for d in map(json.loads, fh)}
    prov = {d["id"]: d for d in _jsonl(ROOT / "labels" / "documents.jsonl")}
    pairs = _jsonl(ROOT / "labels" / "pairs.jsonl")
    if args.sample:
        fam = [p for p in pairs if p["kind"] in ("translation", "co-translation")]
        chosen = random.Random(17).sample(fam, args.sample)
    elif len(args.ids) == 1:
        chosen = [p for p in pairs if p["key"] == args.ids[0]]
    else:
        a, b = args.ids
        chosen = [p for p in pairs if {p["a"], p["b"]} == {a, b}] or [{"a": a, "b": b}]
    for p in chosen:
        print("=" * 100)
        print({k: p.get(k) for k in ("key", "label", "kind", "direction", "variant", "note")})
        for side in ("a", "b"):
            d = docs[str(p[side])]
            src = prov[d["id"]]
            where = "; ".join(f"{x['set']}/{x['docid']} {x['lang']} {x['side']} segs {x['segments']}"
                              for x in src["pieces"])  # fmt: skip
            print(f"--- {side}: {d['id']} [{d['lang']}] outlet={d['outlet']!r} {src['role']}/"
                  f"{src['variant']} <- {where}")  # fmt: skip
            text = d["text"] if not args.chars else d["text"][: args.chars]
            print(text)


if __name__ == "__main__":
    main()

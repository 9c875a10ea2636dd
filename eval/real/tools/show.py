"""Print one document of a corpus in full: ``python eval/real/tools/show.py CORPUS_NAME ID``.

Corpus names and files come from ``corpora.json`` beside the pool (``--corpora`` to change it):
``{"buzzfeed": ["path.jsonl.gz"], "fakenews": ["news_sample.csv", "outlet=domain", "text=content"]}``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import read_corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("ids", nargs="+")
    ap.add_argument("--corpora", default="/tmp/label/corpora.json")
    args = ap.parse_args()
    path, *maps = json.loads(Path(args.corpora).read_text())[args.corpus]
    recs = {r.id: r for r in read_corpus(path, dict(m.split("=", 1) for m in maps))}
    for i in args.ids:
        r = recs[i]
        print(f"=== {r.id} | outlet={r.outlet} | date={r.date or '-'} | url={r.url or '-'}\n"
              f"title: {r.title}\n\n{r.text}\n")


if __name__ == "__main__":
    main()

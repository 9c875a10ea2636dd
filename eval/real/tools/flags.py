"""Render the flags newstrace raised on labelled pairs as a reading sheet (see ../README.md).

    python eval/real/tools/flags.py WORK_DIR OUT.md [--corpus buzzfeed ...]

``WORK_DIR`` is a ``newstrace eval real --work`` folder: its ``CORPUS.db`` stores and
``CORPUS.unlabelled-flags.jsonl`` lists. Each flag shows the derivative's words in context, the
source's counterpart, and newstrace's reason; the reader answers right or wrong.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path


def _ctx(text: str, s: int, e: int, width: int = 300) -> str:
    return (text[max(0, s - width) : s] + "【" + text[s:e] + "】" + text[e : e + width]).replace("\n", " ⏎ ")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("work", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--corpus", action="append", default=["buzzfeed", "reuters", "fakenews"])
    args = ap.parse_args()
    out = []
    index = {}
    n = 0
    for corpus in dict.fromkeys(args.corpus):
        fl = args.work / f"{corpus}.unlabelled-flags.jsonl"
        if not fl.exists():
            continue
        con = sqlite3.connect(args.work / f"{corpus}.db")
        con.row_factory = sqlite3.Row
        docs = {r["input_id"]: r for r in con.execute("SELECT id, input_id, outlet, title, text FROM documents")}
        for line in fl.read_text().splitlines():
            f = json.loads(line)
            da, db = docs[f["a"]], docs[f["b"]]
            x, y = sorted((da["id"], db["id"]))
            row = con.execute("SELECT * FROM pairs WHERE a = ? AND b = ?", (x, y)).fetchone()
            rep = json.loads(row["report"])
            src = da if da["id"] == row["source"] else db
            der = db if src is da else da
            key = f"F{n:04d}"
            n += 1
            index[key] = f
            out.append(f"### {key} ({corpus}) {f['kind']}")
            out.append(f"- source: `{src['input_id']}` {src['outlet']} — {src['title']}")
            out.append(f"- derivative: `{der['input_id']}` {der['outlet']} — {der['title']}")
            norm = " ".join(f["text"].split())
            if f["kind"] == "attribution_drift":
                for d in rep.get("attribution_drift", []):
                    st = d["derivative"]
                    if " ".join(der["text"][st["start"] : st["end"]].split()) != norm:
                        continue
                    out.append(f"- newstrace says: {d['speaker']}: {d['reason']}")
                    out.append(f"- derivative (statement in 【】): {_ctx(der['text'], st['start'], st['end'])}")
                    cs = d.get("closest_source")
                    if cs:
                        near = _ctx(src["text"], cs["start"], cs["end"], 200)
                        out.append(f"- source, closest words of {d['speaker']}: {near}")
                    break
            else:
                for q in rep.get("quotes", []):
                    st = q["derivative"]
                    if q["status"] != "altered" or " ".join(der["text"][st["start"] : st["end"]].split()) != norm:
                        continue
                    out.append(f"- derivative quote (in 【】): {_ctx(der['text'], st['start'], st['end'], 200)}")
                    ss = q["source"]
                    out.append(f"- source quote (in 【】): {_ctx(src['text'], ss['start'], ss['end'], 200)}")
                    out.append(f"- newstrace's edits (source → derivative): {q['edits']}")
                    break
            out.append("")
    args.out.write_text("\n".join(out))
    (args.out.parent / (args.out.stem + ".index.json")).write_text(json.dumps(index, indent=0))
    print(f"{n} flags -> {args.out}")


if __name__ == "__main__":
    main()

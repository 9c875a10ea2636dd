"""Convert Reuters-21578 (SGML) into newstrace's JSON Lines, one story per line.

    python eval/real/tools/build_reuters.py SRC_DIR OUT.jsonl.gz [--files 0-3]

Each story becomes ``{"id": "reuters/NEWID", "outlet": "Reuters", "date": ..., "title": ...,
"text": DATELINE + BODY}``: the dateline ("SALVADOR, Feb 26 - ") stays at the head of the text as
it was on the wire. Stories without a body (headline-only items) are kept with their title as
text, because the wire carried them and a tool must cope with them. ``--files`` picks a range of
the 22 files (``reut2-000.sgm`` ...), by number.

Reuters-21578 may be distributed for research purposes only: the converted file is not part of
the repository; it is built from ``../shared/data/reuters-21578`` when the evaluation runs.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
from datetime import datetime
from pathlib import Path

_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')


def _field(tag: str, block: str) -> str:
    m = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.S)
    return html.unescape(m.group(1)) if m else ""


def _clean(s: str) -> str:
    s = re.sub(r"[\x00-\x08\x0b-\x1f]", "", s)
    # Paragraphs on the wire start with an indent; lines inside them are hard-wrapped.
    paras = re.split(r"\n\s{3,}", s)
    return "\n\n".join(" ".join(p.split()) for p in paras if p.strip())


def _date(s: str) -> str | None:
    s = s.strip()
    try:
        dt = datetime.strptime(s.split(".")[0], "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return None
    return dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def stories(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes().decode("latin-1")
    out = []
    for m in _STORY.finditer(data):
        newid = _NEWID.search(m.group(1))
        if not newid:
            continue
        block = m.group(2)
        title = " ".join(_field("TITLE", block).split())
        dateline = " ".join(_field("DATELINE", block).split())
        body = _clean(_field("BODY", block))
        text = f"{dateline} {body}".strip() if body else title
        if not text:
            continue
        rec = {"id": f"reuters/{newid.group(1)}", "outlet": "Reuters", "title": title, "text": text}
        d = _date(_field("DATE", block))
        if d:
            rec["date"] = d
        out.append(rec)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", default="0-21", help="range of file numbers, e.g. 0-3")
    args = ap.parse_args()
    lo, hi = (int(x) for x in args.files.split("-"))
    n = 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as gz:
        for k in range(lo, hi + 1):
            for rec in stories(args.src / f"reut2-{k:03d}.sgm"):
                gz.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
                n += 1
    print(f"wrote {n} stories to {args.out}")


if __name__ == "__main__":
    main()

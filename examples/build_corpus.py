"""Build the bundled example corpus from the BuzzFeed-Webis Fake News Corpus 2016.

Reads ``../shared/data/buzzfeed-webis-2016`` (CC BY 4.0, Potthast et al., ACL 2018) and writes
``examples/corpus/buzzfeed-webis-2016.jsonl.gz``: one JSON line per article with the fields
newstrace reads (``id, url, outlet, title, author, text``), paragraphs kept as lines.

    python examples/build_corpus.py [SOURCE_DIR]
"""

from __future__ import annotations

import gzip
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

OUTLETS = {
    "abc": "ABC News",
    "cnn": "CNN",
    "politico": "Politico",
    "addicting-info": "Addicting Info",
    "eagle-rising": "Eagle Rising",
    "freedom-daily": "Freedom Daily",
    "occupy-democrats": "Occupy Democrats",
    "right-wing-news": "Right Wing News",
    "the-other-98": "The Other 98%",
}


def convert(path: Path) -> dict[str, str] | None:
    root = ET.parse(path).getroot()
    main = root.findtext("mainText") or ""
    paras = []
    for p in root.findall("paragraph"):
        start, end = int(p.findtext("start") or 0), int(p.findtext("end") or 0)
        if end > start:
            paras.append(main[start:end].strip())
    text = "\n\n".join(p for p in paras if p) or main.strip()
    if not text:
        return None
    portal = root.findtext("portal") or ""
    return {
        "id": f"buzzfeed-webis/{path.stem}",
        "url": (root.findtext("uri") or "").strip(),
        "outlet": OUTLETS.get(portal, portal),
        "title": (root.findtext("title") or "").strip(),
        "author": (root.findtext("author") or "").strip(),
        "text": text,
    }


def main() -> None:
    here = Path(__file__).resolve().parent
    src = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else here.parent.parent / "shared" / "data" / "buzzfeed-webis-2016"
    )
    out = here / "corpus" / "buzzfeed-webis-2016.jsonl.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with gzip.GzipFile(out, "wb", mtime=0) as gz:
        for path in sorted((src / "articles").glob("*.xml")):
            rec = convert(path)
            if rec:
                gz.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
                n += 1
    print(f"wrote {n} articles to {out}")


if __name__ == "__main__":
    main()

"""Ingest throughput: documents/second for text, HTML and WARC inputs, and peak memory.

Inputs are built from the bundled real articles (examples/corpus), written to a temporary
folder, then ingested into a fresh store with the library call the CLI uses.

    python benchmarks/ingest.py [--n 500]
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import resource
import tempfile
import time
from pathlib import Path

from newstrace.pipeline import ingest
from newstrace.store import Store

CORPUS = (
    Path(__file__).resolve().parent.parent / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz"
)


def articles(n: int) -> list[dict[str, str]]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line))
            if len(out) >= n:
                break
    return out


def page(a: dict[str, str]) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in a["text"].split("\n\n"))
    return (
        f"<!doctype html><html><head><title>{html.escape(a['title'])}</title>"
        f"<meta property='og:site_name' content='{html.escape(a['outlet'])}'></head><body>"
        f"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article>"
        f"<h1>{html.escape(a['title'])}</h1>{paras}</article>"
        f"<footer><p>Share on Facebook</p><p>Copyright 2016 {html.escape(a['outlet'])}</p></footer></body></html>"
    )


def write_inputs(root: Path, arts: list[dict[str, str]]) -> dict[str, list[Path]]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    (root / "text").mkdir()
    (root / "html").mkdir()
    for i, a in enumerate(arts):
        (root / "text" / f"{i:05d}.txt").write_text(
            f"{a['title']}\n\nBy {a['author'] or 'Staff'}\n\n{a['text']}\n\nShare this:\n"
        )
        (root / "html" / f"{i:05d}.html").write_text(page(a))
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for a in arts:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                a["url"] or "https://x.example/",
                "response",
                payload=io.BytesIO(page(a).encode()),
                http_headers=headers,
            )
        )
    (root / "all.warc.gz").write_bytes(buf.getvalue())
    return {"text": [root / "text"], "html": [root / "html"], "warc": [root / "all.warc.gz"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500, help="articles per format")
    args = ap.parse_args()
    arts = articles(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = write_inputs(root, arts)
        print(f"{'format':<8}{'docs':>7}{'seconds':>10}{'docs/s':>10}")
        for fmt, paths in inputs.items():
            with Store(root / f"{fmt}.db") as store:
                t0 = time.perf_counter()
                report = ingest(paths, store)
                dt = time.perf_counter() - t0
            print(f"{fmt:<8}{report.documents:>7}{dt:>10.2f}{report.documents / dt:>10.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of the process): {peak:.0f} MiB")


if __name__ == "__main__":
    main()

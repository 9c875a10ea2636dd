"""Fuzz targets: one per parser and one for the aligner.

Each takes bytes and must return normally: newstrace's own documented errors (``NewstraceError``
and its subclasses, yielded or raised) are expected answers to bad input; anything else
escaping is a bug. Output invariants are checked too (offsets inside the text, evidence equal to
the text it points at). Used by ``fuzz.py`` (atheris, coverage-guided) and the bounded CI test.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

from newstrace.align.words import word_diff
from newstrace.analyze import compare
from newstrace.clean import build_document
from newstrace.errors import NewstraceError
from newstrace.ingest.feed import iter_feed
from newstrace.ingest.html import read_html
from newstrace.ingest.tabular import iter_csv, iter_json, iter_jsonl
from newstrace.ingest.text import read_text
from newstrace.ingest.warc import iter_warc
from newstrace.models import Document, RawDocument
from newstrace.report.pair_html import pair_section
from newstrace.watch.sources import feed_items, sitemap_urls


def _documents(items: Iterable[object]) -> None:
    for item in items:
        if not isinstance(item, RawDocument):
            assert isinstance(item, NewstraceError), type(item)
            continue
        try:
            doc = build_document(item)
        except NewstraceError:
            continue
        assert doc.text and doc.text == doc.text.strip()
        for a in doc.attributions:
            if a.start >= 0:
                assert doc.raw[a.start : a.end] == a.evidence, (a, doc.raw[a.start : a.end])


def _guard(read: Callable[[bytes], Iterable[object]]) -> Callable[[bytes], None]:
    def target(data: bytes) -> None:
        with contextlib.suppress(NewstraceError):
            _documents(read(data))

    return target


def _sitemap(data: bytes) -> list[object]:
    for parse in (sitemap_urls, lambda d: feed_items(d, "https://fuzz.example/feed")):
        with contextlib.suppress(NewstraceError):
            parse(data)
    return []


def align_target(data: bytes) -> None:
    """Two texts from the bytes (split at the first NUL, or in half); compare must hold its
    invariants (spans inside their texts, coverage in [0, 1], a known relation), each passage's
    word diff must tile both sides, and the pair view must render."""
    cut = data.find(b"\x00")
    cut = len(data) // 2 if cut < 0 else cut
    a = data[:cut].decode("utf-8", "replace")
    b = data[cut + 1 :].decode("utf-8", "replace")
    if not a.strip() or not b.strip():
        return
    r = compare(Document(id="a" * 16, text=a), Document(id="b" * 16, text=b)).to_dict()
    assert r["relation"] in ("duplicate", "derived", "partial", "related", "unrelated")
    src_len = len(a) if r["source"]["id"] == "a" * 16 else len(b)
    der_len = len(b) if r["source"]["id"] == "a" * 16 else len(a)
    for p in r["passages"]:
        assert 0 <= p["source"]["start"] <= p["source"]["end"] <= src_len
        assert 0 <= p["derivative"]["start"] <= p["derivative"]["end"] <= der_len
    for side in ("source", "derivative"):
        assert 0.0 <= r["coverage"][side]["total"] <= 1.0 + 1e-9
    # The word changes the views mark: operations that tile both sides of every passage.
    src_text, der_text = (a, b) if r["source"]["id"] == "a" * 16 else (b, a)
    for p in r["passages"]:
        s = src_text[p["source"]["start"] : p["source"]["end"]]
        d = der_text[p["derivative"]["start"] : p["derivative"]["end"]]
        ops = word_diff(s, d)
        assert "".join(s[o.a_start : o.a_end] for o in ops) == s
        assert "".join(d[o.b_start : o.b_end] for o in ops) == d
    pair_section(r, source_text=src_text, derivative_text=der_text)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "text": _guard(lambda d: read_text(d, "fuzz.txt")),
    "html": _guard(lambda d: read_html(d, "fuzz.html")),
    "warc": _guard(lambda d: iter_warc(d, "fuzz.warc")),
    "jsonl": _guard(lambda d: iter_jsonl(d, "fuzz.jsonl", {})),
    "json": _guard(lambda d: iter_json(d, "fuzz.json", {})),
    "csv": _guard(lambda d: iter_csv(d, "fuzz.csv", {})),
    "feed": _guard(lambda d: iter_feed(d, "fuzz.xml")),
    "sitemap": _guard(_sitemap),
    "align": align_target,
}

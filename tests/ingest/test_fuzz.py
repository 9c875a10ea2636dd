"""Property tests: no input bytes make ingest raise anything but newstrace's own errors."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.clean import build_document
from newstrace.errors import InputError
from newstrace.ingest import FORMATS, read_path

PREFIXES = [
    b"",
    b"WARC/1.0\r\n",
    b"<?xml version='1.0'?><rss><channel>",
    b"<html><body><p>",
    b'{"text": "',
    b"id,text\n",
    b"\x1f\x8b",
    b"\xef\xbb\xbf",
    b"<feed xmlns='http://www.w3.org/2005/Atom'>",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=2000),
    fmt=st.sampled_from([None, *FORMATS]),
)
def test_any_bytes_any_format(tmp_path: Path, prefix: bytes, body: bytes, fmt: str | None) -> None:
    p = tmp_path / "input.bin"
    p.write_bytes(prefix + body)
    for item in read_path(p, fmt=fmt, max_size=1_000_000):
        if isinstance(item, InputError):
            assert str(item)
            continue
        try:
            doc = build_document(item)
        except InputError:
            continue
        assert doc.text.strip()
        for a in doc.attributions:
            if a.start >= 0:
                assert doc.raw[a.start : a.end] == a.evidence


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_cleans_or_says_empty(text: str) -> None:
    from newstrace.models import RawDocument

    try:
        doc = build_document(RawDocument(raw=text, source_path="x.txt", format="text"))
    except InputError:
        return
    assert doc.text == doc.text.strip() and doc.text
    assert len(doc.id) == 16

"""WARC and WARC.gz archives: every HTML response record is an article page."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import Any

from newstrace.errors import InputError, MalformedInputError
from newstrace.ingest.html import read_html
from newstrace.models import RawDocument

_GZIP_MAGIC = b"\x1f\x8b"


def whole_gzip_end(data: bytes, *, chunk: int = 1 << 16) -> int | None:
    """Where the whole gzip members at the start of ``data`` end, when the member after them is
    cut short or damaged (its compressed data, its checksum or its length); None when every
    member is whole, or ``data`` is not gzip there (what follows is the reader's to judge).

    warcio reads a member's records without checking its trailer, so a WARC.gz cut a few bytes
    short would read as whole; this reads the members once more, output discarded.

    >>> import gzip
    >>> two = gzip.compress(b"one") + gzip.compress(b"two")
    >>> whole_gzip_end(two) is None, whole_gzip_end(two[:-3]) == len(gzip.compress(b"one"))
    (True, True)
    """
    view = memoryview(data)
    pos = 0
    while pos < len(data):
        if bytes(view[pos : pos + 2]) != _GZIP_MAGIC:
            return None
        d = zlib.decompressobj(wbits=31)
        i = pos
        try:
            while not d.eof:
                if i >= len(data):
                    return pos  # the member ends before its end: cut short
                fed = view[i : i + chunk]
                i += len(fed)
                d.decompress(fed, 1 << 22)
                while d.unconsumed_tail and not d.eof:
                    d.decompress(d.unconsumed_tail, 1 << 22)
        except zlib.error:
            return pos  # damaged (a checksum or length that does not match)
        pos = i - len(d.unused_data)
    return None


def iter_warc(data: bytes, path: str) -> Iterator[RawDocument | InputError]:
    """Yield a raw document per HTML response record, or the error that record raised.

    A truncated or corrupt archive yields the records read before the damage, then a
    :class:`MalformedInputError` saying where it stopped: a file that ends anywhere but at the
    end of a whole record is never read as if it were whole. In a WARC.gz, a record whose
    compressed member is cut short, even only in its checksum, is not read.
    """
    end = whole_gzip_end(data) if data.startswith(_GZIP_MAGIC) else None
    if end is None:
        yield from _records(data, path)
        return
    n = 0
    for item in _records(data[:end], path):
        n += 1  # a record read: its document, or the error it raised
        yield item
    yield MalformedInputError(
        f"truncated WARC.gz (or damaged): record {n + 1}, from byte {end}, is cut short or its "
        f"checksum does not match; {n} complete records read"
    )


def _records(data: bytes, path: str) -> Iterator[RawDocument | InputError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    last: Any = None
    archive = ArchiveIterator(io.BytesIO(data))
    try:
        for record in archive:
            last = record
            length = record.rec_headers.get_header("Content-Length")
            if record.format == "warc" and not (length or "").strip().isdigit():
                # Content-Length is mandatory: a header block cut short at the end of the file
                # (also inside that header: "Content-Length:" and nothing after it)
                yield MalformedInputError(
                    f"truncated or corrupt WARC: a record without Content-Length after {n} HTML "
                    "records"
                )
                return
            if record.rec_type != "response":
                continue
            ctype = (
                (record.http_headers.get_header("Content-Type") or "")
                if record.http_headers
                else ""
            )
            if "html" not in ctype.lower():
                continue
            n += 1
            uri = record.rec_headers.get_header("WARC-Target-URI")
            date = record.rec_headers.get_header("WARC-Date")
            content = record.content_stream().read()
            if getattr(record.raw_stream, "limit", 0):
                # Fewer bytes than the record's Content-Length: the archive was cut here.
                yield MalformedInputError(
                    f"truncated WARC: record {n} ({uri}) is incomplete; {n - 1} complete records read"
                )
                return
            try:
                yield from read_html(
                    content, f"{path}#{n}", url=uri, fallback_date=date, fmt="warc"
                )
            except InputError as exc:
                yield type(exc)(f"record {n} ({uri}): {exc}")
    except (
        ArchiveLoadFailed, EOFError, OSError, ValueError, KeyError, zlib.error,
        AttributeError, TypeError,  # warcio on records missing required headers
    ) as exc:  # fmt: skip
        yield MalformedInputError(f"truncated or corrupt WARC after {n} HTML records: {exc}")
        return
    # warcio ends quietly where a cut leaves a record it skipped (not HTML, or its HTTP headers
    # cut before the Content-Type) short of its Content-Length, or leaves part of a record's
    # WARC headers (or anything else it cannot read as a record) after the last whole one.
    short = getattr(last.raw_stream, "limit", 0) if last is not None else 0
    if short:
        uri = last.rec_headers.get_header("WARC-Target-URI")
        yield MalformedInputError(
            f"truncated WARC: its last record ({uri}) is incomplete; {n} HTML records read"
        )
    elif (end := int(vars(archive).get("offset", len(data)))) < len(data):
        yield MalformedInputError(
            f"truncated or corrupt WARC: {len(data) - end} bytes after the last whole record are "
            f"not a readable record; {n} HTML records read"
        )

"""WARC and WARC.gz archives: every HTML response record is an article page."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import Any

from newstrace.errors import InputError, MalformedInputError
from newstrace.ingest.html import read_html
from newstrace.models import RawDocument


def iter_warc(data: bytes, path: str) -> Iterator[RawDocument | InputError]:
    """Yield a raw document per HTML response record, or the error that record raised.

    A truncated or corrupt archive yields the records read before the damage, then a
    :class:`MalformedInputError` saying where it stopped: a file that ends anywhere but at the
    end of a whole record is never read as if it were whole.
    """
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

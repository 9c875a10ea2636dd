"""WARC and WARC.gz archives: every HTML response record is an article page."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

from newstrace.errors import InputError, MalformedInputError
from newstrace.ingest.html import read_html
from newstrace.models import RawDocument


def iter_warc(data: bytes, path: str) -> Iterator[RawDocument | InputError]:
    """Yield a raw document per HTML response record, or the error that record raised.

    A truncated or corrupt archive yields the records read before the damage, then a
    :class:`MalformedInputError` saying where it stopped.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
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

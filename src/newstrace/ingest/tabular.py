"""Structured records: JSON Lines, JSON arrays, CSV/TSV. One article per record.

Default field names are ``id, url, outlet, title, author, date, language, text``; common aliases
are recognised (``content``, ``body``, ``domain``, ``published``, ``lang``…) and ``--map`` maps
any others.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from newstrace.errors import InputError, MalformedInputError
from newstrace.ingest.decode import decode_bytes
from newstrace.models import RawDocument

FIELDS = ("id", "url", "outlet", "title", "author", "date", "language", "text")
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "input_id", "doc_id", "article_id", "guid", "uuid"),
    "url": ("url", "link", "uri", "href", "canonical_url"),
    "outlet": (
        "outlet",
        "site",
        "sitename",
        "site_name",
        "domain",
        "source",
        "publisher",
        "portal",
        "host",
    ),
    "title": ("title", "headline", "name"),
    "author": ("author", "authors", "byline", "creator"),
    "date": (
        "date",
        "published",
        "published_at",
        "publish_date",
        "pubdate",
        "datetime",
        "timestamp",
        "created_at",
    ),
    "language": ("language", "lang", "language_code", "lang_code", "locale"),
    "text": (
        "text",
        "content",
        "body",
        "maintext",
        "article",
        "full_text",
        "article_text",
        "story",
    ),
}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _pick(record: Mapping[str, Any], field: str, mapping: Mapping[str, str]) -> Any:
    if field in mapping:
        return record.get(mapping[field])
    lowered = {str(k).lower(): v for k, v in record.items()}
    for alias in ALIASES[field]:
        v = lowered.get(alias)
        if v not in (None, ""):
            return v
    return None


def _as_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, list):
        v = ", ".join(str(x) for x in v if x)
    s = str(v).strip()
    return s or None


def record_to_raw(record: Any, path: str, fmt: str, mapping: Mapping[str, str]) -> RawDocument:
    """One raw document from one record (a dict).

    Raises:
        MalformedInputError: when the record is not an object or has no text field.
    """
    if not isinstance(record, Mapping):
        raise MalformedInputError(f"record is a {type(record).__name__}, not an object")
    text = _as_text(_pick(record, "text", mapping))
    if not text:
        keys = ", ".join(sorted(str(k) for k in record)[:12])
        raise MalformedInputError(
            f"record has no text field (looked for {'/'.join(ALIASES['text'])}; it has: {keys}); "
            "map one with --map text=FIELD"
        )
    html_like = text.lstrip().startswith("<") and "</" in text
    return RawDocument(
        raw=text,
        source_path=path,
        format=fmt,
        input_id=_as_text(_pick(record, "id", mapping)),
        url=_as_text(_pick(record, "url", mapping)),
        outlet=_as_text(_pick(record, "outlet", mapping)),
        title=_as_text(_pick(record, "title", mapping)),
        author=_as_text(_pick(record, "author", mapping)),
        published=_as_text(_pick(record, "date", mapping)),
        language=_as_text(_pick(record, "language", mapping)),
        language_source="record",
        prechopped=not html_like,
    )


def iter_jsonl(
    data: bytes, path: str, mapping: Mapping[str, str]
) -> Iterator[RawDocument | InputError]:
    """Yield one raw document per JSON line; a broken line yields an error naming its line."""
    text = decode_bytes(data)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield MalformedInputError(
                f"line {lineno}: invalid JSON ({exc.msg} at column {exc.colno})"
            )
            continue
        except RecursionError:  # the other lines are still read
            yield MalformedInputError(f"line {lineno}: JSON nested too deeply to read")
            continue
        try:
            yield record_to_raw(record, where, "jsonl", mapping)
        except InputError as exc:
            yield type(exc)(f"line {lineno}: {exc}")


def iter_json(
    data: bytes, path: str, mapping: Mapping[str, str]
) -> Iterator[RawDocument | InputError]:
    """Yield one raw document per element of a JSON array (or of its ``articles``/``items``)."""
    try:
        doc = json.loads(decode_bytes(data))
    except json.JSONDecodeError as exc:
        # A JSON Lines file saved as .json is common; read it as such.
        if exc.msg == "Extra data":
            yield from iter_jsonl(data, path, mapping)
            return
        yield MalformedInputError(
            f"invalid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        )
        return
    except RecursionError:
        yield MalformedInputError("JSON nested too deeply to read")
        return
    if isinstance(doc, Mapping):
        for key in ("articles", "items", "documents", "data", "results"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
        else:
            doc = [doc]
    if not isinstance(doc, list):
        yield MalformedInputError("JSON is neither an object nor an array of objects")
        return
    for i, record in enumerate(doc):
        try:
            yield record_to_raw(record, f"{path}#{i}", "json", mapping)
        except InputError as exc:
            yield type(exc)(f"element {i}: {exc}")


def _delimiter(header: str, path: str) -> str:
    """The delimiter of a CSV/TSV file, from its header line (outside quoted names).

    A header is short and regular; the rows are not (prose with commas and quotes), which is why
    only the header decides, and why the quoting rules are RFC 4180's whatever the header says.
    """
    if path.lower().endswith(".tsv"):
        return "\t"
    bare = re.sub(r'"[^"]*"', "", header)
    counts = {d: bare.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_csv(
    data: bytes, path: str, mapping: Mapping[str, str]
) -> Iterator[RawDocument | InputError]:
    """Yield one raw document per CSV/TSV row, or one error naming the row.

    Rows are read strictly by RFC 4180's rules (quoted fields may hold delimiters, newlines and
    doubled quotes), so a row is never split into several documents nor silently garbled: a row
    whose quoting is broken, or whose field count differs from the header's, is rejected whole,
    with its row number and the lines it spans; reading goes on after it.
    """
    text = decode_bytes(data)
    header_line = text.split("\n", 1)[0]
    dialect: Any = csv.excel
    reader = csv.reader(
        io.StringIO(text, newline=""), dialect, delimiter=_delimiter(header_line, path), strict=True
    )
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as exc:
        yield MalformedInputError(f"CSV header cannot be read: {exc}")
        return
    if not any(h.strip() for h in header):
        yield MalformedInputError("CSV has no header row")
        return
    row_no = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row_no += 1
            lines = f"line {line}" if reader.line_num <= line else f"lines {line}-{reader.line_num}"
            yield MalformedInputError(f"row {row_no} ({lines}): {exc}; the row is skipped whole")
            if reader.line_num < line:  # nothing consumed: the rest cannot be read
                return
            continue
        row_no += 1
        where = f"row {row_no} (line {line})"
        if not any(v.strip() for v in row):
            continue
        if len(row) != len(header):
            yield MalformedInputError(
                f"{where}: {len(row)} fields where the header has {len(header)} "
                "(an unbalanced quote or a stray delimiter); the row is skipped whole"
            )
            continue
        record = dict(zip(header, row, strict=True))
        try:
            yield record_to_raw(record, f"{path}:{line}", "csv", mapping)
        except InputError as exc:
            yield type(exc)(f"{where}: {exc}")

"""RSS and Atom feed files: each entry with full content (or, failing that, its summary)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newstrace.clean.dates import from_struct_time
from newstrace.errors import InputError, MalformedInputError
from newstrace.models import RawDocument


def _html_to_text(fragment: str) -> str:
    """Text of an HTML fragment, one block per line."""
    if "<" not in fragment:
        return fragment
    import lxml.html

    from newstrace.ingest.html import page_text

    try:
        tree = lxml.html.fromstring(f"<div>{fragment}</div>")
    except (ValueError, lxml.etree.ParserError):
        return fragment
    return page_text(tree)


def parse_feed(data: bytes) -> Any:
    """feedparser's result for ``data``.

    Raises:
        MalformedInputError: when feedparser itself fails (it can, on broken markup).
    """
    import io

    import feedparser

    try:
        # A stream, never the bytes themselves: given a str or bytes, feedparser takes it for
        # a URL to fetch or a file name to open when it looks like one (a feed whose whole
        # body is "/etc/passwd" or "/dev/zero" would be read from this machine).
        return feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser's loose parser raises KeyError and others on junk
        raise MalformedInputError(f"not a readable RSS/Atom feed ({type(exc).__name__})") from exc


def _entry_language(entry: Any) -> str | None:
    """The language an entry states for its content, summary or title (``xml:lang``)."""
    details = [*(entry.get("content") or []), entry.get("summary_detail"), entry.get("title_detail")]
    for d in details:
        if d and d.get("language"):
            return str(d["language"])
    return None


def iter_feed(data: bytes, path: str) -> Iterator[RawDocument | InputError]:
    """Yield a raw document per feed entry; a feed that does not parse yields one error."""
    try:
        parsed = parse_feed(data)
    except MalformedInputError as exc:
        yield exc
        return
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception")
        yield MalformedInputError(
            f"not a readable RSS/Atom feed{f': {why}' if why else ' (no entries)'}"
        )
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    feed_language = (parsed.get("feed") or {}).get("language")
    for i, entry in enumerate(entries):
        body = ""
        for content in entry.get("content") or []:
            if len(content.get("value") or "") > len(body):
                body = content.get("value") or ""
        if not body:
            body = entry.get("summary") or entry.get("description") or ""
        text = _html_to_text(body).strip()
        if not text:
            yield MalformedInputError(f"entry {i}: no content or summary")
            continue
        published = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            value = dict.get(entry, key)  # not entry.get: it maps one key onto another, noisily
            if value:
                published = from_struct_time(value)
                break
        yield RawDocument(
            raw=text,
            source_path=f"{path}#{i}",
            format="feed",
            language=_entry_language(entry) or feed_language,
            language_source="feed",
            input_id=entry.get("id") or entry.get("link"),
            url=entry.get("link"),
            outlet=feed_title,
            title=entry.get("title"),
            author=entry.get("author"),
            published=published,
            published_source="feed",
            prechopped=True,
        )

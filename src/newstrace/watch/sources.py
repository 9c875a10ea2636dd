"""What a polled source lists: the article URLs of a feed or a sitemap, the files of a folder."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from newstrace.clean.dates import from_struct_time
from newstrace.errors import MalformedInputError, TooLargeError
from newstrace.ingest import display_path, iter_files
from newstrace.ingest.decode import gunzip
from newstrace.ingest.feed import iter_feed, parse_feed
from newstrace.models import RawDocument

MAX_ITEMS = 1000
"""Items taken from one feed or sitemap per poll (the newest first, as listed)."""

WARC_SUFFIXES = (".warc", ".warc.gz")
MAX_SITEMAP_BYTES = 50_000_000
"""The largest sitemap read, decompressed (the limit the sitemap protocol sets)."""


@dataclass(frozen=True, slots=True)
class Item:
    """An article a source lists.

    Attributes:
        url: the article's URL (the watcher's key for it: an item is fetched once).
        title, published: what the listing says of it (fallbacks for the page's own).
        entry: the feed entry's own text as a raw document, for sources read with
            ``full_content``.
    """

    url: str
    title: str | None = None
    published: str | None = None
    entry: RawDocument | None = None


def absolute_url(base: str, link: str) -> str | None:
    """``link`` resolved against ``base``; None unless it is a well-formed http(s) URL."""
    try:
        url = urljoin(base, link.strip())
        parts = urlsplit(url)
        _ = parts.port  # raises on a malformed port
    except ValueError:  # "Invalid IPv6 URL" and the like, from hostile feeds
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def feed_items(data: bytes, feed_url: str, *, full_content: bool = False) -> list[Item]:
    """The article links of an RSS/Atom feed.

    Raises:
        MalformedInputError: when the bytes are not a feed with entries.
    """
    parsed = parse_feed(data)
    entries = parsed.get("entries") or []
    why = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.get("version") or (why and not any(e.get("link") for e in entries)):
        # Not a feed at all, or a broken one with nothing usable in it. (A well-formed feed
        # with no entries is fine: nothing published yet.)
        raise MalformedInputError(f"not a readable RSS/Atom feed{f': {why}' if why else ''}")
    raws: dict[str, RawDocument] = {}
    if full_content:
        for raw in iter_feed(data, feed_url):
            if isinstance(raw, RawDocument) and raw.url and (u := absolute_url(feed_url, raw.url)):
                raws[u] = raw
    out: list[Item] = []
    seen: set[str] = set()
    for entry in entries[:MAX_ITEMS]:
        url = absolute_url(feed_url, entry.get("link") or "")
        if url is None or url in seen:
            continue
        seen.add(url)
        published = None
        for key in ("published_parsed", "updated_parsed"):
            value = dict.get(entry, key)  # not entry.get: it maps one key onto the other, noisily
            if value:
                published = from_struct_time(value)
                break
        out.append(Item(url, entry.get("title"), published, raws.get(url)))
    return out


def sitemap_urls(data: bytes) -> tuple[list[Item], list[str]]:
    """The page URLs of a sitemap, and the child sitemaps of a sitemap index.

    Raises:
        MalformedInputError: when the bytes are not a sitemap.
    """
    import lxml.etree as etree

    if data[:2] == b"\x1f\x8b":  # a .xml.gz served as it is, not with a Content-Encoding
        try:
            data = gunzip(data, limit=MAX_SITEMAP_BYTES)
        except TooLargeError as exc:
            raise MalformedInputError(
                f"gzipped sitemap over {MAX_SITEMAP_BYTES:,} bytes once decompressed (the "
                "sitemap protocol's own limit)"
            ) from exc
        except MalformedInputError as exc:
            raise MalformedInputError(f"not a readable gzipped sitemap: {exc}") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedInputError(f"not a readable sitemap: {exc}") from exc
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise MalformedInputError(f"not a sitemap (root element <{kind}>)")
    items: list[Item] = []
    children: list[str] = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        fields = {etree.QName(c).localname: (c.text or "").strip() for c in el if isinstance(c.tag, str)}
        loc = absolute_url(fields.get("loc", ""), "")
        if loc is None:
            continue
        if kind == "sitemapindex":
            children.append(loc)
        elif len(items) < MAX_ITEMS:
            items.append(Item(loc, None, fields.get("lastmod") or None))
    return items, children


def settled_files(
    folder: str,
    *,
    warc_only: bool,
    settle: float,
    on_unsettled: Callable[[Path, float], None] | None = None,
) -> Iterator[tuple[Path, str]]:
    """Files under ``folder`` left unchanged for ``settle`` seconds, each with a key that
    changes when the file does (path, size, modification time).

    A file changed more recently is left for a later poll (it may still be being written);
    ``on_unsettled`` hears of each, with the seconds since it last changed.
    """
    if not os.path.isdir(folder):
        raise MalformedInputError(f"{folder}: no such folder")
    now = time.time()
    for path in iter_files([folder]):
        if warc_only and not path.name.lower().endswith(WARC_SUFFIXES):
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        if now - st.st_mtime < settle:
            if on_unsettled:
                on_unsettled(path, now - st.st_mtime)
            continue
        yield path, f"file:{display_path(path)}#{st.st_size}:{st.st_mtime_ns}"

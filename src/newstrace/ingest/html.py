"""HTML articles: trafilatura for the body and metadata; lxml for the page's own text and links."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from newstrace.clean.attributions import host_of, link_attributions
from newstrace.clean.dates import spelled_out
from newstrace.clean.text import content_key, fix_mojibake
from newstrace.errors import EmptyDocumentError, MalformedInputError
from newstrace.ingest.decode import decode_bytes
from newstrace.models import Link, RawDocument

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer",
    "section", "article", "aside", "nav", "blockquote", "tr", "table", "pre", "figure",
    "figcaption", "dd", "dt", "main", "form", "hr",
}  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
# The page's own metadata only: htmldate's extensive search guesses from body text ("the 2016
# election" became 2016-01-01) and a guess must never pass for a publication date.
_DATE_PARAMS = {
    "original_date": True,
    "extensive_search": False,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}
MAX_TREE_DEPTH = 400


def page_text(tree: Any) -> str:
    """The page's visible text, one block per line (what a reader of the page sees)."""
    for bad in tree.xpath("//script|//style|//noscript|//template|//svg|//head"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: Any, depth: int) -> None:
        if depth > MAX_TREE_DEPTH:
            return
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child, depth + 1)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(tree, 0)
    lines = [" ".join(line.split()) for line in "".join(parts).splitlines()]
    return "\n".join(line for line in lines if line)


def page_language(tree: Any) -> str | None:
    """The language a page states: ``<html lang>`` (or ``xml:lang``), else its
    ``Content-Language`` (when it names one language), else ``og:locale``; as written."""
    root = tree.getroottree().getroot()
    # The HTML parser keeps "xml:lang" as the attribute's name; an XML parser, namespaced.
    xml_lang = root.get("xml:lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    for value in (root.get("lang"), xml_lang):
        if value and value.strip():
            return str(value).strip()
    for el in tree.xpath("//meta[@http-equiv][@content]"):
        if el.get("http-equiv", "").strip().lower() == "content-language":
            values = [v.strip() for v in el.get("content", "").split(",") if v.strip()]
            if len(values) == 1:
                return str(values[0])
    for el in tree.xpath("//meta[@property='og:locale'][@content]"):
        if el.get("content", "").strip():
            return str(el.get("content")).strip()
    return None


def _links(tree: Any, base_url: str | None) -> list[tuple[str, str, str]]:
    if base_url:
        with contextlib.suppress(ValueError):
            tree.make_links_absolute(base_url, resolve_base_href=True)
    out: list[tuple[str, str, str]] = []
    for a in tree.xpath("//a[@href]"):
        href = (a.get("href") or "").strip()
        if not href.lower().startswith(("http://", "https://")):
            continue
        text = " ".join((a.text_content() or "").split())
        parent = a.getparent()
        context = " ".join((parent.text_content() if parent is not None else text).split())[:300]
        out.append((href, text, context))
    return out


def _site_name(doc: Any) -> str | None:
    """The site name the page gives (og:site_name, publisher, its title's site part). Without
    one, trafilatura names the site by the host of the page's canonical URL, which may be
    another site's (a republished article's original): that is no name the page gives, and
    the outlet is then looked for in the page's chrome, or taken from its own URL."""
    name = (getattr(doc, "sitename", None) or "").strip() or None
    url = getattr(doc, "url", None)
    m = re.match(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)", url or "")
    if name and m and name.lower() == m.group(1).lower():
        return None
    return name


def read_html(
    data: bytes | str,
    path: str,
    *,
    url: str | None = None,
    fallback_date: str | None = None,
    fallback_source: str = "crawl",
    fmt: str = "html",
) -> list[RawDocument]:
    """One raw document from an HTML page.

    ``raw`` is the page's visible text (attribution offsets point into it), ``body`` the
    article text trafilatura extracted; the page lines the extractor left out are kept in
    ``removed`` for audit. The publication date is the page's metadata date; else
    ``fallback_date`` (a feed item's date: ``fallback_source="feed"``; a crawl time: ``"crawl"``).

    Raises:
        MalformedInputError: when the page cannot be parsed.
        EmptyDocumentError: when no article text is found.
    """
    import lxml.html
    import trafilatura

    if isinstance(data, bytes):
        m = _META_CHARSET.search(data[:4096])
        html = decode_bytes(data, declared=m.group(1).decode("ascii", "ignore") if m else None)
    else:
        html = data
    if not html.strip():
        raise EmptyDocumentError("empty HTML page")
    try:
        # No URL here: htmldate would take a date from it before the page's own metadata (and
        # drop the time); the clean stage reads URL dates, after the metadata's.
        # Double-decoded text ("â€œ") is repaired before extraction: the extractor drops the C1
        # controls some of its characters became (the "\x9d" of a closing quotation mark's
        # "â€\x9d"), and without them no repair can tell what they were ("â€" or "†" was left).
        # The page's own text below is taken as read: the document's id is over it.
        doc = trafilatura.bare_extraction(
            fix_mojibake(html),
            url=None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, RecursionError) as exc:
        raise MalformedInputError(f"HTML could not be parsed: {exc}") from exc
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise EmptyDocumentError("no article text found in the HTML page")
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"))
    except (ValueError, lxml.etree.ParserError) as exc:
        raise MalformedInputError(f"HTML could not be parsed: {exc}") from exc
    canonical = None
    for el in tree.xpath("//link[@rel='canonical'][@href]|//meta[@property='og:url'][@content]"):
        canonical = (el.get("href") or el.get("content") or "").strip() or None
        if canonical:
            break
    the_url = url or getattr(doc, "url", None) or canonical
    language = page_language(tree)
    links = _links(tree, the_url)
    page = page_text(tree)
    title = getattr(doc, "title", None)
    body_lines = body.splitlines()
    if title and body_lines and content_key(body_lines[0]) == content_key(title):
        body_lines = body_lines[1:]
    body_keys = {content_key(line) for line in body_lines}
    removed = tuple(
        line
        for line in fix_mojibake(page).splitlines()  # repaired, as the body it is compared with
        if content_key(line) not in body_keys and line != title
    )[:300]
    own_host = host_of(the_url) or getattr(doc, "hostname", None)
    published, published_source = getattr(doc, "date", None), "metadata"
    if published and published[5:10] == "01-01" and not spelled_out(published, html):
        published = None  # a bare year made into 1 January: not a date
    if not published:
        published, published_source = fallback_date, fallback_source
    # A canonical URL on another host is a credit too: build_document adds it, once the page's
    # own URL is known (a --url or a .meta.json may give it).
    credits = link_attributions(links, own_host)
    return [
        RawDocument(
            raw=page,
            body="\n".join(body_lines),
            source_path=path,
            format=fmt,
            url=the_url,
            canonical_url=canonical or the_url,
            outlet=_site_name(doc),
            title=title,
            author=getattr(doc, "author", None),
            published=published,
            published_source=published_source if published else None,
            language=language,
            language_source="metadata",
            links=tuple(Link(u, t) for u, t, _ in links[:500]),
            removed=removed,
            prechopped=True,
            extra_attributions=tuple(credits),
        )
    ]

"""Clean stage: raw documents in, clean :class:`~newstrace.models.Document` out.

``build_document`` strips per-document chrome, reads title/byline/date lines of plain text,
extracts explicit attributions, infers the outlet from the site its own chrome names, and
derives the stable id. Outlet-level chrome is learned later, across the store
(:mod:`newstrace.clean.boilerplate`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace

from newstrace.clean.attributions import (
    find_attributions,
    host_of,
    is_attribution_line,
    place_credit,
    site_label,
)
from newstrace.clean.boilerplate import chrome_reason
from newstrace.clean.dates import DATE_PATTERN, date_from_url, parse_date
from newstrace.clean.language import language_of
from newstrace.clean.pages import is_headline_flash, non_article_reason, notice_reason
from newstrace.clean.text import fix_mojibake, squeeze, strip_markup
from newstrace.errors import EmptyDocumentError, NotArticleError
from newstrace.models import Attribution, Document, RawDocument

__all__ = ["build_document", "document_id"]

_BYLINE_RE = re.compile(r"^(?:by|written\s+by|author)\s*:?\s+(?P<rest>.+)$", re.I)
_DATELINE_RE = re.compile(
    r"^(?:published|posted|updated|last\s+updated|date|first\s+published)?\s*(?:on|:)?\s*(?P<rest>.+)$",
    re.I,
)
_HOST_RE = re.compile(r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.I)
_EMAIL_HOST_RE = re.compile(r"[\w.+-]+@((?:[\w-]+\.)+[a-z]{2,})", re.I)
_CAP_PHRASE_RE = re.compile(r"\b[A-Z][\w&'-]*(?:\s+(?:of\s+|the\s+|on\s+)?[A-Z][\w&'-]*){0,4}")


def document_id(outlet: str | None, url: str | None, raw: str, record: str | None = None) -> str:
    """The stable id: 16 hex digits of SHA-256 over outlet, URL and raw text, and the record's
    own id when a structured record (JSONL, JSON, CSV) gives one.

    The same input read twice gets the same id (re-ingest is a no-op); the same URL with
    changed content gets a new one (a new version); two records of a data set with the same
    text (a wire story sent twice) stay two documents.
    """
    h = hashlib.sha256()
    for part in (outlet or "", url or "", raw):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    if record:
        h.update(b"record\x1f" + record.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def _title_like(line: str) -> bool:
    n = len(line.split())
    end = line.rstrip()[-1:]
    if n == 0 or n > 30 or end in ",;:":
        return False
    # Headlines rarely end with a full stop; a long line that does is a sentence.
    return not (end == "." and n > 12)


def _parse_byline(plain_line: str, raw_line: str) -> tuple[str | None, str | None]:
    """Author and date from a byline such as "By Jane Doe, July 9, 2017"."""
    m = _BYLINE_RE.match(plain_line.strip())
    if not m:
        return None, None
    rest = m.group("rest")
    published = parse_date(rest)
    # A name marked up on its own (a link or underline) is the author.
    tagged = re.search(
        r"^\s*(?:by|written\s+by|author)\s*:?\s*<(\w+)[^>]*>(.+?)</\1>", raw_line, re.I
    )
    if tagged:
        author = strip_markup(tagged.group(2))[0].strip()
    else:
        cut = DATE_PATTERN.search(rest)
        author = rest[: cut.start()] if cut else rest
        author = re.split(r"\s*(?:[,|•·]|\s-\s|\s–\s|\s—\s)\s*", author.strip())[0]
    author = author.strip(" ,.|")
    if not author or len(author.split()) > 8:
        return None, published
    return author, published


def _infer_outlet(chrome_lines: list[str], full_plain: str) -> tuple[str | None, str | None]:
    """The outlet a document's own chrome names: its host, and the site name that spells it.

    "www.globalresearch.ca" in a disclaimer and "Global Research" in a prompt give
    ("Global Research", "globalresearch.ca").
    """
    hosts: Counter[str] = Counter()
    for line in chrome_lines:
        for rx in (_EMAIL_HOST_RE, _HOST_RE):
            for m in rx.finditer(line):
                hosts[m.group(1).lower()] += 1
    if not hosts:
        return None, None
    host = hosts.most_common(1)[0][0]
    host = host[4:] if host.startswith("www.") else host
    label = re.sub(r"[^a-z0-9]", "", site_label(host))
    names: Counter[str] = Counter()
    for text in [*chrome_lines, full_plain]:
        for m in _CAP_PHRASE_RE.finditer(text):
            phrase = m.group()
            words_ = phrase.split()
            # Any run of the phrase's words whose letters spell the host's label.
            for i in range(len(words_)):
                for j in range(i + 1, len(words_) + 1):
                    cand = " ".join(words_[i:j])
                    if re.sub(r"[^a-z0-9]", "", cand.lower()) == label:
                        names[cand] += 1
    if names:
        return names.most_common(1)[0][0], host
    return host, host


def build_document(
    raw: RawDocument,
    *,
    outlet: str | None = None,
    url: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> Document:
    """Clean one raw document.

    Args:
        raw: what a reader produced.
        outlet: overrides the outlet (``--outlet``).
        url: overrides the URL (``--url``).
        published: overrides the publication date (``--date``), any format :func:`parse_date` reads.
        language: overrides the language (a ``.meta.json``'s ``language``), any tag
            :func:`~newstrace.clean.language.normalise_code` reads.

    The publication date is the most explicit one found (see
    :data:`~newstrace.models.DATE_SOURCES`): ``published``, then the reader's (a record's
    field, the feed item, the page's metadata), then a byline or dateline at the top of a text,
    then a date the URL's path spells out, then the time a crawler fetched the page. The
    language, likewise, is the one stated (``language``, then the reader's: a record's field,
    the feed, the page's metadata), else the one detected in the text
    (:func:`~newstrace.clean.language.language_of`).

    Raises:
        EmptyDocumentError: when no article text is left.
        NotArticleError: when the page is not an article (see :func:`non_article_reason`).

    Example:
        >>> from newstrace.models import RawDocument
        >>> d = build_document(RawDocument("Title line\\n\\nBody of the story.\\n\\nSource: RT\\n", "x.txt", "text"))
        >>> d.title, d.text, d.attributions[0].credited
        ('Title line', 'Body of the story.', 'RT')
    """
    original_raw = raw.raw  # the id is over the input as read
    raw = replace(
        raw,
        raw=fix_mojibake(raw.raw),
        body=None if raw.body is None else fix_mojibake(raw.body),
        title=None if raw.title is None else fix_mojibake(raw.title),
    )
    text_lines: list[str] = []
    removed: list[str] = list(raw.removed)
    chrome_lines: list[str] = list(raw.removed)
    title = raw.title
    author = raw.author
    byline_date: str | None = None
    notices: list[str] = []
    raw_lines = (raw.body if raw.body is not None else raw.raw).splitlines()
    seen_body = False
    if sum(1 for line in raw_lines if line.strip()) < 2:
        title = title or ""  # a one-paragraph text has no separate headline
    header_budget = 6  # title, byline and dateline lines are looked for near the top only
    for i, raw_line in enumerate(raw_lines):
        plain = strip_markup(raw_line)[0].strip()
        if not plain:
            text_lines.append("")
            continue
        if not raw.prechopped and not seen_body and header_budget > 0:
            header_budget -= 1
            followed_by_blank = i + 1 >= len(raw_lines) or not raw_lines[i + 1].strip()
            if title is None and followed_by_blank and _title_like(plain):
                title = plain
                continue
            a, d = _parse_byline(plain, raw_line)
            if a or d:
                author = author or a
                byline_date = byline_date or d
                chrome_lines.append(plain)
                removed.append(plain)
                continue
            if len(plain.split()) <= 8:
                m = _DATELINE_RE.match(plain)
                d = parse_date(m.group("rest")) if m else None
                if d and DATE_PATTERN.search(plain):
                    byline_date = byline_date or d
                    removed.append(plain)
                    continue
        if len(plain.split()) <= 15 and notice_reason(plain):
            notices.append(plain)  # "Your browser does not support the audio element."
            removed.append(plain)
            continue
        reason = chrome_reason(plain)
        if reason is not None or is_attribution_line(plain):
            removed.append(plain)
            chrome_lines.append(plain)
            continue
        seen_body = True
        text_lines.append(plain if not raw.prechopped else raw_line)
    text = squeeze("\n".join(text_lines))
    if not text.strip() and not notices:
        raise EmptyDocumentError("no article text left after removing chrome")
    # A headline flash is the first report of its news (:func:`is_headline_flash`): kept.
    flash = not notices and is_headline_flash(text, title)
    kind = None if flash else non_article_reason("\n".join([*notices, text]), title)
    if kind is not None:
        raise NotArticleError(f"not an article: {kind}")
    attributions: list[Attribution] = [place_credit(a, text, raw.raw) for a in find_attributions(raw.raw)]
    for link_attr in raw.extra_attributions:
        if all(link_attr.url != a.url for a in attributions):
            attributions.append(link_attr)
    the_url = url or raw.url
    # A canonical URL on another host than the page's own (known only now: --url, a sidecar):
    # the page names another site's article as the original of its text, a credit.
    canonical, own, other = raw.canonical_url, host_of(the_url), host_of(raw.canonical_url)
    if canonical and own and other and other != own and all(a.url != canonical for a in attributions):
        evidence = f'<link rel="canonical" href="{canonical}">'
        attributions.append(Attribution(other, "link", evidence, -1, -1, canonical))
    inferred_outlet, inferred_host = (None, None)
    if not (outlet or raw.outlet):
        inferred_outlet, inferred_host = _infer_outlet(chrome_lines, strip_markup(raw.raw)[0])
    the_outlet = outlet or raw.outlet or inferred_outlet or host_of(the_url)
    raw_source = raw.published_source or "record"
    candidates = [
        (published, "user"),
        (raw.published if raw_source != "crawl" else None, raw_source),
        (byline_date, "byline"),
        (date_from_url(the_url), "url"),
        (raw.published if raw_source == "crawl" else None, "crawl"),
    ]
    the_pub, pub_source = next(
        ((d, src) for value, src in candidates if value and (d := parse_date(value))), (None, None)
    )
    the_title = (title or "").strip() or None
    lang, lang_source = language_of(
        text,
        the_title,
        stated=[(language, "user"), (raw.language, raw.language_source or "record")],
    )
    return Document(
        id=document_id(
            the_outlet, the_url, original_raw, raw.input_id if raw.format in ("jsonl", "json", "csv") else None
        ),
        text=text,
        raw=raw.raw,
        url=the_url,
        canonical_url=raw.canonical_url or the_url,
        outlet=the_outlet,
        host=host_of(the_url) or inferred_host,
        title=the_title,
        author=author,
        published=the_pub,
        published_source=pub_source,
        language=lang,
        language_source=lang_source,
        attributions=tuple(attributions),
        links=raw.links,
        boilerplate=tuple(removed),
        input_id=raw.input_id or raw.source_path,
        source_path=raw.source_path,
        format=raw.format,
    )

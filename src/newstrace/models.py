"""The data newstrace passes between stages: frozen dataclasses over plain values.

Stages hand these to each other in one direction: ``ingest`` makes :class:`RawDocument`,
``clean`` turns each into a :class:`Document`, ``store`` keeps them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Attribution:
    """An explicit credit found in an article ("Source: RT", "(Reuters) -", a link).

    Attributes:
        credited: who is credited, as written ("RT", "Reuters", "example.com").
        kind: which pattern found it: ``source_line``, ``original_source``, ``first_appeared``,
            ``republished``, ``via``, ``wire``, ``link``.
        evidence: the exact string of the raw input that says so.
        start: offset of ``evidence`` in the document's ``raw`` text (-1 for HTML links).
        end: end offset of ``evidence`` in ``raw`` (-1 for HTML links).
        url: the credited URL, when the credit is a link or names one.
        at: where the credit stands in the clean text (character offset): where its words are,
            or where cleaning removed its line ("From The Daily Caller:" on a line of its
            own), so that what it credits can be told
            (:func:`newstrace.clean.attributions.place_credit`); None where not known (a link,
            or a document stored before newstrace placed credits).
    """

    credited: str
    kind: str
    evidence: str
    start: int
    end: int
    url: str | None = None
    at: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attribution:
        return cls(d["credited"], d["kind"], d["evidence"], d["start"], d["end"], d.get("url"), d.get("at"))


@dataclass(frozen=True, slots=True)
class Link:
    """An outbound link of an HTML article."""

    url: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DATE_SOURCES = ("user", "record", "feed", "metadata", "byline", "url", "crawl")
"""Where a publication date comes from, most explicit first: the user (``--date``, a
``.meta.json``), a structured record's field (JSONL/CSV), the feed item, the page's metadata, a
byline or dateline at the top of a text, a date in the URL's path, and last the time a crawler
fetched the page (an upper bound, not a publication date). Dates guessed from body text are
never taken."""

LANGUAGE_SOURCES = ("user", "record", "feed", "metadata", "detected")
"""Where a document's language comes from, stated first: the user (``language`` in a
``.meta.json``), a structured record's field (``language``/``lang``), the feed (the item's
language, else the feed's), the page's metadata (``<html lang>``, ``Content-Language``,
``og:locale``), and last detection from the text (:mod:`newstrace.clean.language`), which
may find none (language None, source ``detected``). A stated language always wins."""


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader found in one input, before cleaning.

    ``raw`` is the article's text as read (for HTML: the text the extractor kept plus the
    chrome lines it dropped are in ``removed``); attribution offsets point into it.
    """

    raw: str
    source_path: str
    format: str
    input_id: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_source: str | None = None
    """Where ``published`` came from (see :data:`DATE_SOURCES`)."""
    language: str | None = None
    """The language the input states, as it states it (``en-US``, ``deu``)."""
    language_source: str | None = None
    """Where ``language`` came from (see :data:`LANGUAGE_SOURCES`; ``record`` if None)."""
    links: tuple[Link, ...] = ()
    removed: tuple[str, ...] = ()
    prechopped: bool = False
    """True when ``raw`` is already the article body (HTML extraction, structured records)."""
    body: str | None = None
    """The extracted article body when it differs from ``raw`` (HTML: raw is the whole page text)."""
    extra_attributions: tuple[Attribution, ...] = ()
    """Credits the reader found outside the text (HTML links)."""


@dataclass(frozen=True, slots=True)
class Document:
    """A clean article, as stored.

    Attributes:
        id: stable, content-derived id (16 hex digits of a SHA-256 over URL, outlet and raw text).
        text: the clean article text; every offset newstrace reports for this document is into it.
        raw: the input text attributions point into.
        published: ISO 8601: a date (``2017-07-09``) or a timezone-aware datetime; None if unknown.
        published_source: where that date came from, one of :data:`DATE_SOURCES`.
        language: the language of the text, a BCP 47 primary subtag (ISO 639-1 where there is
            one: ``en``, ``zh``); None if unknown.
        language_source: where it came from, one of :data:`LANGUAGE_SOURCES` (``detected``
            with language None: detection found none); None for a document not examined yet.
        boilerplate: the chrome removed from this document, kept for audit.
        input_id: the id the user's input gave it (``id`` field of JSONL/CSV), else the path.
    """

    id: str
    text: str
    raw: str = ""
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    host: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_source: str | None = None
    language: str | None = None
    language_source: str | None = None
    attributions: tuple[Attribution, ...] = ()
    links: tuple[Link, ...] = ()
    boilerplate: tuple[str, ...] = ()
    input_id: str | None = None
    source_path: str | None = None
    format: str | None = None
    version: int = 1
    supersedes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Who, where and when, without the text: how reports name a document."""
        return {
            "id": self.id,
            "outlet": self.outlet,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "published_source": self.published_source,
            "language": self.language,
            "attributions": [a.to_dict() for a in self.attributions],
        }

    def to_dict(self, *, with_raw: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (the ``show --json`` schema)."""
        d: dict[str, Any] = {
            "id": self.id,
            "input_id": self.input_id,
            "outlet": self.outlet,
            "host": self.host,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "published_source": self.published_source,
            "language": self.language,
            "language_source": self.language_source,
            "text": self.text,
            "attributions": [a.to_dict() for a in self.attributions],
            "links": [link.to_dict() for link in self.links],
            "boilerplate": list(self.boilerplate),
            "source_path": self.source_path,
            "format": self.format,
            "version": self.version,
            "supersedes": self.supersedes,
        }
        if with_raw:
            d["raw"] = self.raw
        return d


@dataclass(frozen=True, slots=True)
class Span:
    """A character range ``[start, end)`` of one text, with the text it covers."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]``."""
        return cls(start, end, text[start:end])


PASSAGE_KINDS = ("verbatim", "near_verbatim", "paraphrase", "translation")
"""Kinds of aligned passage, strongest evidence first (a character covered by two counts once,
for the first)."""


@dataclass(frozen=True, slots=True)
class Passage:
    """An aligned passage: a span of text A and the span of text B that reuses it.

    Attributes:
        kind: ``verbatim`` (identical after normalising case, punctuation and whitespace),
            ``near_verbatim`` (small edits), ``paraphrase`` (same content reworded) or
            ``translation`` (same content in another language).
        a_start, a_end, b_start, b_end: character offsets into the two clean texts.
        score: similarity in [0, 1] (share of matching words for lexical passages, the
            sentence similarity for paraphrases and translations).
    """

    kind: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float = 1.0

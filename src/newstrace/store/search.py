"""Full-text search: what a person types, read as an FTS5 query; highlighted matches read back.

Pure functions over strings; :meth:`newstrace.store.Store.search` runs them against the
store's FTS5 table (external content over ``documents``: ``title`` and ``text``, tokenizer
``unicode61 remove_diacritics 2``).

**Queries.** Text in double quotes (``"``, or typographic ``“ ” „ ‟``) is a phrase: its words
must appear next to each other, in that order (``"Deep State"``). An opening quote without its
closing one runs to the end of the query, as it would while it is being typed. Everything else
is split at whitespace into words, and every word and phrase must match (AND). A word that
holds punctuation is the phrase of its parts, as the same characters are read in the articles
(``anti-war``, ``U.S.``, ``don't``). Case and diacritics are ignored.

Nothing a person types is FTS5 syntax: each word and phrase becomes one FTS5 string
(``"…"``), inside which FTS5 reads no operator (``AND``, ``OR``, ``NOT``, ``NEAR``, ``*``,
``^``, ``-``, ``+``, ``:``, parentheses are only characters, which the tokenizer drops or
splits at), and the quote character, the one character an FTS5 string cannot hold as it is,
never reaches one. Control characters and lone surrogates (a terminal argument that was not
UTF-8) are dropped. So every input gives a valid query, and the words inside each string are
split by the very tokenizer that indexed the articles (no second tokenizer to disagree with
it). A string that holds no word at all (``"-"``) is ignored by FTS5. Queries are capped at
:data:`MAX_QUERY_CHARS` characters and :data:`MAX_QUERY_TERMS` words: a pasted page must not
become a slow query.

**Highlights.** FTS5's ``snippet()`` and ``highlight()`` put markers around the matched
phrases; :func:`split_marked` turns the marked text into plain text and the ``[start, end)``
spans of the matches (:class:`Highlighted`), so each front end marks them its own way and never
has to tell a marker from the article's own brackets. The markers are Unicode noncharacters
(U+FDD0 and up), which no text is meant to hold; :func:`pick_markers` chooses a pair the text
does not hold.

Example:
    >>> fts5_query(parse_query('"Deep State" NEAR(x) -leak*'))
    '"Deep State" "NEAR(x)" "-leak*"'
    >>> split_marked("the \\ufdd0deep state\\ufdd1 is", "\\ufdd0", "\\ufdd1")
    Highlighted(text='the deep state is', spans=((4, 14),))
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "Highlighted",
    "QueryTerm",
    "fts5_query",
    "parse_query",
    "pick_markers",
    "split_marked",
]

MAX_QUERY_CHARS = 10_000
"""Characters of a query that are read (the rest is ignored)."""
MAX_QUERY_TERMS = 32
"""Words of a query that are searched for, phrases' words included; the words and phrases
after them are left out (a phrase is never cut: a shorter phrase would match more)."""

_QUOTES = '"“”„‟'
_QUOTE_RX = re.compile(f"[{_QUOTES}]")
_UNREADABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters (C0, DEL, C1) and lone surrogates: never part of a word."""
_WORD = re.compile(r"[^\W_]+")
"""A word as FTS5's unicode61 tokenizer sees one, near enough to count words and to tell an
empty string (``"-"``) from one that holds a word; the tokenizer itself splits the strings."""
_SPACE = re.compile(r"\s+")
_NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)]


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One thing a query asks for: a word, or a phrase (words that must appear in this order).

    Attributes:
        text: the characters typed (no quote character, no control character).
        quoted: typed between quotes.
        words: how many words the tokenizer will find in it (at least 1).
    """

    text: str
    quoted: bool
    words: int

    @property
    def fts5(self) -> str:
        """The term as one FTS5 string (no operator can be read from it)."""
        return f'"{self.text}"'


def _readable(query: str) -> str:
    return unicodedata.normalize("NFC", _UNREADABLE.sub(" ", query[:MAX_QUERY_CHARS]))


def parse_query(query: str, *, max_terms: int = MAX_QUERY_TERMS) -> tuple[QueryTerm, ...]:
    """The words and phrases a search query asks for, in the order typed (see the module).

    Repeated terms are kept once (case aside); terms without any word are dropped; terms past
    ``max_terms`` words in all are left out.

    Example:
        >>> [(t.text, t.quoted) for t in parse_query('Trump "deep  state" anti-war "unclosed')]
        [('Trump', False), ('deep state', True), ('anti-war', False), ('unclosed', True)]
    """
    if max_terms < 1:
        raise ValueError(f"max_terms must be at least 1; got {max_terms}")
    parts = _QUOTE_RX.split(_readable(query))
    chunks: list[tuple[str, bool]] = []
    for i, part in enumerate(parts):
        if i % 2:  # between quotes (the last part too when a quote is left open)
            chunks.append((" ".join(part.split()), True))
        else:
            chunks.extend((word, False) for word in part.split())
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    total = 0
    for text, quoted in chunks:
        words = len(_WORD.findall(text))
        key = " ".join(_WORD.findall(text.casefold()))
        if not words or key in seen:
            continue
        if total + words > max_terms:
            break
        seen.add(key)
        total += words
        terms.append(QueryTerm(text, quoted, words))
    return tuple(terms)


def fts5_query(terms: Iterable[QueryTerm]) -> str:
    """The FTS5 query matching documents that hold every term (empty: nothing to search)."""
    return " ".join(t.fts5 for t in terms)


@dataclass(frozen=True, slots=True)
class Highlighted:
    """A text with the spans of the search matches in it.

    Attributes:
        text: plain text (no marker; runs of whitespace made one space).
        spans: ``(start, end)`` character offsets (Python string indices, Unicode code
            points) of each match in ``text``, in order, not overlapping, never empty.
    """

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def parts(self) -> list[tuple[str, bool]]:
        """The text cut into pieces, each with whether it is a match.

        >>> Highlighted("a deep b", ((2, 6),)).parts()
        [('a ', False), ('deep', True), (' b', False)]
        """
        out: list[tuple[str, bool]] = []
        pos = 0
        for start, end in self.spans:
            if start > pos:
                out.append((self.text[pos:start], False))
            out.append((self.text[start:end], True))
            pos = end
        if pos < len(self.text):
            out.append((self.text[pos:], False))
        return out

    def marked(self, open_mark: str = "**", close_mark: str = "**") -> str:
        """The text with ``open_mark`` and ``close_mark`` around each match.

        >>> Highlighted("a deep b", ((2, 6),)).marked("[", "]")
        'a [deep] b'
        """
        return "".join(f"{open_mark}{t}{close_mark}" if hit else t for t, hit in self.parts())


def pick_markers(texts: Sequence[str | None]) -> tuple[str, str] | None:
    """Two Unicode noncharacters that none of ``texts`` holds, to mark matches with; None in the
    (absurd) case that the texts hold all 32 of them."""
    free = [c for c in _NONCHARACTERS if not any(t and c in t for t in texts)]
    return (free[0], free[1]) if len(free) >= 2 else None


def split_marked(
    marked: str, open_mark: str, close_mark: str, *, squeeze: bool = True
) -> Highlighted:
    """The plain text and match spans of a text FTS5 marked (``snippet()``, ``highlight()``).

    With ``squeeze`` (for snippets), whitespace runs (newlines between paragraphs) become one
    space and the ends are trimmed, so that a snippet reads as one line; the spans follow.
    Without it (for a title shown as it is stored), the text is kept exactly. A marker without
    its partner (which FTS5 does not produce) is dropped.

    Example:
        >>> split_marked("<a> and\\n\\n<b>  ", "<", ">").spans
        ((0, 1), (6, 7))
    """
    text: list[str] = []
    length = 0
    spans: list[tuple[int, int]] = []
    start: int | None = None
    pattern = f"({re.escape(open_mark)}|{re.escape(close_mark)})"
    for piece in re.split(pattern, marked):
        if piece == open_mark:
            start = length
        elif piece == close_mark:
            if start is not None:
                spans.append((start, length))
            start = None
        elif piece:
            if squeeze:
                piece = _SPACE.sub(" ", piece)
                if piece.startswith(" ") and (length == 0 or text[-1].endswith(" ")):
                    piece = piece[1:]
            if piece:
                text.append(piece)
                length += len(piece)
    joined = "".join(text)
    if squeeze and joined.endswith(" "):
        joined = joined[:-1]
    clean: list[tuple[int, int]] = []
    for s, e in spans:
        e = min(e, len(joined))
        while s < e and joined[s].isspace():
            s += 1
        while e > s and joined[e - 1].isspace():
            e -= 1
        if s < e:
            clean.append((s, e))
    return Highlighted(joined, tuple(clean))

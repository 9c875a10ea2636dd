"""Text primitives shared by every stage: the one tokenizer, the one sentence splitter.

All functions are pure and return offsets into the string they were given, so that any span
newstrace reports can be checked as ``text[start:end]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

TOKENIZER_VERSION = 2
"""Bumped whenever :func:`tokenize` may give a text other tokens (2: combining marks belong to
the word they follow); ``detect`` starts a store over when its sketches were made by another."""


def _combining_marks() -> str:
    """A character-class body of every combining mark (Unicode categories Mn, Mc, Me) in the
    first two planes: Indic vowel signs and viramas, Thai and Arabic vowel marks, decomposed
    accents. ``re``'s ``\\w`` leaves them out, which cut "भारत" into "भ" and "रत"."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x20000):
        if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)


# A word: a letter or digit, then letters, digits and the combining marks that belong to them
# (inner apostrophes kept). The lookahead (no mark is below U+0300) spares Latin text the long
# class: its words are tokenized within a sixth of the time they took without marks.
_LETTERS = rf"[^\W_]+(?:(?=[^\x00-\u02ff])[{_combining_marks()}]+[^\W_]*)*"
_WORD_RE = re.compile(rf"{_LETTERS}(?:['’]{_LETTERS})*", re.UNICODE)
# A word as above, or any one other character that is not whitespace (a punctuation mark).
_WORD_OR_MARK_RE = re.compile(rf"{_WORD_RE.pattern}|[^\w\s]|_", re.UNICODE)
_WS_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_MD_RE = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")

_QUOTE_TRANSLATION = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "–": "-",
        "—": "-",
        "‑": "-",
    }
)


@lru_cache(maxsize=1 << 17)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case-fold and strip accents so that "Café" and "cafe" compare equal.

    >>> fold("Café Ünïcode")
    'cafe unicode'
    """
    if text.isascii():
        return text.lower()
    if len(text) <= 40:
        return _fold_word(text)
    return " ".join(_fold_word(w) for w in text.split(" "))


def normalize_quotes(text: str) -> str:
    """Map typographic quotes and dashes to their ASCII forms (same length)."""
    return text.translate(_QUOTE_TRANSLATION)


def spaced_words(words: Sequence[str]) -> str:
    r"""A pattern that finds ``words`` in a text however they are spaced or broken across lines
    (a credit or a headline, found again in a cleaned text).

    >>> import re
    >>> bool(re.search(spaced_words(["From", "The", "Daily"]), "From  The\nDaily Caller"))
    True
    """
    return r"\s+".join(map(re.escape, words))


@dataclass(frozen=True, slots=True)
class Token:
    """A word with its folded form and its offsets in the source string."""

    norm: str
    start: int
    end: int


def tokenize(text: str, *, punctuation: bool = False) -> list[Token]:
    """Split ``text`` into words (letters and digits; inner apostrophes kept).

    With ``punctuation``, every other character that is not whitespace is a token of its own
    too, its ``norm`` the ASCII form of a typographic mark (what a word diff compares): the
    tokens then cover all of ``text`` but its whitespace.

    >>> [t.norm for t in tokenize("Putin's “Deep State”, 2017!")]
    ["putin's", 'deep', 'state', '2017']
    >>> [t.norm for t in tokenize("Putin's “Deep State”, 2017!", punctuation=True)]
    ["putin's", '"', 'deep', 'state', '"', ',', '2017', '!']
    """
    if not punctuation:
        return [
            Token(fold(m.group().replace("’", "'")), m.start(), m.end())
            for m in _WORD_RE.finditer(text)
        ]
    out = []
    for m in _WORD_OR_MARK_RE.finditer(text):
        tok = m.group()
        if len(tok) == 1 and not tok.isalnum():
            out.append(Token(normalize_quotes(tok), m.start(), m.end()))
        else:
            out.append(Token(fold(tok.replace("’", "'")), m.start(), m.end()))
    return out


_CJK_CHAR_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words of ``text`` split at whitespace, where Chinese, Japanese and Korean characters
    (written without spaces) count 1 / 1.5 each.

    >>> word_count("Xinhua reports: 新华社北京电")
    6
    """
    cjk = len(_CJK_CHAR_RE.findall(text))
    if not cjk:
        return len(text.split())
    return len(_CJK_CHAR_RE.sub(" ", text).split()) + round(cjk / 1.5)


def words(text: str) -> list[str]:
    """The folded words of ``text`` (``tokenize`` without offsets).

    >>> words("Putin’s “Deep State”")
    ["putin's", 'deep', 'state']
    """
    return [fold(w.replace("’", "'")) for w in _WORD_RE.findall(text)]


# Abbreviations after which a period does not end a sentence.
_ABBREV = frozenset(
    (
        "mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep rev hon pres inc ltd co "
        "corp dept univ vs etc e.g i.e u.s u.k u.n a.m p.m no jan feb mar apr jun jul aug sep "
        "sept oct nov dec fig al approx est"
    ).split()
)
# Western marks end a sentence before whitespace; the full-width marks of Chinese and Japanese
# end one wherever they stand (those scripts put no space after them).
# The marks that precede whitespace include the Devanagari dandas (Hindi, Marathi, Nepali),
# the Arabic question mark and the Urdu full stop, and the Armenian, Ethiopic and Myanmar
# full stops.
_SENT_END_RE = re.compile(
    r"[.!?…‼⁇⁈⁉।॥؟۔։።፧။]+[\"'”’»)\]]*(?=\s+|$)|[。！？]+[”’」』）》]*|\n\s*\n|\n"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence's offsets in the text it came from."""

    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; line breaks always end one.

    Returned spans are stripped of surrounding whitespace and never empty.

    >>> t = "Mr. Putin spoke. He said: “We agree.” Then he left"
    >>> [t[s.start:s.end] for s in split_sentences(t)]
    ['Mr. Putin spoke.', 'He said: “We agree.”', 'Then he left']
    """
    spans: list[Sentence] = []
    start = 0
    n = len(text)
    for m in _SENT_END_RE.finditer(text):
        end = m.end()
        if "\n" not in m.group() and m.group()[0] == ".":
            # Do not split after an abbreviation or an initial ("Mr.", "J. Smith").
            last_word = _last_word(text, start, m.start()).lower().lstrip("(\"'“‘")
            if last_word in _ABBREV or (len(last_word) == 1 and last_word.isalpha()):
                continue
            # Nor before a lower-case continuation ("… 5 p.m. and then").
            rest = text[end : end + 3].lstrip()
            if rest[:1].islower():
                continue
        _push(text, start, end, spans)
        start = end
    if start < n:
        _push(text, start, n, spans)
    return spans


def _last_word(text: str, start: int, end: int) -> str:
    """The last whitespace-separated word of ``text[start:end]`` ("" when there is none),
    found from the end: time bounded by that word and the whitespace after it, not by the
    length of the sentence so far (a long text with no sentence end stays linear).

    >>> _last_word("He met Mr.  ", 0, 10), _last_word("   ", 0, 3)
    ('Mr.', '')
    """
    j = end
    while j > start and text[j - 1].isspace():
        j -= 1
    i = j
    while i > start and not text[i - 1].isspace():
        i -= 1
    return text[i:j]


def _push(text: str, start: int, end: int, spans: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Sentence(start, end))


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Offsets of the non-blank lines of ``text`` (a paragraph is a line once cleaned)."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            yield pos + lead, pos + lead + len(stripped)
        pos += len(line)


def strip_markup(text: str) -> tuple[str, Sequence[int]]:
    """Remove inline HTML tags and Markdown emphasis left in scraped text.

    Returns the plain text and, for each of its characters, its offset in ``text``, so that
    a span found in the plain text can be reported in the original.

    >>> plain, where = strip_markup("By <u>RT</u> **News**")
    >>> plain, where[3]
    ('By RT News', 6)
    """
    if "<" not in text and "*" not in text and "_" not in text:
        return text, range(len(text))
    cuts = sorted(
        (m.start(), m.end())
        for rx in (_TAG_RE, _MD_RE)
        for m in rx.finditer(text)
        if m.end() > m.start()
    )
    if not cuts:
        return text, range(len(text))
    pieces: list[str] = []
    where: list[int] = []
    pos = 0
    for start, end in cuts:
        if start > pos:
            pieces.append(text[pos:start])
            where.extend(range(pos, start))
        pos = max(pos, end)
    if pos < len(text):
        pieces.append(text[pos:])
        where.extend(range(pos, len(text)))
    return "".join(pieces), where


# A lead byte of a UTF-8 sequence read as Windows-1252 ("Ã", "Â", "â"), then a continuation byte
# read the same way: the telltale of double-decoded text.
_MOJIBAKE_RE = re.compile(
    "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as Windows-1252 somewhere upstream ("â€œ" for "“").

    Scraped corpora are full of it, and it hides quotation marks and apostrophes from every
    later stage. Only text that shows the telltale pairs is touched (ftfy's ``fix_encoding``).

    >>> fix_mojibake("Trump said â€œweâ€™ll winâ€")
    'Trump said “we’ll win”'
    """
    if not _MOJIBAKE_RE.search(text):
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def squeeze(text: str) -> str:
    """Collapse runs of spaces inside lines and runs of blank lines; strip each line."""
    lines = [_WS_RE.sub(" ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


@lru_cache(maxsize=1 << 16)
def content_key(text: str) -> str:
    """The folded words of ``text`` joined by spaces: equal for texts that differ only in
    case, punctuation and whitespace. (Remembered: chrome lines recur by the thousand.)"""
    return " ".join(words(text))


_STOPWORDS = {
    "en": "the and of to in is that for it was on with as he his are be by this have from",
    "de": "der die und das ist nicht sich mit den dem ein eine auch auf für von zu im",
    "fr": "le la les et des est une pour dans qui que pas sur avec du au ce il elle",
    "es": "el la los las y de que en un una por con para es se del al lo como",
    "it": "il la di che e un una per non sono della del con gli le da si",
    "pt": "o a os as de que e do da em um uma para com não se por dos das",
    "nl": "de het een en van is dat op te niet met voor zijn er aan ook",
    "ru": "и в не на что с по как это он она к из у за от но так",
    "uk": "і та що не на в у з до це як від його її які який також але для",
    "pl": "i w nie na się z że do to jest jak o po ale co",
    "cs": "a v se na je že s z do to o k ve pro ale jako by jsou byl bylo také který",
}
# Words are compared folded (case and accents stripped, as :func:`words` gives them).
_STOPSETS = {lang: frozenset(fold(w) for w in ws.split()) for lang, ws in _STOPWORDS.items()}


def function_words(lang: str) -> frozenset[str]:
    """The commonest function words of a language (folded), for telling which language a
    passage left untranslated is in; empty for a language not listed here.

    >>> sorted(function_words("es"))[:3]
    ['al', 'como', 'con']
    """
    return _STOPSETS.get(lang, frozenset())

"""Quotations: find them in a text, and say what became of each in the derivative.

Scraped news text is messy: curly and straight marks, quotes that run over several paragraphs
(an opening mark on each, a closing mark on the last), and copies whose opening mark was lost.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from newstrace.clean.text import Token, tokenize, word_count

_PAIRS = {"“": "”", "«": "»", "„": "“", '"': '"'}
_OPEN_RE = re.compile(r"[“«„\"]")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation's content (marks excluded): offsets in its text."""

    start: int
    end: int
    text: str


def find_quotes(text: str, *, min_words: int = 1) -> list[Quote]:
    """Every quotation in ``text``, in order.

    >>> [q.text for q in find_quotes('He said “we agree” and "it works".')]
    ['we agree', 'it works']
    >>> [q.text for q in find_quotes("The rest of a quote, copied without its opening.” Then more.")]
    ['The rest of a quote, copied without its opening.']
    """
    quotes: list[Quote] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        _quotes_in_line(line, pos, quotes)
        pos += len(line)
    return [q for q in quotes if len(q.text.split()) >= min_words]


def _quotes_in_line(line: str, base: int, out: list[Quote]) -> None:
    i = 0
    n = len(line)
    # A closing mark before any opening one: the quote began at the paragraph's start.
    first_open = _OPEN_RE.search(line)
    first_close = line.find("”")
    if first_close >= 0 and (
        first_open is None or first_close < first_open.start() or first_open.group() == "”"
    ):
        start = len(line) - len(line.lstrip())
        _add(line, base, start, first_close, out)
        i = first_close + 1
    while i < n:
        m = _OPEN_RE.search(line, i)
        if not m:
            break
        opener = m.group()
        closer = _PAIRS[opener]
        if opener == '"' and m.start() > 0 and line[m.start() - 1].isalnum():
            i = m.end()  # an inch mark or a stray quote inside a word
            continue
        j = line.find(closer, m.end())
        if j < 0:
            # Runs to the end of the paragraph (continued in the next one).
            _add(line, base, m.end(), len(line.rstrip()), out)
            break
        if opener == '"' and _opens(line, j):
            # The mark found opens the next quotation: this one was never closed. It ends
            # before the speaker's tag that precedes the next one ("..., Cruz wrote. "For").
            _add(line, base, m.end(), m.end() + _untagged(line[m.end() : j]), out)
            i = j
            continue
        _add(line, base, m.end(), j, out)
        i = j + 1


def _opens(line: str, j: int) -> bool:
    """Whether the straight mark at ``j`` has an opening mark's shape: a space before it and a
    word right after it."""
    return j > 0 and line[j - 1].isspace() and j + 1 < len(line) and line[j + 1].isalnum()


_CLAUSE_END = re.compile(r"[,;:.!?]['’\"”]*(?=\s)")
TAG_WORDS = 6
"""The longest closing clause of an unclosed quotation read as its speaker's tag."""


def _untagged(segment: str) -> int:
    """Where an unclosed quotation ends in ``segment`` (the text up to the next quotation's
    opening mark): before a closing clause of at most :data:`TAG_WORDS` words, the speaker's tag,
    else at the segment's end.

    >>> t = "We know it. Trump, in contrast, has promised 'to act,' Cruz wrote. "
    >>> t[: _untagged(t)]
    "We know it. Trump, in contrast, has promised 'to act,'"
    """
    body = segment.rstrip()
    ends = [m.end() for m in _CLAUSE_END.finditer(body)]
    if ends and len(body[ends[-1] :].split()) <= TAG_WORDS:
        return ends[-1]
    return len(body)


def _add(line: str, base: int, s: int, e: int, out: list[Quote]) -> None:
    while s < e and line[s].isspace():
        s += 1
    while e > s and line[e - 1].isspace():
        e -= 1
    if e > s and any(c.isalnum() for c in line[s:e]):
        out.append(Quote(base + s, base + e, line[s:e]))


def quote_core(text: str) -> tuple[int, int]:
    """The span of a quotation's text without the punctuation and whitespace at either end:
    what two versions of a quotation are compared on (where a comma sits against the closing
    mark is the outlet's style, not the speaker's words).

    >>> t = "We will win, "
    >>> s, e = quote_core(t); t[s:e]
    'We will win'
    """
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


EditOp = Literal["insert", "delete", "replace"]


def edit_label(op: str, source: str, derivative: str) -> str:
    """How an edit of a quotation reads, source -> derivative: the inserted words, the deleted
    words, or the old words and the new.

    >>> edit_label("insert", "", "to us")
    'inserted “to us”'
    >>> edit_label("delete", "not", "")
    'deleted “not”'
    >>> edit_label("replace", "quickly", "fast")
    'replaced “quickly” → “fast”'
    """
    if op == "insert":
        return f"inserted “{derivative}”"
    if op == "delete":
        return f"deleted “{source}”"
    return f"replaced “{source}” → “{derivative}”"


@dataclass(frozen=True, slots=True)
class QuoteEdit:
    """One change inside a quotation, read source -> derivative.

    ``op`` is ``insert`` (words the derivative added: ``derivative`` holds them, ``source`` is
    empty), ``delete`` (words it dropped: ``source`` holds them) or ``replace`` (``source``'s
    words became ``derivative``'s). The offsets place the words in the source's and the
    derivative's text; an empty side is the point where the words were added or dropped.
    """

    op: EditOp
    source: str
    derivative: str
    source_start: int
    source_end: int
    derivative_start: int
    derivative_end: int

    @property
    def label(self) -> str:
        """The edit in words, e.g. ``inserted “to us”`` (see :func:`edit_label`)."""
        return edit_label(self.op, self.source, self.derivative)

    def to_dict(self) -> dict[str, Any]:
        """The edit in ``compare --json``: ``op``, ``source``, ``derivative``, ``label`` and
        the four offsets."""
        return {
            "op": self.op,
            "source": self.source,
            "derivative": self.derivative,
            "label": self.label,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "derivative_start": self.derivative_start,
            "derivative_end": self.derivative_end,
        }


@dataclass(frozen=True, slots=True)
class QuoteFate:
    """What the source says of a quotation of the derivative.

    ``status`` is ``preserved`` (the same words, in order, in the source), ``altered`` (a
    source quotation with words changed inside it; ``edits`` lists them, see
    :class:`QuoteEdit`), ``differs`` (the same statement in other words, where nothing says
    that the derivative is the one that changed it: the texts' direction is not known, or the
    quotation is not in text taken from the source) or ``absent`` (no counterpart).
    """

    quote: Quote
    status: str
    source_start: int | None = None
    source_end: int | None = None
    similarity: float = 0.0
    edits: tuple[QuoteEdit, ...] = ()
    note: str | None = None


def _find_run(hay: list[str], needle: list[str]) -> int:
    """Index of the first occurrence of ``needle`` as a contiguous run in ``hay``, or -1."""
    if not needle or len(needle) > len(hay):
        return -1
    first = needle[0]
    k = len(needle)
    i = 0
    while True:
        try:
            i = hay.index(first, i)
        except ValueError:
            return -1
        if hay[i : i + k] == needle:
            return i
        i += 1


def _tokens_in(tokens: list[Token], starts: list[int], q: Quote) -> list[Token]:
    """The tokens of a text that lie inside quotation ``q``, with offsets into ``q.text`` (what
    tokenizing ``q.text`` gives, without tokenizing again)."""
    i, j = bisect.bisect_left(starts, q.start), bisect.bisect_left(starts, q.end)
    return [Token(t.norm, t.start - q.start, t.end - q.start) for t in tokens[i:j] if t.end <= q.end]


def quote_fates(
    derivative: str,
    source: str,
    *,
    min_similarity: float = 0.75,
    source_tokens: list[Token] | None = None,
    derivative_tokens: list[Token] | None = None,
) -> list[QuoteFate]:
    """For each quotation of ``derivative``, whether ``source`` has it verbatim, altered, or not at all.

    ``source_tokens`` and ``derivative_tokens`` may pass :func:`~newstrace.clean.text.tokenize`
    of the two texts when known (each text is tokenized once).
    """
    src_tokens = source_tokens if source_tokens is not None else tokenize(source)
    der_tokens = derivative_tokens if derivative_tokens is not None else tokenize(derivative)
    src_starts = [t.start for t in src_tokens]
    der_starts = [t.start for t in der_tokens]
    src_words = [t.norm for t in src_tokens]
    src_quotes = find_quotes(source)
    # The words of the source's quotations, in order: a derivative quote that joins two source
    # quotes (dropping the "he said" between them) is still a preserved quote.
    q_tokens: list[Token] = []
    indexed = []
    for sq in src_quotes:
        toks = _tokens_in(src_tokens, src_starts, sq)
        q_tokens.extend(Token(t.norm, t.start + sq.start, t.end + sq.start) for t in toks)
        indexed.append((sq, toks, {t.norm for t in toks}))
    q_words = [t.norm for t in q_tokens]
    fates: list[QuoteFate] = []
    for q in find_quotes(derivative):
        d_toks = _tokens_in(der_tokens, der_starts, q)
        words = [t.norm for t in d_toks]
        if not words:
            continue
        at = _find_run(q_words, words)
        if at >= 0:
            s, e = q_tokens[at].start, q_tokens[at + len(words) - 1].end
            joined = sum(1 for sq in src_quotes if sq.start < e and sq.end > s)
            note = f"joins {joined} source quotations" if joined > 1 else None
            fates.append(QuoteFate(q, "preserved", s, e, 1.0, (), note))
            continue
        at = _find_run(src_words, words)
        if at >= 0:
            s, e = src_tokens[at].start, src_tokens[at + len(words) - 1].end
            fates.append(QuoteFate(q, "preserved", s, e, 1.0, (), "quotes the source's own words"))
            continue
        fates.append(_best_altered(q, d_toks, indexed, min_similarity))
    return fates


_NEGATIONS = frozenset(
    "not no never nothing nobody none nor neither cannot can't won't don't doesn't didn't isn't "
    "aren't wasn't weren't shouldn't wouldn't couldn't".split()
)
_QUANTIFIERS = frozenset("everything everyone everybody always all every nothing nobody none never".split())
_MINOR = frozenset(
    "a an the and or but so to of in on at for by with as that this it is are was were be been "
    "uh um er ah oh well like just".split()
)


_ABOUT = frozenset("about on concerning regarding over re".split())
"""Words that say what something is about: "impatience on trade relations" and "impatience
concerning trade relations" render one statement (two versions of one wire story)."""


def _variant(old: str, new: str) -> bool:
    """Two renderings of the same words: case, spelling, plural, a contraction, a typo, one
    word of :data:`_ABOUT` for another."""
    a, b = old.lower().replace("’", "'"), new.lower().replace("’", "'")
    if a == b or (a in _ABOUT and b in _ABOUT):
        return True
    expand = {"'s": " is", "'re": " are", "'ve": " have", "'ll": " will", "'d": " would", "n't": " not"}
    for short, long_ in expand.items():
        a, b = a.replace(short, long_), b.replace(short, long_)
    if a.replace(" ", "") == b.replace(" ", "") or a.replace("he is", "he has") == b:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8


def _repeated_slip(sw: list[Token], i1: int, i2: int, n_new: int, dw: list[Token], reach: int = 8) -> bool:
    """The source's word at ``sw[i1]`` (one word, replaced by one) repeats a word a few words
    away in the source's own quotation, which the derivative has too: a transcription slip
    ("have the resources to build the resources in the community") that the derivative's version
    corrects ("... build the relationships ..."), not words changed in the speaker's mouth."""
    if i2 - i1 != 1 or n_new != 1:
        return False
    word = sw[i1].norm
    near = range(max(0, i1 - reach), min(len(sw), i1 + reach + 1))
    return len(word) > 2 and any(k != i1 and sw[k].norm == word for k in near) and any(t.norm == word for t in dw)


def _bracketed(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies inside parentheses or square brackets."""
    before, after = text[:start], text[end:]
    opened = max(before.rfind("("), before.rfind("["))
    closed = max(before.rfind(")"), before.rfind("]"))
    if opened <= closed:
        return False
    nxt_close = min((i for i in (after.find(")"), after.find("]")) if i >= 0), default=-1)
    nxt_open = min((i for i in (after.find("("), after.find("[")) if i >= 0), default=len(after))
    return 0 <= nxt_close < nxt_open


def _substantive(words_: list[str]) -> bool:
    """Edited words that change what was said: a content word, a negation, a quantifier."""
    return any(w in _NEGATIONS or w in _QUANTIFIERS or (w not in _MINOR and len(w) > 2) for w in words_)


def _best_altered(
    q: Quote, d_toks: list[Token], indexed: list[tuple[Quote, list[Token], set[str]]], min_sim: float
) -> QuoteFate:
    """The source quotation a derivative quotation renders with edits, if any.

    Only changes inside the quotation count: where one text quotes more of a statement than
    the other (words before or after the shared part), the other simply quoted less. Ellipses,
    bracketed or parenthetical insertions, spelling and transcription variants (a slip in the
    source's transcription that repeats a nearby word, too) and dropped fillers are not
    alterations; a quotation whose only differences are these is preserved.
    """
    words = [t.norm for t in d_toks]
    wset = set(words)
    ranked = sorted(indexed, key=lambda x: -len(wset & x[2]))[:5]
    best: tuple[float, Quote | None, list[Token]] = (0.0, None, [])
    for sq, toks, _ in ranked:
        cand = [t.norm for t in toks]
        sm = difflib.SequenceMatcher(None, words, cand, autojunk=False)
        matched = sum(b.size for b in sm.get_matching_blocks())
        # Matched words, over the shorter of the two: one may quote more of the statement.
        sim = matched / max(1, min(len(words), len(cand)))
        if min(len(words), len(cand)) < 6:
            sim = min(sim, sm.ratio() + 0.1)
        if sim > best[0]:
            best = (sim, sq, toks)
    sim, found, toks = best
    if found is None or sim < min_sim:
        return QuoteFate(q, "absent", similarity=round(sim, 3))
    if min(len(words), len(toks)) < 8:
        # A short line a speaker repeats ("it needs to be intolerable") matches another
        # occasion's as easily as its own: too little to say which words were changed.
        return QuoteFate(q, "absent", similarity=round(sim, 3), note="too short to compare")
    sq = found
    sm = difflib.SequenceMatcher(None, [t.norm for t in d_toks], [t.norm for t in toks], autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    # The part both quote: from the first to the last shared word, on each side.
    d_lo, d_hi = blocks[0].a, blocks[-1].a + blocks[-1].size
    s_lo, s_hi = blocks[0].b, blocks[-1].b + blocks[-1].size
    dw, sw = d_toks[d_lo:d_hi], toks[s_lo:s_hi]
    sm = difflib.SequenceMatcher(None, [t.norm for t in sw], [t.norm for t in dw], autojunk=False)
    edits: list[QuoteEdit] = []
    variants: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        # Offsets in the quotations' texts; an empty side is the point of the insertion
        # (before the next word, or after the last).
        o0 = sw[i1].start if i1 < len(sw) else sw[-1].end
        o1 = sw[i2 - 1].end if i2 > i1 else o0
        n0 = dw[j1].start if j1 < len(dw) else dw[-1].end
        n1 = dw[j2 - 1].end if j2 > j1 else n0
        old, new = sq.text[o0:o1], q.text[n0:n1]
        # What the derivative puts in place of the change (brackets, an ellipsis) says it edited.
        around = q.text[dw[j1 - 1].end if j1 else 0 : dw[j2].start if j2 < len(dw) else len(q.text)]
        around_src = sq.text[sw[i1 - 1].end if i1 else 0 : sw[i2].start if i2 < len(sw) else len(sq.text)]
        marked = bool(re.search(r"\.\s*\.\s*\.|…|[\[\]()]", around + " " + around_src))
        if j2 > j1 and _bracketed(q.text, dw[j1].start, dw[j2 - 1].end):
            marked = True  # "(at his rallies)": an insertion the derivative marked as its own
        # The source's quotation is interrupted there ("...benefit,’ Clinton started. ‘He..."):
        # those words are the source's narration, not the speaker's.
        # Either quotation may be interrupted there by its outlet's narration ("...,’ Clinton
        # started. ‘He...", inside a quoted excerpt of another article).
        interrupted = bool(re.search(r"[’”\"'‘“]", around_src if op == "delete" else around))
        kind: EditOp = "replace" if op == "replace" else "delete" if op == "delete" else "insert"
        changed = [t.norm for t in sw[i1:i2]] + [t.norm for t in dw[j1:j2]]
        # Words dropped from a quotation shorten it without putting words in anyone's mouth,
        # unless a negation goes.
        trimmed = op == "delete" and not any(t.norm in _NEGATIONS for t in sw[i1:i2])
        if (
            marked
            or interrupted
            or trimmed
            or (op == "replace" and _variant(old, new))
            or (op == "replace" and _repeated_slip(sw, i1, i2, j2 - j1, dw))
            or not _substantive(changed)
        ):
            variants.append(f"{old or '∅'}→{new or '∅'}")
            continue
        edits.append(QuoteEdit(kind, old, new, sq.start + o0, sq.start + o1, q.start + n0, q.start + n1))
    s = sq.start + (sw[0].start if sw else 0)
    e = sq.start + (sw[-1].end if sw else len(sq.text))
    if not edits:
        note = "same words with gaps"
        if variants:
            note = f"same words; transcription differences: {', '.join(variants[:4])}"
        return QuoteFate(q, "preserved", s, e, 1.0, (), note)
    return QuoteFate(q, "altered", s, e, round(sim, 3), tuple(edits))


# -- quoted material of any form -----------------------------------------------------------------
# Third-party words reach news text in more shapes than quotation marks: a statement or post set
# off after a colon, a tweet with its signature line, a transcript with speaker labels.
_SPEAKER_LABEL = re.compile(r"^\s*(?:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}|Q|A)\s*:\s+\S")
_TWEET_MARK = re.compile(
    r"(?:^|\s)[—–-]\s*[^\n()]{0,80}\(@\w{1,30}\)\s+[A-Z][a-z]+\.? \d{1,2}, \d{4}|pic\.twitter\.com/\w+|"
    r"https?://t\.co/\w+"
)
_INTRODUCES = re.compile(r":\s*[\"“”]?\s*$")


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """Text given as somebody's words: ``kind`` is ``marks`` (quotation marks), ``block`` (a
    paragraph set off after a colon), ``tweet`` or ``transcript`` (a speaker-labelled line)."""

    start: int
    end: int
    kind: str


def quoted_material(text: str) -> list[QuotedSpan]:
    """Every span of ``text`` presented as someone's words, in any of the forms news text uses.

    ``tweet`` and ``transcript`` spans are third-party words by their form; ``marks`` and
    ``block`` may also be one outlet quoting another's prose ("Politico reports: ...").

    >>> t = "He wrote:\\n\\nWe will win this.\\n\\nThe vote is due on Friday, officials said."
    >>> [(s.kind, t[s.start:s.end]) for s in quoted_material(t)]
    [('block', 'We will win this.')]
    """
    out = [QuotedSpan(q.start, q.end, "marks") for q in find_quotes(text)]
    paras: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            paras.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    for k, (s, e) in enumerate(paras):
        line = text[s:e]
        if _SPEAKER_LABEL.match(line):
            out.append(QuotedSpan(s, e, "transcript"))
        elif _TWEET_MARK.search(line):
            out.append(QuotedSpan(s, e, "tweet"))
            # An embedded tweet's signature line follows the tweet's own text.
            if k and line.lstrip()[:1] in "—–-" and len(text[paras[k - 1][0] : paras[k - 1][1]].split()) <= 70:
                out.append(QuotedSpan(paras[k - 1][0], paras[k - 1][1], "tweet"))
        elif k and _INTRODUCES.search(text[paras[k - 1][0] : paras[k - 1][1]]):
            out.append(QuotedSpan(s, e, "block"))
    return sorted(out, key=lambda q: (q.start, q.end))


# -- quotations across languages -----------------------------------------------------------------
# A translated quotation keeps few words, but numbers and the names a translation leaves as they
# are (people, places, organisations written in the same script) survive it. A quotation whose
# surviving facts were swapped for others is altered, whatever the language.
_NUMBER_RE = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_NAME_RE = re.compile(r"(?<![\w'’-])[^\W\d_][^\W_]{2,}(?:['’-][^\W_]+)*")


def number_key(number: str) -> str:
    """A number as translation leaves it: its digits, without separators (``1,500``, ``1.500``
    and ``1 500`` are one number in three languages' styles) and trailing zeros (``2.5
    billion`` and ``2,5 млрд``; ``1 million`` and ``1.000.000``).

    >>> number_key("1,500"), number_key("1 500"), number_key("2.50"), number_key("0")
    ('15', '15', '25', '0')
    """
    digits = re.sub(r"\D", "", number)
    return digits.rstrip("0") or "0"


def _same_number(x: str, y: str) -> bool:
    # "1990s" and "90-х": one side may drop the century.
    return x == y or (len(x) >= 2 and len(y) >= 2 and (x.endswith(y) or y.endswith(x)))


def _numbers(text: str, base: int) -> list[tuple[str, int, int]]:
    return [(number_key(m.group()), base + m.start(), base + m.end()) for m in _NUMBER_RE.finditer(text)]


def _names(text: str, base: int, both: set[str]) -> list[tuple[str, int, int]]:
    """Capitalised words of a quotation (not its first word) that both texts hold somewhere:
    names the translation left as they were."""
    out = []
    for m in _NAME_RE.finditer(text):
        w = m.group()
        if m.start() == 0 or not w[0].isupper() or re.search(r"[.!?]\s*$", text[: m.start()]):
            continue
        key = w.casefold()
        if key in both:
            out.append((key, base + m.start(), base + m.end()))
    return out


def _swapped(src: list[tuple[str, int, int]], der: list[tuple[str, int, int]], numbers: bool) -> QuoteEdit | None:
    """A fact of the source quotation the derivative's lacks, where the derivative's has one the
    source's lacks: a substitution (an addition or an omission alone is not one)."""
    same = _same_number if numbers else str.__eq__
    gone = [x for x in src if not any(same(x[0], y[0]) for y in der)]
    new = [y for y in der if not any(same(x[0], y[0]) for x in src)]
    if not gone or not new:
        return None
    return QuoteEdit("replace", "", "", gone[0][1], gone[0][2], new[0][1], new[0][2])


def translated_quote_fates(al: Any, encoder: Any, *, min_words: int = 6) -> list[QuoteFate]:
    """For each quotation of the derivative (B of ``al``), the source quotation (A) it
    translates, and whether numbers or surviving names were swapped inside it.

    The source quotation must sit in source text aligned with the derivative's quotation (a
    passage of ``al`` holds both) and the two quotations' embeddings must meet at the encoder's
    ``translated_quote`` cosine (else ``translation``). Then it is ``altered`` when a number
    (:func:`number_key`) or a name both texts write alike was replaced by another, both
    quotations being ``min_words`` long; else ``preserved``. Unmatched quotations are
    ``absent``.

    Args:
        al: the alignment, A = source, B = derivative (:class:`~newstrace.align.Alignment`).
        encoder: the multilingual sentence encoder.
        min_words: shortest quotation (on either side) that may be called altered.
    """
    src, der = al.a.text, al.b.text
    d_quotes = find_quotes(der)
    if not d_quotes:
        return []
    s_quotes = find_quotes(src)
    d_vecs = encoder.encode([q.text for q in d_quotes])
    s_vecs = encoder.encode([q.text for q in s_quotes]) if s_quotes else None
    both = {w.casefold() for w in _NAME_RE.findall(src)} & {w.casefold() for w in _NAME_RE.findall(der)}
    prof = encoder.profile
    floor = float(prof.translated_quote if prof.translated_quote is not None else prof.translation)
    fates: list[QuoteFate] = []
    for k, q in enumerate(d_quotes):
        near = [p for p in al.passages if p.b_start < q.end and p.b_end > q.start]
        cands = [i for i, sq in enumerate(s_quotes) if any(p.a_start < sq.end and p.a_end > sq.start for p in near)]
        if not cands or s_vecs is None:
            fates.append(QuoteFate(q, "absent"))
            continue
        sims = s_vecs[cands] @ d_vecs[k]
        best = int(sims.argmax())
        sim = float(sims[best])
        sq = s_quotes[cands[best]]
        if sim < floor:
            fates.append(QuoteFate(q, "absent", similarity=round(sim, 3)))
            continue
        edits: list[QuoteEdit] = []
        if min(word_count(q.text), word_count(sq.text)) >= min_words:
            for numbers, found in (
                (True, (_numbers(sq.text, sq.start), _numbers(q.text, q.start))),
                (False, (_names(sq.text, sq.start, both), _names(q.text, q.start, both))),
            ):
                e = _swapped(*found, numbers)
                if e is not None:
                    old, new = src[e.source_start : e.source_end], der[e.derivative_start : e.derivative_end]
                    edits.append(QuoteEdit("replace", old, new, e.source_start, e.source_end,
                                           e.derivative_start, e.derivative_end))  # fmt: skip
        if edits:
            fates.append(QuoteFate(q, "altered", sq.start, sq.end, round(sim, 3), tuple(edits),
                                   "translated quotation: " + "; ".join(e.label for e in edits)))  # fmt: skip
        else:
            fates.append(QuoteFate(q, "preserved", sq.start, sq.end, round(sim, 3), (), "translated quotation"))
    return fates

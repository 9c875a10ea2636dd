"""Mutations of a derivative against its source: added, omitted, quotes, attribution drift."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newstrace.align import Alignment, TextInfo
from newstrace.align.lexical import STOPWORDS, TfidfSpace, content_stems
from newstrace.align.semantic import Encoder
from newstrace.analyze.quotes import find_quotes
from newstrace.analyze.speakers import SPEECH_VERBS, Statement, statements
from newstrace.clean.text import words
from newstrace.models import Span

# Stance adverbials that frame a reused statement ("Ironically, …"): editorial additions.
FRAMING = re.compile(
    r"^(?:ironically|unsurprisingly|predictably|tellingly|conveniently|naturally|of course|"
    r"incredibly|shockingly|sadly|amazingly|curiously|interestingly|notably|needless to say|"
    r"not surprisingly|as expected|as usual|once again|clearly|obviously|remarkably|strangely|"
    r"hilariously|laughably|absurdly)\b[,:]?",
    re.I,
)
_SPEECH = set(re.sub(r"\\s\+\\w\+|\\s\+", " ", SPEECH_VERBS).replace("|", " ").split())
_SPEECH_STEMS = frozenset(content_stems(sorted(_SPEECH)))


def sentence_coverage(info: TextInfo, spans: Sequence[tuple[int, int]]) -> list[float]:
    """For each sentence of ``info``, the share of its non-space characters inside ``spans``."""
    n = len(info.text)
    mask = np.zeros(n, dtype=bool)
    for s, e in spans:
        mask[s:e] = True
    chars = np.frombuffer(info.text.encode("utf-32-le"), dtype=np.uint32)
    solid = ~np.isin(chars, [32, 9, 10, 13, 0xA0])
    solid_cum = np.concatenate(([0], np.cumsum(solid)))
    hit_cum = np.concatenate(([0], np.cumsum(mask & solid)))
    out = []
    for sent in info.sentences:
        total = solid_cum[sent.end] - solid_cum[sent.start]
        out.append(float((hit_cum[sent.end] - hit_cum[sent.start]) / total) if total else 1.0)
    return out


@dataclass(frozen=True, slots=True)
class Added:
    """Derivative text with no counterpart in the source (``reason`` says which kind)."""

    span: Span
    reason: str


def added_and_omitted(al: Alignment, *, max_cover: float = 0.2) -> tuple[list[Added], list[Span]]:
    """Derivative sentences with no counterpart, framing added to reused sentences, and the
    source passages (runs of sentences) the derivative leaves out."""
    d_cov = sentence_coverage(al.b, [(p.b_start, p.b_end) for p in al.passages])
    s_cov = sentence_coverage(al.a, [(p.a_start, p.a_end) for p in al.passages])
    added: list[Added] = []
    for k, s in enumerate(al.b.sentences):
        text = al.b.text[s.start : s.end]
        if d_cov[k] < max_cover:
            if len(words(text)) >= 2:
                added.append(Added(Span(s.start, s.end, text), "no counterpart in the source"))
            continue
        m = FRAMING.match(text)
        if m and not FRAMING.match(_counterpart_text(al, s.start, s.end)):
            added.append(
                Added(
                    Span(s.start, s.end, text),
                    f"editorial framing ({m.group().rstrip(',:')!r}) added to reused content",
                )
            )
    omitted: list[Span] = []
    run: list[int] = []
    for k in [*range(len(al.a.sentences)), -1]:
        if k >= 0 and s_cov[k] < max_cover and len(words(al.a.sentence_text(k))) >= 2:
            run.append(k)
            continue
        if run:
            s0, s1 = al.a.sentences[run[0]].start, al.a.sentences[run[-1]].end
            omitted.append(Span(s0, s1, al.a.text[s0:s1]))
            run = []
    return added, omitted


def _counterpart_text(al: Alignment, b0: int, b1: int) -> str:
    for p in al.passages:
        if p.b_start < b1 and p.b_end > b0:
            return al.a.text[p.a_start : p.a_end]
    return ""


@dataclass(frozen=True, slots=True)
class Drift:
    """A statement the derivative attributes to a speaker that the source does not."""

    speaker: str
    statement: Span
    reason: str
    support: float
    unsupported_terms: tuple[str, ...] = ()
    closest_source: Span | None = None
    semantic_similarity: float | None = None
    source_speaker: str | None = None
    extra: dict[str, float] = field(default_factory=dict)


def _speaker_spans(text: str, stmts: list[Statement]) -> dict[str, list[tuple[int, int]]]:
    """Each speaker's statements in ``text``, widened to the whole quotation they close."""
    quotes = find_quotes(text)
    out: dict[str, list[tuple[int, int]]] = {}
    for st in stmts:
        spans = out.setdefault(st.speaker, [])
        spans.append((st.start, st.end))
        for q in quotes:
            if q.start < st.end and q.end > st.start:
                spans.append((q.start, q.end))
    return out


_NAME_WORD = r"[A-Z][a-z]*[A-Z]?[a-z]+(?:['’-][A-Z]?[a-z]+)?"  # "McGrath", "O'Neill", "Jean-Luc"
_CAPS_RE = re.compile(
    rf"(?<![.!?]\s)(?<![.!?]\s[\"“‘'])(?<![\"“‘'])(?<!^)\b{_NAME_WORD}(?:\s+{_NAME_WORD})*"
)
_ALIASES = {
    "united states": "us", "america": "us", "u s": "us", "united kingdom": "uk", "britain": "uk",
    "great britain": "uk", "european union": "eu", "united nations": "un", "soviet union": "ussr",
}  # fmt: skip


def novel_entities(
    sentence: str,
    source: str | tuple[set[str], str],
    *,
    skip: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """Capitalised names in ``sentence`` (not its first word) of which the source has no trace.

    A name counts as present when the source has it, an alias of it ("United States"/"US"), or
    every one of its words. ``source`` may be given pre-indexed, as :func:`source_index` makes it.

    >>> novel_entities("But he warned the Deep State in Washington would resist.", "Washington said no.")
    ['Deep State']
    """
    src_words, src_key = source_index(source) if isinstance(source, str) else source
    out: list[str] = []
    for m in _CAPS_RE.finditer(sentence):
        if m.start() == 0:
            continue
        ws = [w for w in words(m.group()) if w not in skip]
        if not ws:
            continue
        phrase = " ".join(ws)
        alias = _ALIASES.get(phrase)
        if (
            f" {phrase} " in src_key
            or (alias and alias in src_words)
            or all(w in src_words for w in ws)
        ):
            continue
        if all(w in STOPWORDS for w in ws):
            continue
        out.append(m.group())
    return out


def source_index(source: str) -> tuple[set[str], str]:
    """The word set and the space-joined words of a source, for :func:`novel_entities`."""
    ws = words(source)
    return set(ws), " " + " ".join(ws) + " "


def _reused_speakers(
    al: Alignment, by_speaker: dict[str, list[tuple[int, int]]], reach: int = 1
) -> Callable[[int, int], set[str]]:
    """A lookup: for a span of the derivative, the speakers whose statements in the source the
    reused passages in or next to its sentence (``reach`` sentences either side) come from, or
    whose statements the source has in the place the span fills (between the passages before
    and after it: a replaced quotation)."""
    b = al.b
    sent_of = [x.start for x in b.sentences]
    spans = [(p.b_start, p.b_end, p.a_start, p.a_end) for p in al.passages]

    def lookup(start: int, end: int) -> set[str]:
        k = max(0, bisect.bisect_right(sent_of, start) - 1)
        lo = b.sentences[max(0, k - reach)].start if b.sentences else start
        hi_k = bisect.bisect_left(sent_of, end)
        hi = b.sentences[min(len(b.sentences) - 1, hi_k - 1 + reach)].end if b.sentences else end
        found: set[str] = set()

        def speakers_in(a0: int, a1: int) -> set[str]:
            return {who for who, ss in by_speaker.items() if any(x < a1 and y > a0 for x, y in ss)}

        for b0, b1, a0, a1 in spans:
            if b0 < hi and b1 > lo:
                found |= speakers_in(a0, a1)
        before = [x for x in spans if x[1] <= start]
        after = [x for x in spans if x[0] >= end]
        if before and after:
            gap0, gap1 = max(before, key=lambda x: x[1])[3], min(after, key=lambda x: x[0])[2]
            if gap0 <= gap1 and len(al.a.text[gap0:gap1].split()) <= 120:
                found |= speakers_in(gap0, gap1)
        return found

    return lookup


def attribution_drift(
    al: Alignment,
    *,
    encoder: Encoder | None = None,
    max_support: float = 0.5,
    max_semantic: float | None = None,
) -> list[Drift]:
    """Statements the derivative (B) attributes to a named speaker that the source (A) does not
    attribute to that speaker: words put in someone's mouth, or a claim moved to another speaker.

    Support is the idf-weighted share of the statement's content words that the speaker's own
    statements in the source contain; the speaker's name and speech verbs do not count.
    ``max_semantic`` (None: the encoder's calibrated ``unrelated`` cosine) is the embedding
    similarity below which the closest thing the speaker said is unlike the claim.
    """
    src, der = al.a, al.b
    unrelated = 0.0
    if encoder is not None:
        unrelated = max_semantic if max_semantic is not None else encoder.profile.unrelated
    s_stmts = statements(src.text)
    d_stmts = statements(der.text)
    if not d_stmts:
        return []
    by_speaker = _speaker_spans(src.text, s_stmts)
    near = _reused_speakers(al, by_speaker)
    der_quoted = np.zeros(len(der.text) + 1, dtype=bool)
    for q in find_quotes(der.text):  # over the whole text: a quotation runs over sentences
        der_quoted[q.start : q.end] = True
    space = TfidfSpace([*src.stems, *der.stems])
    lexical_spans = [(p.b_start, p.b_end) for p in al.passages if p.kind != "paraphrase"]
    src_index = (set(src.words), " " + " ".join(src.words) + " ")
    out: list[Drift] = []
    for st in d_stmts:
        # Copied word for word: whatever it attributes, the source said it the same way.
        if any(s <= st.start and e >= st.end for s, e in lexical_spans):
            continue
        # Only in or beside text taken from what this person says in the source: a new
        # quotation in the derivative's own reporting is an addition (it may come from its
        # own interview), not words put in a mouth.
        if st.speaker not in near(st.start, st.end):
            continue
        # A quotation the source does not have is the derivative's own reporting (its own
        # interview, a statement it obtained): an addition. Drift is a claim told as the
        # speaker's (indirect speech) that the source does not support.
        quoted = int(der_quoted[st.start : st.end].sum())
        if quoted > 0.5 * (st.end - st.start):
            continue
        name_words = {w for w in words(st.name)}
        claim = [
            t
            for t in content_stems([w for w in words(st.text) if w not in name_words])
            if t not in _SPEECH and t not in _SPEECH_STEMS
        ]
        claim = [t for t in claim if t not in STOPWORDS]
        if len(claim) < 3:
            continue
        spans = by_speaker.get(st.speaker)
        st_span = Span(st.start, st.end, st.text)
        if not spans:
            continue
        spoken = set()
        for s, e in spans:
            spoken.update(content_stems(words(src.text[s:e])))
        weights = {t: space.idf.get(t, space.default_idf) for t in claim}
        total = sum(weights.values()) or 1.0
        support = sum(w for t, w in weights.items() if t in spoken) / total
        missing = sorted({t for t in claim if t not in spoken}, key=lambda t: (-weights[t], t))
        sem = None
        closest = None
        if encoder is not None:
            cand = [src.text[s:e] for s, e in spans]
            vecs = encoder.encode([st.text, *cand])
            sims = vecs[1:] @ vecs[0]
            k = int(np.argmax(sims))
            sem = float(sims[k])
            closest = Span(spans[k][0], spans[k][1], cand[k])
        else:
            best = max(
                spans,
                key=lambda se: len(set(content_stems(words(src.text[se[0] : se[1]]))) & set(claim)),
            )
            closest = Span(best[0], best[1], src.text[best[0] : best[1]])
        # Names the source never mentions, of two words or more ("the Deep State"): a single
        # capitalised word is as often a party, a nationality or a title as a new name.
        entities = [e for e in novel_entities(st.text, src_index, skip=name_words) if len(e.split()) >= 2]
        if support < max_support and (entities or (sem is not None and sem < unrelated)):
            reason = (
                f"the source never has {st.name} say this: {len(missing)} of {len(set(claim))} "
                f"content words are absent from everything {st.name} says there"
            )
            if entities:
                reason += f"; it names {', '.join(repr(e) for e in entities)}, which the source never mentions"
            out.append(
                Drift(
                    st.name,
                    st_span,
                    reason,
                    round(support, 3),
                    tuple(missing[:12]),
                    closest,
                    None if sem is None else round(sem, 3),
                )
            )
    return out

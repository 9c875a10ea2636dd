"""Align stage: which passages of text B reuse text A, with character offsets and a kind.

Two layers, both pure functions of the two texts:

1. Lexical: shared word n-grams (:mod:`.seeds`) chained into maximal passages that tolerate
   small edits, snapped to word boundaries, overlaps resolved. Identical after normalisation
   -> ``verbatim``; otherwise ``near_verbatim``.
2. Paraphrase: each sentence of B that the lexical layer leaves (mostly) open is compared with
   A's sentences by tf-idf cosine of stemmed content words (:mod:`.lexical`) and, when an
   encoder is given, by sentence-embedding cosine (:mod:`.semantic`).
2'. Translation, in place of 2 when the texts are in different languages: sentences are
   aligned in the encoder's multilingual space by a monotonic dynamic programme with merges,
   splits, skips and a pass for reordered sentences (:mod:`.crosslingual`); kind ``translation``.

Neighbouring passages of one kind are then merged into maximal passages.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newstrace.align.crosslingual import Pivot, languages_differ, translation_beads
from newstrace.align.lexical import TfidfSpace, content_stems, top_candidates
from newstrace.align.seeds import chain_seeds, find_seeds
from newstrace.align.semantic import Encoder
from newstrace.clean.text import Sentence, Token, split_sentences, tokenize
from newstrace.errors import ConfigError
from newstrace.models import PASSAGE_KINDS, Passage

__all__ = ["AlignParams", "Alignment", "Pivot", "TextInfo", "align", "analyse_text"]


@dataclass(frozen=True, slots=True)
class AlignParams:
    """Tunables of the aligner (defaults tuned on generated PAN-format pairs and MSRP).

    Attributes:
        ngram: words per seed n-gram.
        min_words: fewest words of a lexical passage.
        max_gap: most unmatched words between two seeds of one passage.
        max_shift: most words inserted or deleted between two seeds of one passage.
        max_occurrences: n-grams more frequent than this in either text are not seeds.
        open_share: a sentence of B whose share of words already aligned is below this is
            looked at by the paraphrase layer.
        para_lexical: tf-idf cosine at or above which two sentences are a paraphrase.
        para_semantic: embedding cosine at or above which two sentences are a paraphrase;
            None takes the encoder's calibrated value (:class:`~.semantic.EncoderProfile`).
        para_semantic_support: the tf-idf cosine the semantic match also needs.
        min_para_words: shortest sentence (in words) that may be a paraphrase.
        near_verbatim_ratio: a sentence pair whose word sequences are at least this similar
            (difflib ratio) is near-verbatim rather than a paraphrase.
        merge_gap_words: neighbouring passages of one kind separated by at most this many
            words on both sides are merged.
        translation: cosine at which one sentence bead of two languages is a translation on
            its own; None takes the encoder's calibrated value (``EncoderProfile.translation``).
        translation_floor: cosine below which a bead is never on the cross-language path;
            None takes the encoder's (``EncoderProfile.translation_floor``).
        translation_run: mean cosine at which a run of three beads or more is a translation
            without a bead at ``translation`` (see :mod:`.crosslingual`); None takes the
            encoder's (``EncoderProfile.translation_run``).
        max_merge: most sentences of one side in one cross-language bead (1-2, 2-1).
    """

    ngram: int = 4
    min_words: int = 7
    max_gap: int = 8
    max_shift: int = 5
    max_occurrences: int = 20
    open_share: float = 0.5
    para_lexical: float = 0.55
    para_semantic: float | None = None
    para_semantic_support: float = 0.12
    min_para_words: int = 5
    near_verbatim_ratio: float = 0.7
    merge_gap_words: int = 3
    translation: float | None = None
    translation_floor: float | None = None
    translation_run: float | None = None
    max_merge: int = 2

    def __post_init__(self) -> None:
        if self.ngram < 2:
            raise ConfigError(f"ngram must be >= 2; got {self.ngram}")
        if not 1 <= self.max_merge <= 4:
            raise ConfigError(f"max_merge must be in 1..4; got {self.max_merge}")
        for name in ("open_share", "para_lexical", "para_semantic", "para_semantic_support",
                     "translation", "translation_floor", "translation_run"):  # fmt: skip
            v = getattr(self, name)
            if v is not None and not 0 < v <= 1:
                raise ConfigError(f"{name} must be in (0, 1]; got {v}")


@dataclass(slots=True)
class TextInfo:
    """A text with its tokens, sentences and per-sentence stems, computed once and reused."""

    text: str
    tokens: list[Token]
    words: list[str]
    sentences: list[Sentence]
    sentence_tokens: list[tuple[int, int]]
    stems: list[list[str]] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)

    def sentence_text(self, k: int) -> str:
        s = self.sentences[k]
        return self.text[s.start : s.end]


def analyse_text(text: str) -> TextInfo:
    """Tokens, sentences and each sentence's token range and content stems."""
    tokens = tokenize(text)
    words = [t.norm for t in tokens]
    starts = [t.start for t in tokens]
    sentences = split_sentences(text)
    sent_tokens: list[tuple[int, int]] = []
    stems: list[list[str]] = []
    for s in sentences:
        t0 = bisect.bisect_left(starts, s.start)
        t1 = bisect.bisect_left(starts, s.end)
        sent_tokens.append((t0, t1))
        stems.append(content_stems(words[t0:t1]))
    return TextInfo(
        text, tokens, words, sentences, sent_tokens, stems, [t0 for t0, _ in sent_tokens]
    )


@dataclass(slots=True)
class Alignment:
    """The passages of B that reuse A, and what the aligner used to find them."""

    passages: list[Passage]
    a: TextInfo
    b: TextInfo
    semantic: bool
    notes: list[str] = field(default_factory=list)
    crosslingual: bool = False
    """The texts are in different languages: sentences were aligned as translations."""
    links: list[Passage] = field(default_factory=list)
    """For texts in different languages, the passages before neighbours were merged: each
    translation bead (a sentence, or two a translator split or joined, and its translation)
    and each lexical passage beside them, sorted by B offset. Which sentence translates which
    (the merged :attr:`passages` say only which runs of text do). Empty for one language."""


def _lexical_passages(
    a: TextInfo, b: TextInfo, p: AlignParams
) -> list[tuple[int, int, int, int, float]]:
    """Token-range passages ``(a0, a1, b0, b1, score)`` from chained n-gram seeds."""
    seeds = find_seeds(a.words, b.words, n=p.ngram, max_occurrences=p.max_occurrences)
    chains = chain_seeds(seeds, n=p.ngram, max_gap=p.max_gap, max_shift=p.max_shift)
    out: list[tuple[int, int, int, int, float]] = []
    for c in chains:
        length = max(c.a1 - c.a0, c.b1 - c.b0)
        if c.matched < p.min_words:
            continue
        out.append((c.a0, c.a1, c.b0, c.b1, min(1.0, c.matched / max(1, length))))
    # Resolve overlaps in B: longest first; a later passage keeps only what is still free.
    out.sort(key=lambda x: (-(x[3] - x[2]), x[2], x[0]))
    taken = np.zeros(len(b.words) + 1, dtype=bool)
    kept: list[tuple[int, int, int, int, float]] = []
    for a0, a1, b0, b1, score in out:
        free = ~taken[b0:b1]
        if free.all():
            kept.append((a0, a1, b0, b1, score))
            taken[b0:b1] = True
            continue
        if free.sum() < p.min_words:
            continue
        # Trim the overlapped ends (both sides by the same number of words).
        lo = int(np.argmax(free))
        hi = len(free) - int(np.argmax(free[::-1]))
        if not free[lo:hi].all() or hi - lo < p.min_words:
            continue
        if a0 + lo >= min(a1, a0 + hi):
            continue  # the chain's A side is shorter than its B side: nothing of A is left
        kept.append((a0 + lo, min(a1, a0 + hi), b0 + lo, b0 + hi, score))
        taken[b0 + lo : b0 + hi] = True
    return kept


def _snap(info: TextInfo, t0: int, t1: int, slack: int = 3) -> tuple[int, int]:
    """Extend a token range to its sentence's edges when only a few words are left outside."""
    starts = info.sentence_starts
    k = bisect.bisect_right(starts, t0) - 1
    if k >= 0:
        s0, s1 = info.sentence_tokens[k]
        if 0 < t0 - s0 <= slack:
            t0 = s0
    k = bisect.bisect_right(starts, t1 - 1) - 1
    if k >= 0:
        s0, s1 = info.sentence_tokens[k]
        if 0 < s1 - t1 <= slack:
            t1 = s1
    return t0, t1


def _disjoint_in_b(passages: list[Passage]) -> list[Passage]:
    """Trim passages (sorted by B start) so that no two overlap in B."""
    out: list[Passage] = []
    for p in passages:
        if out and p.b_start < out[-1].b_end:
            if p.b_end <= out[-1].b_end:
                continue
            p = Passage(p.kind, p.a_start, p.a_end, out[-1].b_end, p.b_end, p.score)
        out.append(p)
    return out


def _translations_disjoint_in_a(passages: list[Passage]) -> list[Passage]:
    """Trim translation passages so that no two overlap in A (a sentence translated once): a
    bead that absorbed a lexical fragment reaching back into the sentence before it gives that
    part up to the passage that translates that sentence. Other passages are left as they are.

    >>> t = [Passage("translation", 0, 25, 0, 9, 0.9), Passage("translation", 16, 97, 10, 107, 0.9)]
    >>> [(x.a_start, x.a_end) for x in _translations_disjoint_in_a(t)]
    [(0, 25), (25, 97)]
    """
    out: list[Passage] = []
    end = -1
    for p in sorted(passages, key=lambda x: (x.kind != "translation", x.a_start, -x.a_end)):
        if p.kind == "translation":
            if p.a_end <= end:
                continue
            if p.a_start < end:
                p = Passage(p.kind, end, p.a_end, p.b_start, p.b_end, p.score)
            end = p.a_end
        out.append(p)
    return sorted(out, key=lambda x: (x.b_start, -x.b_end))


def _covered_share(start: int, end: int, passages: list[Passage]) -> float:
    """The share of A's characters ``start:end`` that the A sides of ``passages`` cover.

    >>> _covered_share(0, 10, [Passage("verbatim", 0, 4, 0, 4, 1.0), Passage("verbatim", 2, 9, 5, 12, 1.0)])
    0.9
    """
    if end <= start:
        return 0.0
    mask = np.zeros(end - start, dtype=bool)
    for x in passages:
        mask[max(x.a_start, start) - start : max(min(x.a_end, end) - start, 0)] = True
    return float(mask.mean())


def _both_edit(da: int, db: int) -> bool:
    return da > 0 and db > 0 and abs(da - db) <= 2


def _char_span(info: TextInfo, t0: int, t1: int) -> tuple[int, int]:
    return info.tokens[t0].start, info.tokens[t1 - 1].end


def _sentence_start_char(info: TextInfo, t0: int) -> int:
    """Include an opening quotation mark or bracket before the first word of a span."""
    start = info.tokens[t0].start
    while start > 0 and info.text[start - 1] in "\"'“‘«([":
        start -= 1
    return start


def align(
    a_text: str | TextInfo,
    b_text: str | TextInfo,
    *,
    params: AlignParams | None = None,
    encoder: Encoder | None = None,
    crosslingual: bool | None = None,
    pivots: Sequence[Pivot] = (),
) -> Alignment:
    """Align text B against text A.

    Args:
        a_text: the first text (or its :func:`analyse_text`).
        b_text: the second text.
        params: tunables; the defaults suit news articles.
        encoder: a sentence encoder for the semantic layer; None aligns lexically only.
        crosslingual: the texts are in different languages (their sentences are aligned as
            translations, which needs ``encoder``); None tells from the texts
            (:func:`~.crosslingual.languages_differ`).
        pivots: spans of A and B that render the same passage of a third document (known to
            ``detect``); a translated sentence they hold needs less of the encoder
            (:func:`~.crosslingual.translation_beads`).

    Returns:
        An :class:`Alignment` whose passages are sorted by their offset in B and do not overlap
        in B. Every offset is into the given texts.

    Example:
        >>> src = "The minister said the new bridge would open in May next year. Rain fell."
        >>> dst = "Breaking: the minister said the new bridge would open in May next year!"
        >>> [(p.kind, dst[p.b_start:p.b_end]) for p in align(src, dst).passages]
        [('verbatim', 'the minister said the new bridge would open in May next year')]
    """
    p = params or AlignParams()
    a = a_text if isinstance(a_text, TextInfo) else analyse_text(a_text)
    b = b_text if isinstance(b_text, TextInfo) else analyse_text(b_text)
    passages: list[Passage] = []
    covered = np.zeros(len(b.words) + 1, dtype=bool)
    a_lexical: list[tuple[int, int, int, int]] = []
    for a0, a1, b0, b1, score in _lexical_passages(a, b, p):
        sa0, sa1 = _snap(a, a0, a1)
        sb0, sb1 = _snap(b, b0, b1)
        # Extend an edge only where both sides have a few unmatched words there (an edit at
        # the sentence's edge), never over words that only one side has.
        if not _both_edit(a0 - sa0, b0 - sb0) or covered[sb0:b0].any():
            sa0, sb0 = a0, b0
        if not _both_edit(sa1 - a1, sb1 - b1) or covered[b1:sb1].any():
            sa1, sb1 = a1, b1
        kind = "verbatim" if a.words[sa0:sa1] == b.words[sb0:sb1] else "near_verbatim"
        if kind == "near_verbatim":
            shared = len(set(a.words[sa0:sa1]) & set(b.words[sb0:sb1]))
            score = min(score, shared / max(1, len(set(b.words[sb0:sb1]))))
        covered[sb0:sb1] = True
        a_lexical.append((sa0, sa1, sb0, sb1))
        ca0, ca1 = _char_span(a, sa0, sa1)
        cb0, cb1 = _char_span(b, sb0, sb1)
        passages.append(Passage(kind, ca0, ca1, cb0, cb1, round(float(score), 4)))
    notes: list[str] = []
    cross = languages_differ(a.text, b.text) if crosslingual is None else crosslingual
    if not cross:
        para = _paraphrase_passages(a, b, covered, p, encoder, notes, a_lexical)
    elif encoder is None:
        para = []
        notes.append(
            "the texts are in different languages: only the semantic layer aligns a "
            "translation, and it did not run"
        )
    else:
        para = _translation_passages(a, b, covered, p, encoder, a_lexical, pivots)
    for q in para:
        inside = [x for x in passages if x.b_start < q.b_end and x.b_end > q.b_start]
        # A sentence matched as a whole absorbs the lexical fragments inside it when they point
        # into the same source sentence; otherwise the fragments are the better evidence. So
        # are fragments that already hold nearly all of that source sentence word for word:
        # the rest of B's sentence was added, not paraphrased.
        if _covered_share(q.a_start, q.a_end, inside) >= 0.9:
            continue
        if all(x.a_start < q.a_end and x.a_end > q.a_start for x in inside):
            passages = [x for x in passages if x not in inside]
            passages.append(
                Passage(
                    q.kind,
                    min([q.a_start, *(x.a_start for x in inside)]),
                    max([q.a_end, *(x.a_end for x in inside)]),
                    min([q.b_start, *(x.b_start for x in inside)]),
                    max([q.b_end, *(x.b_end for x in inside)]),
                    q.score,
                )
            )
    passages = _disjoint_in_b(sorted(passages, key=lambda x: (x.b_start, -x.b_end)))
    if cross:
        passages = _translations_disjoint_in_a(passages)
    merged = merge_passages(passages, a.text, b.text, max_gap_words=p.merge_gap_words)
    if cross:
        merged = _translations_disjoint_in_a(merged)
    links = [_true_kind(x, a, b) for x in passages] if cross else []
    return Alignment(
        [_true_kind(x, a, b) for x in merged], a, b, encoder is not None, notes, cross, links
    )


def _translation_passages(
    a: TextInfo,
    b: TextInfo,
    covered: np.ndarray,
    p: AlignParams,
    encoder: Encoder,
    a_lexical: list[tuple[int, int, int, int]],
    pivots: Sequence[Pivot] = (),
) -> list[Passage]:
    """Sentences of B that translate sentences of A (one passage per bead, kind
    ``translation``); sentences the lexical layer already holds word for word are left to it."""
    a_cov = np.zeros(len(a.words) + 1, dtype=bool)
    for x0, x1, _, _ in a_lexical:
        a_cov[x0:x1] = True

    def usable(info: TextInfo, mask: np.ndarray) -> list[bool]:
        return [t1 <= t0 or mask[t0:t1].mean() < p.open_share for t0, t1 in info.sentence_tokens]

    prof = encoder.profile
    strong = p.translation if p.translation is not None else prof.translation
    floor = p.translation_floor if p.translation_floor is not None else prof.translation_floor
    run_mean = p.translation_run if p.translation_run is not None else prof.translation_run
    beads = translation_beads(
        a.text, a.sentences, b.text, b.sentences, encoder,
        strong=strong, floor=floor, run_mean=run_mean, max_merge=p.max_merge,
        usable_a=usable(a, a_cov), usable_b=usable(b, covered), pivots=pivots, mutual_floor=prof.unrelated,
    )  # fmt: skip
    return [
        Passage(
            "translation",
            a.sentences[x.a0].start,
            a.sentences[x.a1 - 1].end,
            b.sentences[x.b0].start,
            b.sentences[x.b1 - 1].end,
            round(float(x.score), 4),
        )
        for x in beads
    ]


def _true_kind(psg: Passage, a: TextInfo, b: TextInfo) -> Passage:
    """A verbatim passage merged from neighbours over a gap whose words differ ("the northern
    suburbs" and "the northern and eastern suburbs") is near-verbatim: verbatim means the same
    words."""
    if psg.kind != "verbatim":
        return psg

    def words_in(info: TextInfo, start: int, end: int) -> list[str]:
        i = bisect.bisect_left(info.tokens, start, key=lambda t: t.start)
        j = bisect.bisect_left(info.tokens, end, key=lambda t: t.start)
        return info.words[i:j]

    aw, bw = words_in(a, psg.a_start, psg.a_end), words_in(b, psg.b_start, psg.b_end)
    if aw == bw:
        return psg
    shared = len(set(aw) & set(bw)) / max(1, len(set(bw)))
    return Passage("near_verbatim", psg.a_start, psg.a_end, psg.b_start, psg.b_end, round(min(psg.score, shared), 4))


LONG_SEQUENCE = 200
"""Word sequences longer than this (a "sentence" of a text without full stops) are compared by
:func:`sequence_ratio` in bounded time."""


def sequence_ratio(x: Sequence[str], y: Sequence[str]) -> float:
    """How alike two word sequences are in order: difflib's ratio, ``2 * matched / (len(x) +
    len(y))``.

    Sequences of up to :data:`LONG_SEQUENCE` words (sentences) are compared exactly. Past that,
    difflib's exact comparison takes time quadratic in the length of repetitive text, so the
    common prefix and suffix are matched first and the rest with difflib's heuristic that
    takes words recurring in over 1 % of it as junk: a long repetitive "sentence" stays linear.

    >>> sequence_ratio("a b c d".split(), "a b x d".split())
    0.75
    >>> sequence_ratio(["again"] * 5000, ["again"] * 5000)
    1.0
    """
    if len(x) <= LONG_SEQUENCE and len(y) <= LONG_SEQUENCE:
        return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()
    n = min(len(x), len(y))
    head = 0
    while head < n and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < n - head and x[len(x) - 1 - tail] == y[len(y) - 1 - tail]:
        tail += 1
    mx, my = x[head : len(x) - tail], y[head : len(y) - tail]
    matched = head + tail
    if mx and my:
        blocks = difflib.SequenceMatcher(None, mx, my, autojunk=True).get_matching_blocks()
        matched += sum(block.size for block in blocks)
    return 2 * matched / max(1, len(x) + len(y))


def _paraphrase_passages(
    a: TextInfo,
    b: TextInfo,
    covered: np.ndarray,
    p: AlignParams,
    encoder: Encoder | None,
    notes: list[str],
    a_lexical: list[tuple[int, int, int, int]],
) -> list[Passage]:
    open_b: list[int] = []
    for k, (t0, t1) in enumerate(b.sentence_tokens):
        n = t1 - t0
        if n < p.min_para_words:
            continue
        if covered[t0:t1].mean() < p.open_share:
            open_b.append(k)
    if not open_b or not a.sentences:
        return []
    space = TfidfSpace([*a.stems, *[b.stems[k] for k in open_b]])
    a_vecs = space.vectors[: len(a.stems)]
    b_vecs = space.vectors[len(a.stems) :]
    cands = top_candidates(b_vecs, a_vecs, k=5)
    sem: np.ndarray | None = None
    if encoder is not None:
        # Embed only what lexical matching leaves open: A's sentences it has not already
        # matched (each costs ~6 ms on two CPU cores), plus B's open sentences.
        a_cov = np.zeros(len(a.words) + 1, dtype=bool)
        for x0, x1, _, _ in a_lexical:
            a_cov[x0:x1] = True
        a_ok = [
            k
            for k, (t0, t1) in enumerate(a.sentence_tokens)
            if t1 - t0 >= p.min_para_words and a_cov[t0:t1].mean() < p.open_share
        ]
        # B sentences the tf-idf layer already matches need no embedding either.
        rows = [r for r, c in enumerate(cands) if not c or c[0][1] < p.para_lexical]
        if a_ok and rows:
            av = encoder.encode([a.sentence_text(k) for k in a_ok])
            bv = encoder.encode([b.sentence_text(open_b[r]) for r in rows])
            sem = np.full((len(open_b), len(a.sentences)), -1.0, dtype=np.float32)
            sem[np.ix_(rows, a_ok)] = bv @ av.T
    para_min = strong = 1.0
    if encoder is not None:
        para_min = p.para_semantic if p.para_semantic is not None else encoder.profile.paraphrase
        strong = max(para_min, encoder.profile.strong)
    out: list[Passage] = []
    for row, kb in enumerate(open_b):
        lex_best = {ka: s for ka, s in cands[row]}
        best_ka, best_score = -1, 0.0
        for ka, lex in lex_best.items():
            if lex >= p.para_lexical and lex > best_score:
                best_ka, best_score = ka, lex
        if sem is not None:
            order = np.argsort(-sem[row])[:3]
            for ka in order:
                s = float(sem[row, ka])
                support = lex_best.get(int(ka), 0.0)
                if s >= para_min and (support >= p.para_semantic_support or s >= strong):
                    score = max(s, support)
                    if score > best_score:
                        best_ka, best_score = int(ka), score
        if best_ka < 0:
            continue
        sa, sb = a.sentences[best_ka], b.sentences[kb]
        a0, a1 = a.sentence_tokens[best_ka]
        b0, b1 = b.sentence_tokens[kb]
        # Mostly the same words in the same order: a few edits, not a rewording.
        same = sequence_ratio(a.words[a0:a1], b.words[b0:b1])
        kind = "near_verbatim" if same >= p.near_verbatim_ratio else "paraphrase"
        score = same if kind == "near_verbatim" else best_score
        out.append(Passage(kind, sa.start, sa.end, sb.start, sb.end, round(score, 4)))
    # Drop paraphrase spans overlapping lexical ones in B by more than a little.
    return out


def merge_passages(
    passages: Sequence[Passage],
    a_text: str,
    b_text: str,
    *,
    max_gap_words: int = 3,
    any_kind: bool = False,
) -> list[Passage]:
    """Merge neighbouring passages (of one kind, unless ``any_kind``) into maximal passages.

    Two passages merge when they follow each other in both texts and the text between them
    holds at most ``max_gap_words`` words on each side. Merging is idempotent.
    """
    out: list[Passage] = []
    spans = sorted((x.a_start, x.a_end) for x in passages)
    a_starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))  # furthest end so far

    def a_gap_free(lo: int, hi: int) -> bool:
        # Text of A between two passages that another passage covers (a reordered sentence
        # aligned elsewhere) is not a gap to merge over. (Covers, not starts in: a merged
        # passage covers what its parts did, so merging again merges nothing more.)
        if hi <= lo:
            return True
        k = bisect.bisect_left(a_starts, hi)
        return k == 0 or reach[k - 1] <= lo

    for psg in sorted(passages, key=lambda x: (x.b_start, x.a_start)):
        if out:
            prev = out[-1]
            same = any_kind or prev.kind == psg.kind
            if (
                same
                and psg.b_start >= prev.b_end
                and psg.a_start >= prev.a_end
                and len(b_text[prev.b_end : psg.b_start].split()) <= max_gap_words
                and len(a_text[prev.a_end : psg.a_start].split()) <= max_gap_words
                and a_gap_free(prev.a_end, psg.a_start)
            ):
                kind = prev.kind if prev.kind == psg.kind else _weaker(prev.kind, psg.kind)
                la, lb = prev.b_end - prev.b_start, psg.b_end - psg.b_start
                score = (prev.score * la + psg.score * lb) / max(1, la + lb)
                out[-1] = Passage(
                    kind, prev.a_start, psg.a_end, prev.b_start, psg.b_end, round(score, 4)
                )
                continue
        out.append(psg)
    return out


def _weaker(k1: str, k2: str) -> str:
    order = {kind: k for k, kind in enumerate(PASSAGE_KINDS)}
    return k1 if order[k1] >= order[k2] else k2

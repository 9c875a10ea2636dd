"""Alignment across languages: which sentences of a text translate which sentences of another.

Words do not survive translation, so the lexical layers find little beyond names and numbers;
the multilingual encoder (:mod:`.semantic`) puts a sentence and its translation close together
in one space. Sentences are aligned there the way machine-translation corpora are aligned
(Bleualign, vecalign):

1. **Beads.** Each sentence of A against each of B (1-1), and two neighbouring sentences of
   one side, embedded as one text, against one of the other (2-1, 1-2): a translator splits a
   long sentence or joins two short ones. A merged bead is only a candidate where the merged
   text scores clearly higher than either of its sentences alone.
2. **A monotonic path** through the beads by dynamic programming: the path that maximises
   the summed ``(cosine - floor)`` of its beads, each weighed by the sentences it holds, where
   skipping a sentence costs nothing (text one side added or left out).
3. **Acceptance.** A bead on the path is kept when it is a translation on its own (cosine at
   or above the encoder's calibrated ``translation``), or when it belongs to a run of
   consecutive beads (at most one sentence skipped on either side between two of them) that
   holds such a bead, or that is three beads long with a high mean, or six beads long
   whatever its mean: translations go on sentence after sentence, and a run carries
   sentences whose cosine alone would not. (On ``eval/multilingual``, no path between two
   documents that are not translations of each other has a run longer than four, with
   either encoder; the wide encoder, whose cosines are squeezed, scores some full
   translations from Ukrainian sentence by sentence at 0.83-0.87, under the mean of three.)
4. **Reordered sentences.** Sentences left out of the path that are each other's best match
   among what is left, at the ``translation`` cosine, are beads too (a translator moved a
   paragraph up).
5. **Runs of mutual best matches.** Sentences left out that are each other's best match in
   the whole texts, five or more in a row (order kept, at most one sentence skipped either
   side), are beads at the encoder's ``unrelated`` cosine (:func:`mutual_runs`): an encoder
   that bunches its cosines (multilingual-e5 scores Ukrainian against Chinese translations
   0.81-0.88 a sentence) still ranks a sentence's translation first, and chance does not do
   that five times in order.

**Anchors.** Names and figures often cross a language boundary unchanged ("SNP", "NHS",
"Matheson", "130"): :func:`anchors` are the words of a sentence written the same way in any
language of the Latin script (capitalised words after the first, acronyms, numbers). A bead
on the path at the ``translation_run`` cosine (what a run of three beads needs on average)
whose two sides share :data:`ANCHORED` of them is a translation on its own, like one at the
``translation`` cosine: an encoder scores a lone translated sentence of a language it knows
poorly under that cosine, and two sentences that only report the same event rarely agree on
three names and figures as well. ``detect`` proposes documents of two languages that share
rare anchors as candidates (:func:`newstrace.detect.anchor_pairs`).

**Pivots.** Two documents that each render the same passage of a third, the hub (each pair
verified against it), render each other there: a Czech article that excerpts a paragraph of
an English one and the German translation of the English article hold that paragraph in both
languages. Where ``detect`` knows this (:class:`Pivot`), the monotonic path through the
sentences of the two spans that render the same text of the hub is kept, bead by bead at the
``floor`` cosine or above (:func:`pivot_beads`): the hub says the two spans carry the same
text, the encoder's cosines pair their sentences. A lone translated sentence of a language the
encoder knows poorly scores under the ``translation`` cosine, and most excerpts are one or two
sentences; the path of the whole texts may also pass elsewhere, through chance beads of an
encoder whose cosines are bunched.

Everything here is a pure function of arrays and the texts' sentence offsets, but
:func:`translation_beads`, which calls the encoder.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from newstrace.align.semantic import Encoder
from newstrace.clean.language import detect_language
from newstrace.clean.text import Sentence, fold

__all__ = [
    "ANCHORED",
    "PIVOT_SHARE",
    "Bead",
    "Pivot",
    "accept_beads",
    "anchors",
    "bead_scores",
    "languages_differ",
    "monotonic_beads",
    "mutual_runs",
    "pivot_beads",
    "pivot_share",
    "reordered_beads",
    "script_of",
    "shared_vocabulary",
    "text_language",
    "translation_beads",
    "window_texts",
]


class Pivot(NamedTuple):
    """Spans of A and B that render the same passage of a third document, the hub (each
    verified against it): ``detect`` finds them (:func:`newstrace.detect.hub_pivots`) and
    passes them to the aligner (see the module doc, "Pivots")."""

    hub: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    def swapped(self) -> Pivot:
        """The same pivot for the pair taken the other way round (B, A).

        >>> Pivot("h", 1, 2, 3, 4).swapped()
        Pivot(hub='h', a_start=3, a_end=4, b_start=1, b_end=2)
        """
        return Pivot(self.hub, self.b_start, self.b_end, self.a_start, self.a_end)


MUTUAL_RUN = 5
"""Mutual best matches in a row that are a translation at the encoder's ``unrelated`` cosine
(:func:`mutual_runs`). On ``eval/multilingual`` (the 129 labelled pairs with Czech or
Ukrainian, aligned by multilingual-e5), no pair of documents on other stories has a run longer
than three (53 of 61 have none longer than one); whole translations and their halves have runs
of 6 to 27."""

PIVOT_SHARE = 0.5
"""Share of a sentence that must lie in a pivot's span of its text for the pivot to hold it."""

ANCHORED = 3
"""Distinct :func:`anchors` two sentences (or merged beads) must share for their bead to count
as a translation below the ``translation`` cosine (still at the path's ``floor``)."""

_ANCHOR_TOKEN = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d+)?|\w+(?:[.,]\d+)*")
"""A word, or a number with its groups ("2,500", "2 500", "2.500,5" are one token each)."""
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")
"""A number inside an anchor token: digits, with the group and decimal marks between them."""
_NAME_PREFIX = 5
"""Names are compared by their first letters, so that a declined form ("Westministra",
"Mathesona") meets the name it declines."""


def anchors(text: str) -> frozenset[str]:
    """The anchors of one sentence: words that a translation into a language of the Latin
    script usually keeps as they are. A number's decimal digits (two or more: ``"#2022"``), an
    acronym (``"nhs"``) and a capitalised word that does not open the sentence (its first five
    letters, accents stripped: ``"westm"``). Words of other scripts have none.

    >>> sorted(anchors("Amid calls, Matheson said the SNP's 2,500 beds in Westminster were 1 too few."))
    ['#2500', 'mathe', 'snp', 'westm']
    >>> sorted(anchors("V souvislosti s SNP Matheson prohlásil, že Westministra má 2 500 lůžek."))
    ['#2500', 'mathe', 'snp', 'westm']
    >>> sorted(anchors("1983年のアラスカ航空310便は13.6キロ"))
    ['#136', '#1983', '#310']
    """
    out: set[str] = set()
    for k, tok in enumerate(_ANCHOR_TOKEN.findall(text)):
        if tok.isalpha():  # most words: no digit, and lower case is no anchor
            if tok[0].islower():
                continue
        elif any(c.isdigit() for c in tok):
            # Each number of the token (Chinese and Japanese write "1983年310便" without a
            # space: two numbers, not "#1983310"), its decimal digits of any script as ASCII
            # ("٢٠٢٢" is 2022); not "²" or "①".
            for number in _NUMBER.findall(tok):
                digits = "".join(str(d) for d in (unicodedata.decimal(c, None) for c in number) if d is not None)
                if len(digits) >= 2:
                    out.add("#" + digits)
            continue
        if len(tok) < 2 or not tok[0].isupper():
            continue
        plain = fold(tok)
        if not (plain.isascii() and plain.isalpha()):
            continue
        if tok.isupper():
            out.add(plain)
        elif k > 0 and len(tok) >= 3:
            out.add(plain[:_NAME_PREFIX])
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Bead:
    """Sentences ``[a0, a1)`` of A aligned with sentences ``[b0, b1)`` of B, with their cosine."""

    a0: int
    a1: int
    b0: int
    b1: int
    score: float


# -- which texts are in different languages ------------------------------------------------------
_SCRIPTS = (
    (0x0041, 0x024F, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0E00, 0x0E7F, "thai"),
    (0x3040, 0x30FF, "kana"),
    (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "hangul"),
)


def script_of(text: str, *, sample: int = 3000) -> str | None:
    """The script most of a text's letters are written in (``latin``, ``cyrillic``, ``han``, …),
    or None for a text without letters.

    >>> script_of("Путин заявил"), script_of("Putin said"), script_of("1, 2, 3")
    ('cyrillic', 'latin', None)
    """
    counts: dict[str, int] = {}
    for c in text[:sample]:
        if not c.isalpha():
            continue
        o = ord(c)
        name = next((s for lo, hi, s in _SCRIPTS if lo <= o <= hi), "other")
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    if counts.get("kana", 0) >= 20:
        return "kana"  # Japanese mixes kana with Han characters
    return max(sorted(counts), key=lambda s: counts[s])


def text_language(text: str) -> str | None:
    """The language of a text whose document states none: the one guess of the language stage
    (:func:`~newstrace.clean.language.detect_language`: None when unsure), read through this
    one function."""
    return detect_language(text)[0]


def _primary(code: str | None) -> str | None:
    """``"es-ES"`` -> ``"es"``; empty or undetermined codes are None."""
    if not code:
        return None
    p = code.strip().lower().replace("_", "-").split("-")[0]
    return None if p in ("", "und", "mul", "zxx", "xx") else p


SAME_LANGUAGE_SHARE = 0.3
"""Share of the smaller text's word types (:func:`shared_vocabulary`) the other text holds above which
two texts are in one language, whatever their language labels say. A translation shares names
and a few loanwords; two results tables in wire shorthand ("Shr loss six cts vs profit 19 cts"),
which the language identifier may call Nigerian Pidgin, share most of theirs. On the
multilingual labelled set's 376 pairs of different languages the most is 0.14 (Russian and
Ukrainian); on Reuters results tables, 0.5."""

_WORD_TYPE = re.compile(r"[^\W\d_]{3,}")


def shared_vocabulary(a_text: str, b_text: str, *, min_types: int = 5) -> float:
    """The share of the smaller text's word types that the other text holds too; 0.0 when either
    has fewer than ``min_types``. A word type is a word of three letters or more written in lower
    case: names ("Angela Merkel", "Berlin"), which a translation keeps, are not counted.

    >>> shared_vocabulary("Shr loss six cts vs profit 19 cts. Net loss 166,000 vs profit. Revs 3.7 mln",
    ...                   "Shr profit three cts vs loss two cts. Net profit 157,500 vs loss. Revs 1.1 mln")
    0.8
    >>> shared_vocabulary("Die Regierung hat neue Maßnahmen für die Wirtschaft angekündigt.",
    ...                   "The government announced new measures for the economy.")
    0.0
    """
    a = {w for w in _WORD_TYPE.findall(a_text) if w.islower()}
    b = {w for w in _WORD_TYPE.findall(b_text) if w.islower()}
    if min(len(a), len(b)) < min_types:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def languages_differ(
    a_text: str,
    b_text: str,
    a_lang: str | None = None,
    b_lang: str | None = None,
    *,
    examined: tuple[bool, bool] = (False, False),
) -> bool:
    """Whether two texts are in different languages.

    The documents' own language codes decide when both are known; otherwise the texts' scripts
    (Cyrillic and Latin are two languages whatever else is known), then their commonest
    language identifier (:func:`~newstrace.clean.language.detect_language`), for a text the
    language stage has not read (``examined``: a stored document's language, None included, is
    that stage's verdict, with its title and all; guessed again from the text alone, a results
    table in wire shorthand it left unknown becomes Nigerian Pidgin). When nothing tells, the
    texts are taken to be in one language: the monolingual aligner is the default.

    >>> languages_differ("El gobierno anunció nuevas medidas para la economía del país.",
    ...                  "The government announced new measures for the economy of the country.")
    True
    >>> languages_differ("a text", "another text", "en", "en-GB")
    False
    """
    if shared_vocabulary(a_text, b_text) >= SAME_LANGUAGE_SHARE:
        return False  # most of their words are the same words: one language, whatever the labels
    la, lb = _primary(a_lang), _primary(b_lang)
    if la and lb:
        return la != lb
    sa, sb = script_of(a_text), script_of(b_text)
    if sa and sb and sa != sb:
        return True
    la = la or (None if examined[0] else _primary(text_language(a_text)))
    lb = lb or (None if examined[1] else _primary(text_language(b_text)))
    return bool(la and lb and la != lb)


# -- beads --------------------------------------------------------------------------------------
def window_texts(text: str, sentences: Sequence[Sentence], k: int) -> list[str]:
    """The text of each run of ``k`` consecutive sentences (from the first's start to the
    last's end), in order: what a merged bead embeds."""
    return [text[sentences[i].start : sentences[i + k - 1].end] for i in range(len(sentences) - k + 1)]


def bead_scores(a_vecs: dict[int, np.ndarray], b_vecs: dict[int, np.ndarray]) -> dict[tuple[int, int], np.ndarray]:
    """Cosines of every candidate bead shape: ``(ka, kb)`` -> matrix whose cell ``[i, j]`` is
    the bead of A's sentences ``i..i+ka-1`` and B's ``j..j+kb-1``. ``a_vecs[k]`` holds the unit
    vectors of A's runs of ``k`` sentences (:func:`window_texts`); shapes are 1-1 and k-1, 1-k."""
    out: dict[tuple[int, int], np.ndarray] = {(1, 1): a_vecs[1] @ b_vecs[1].T}
    for k in sorted(set(a_vecs) | set(b_vecs)):
        if k < 2:
            continue
        if k in a_vecs:
            out[(k, 1)] = a_vecs[k] @ b_vecs[1].T
        if k in b_vecs:
            out[(1, k)] = a_vecs[1] @ b_vecs[k].T
    return out


def _merge_ok(scores: dict[tuple[int, int], np.ndarray], ka: int, kb: int, i: int, j: int, gain: float) -> bool:
    """A merged bead must beat each sentence of it aligned alone by ``gain``."""
    c = scores[(ka, kb)][i, j]
    s11 = scores[(1, 1)]
    parts = [s11[i + d, j] for d in range(ka)] if ka > 1 else [s11[i, j + d] for d in range(kb)]
    return bool(c >= max(parts) + gain)


def monotonic_beads(
    scores: dict[tuple[int, int], np.ndarray], *, floor: float, merge_gain: float = 0.03
) -> list[Bead]:
    """The monotonic path of beads (sentence order kept on both sides) that maximises
    ``sum((cosine - floor) * (sentences in the bead) / 2)``; skipped sentences cost nothing.

    Args:
        scores: :func:`bead_scores`.
        floor: cosine below which a bead is never on the path.
        merge_gain: how much a merged bead must beat its single sentences (see module doc).

    Returns:
        The path's beads in order.

    >>> s = np.array([[0.9, 0.1, 0.1], [0.1, 0.2, 0.8]], dtype=np.float32)
    >>> [(b.a0, b.b0) for b in monotonic_beads({(1, 1): s}, floor=0.5)]
    [(0, 0), (1, 2)]
    """
    s11 = scores[(1, 1)]
    n, m = s11.shape
    # Candidate beads ending at each cell (i, j) (exclusive ends), with their weights.
    ending: dict[tuple[int, int], list[tuple[int, int, float, float]]] = {}
    for (ka, kb), mat in scores.items():
        if mat.size == 0:
            continue
        rows, cols = np.nonzero(mat > floor)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if (ka, kb) != (1, 1) and not _merge_ok(scores, ka, kb, i, j, merge_gain):
                continue
            c = float(mat[i, j])
            ending.setdefault((i + ka, j + kb), []).append((ka, kb, (c - floor) * (ka + kb) / 2, c))
    best = np.zeros((n + 1, m + 1), dtype=np.float64)
    back: dict[tuple[int, int], tuple[int, int, float]] = {}  # cell -> bead shape and cosine
    for i in range(1, n + 1):
        row, prev = best[i], best[i - 1]
        for j in range(1, m + 1):
            v = max(prev[j], row[j - 1])
            choice = None
            for ka, kb, w, c in ending.get((i, j), ()):
                cand = best[i - ka, j - kb] + w
                if cand > v + 1e-12:
                    v, choice = cand, (ka, kb, c)
            row[j] = v
            if choice is not None:
                back[(i, j)] = choice
    path: list[Bead] = []
    i, j = n, m
    while i > 0 and j > 0:
        step = back.get((i, j))
        if step is not None and best[i, j] > max(best[i - 1, j], best[i, j - 1]) + 1e-12:
            ka, kb, c = step
            path.append(Bead(i - ka, i, j - kb, j, round(c, 4)))
            i, j = i - ka, j - kb
        elif best[i - 1, j] >= best[i, j - 1]:
            i -= 1
        else:
            j -= 1
    return path[::-1]


def accept_beads(
    path: Sequence[Bead],
    *,
    strong: float,
    run_mean: float,
    min_run: int = 3,
    max_skip: int = 1,
    long_run: int = 6,
    anchored: Callable[[Bead], bool] | None = None,
) -> list[Bead]:
    """The beads of a monotonic path that are translations (see module doc, step 3).

    Args:
        path: :func:`monotonic_beads`.
        strong: cosine at which one bead is a translation on its own.
        run_mean: mean cosine at which a run of ``min_run`` beads or more is one without a
            strong bead.
        max_skip: sentences that may be skipped on either side inside a run.
        long_run: beads in a run that is a translation whatever their cosines (each is on
            the path, so at its floor or above): sentence after sentence in the same order
            is not chance (see module doc).
        anchored: whether a bead's two sides share enough anchors to be a translation on its
            own (see module doc).

    >>> p = [Bead(0, 1, 0, 1, 0.45), Bead(1, 2, 1, 2, 0.7), Bead(2, 3, 2, 3, 0.4), Bead(6, 7, 9, 10, 0.5)]
    >>> [b.a0 for b in accept_beads(p, strong=0.6, run_mean=0.55)]
    [0, 1, 2]
    """
    runs: list[list[Bead]] = []
    for bead in path:
        if runs:
            last = runs[-1][-1]
            if bead.a0 - last.a1 <= max_skip and bead.b0 - last.b1 <= max_skip:
                runs[-1].append(bead)
                continue
        runs.append([bead])
    out: list[Bead] = []
    for run in runs:
        scores = [b.score for b in run]
        if (
            max(scores) >= strong
            or (len(run) >= min_run and float(np.mean(scores)) >= run_mean)
            or len(run) >= long_run
            or (anchored is not None and any(anchored(b) for b in run))
        ):
            out.extend(run)
    return out


def reordered_beads(s11: np.ndarray, taken: Sequence[Bead], *, strong: float) -> list[Bead]:
    """1-1 beads off the path: sentences no kept bead holds that are each other's best match
    among what is left, at ``strong`` or above (see module doc, step 4).

    >>> s = np.array([[0.1, 0.2, 0.9], [0.8, 0.1, 0.1], [0.1, 0.85, 0.2]], dtype=np.float32)
    >>> [(b.a0, b.b0) for b in reordered_beads(s, [Bead(1, 2, 0, 1, 0.8), Bead(2, 3, 1, 2, 0.85)], strong=0.6)]
    [(0, 2)]
    """
    n, m = s11.shape
    if n == 0 or m == 0:
        return []
    free_a = np.ones(n, dtype=bool)
    free_b = np.ones(m, dtype=bool)
    for b in taken:
        free_a[b.a0 : b.a1] = False
        free_b[b.b0 : b.b1] = False
    out: list[Bead] = []
    masked = np.where(free_a[:, None] & free_b[None, :], s11, -1.0)
    while True:
        i, j = np.unravel_index(int(np.argmax(masked)), masked.shape)
        c = float(masked[i, j])
        if c < strong:
            break
        out.append(Bead(int(i), int(i) + 1, int(j), int(j) + 1, round(c, 4)))
        masked[i, :] = -1.0
        masked[:, j] = -1.0
    return sorted(out, key=lambda b: b.b0)


def translation_beads(
    a_text: str,
    a_sentences: Sequence[Sentence],
    b_text: str,
    b_sentences: Sequence[Sentence],
    encoder: Encoder,
    *,
    strong: float,
    floor: float,
    run_mean: float,
    max_merge: int = 2,
    usable_a: Sequence[bool] | None = None,
    usable_b: Sequence[bool] | None = None,
    pivots: Sequence[Pivot] = (),
    mutual_floor: float | None = None,
) -> list[Bead]:
    """The sentence beads of B that translate A: monotonic path, accepted runs, reordered
    sentences (see the module doc). ``usable_a``/``usable_b`` exclude sentences (text already
    aligned word for word, too short to tell). The beads ``pivots`` hold are kept too
    (:func:`pivot_beads`; see the module doc, "Pivots"), and with ``mutual_floor`` the runs
    of mutual best matches at that cosine (:func:`mutual_runs`).

    A pair none of whose sentences meets one of the other at ``run_mean`` (the mean cosine a
    run of weak beads needs; ``strong`` if lower) has no beads: its merged texts are not
    embedded. Without merges this loses nothing (a kept bead is at ``strong``, or in a run
    whose mean is ``run_mean``); a merged bead may score above its sentences, but on
    ``eval/multilingual`` every pair that keeps a bead has such a sentence (the lowest best
    1-1 cosine is 0.59) and the set gives the same pairs, passages and sentence links with
    this gate as without; among the cross-language candidates of ``benchmarks/detect.py
    --semantic --sizes 2000`` (WMT articles against generated English) it stops 274 of 617
    pairs, and the lowest best 1-1 cosine of a pair that keeps a bead there is 0.52."""
    if not a_sentences or not b_sentences:
        return []
    a_texts, b_texts = window_texts(a_text, a_sentences, 1), window_texts(b_text, b_sentences, 1)
    a1 = encoder.encode(a_texts)
    b1 = encoder.encode(b_texts)
    masks = (usable_a, usable_b)
    gate = min(strong, run_mean, mutual_floor if mutual_floor is not None else 1.0)
    if float((a1 @ b1.T).max()) < (floor if pivots else gate):
        # Merged texts are new to the encoder (single sentences were embedded with their
        # documents), and embedding them is about half the cost of aligning a pair.
        return []
    a_anchors, b_anchors = [anchors(t) for t in a_texts], [anchors(t) for t in b_texts]

    def anchored(bead: Bead) -> bool:
        if bead.score < run_mean:
            return False
        a_side = frozenset().union(*a_anchors[bead.a0 : bead.a1])
        b_side = frozenset().union(*b_anchors[bead.b0 : bead.b1])
        return len(a_side & b_side) >= ANCHORED

    def inside(sentences: Sequence[Sentence], start: int, end: int) -> tuple[int, int]:
        held = [k for k, x in enumerate(sentences) if pivot_share(x.start, x.end, start, end)]
        return (held[0], held[-1] + 1) if held else (0, 0)

    windows = [(inside(a_sentences, x.a_start, x.a_end), inside(b_sentences, x.b_start, x.b_end)) for x in pivots]
    a_vecs = {1: a1, **{k: _merged(encoder, a1, a_text, a_sentences, k) for k in range(2, max_merge + 1)}}
    b_vecs = {1: b1, **{k: _merged(encoder, b1, b_text, b_sentences, k) for k in range(2, max_merge + 1)}}
    return _beads(bead_scores(_nonempty(a_vecs), _nonempty(b_vecs)), masks, floor=floor, strong=strong,
                  run_mean=run_mean, anchored=anchored, windows=windows, mutual_floor=mutual_floor)  # fmt: skip


def mutual_runs(s11: np.ndarray, taken: Sequence[Bead], *, floor: float, min_run: int = MUTUAL_RUN) -> list[Bead]:
    """1-1 beads in runs of mutual best matches (see the module doc, step 5): sentences no bead
    in ``taken`` holds, each the other's best match in the whole texts at ``floor`` or above,
    ``min_run`` or more of them in a row (sentence order kept both sides, at most one sentence
    skipped on either side between two).

    >>> s = np.full((6, 6), 0.5, dtype=np.float32); np.fill_diagonal(s, 0.6)
    >>> [(b.a0, b.b0) for b in mutual_runs(s, [], floor=0.55)]
    [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]
    >>> mutual_runs(s, [Bead(2, 4, 2, 4, 0.9)], floor=0.55)  # two and two: no run of five
    []
    """
    n, m = s11.shape
    if n == 0 or m == 0:
        return []
    held_a = {i for b in taken for i in range(b.a0, b.a1)}
    held_b = {j for b in taken for j in range(b.b0, b.b1)}
    best_b, best_a = s11.argmax(axis=1), s11.argmax(axis=0)
    cells = [
        (i, int(best_b[i]))
        for i in range(n)
        if best_a[best_b[i]] == i and s11[i, best_b[i]] >= floor and i not in held_a and int(best_b[i]) not in held_b
    ]

    def follows(x: tuple[int, int], y: tuple[int, int]) -> bool:
        return 0 < y[0] - x[0] <= 2 and 0 < y[1] - x[1] <= 2

    ending = [1] * len(cells)  # longest run ending at each cell (cells are in order of A)
    for k, c in enumerate(cells):
        ending[k] = 1 + max((ending[q] for q in range(k) if follows(cells[q], c)), default=0)
    starting = [1] * len(cells)
    for k in range(len(cells) - 1, -1, -1):
        starting[k] = 1 + max((starting[q] for q in range(k + 1, len(cells)) if follows(cells[k], cells[q])), default=0)
    return [
        Bead(i, i + 1, j, j + 1, round(float(s11[i, j]), 4))
        for k, (i, j) in enumerate(cells)
        if ending[k] + starting[k] - 1 >= min_run
    ]


def pivot_share(start: int, end: int, span_start: int, span_end: int) -> bool:
    """Whether :data:`PIVOT_SHARE` of the text ``start:end`` (a sentence) lies in a pivot's
    span ``span_start:span_end``.

    >>> pivot_share(120, 220, 100, 300), pivot_share(250, 450, 100, 300)
    (True, False)
    """
    return min(end, span_end) - max(start, span_start) >= PIVOT_SHARE * max(end - start, 1)


def pivot_beads(
    scores: dict[tuple[int, int], np.ndarray],
    windows: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    taken: Sequence[Bead],
    *,
    floor: float,
) -> list[Bead]:
    """The beads a pivot holds (see the module doc, "Pivots"): in each window (the sentences
    of A and of B a pivot's spans hold, ``(start, end)`` indices), the monotonic path of the
    beads inside it, at the ``floor`` cosine or above, but for sentences a bead in ``taken``
    already holds.

    >>> s = np.array([[0.9, 0.1, 0.1], [0.1, 0.2, 0.5], [0.6, 0.1, 0.1]], dtype=np.float32)
    >>> pivot_beads({(1, 1): s}, [((1, 3), (1, 3))], [], floor=0.4)
    [Bead(a0=1, a1=2, b0=2, b1=3, score=0.5)]
    """
    out: list[Bead] = []
    for (a0, a1), (b0, b1) in windows:
        if a1 <= a0 or b1 <= b0:
            continue
        sub = {
            (ka, kb): mat[a0 : max(a0, a1 - ka + 1), b0 : max(b0, b1 - kb + 1)]
            for (ka, kb), mat in scores.items()
        }
        for x in monotonic_beads({k: v for k, v in sub.items() if v.size or k == (1, 1)}, floor=floor):
            bead = Bead(x.a0 + a0, x.a1 + a0, x.b0 + b0, x.b1 + b0, x.score)
            if not any(_holds_any(bead, y) for y in (*taken, *out)):
                out.append(bead)
    return out


def _holds_any(x: Bead, y: Bead) -> bool:
    """Whether two beads hold a sentence in common on either side."""
    return (x.a0 < y.a1 and y.a0 < x.a1) or (x.b0 < y.b1 and y.b0 < x.b1)


def _merged(encoder: Encoder, ones: np.ndarray, text: str, sentences: Sequence[Sentence], k: int) -> np.ndarray:
    """The vectors of each run of ``k`` sentences: embedded as one text, or, for an encoder too
    slow to embed the runs again (``mean_windows``), the unit mean of its sentences' vectors
    (``ones``)."""
    if not getattr(encoder, "mean_windows", False):
        return encoder.encode(window_texts(text, sentences, k))
    if len(ones) < k:
        return np.zeros((0, ones.shape[1]), dtype=np.float32)
    runs = np.stack([ones[i : len(ones) - k + 1 + i] for i in range(k)]).mean(axis=0)
    out: np.ndarray = (runs / np.maximum(np.linalg.norm(runs, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return out


def _nonempty(vecs: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    return {k: v for k, v in vecs.items() if len(v)}


def _beads(
    scores: dict[tuple[int, int], np.ndarray],
    masks: tuple[Sequence[bool] | None, Sequence[bool] | None],
    *,
    floor: float,
    strong: float,
    run_mean: float,
    anchored: Callable[[Bead], bool] | None = None,
    windows: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    mutual_floor: float | None = None,
) -> list[Bead]:
    """Steps 2-5 of the module doc on bead scores, with unusable sentences masked out (step 5
    with ``mutual_floor``), and the beads pivots hold in their ``windows``
    (:func:`pivot_beads`)."""
    usable_a, usable_b = masks
    a_n, b_n = scores[(1, 1)].shape
    if usable_a is not None or usable_b is not None:
        ua = np.asarray(usable_a if usable_a is not None else [True] * a_n, dtype=bool)
        ub = np.asarray(usable_b if usable_b is not None else [True] * b_n, dtype=bool)
        for (ka, kb), mat in scores.items():
            # A bead is usable only when every sentence in it is.
            ra = np.array([ua[i : i + ka].all() for i in range(mat.shape[0])], dtype=bool)
            rb = np.array([ub[j : j + kb].all() for j in range(mat.shape[1])], dtype=bool)
            scores[(ka, kb)] = np.where(ra[:, None] & rb[None, :], mat, -1.0).astype(np.float32)
    path = monotonic_beads(scores, floor=floor)
    kept = accept_beads(path, strong=strong, run_mean=run_mean, anchored=anchored)
    kept += pivot_beads(scores, windows, kept, floor=floor)
    if mutual_floor is not None:
        kept += mutual_runs(scores[(1, 1)], kept, floor=mutual_floor)
    extra = reordered_beads(scores[(1, 1)], kept, strong=strong)
    return sorted([*kept, *extra], key=lambda b: (b.b0, b.a0))

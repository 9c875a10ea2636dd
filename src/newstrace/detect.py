"""Corpus-scale detection: index -> candidates -> verification -> graph, over the store.

Incremental by construction: sketches are computed only for new or changed documents, the
candidate set is recomputed in full (cheap: it is in memory), only candidate pairs not yet
verified on the same texts are aligned, and pairs that are no longer candidates are dropped.
So a run after new ingests does only the new work and ends where a run from scratch would.
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing as mp
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np

from newstrace.align import Pivot
from newstrace.analyze import MIN_PROSE_WORDS, Commonness, compare
from newstrace.analyze.evidence import SharedMeaning, title_frequencies
from newstrace.clean.dates import to_date, to_time
from newstrace.clean.pages import FLASH_CHARS, is_headline_flash
from newstrace.clean.text import TOKENIZER_VERSION, words
from newstrace.errors import ConfigError
from newstrace.graph import Edge, Forest, Node, build_forest
from newstrace.index.ann import EXACT_ROW_PAIRS
from newstrace.index.minhash import (
    fingerprint_candidates,
    flash_candidates,
    lsh_candidates,
    optimal_bands,
    sample_fingerprints,
    signatures,
    term_candidates,
    title_candidates,
)
from newstrace.index.shingles import form_words, shingle_hashes, term_hashes, title_words
from newstrace.models import Document
from newstrace.store import Store

__all__ = ["DetectParams", "DetectReport", "compact_report", "detect", "hydrate_report"]

REUSE = ("duplicate", "derived", "partial")
PAIR_VERDICTS = (*REUSE, "related", "unrelated")
"""Every relation a verified pair is stored with."""
CANDIDATE_KINDS = ("lsh", "fingerprint", "terms", "title", "flash", "semantic", "translation", "shared")
"""What may propose a pair, in the order that names it when several do (the first): MinHash
bands, shared fingerprints, shared rare words, rare title words of two short items
(:data:`TITLE_ITEM_CHARS`, :data:`TITLE_SHARED_WORDS`), a headline flash and the texts of its
hour (:func:`~newstrace.index.minhash.flash_candidates`), document vectors of one language, of two
(:func:`semantic_pairs`), and, after those are verified, the same passage of a third document
reused by both (:func:`shared_passage_pivots`); a pair the first round found no reuse in, and
the second verified again knowing that passage, is named ``shared`` too (its verdict rests on
it)."""


TITLE_ITEM_CHARS = 1200
"""Items this short (characters, both) whose titles share rare words are candidates
(:func:`~newstrace.index.minhash.title_candidates`, :attr:`DetectParams.title_df`): about 200
words, a notice, a results table, a short announcement. Longer stories share shingles or rare
words with their other versions; and on BuzzFeed-Webis the pairs of all articles sharing a
rare title word (1,359 beyond the other generators' pairs) found no reuse the others had missed
while nearly doubling the time of ``detect``."""

TITLE_SHARED_WORDS = 2
"""Rare title words two short items must share to be a candidate (a company's name and its
ticker; :func:`~newstrace.index.minhash.title_candidates`). On the development corpora of the
real labelled set (Reuters-21578 files 000-009), of the pairs one rare word proposes and
``detect`` then calls reuse, 6 of 9 were notices of one kind about two subjects ("... TRADES ON
NASDAQ", "... PREFERRED OFFERED") or two announcements of one company; of those two words or
more propose, 3 of 22."""

MAIN_STRIDE = 3
"""In a corpus with a :func:`main_language`, its documents' window vectors are those of the
lead's sentences (embedded for the lead anyway) and, after them, of every third sentence of
five words or more counted from the first (:func:`_window_starts`), not of every one: their
windows are only ever compared with the other languages'
(:func:`~newstrace.index.ann.pairs_across_groups`), whose documents keep all of theirs, and
embedding every sentence of every main-language article was most of ``detect --semantic``'s
time on a large corpus (131 of 285 s at 10,230 articles, about 22 minutes at 100k). A
translated passage of three sentences or more still has one of its sentences among them. On
the benchmark's 10,230 articles (see README), of the 186 labelled translated pairs the window
vectors propose, every sentence finds 186 and every third 179 (counted without the lead's
windows), and the translated-pair recall of ``detect --semantic`` stayed 0.972 (the whole run
285 s -> 182 s, with :func:`proposes_across`). Only the main-language documents that share a
rare name or figure with a document of another language get window vectors at all
(:func:`document_stride`)."""

STORY_DAYS = 2
"""Days (calendar dates apart) within which the documents of one outlet that hold a passage are
a story's spread, when they are few (:data:`STORY_DOCS`): a wire service sends a story, sends it
again, and writes follow-ups and reactions that restate its paragraphs, all in a day or two,
while its formulas and chrome recur all through the corpus (:func:`common_forms`)."""
STORY_DOCS = 8
"""The most documents of one outlet that hold a passage as a story's spread
(:data:`STORY_DAYS`): more, however close in time, are the outlet's formula (eleven funds of
one sponsor declaring dividends in one form on one day)."""


@dataclass(frozen=True, slots=True)
class DetectParams:
    """Tunables of corpus detection.

    Attributes:
        shingle: words per shingle.
        num_perm: MinHash signature length.
        threshold: Jaccard similarity the LSH bands are tuned for.
        fingerprint_mod: 1 in this many shingles is a fingerprint.
        min_shared: fingerprints two documents must share to be a candidate pair.
        max_bucket: LSH buckets and fingerprints shared by more documents are boilerplate.
        window_days: skip pairs published further apart than this (when both are dated).
        terms: also propose pairs sharing many rare words (catches reworded copies lexically),
            and a headline flash with the texts of its hour that hold its words
            (:func:`~newstrace.index.minhash.flash_candidates`).
        title_df: also propose pairs of short items (:data:`TITLE_ITEM_CHARS`) whose titles
            share :data:`TITLE_SHARED_WORDS` words that at most this many of the corpus's titles
            hold (a subject's name: an item sent again reworded); 0 proposes none.
        semantic: also look for paraphrased rewrites with sentence embeddings (needs the extra).
        semantic_k: neighbours per document in the embedding index (and translations of it).
        semantic_min: cosine of lead vectors above which neighbours of one language are
            candidates; None takes the encoder's calibrated value.
        semantic_bits, semantic_tables: the LSH index of document vectors (hyperplanes per
            table, tables; see :mod:`newstrace.index.ann`).
        exact_row_pairs: vectors of two languages are paired by exact search while the rows
            outside the main language times all rows are at most this many, through the LSH
            index beyond (:func:`newstrace.index.ann.exact_across_affordable`).
        common_docs: form fingerprints held by this many documents of one outlet are its common
            text (chrome, formulas): passages made of it are not evidence of reuse.
        common_docs_any: held by this many documents of any outlets, they are the corpus's
            common text (a story spread across outlets recurs too, so this is higher).
        story_days, story_docs: form fingerprints that at most ``story_docs`` documents of one
            outlet hold, all published within ``story_days`` days of each other (in an outlet
            whose dated documents span more), are a story's spread, not the outlet's common
            text (:func:`common_forms`); ``story_docs`` 0 counts every holder.
        main_stride: in a corpus with a :func:`main_language`, the window vectors of its
            documents that share a rare name or figure with one of another language
            (:func:`document_stride`) are their lead's sentences and every this many after it
            (:data:`MAIN_STRIDE`); 1 embeds them all.
        workers: processes for verification.
    """

    shingle: int = 5
    num_perm: int = 128
    threshold: float = 0.3
    fingerprint_mod: int = 8
    min_shared: int = 3
    max_bucket: int = 50
    window_days: int | None = None
    terms: bool = True
    title_df: int = 3
    semantic: bool = False
    semantic_k: int = 5
    semantic_min: float | None = None
    semantic_bits: int = 12
    semantic_tables: int = 16
    exact_row_pairs: int = EXACT_ROW_PAIRS
    common_docs: int = 4
    common_docs_any: int = 25
    story_days: int = STORY_DAYS
    story_docs: int = STORY_DOCS
    main_stride: int = MAIN_STRIDE
    workers: int = 2

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ConfigError(f"threshold must be in (0, 1]; got {self.threshold}")
        if self.window_days is not None and self.window_days < 0:
            raise ConfigError(f"window_days must be >= 0; got {self.window_days}")
        if self.workers < 1:
            raise ConfigError(f"workers must be >= 1; got {self.workers}")
        if self.main_stride < 1:
            raise ConfigError(f"main_stride must be >= 1; got {self.main_stride}")
        if self.title_df < 0:
            raise ConfigError(f"title_df must be >= 0; got {self.title_df}")
        if self.common_docs < 2:
            raise ConfigError(f"common_docs must be >= 2; got {self.common_docs}")
        if self.story_days < 0 or self.story_docs < 0:
            raise ConfigError(f"story_days and story_docs must be >= 0; got {self.story_days}, {self.story_docs}")


@dataclass(slots=True)
class DetectReport:
    """What a detect run did."""

    documents: int = 0
    indexed: int = 0
    candidates: int = 0
    verified: int = 0
    reused_pairs: int = 0
    dropped: int = 0
    skipped_buckets: int = 0
    families: int = 0
    by_relation: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def compact_report(d: dict[str, Any]) -> dict[str, Any]:
    """A compare report without the text of its spans (offsets are kept; texts are in the store)."""

    def strip(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if not (k == "text" and "start" in x)}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x

    out = strip({k: v for k, v in d.items() if k not in ("source", "derivative")})
    out["source"] = {"id": d["source"]["id"]}
    out["derivative"] = {"id": d["derivative"]["id"]}
    return out  # type: ignore[no-any-return]


def hydrate_report(d: dict[str, Any], source: Document, derivative: Document) -> dict[str, Any]:
    """Put back the texts (and document metadata) :func:`compact_report` left out."""
    texts = {"source": source.text, "derivative": derivative.text}

    def fill(x: Any, side: str | None) -> Any:
        if isinstance(x, dict):
            out = {k: fill(v, k if k in texts else side) for k, v in x.items()}
            if "start" in x and "end" in x and side in texts and "text" not in x:
                out["text"] = texts[side][x["start"] : x["end"]]
            return out
        if isinstance(x, list):
            return [fill(v, side) for v in x]
        return x

    out = {
        k: fill(v, "derivative" if k in ("added",) else "source" if k == "omitted" else None)
        for k, v in d.items()
        if k not in ("source", "derivative")
    }
    for k in ("passages", "sentence_links", "quotes", "attribution_drift"):
        out[k] = fill(d.get(k, []), None)
    for a in out.get("attribution_drift", []):
        if a.get("closest_source") and "text" not in a["closest_source"]:
            cs = a["closest_source"]
            cs["text"] = source.text[cs["start"] : cs["end"]]
    out["source"], out["derivative"] = source.summary(), derivative.summary()
    return out


# -- verification workers --------------------------------------------------------------------
_DOCS: dict[str, Document] = {}
_COMMON: Commonness | None = None
_ENCODER: Any = None


Candidate = tuple[str, str, str] | tuple[str, str, str, tuple[Pivot, ...]]
"""A pair to verify: its two ids (sorted), the rule that proposed it, and where a third
document links them, the :class:`~newstrace.align.Pivot` spans (:func:`hub_pivots`)."""


def _verify(pair: Candidate) -> dict[str, Any]:
    a_id, b_id, why, *rest = pair
    return verify_pair(_DOCS[a_id], _DOCS[b_id], why, _ENCODER, commonness=_COMMON, pivots=rest[0] if rest else ())


def passage_fingerprints(
    text: str, spans: list[tuple[int, int]], *, shingle: int = 5, modulus: int = 8
) -> np.ndarray:
    """The sampled form fingerprints of the given spans of ``text`` (sorted, unique): what a
    verdict's common-text discount rests on."""
    parts = [
        sample_fingerprints(shingle_hashes(form_words(words(text[s:e])), shingle), modulus) for s, e in spans
    ]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)


def verify_pair(
    a: Document,
    b: Document,
    why: str,
    encoder: Any = None,
    commonness: Commonness | None = None,
    pivots: Sequence[Pivot] = (),
) -> dict[str, Any]:
    """Align one candidate pair (knowing ``pivots``, spans of ``a`` and ``b`` that render the
    same passage of a third document) and shape the row the store keeps for it."""
    r = compare(a, b, encoder=encoder, commonness=commonness, pivots=pivots)
    d = r.to_dict()
    x, y = sorted((a.id, b.id))
    fps = passage_fingerprints(
        r.derivative.text, [(p["derivative"]["start"], p["derivative"]["end"]) for p in d["passages"]]
    )
    return {
        "a": x, "b": y, "source": r.source.id, "derivative": r.derivative.id, "relation": r.relation,
        "confidence": r.direction.confidence, "coverage_source": r.coverage["source"]["total"],
        "coverage_derivative": r.coverage["derivative"]["total"], "candidate": why,
        "report": json.dumps(compact_report(d), ensure_ascii=False, sort_keys=True),
        "hash_a": "", "hash_b": "", "fingerprints": fps.astype(np.uint64).tobytes(),
        "direction": d["direction"].get("kind", "directed"),
        "passages": [(p["kind"], p["score"], p["source"]["start"], p["source"]["end"],
                      p["derivative"]["start"], p["derivative"]["end"]) for p in d["passages"]],
    }  # fmt: skip


# -- the run ---------------------------------------------------------------------------------
IndexRow = tuple[str, str, bytes, bytes, bytes, int, bytes]
"""A document's index entry: ``(doc_id, text_hash, minhash, fingerprints, terms, shingles,
forms)`` (:meth:`~newstrace.store.Store.put_index`)."""

INDEX_TASK = 250
"""Documents a worker sketches per task (:func:`index_documents`)."""


def sketch_documents(docs: Sequence[tuple[str, str, str]], params: DetectParams) -> list[IndexRow]:
    """The index entries of ``(doc_id, text_hash, text)`` documents: MinHash signature,
    sampled shingle fingerprints, term hashes, shingle count and sampled fingerprints of the
    word forms. Each document's entry depends on its text alone."""
    shingles, terms, forms = [], [], []
    for _, _, text in docs:
        ws = words(text)
        shingles.append(shingle_hashes(ws, params.shingle))
        terms.append(term_hashes(ws))
        forms.append(sample_fingerprints(shingle_hashes(form_words(ws), params.shingle), params.fingerprint_mod))
    sigs = signatures(shingles, params.num_perm)
    return [
        (doc_id, thash, sig.tobytes(), sample_fingerprints(sh, params.fingerprint_mod).tobytes(),
         tm.tobytes(), len(sh), fm.tobytes())
        for (doc_id, thash, _), sh, sig, tm, fm in zip(docs, shingles, sigs, terms, forms, strict=True)
    ]  # fmt: skip


_INDEX_PARAMS: DetectParams | None = None


def _sketch_task(docs: Sequence[tuple[str, str, str]]) -> list[IndexRow]:
    assert _INDEX_PARAMS is not None
    return sketch_documents(docs, _INDEX_PARAMS)


def index_documents(
    store: Store, params: DetectParams, on_progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Compute sketches (:func:`sketch_documents`) for new or changed documents, in
    ``params.workers`` forked processes when there are enough of them (:data:`INDEX_TASK`
    documents a task, written as they come back, in order). Returns how many were indexed."""
    global _INDEX_PARAMS
    todo = store.documents_to_index()
    tasks = [todo[k : k + INDEX_TASK] for k in range(0, len(todo), INDEX_TASK)]
    forking = params.workers > 1 and len(tasks) > 1 and "fork" in mp.get_all_start_methods()
    _INDEX_PARAMS = params
    done, rows = 0, []
    try:
        with contextlib.ExitStack() as stack:
            if forking:
                pool = stack.enter_context(mp.get_context("fork").Pool(min(params.workers, os.cpu_count() or 1)))
                sketched: Iterable[list[IndexRow]] = pool.imap(_sketch_task, tasks)
            else:
                sketched = map(_sketch_task, tasks)
            for k, part in enumerate(sketched):
                rows.extend(part)
                if len(rows) >= 2000 or k == len(tasks) - 1:  # written 2,000 at a time, as before
                    store.put_index(rows)
                    done += len(rows)
                    rows = []
                    if on_progress:
                        on_progress("index", done, len(todo))
    finally:
        _INDEX_PARAMS = None
    return len(todo)


def corpus_commonness(
    forms: Sequence[np.ndarray],
    outlets: Sequence[str | None],
    params: DetectParams,
    titles: Sequence[str | None] = (),
    dates: Sequence[date | None] = (),
) -> Commonness:
    """The corpus's common text and formulas: form fingerprints (see
    :func:`~newstrace.index.shingles.form_words`) that ``params.common_docs`` or more documents
    of one outlet hold, or ``params.common_docs_any`` documents of any outlets. (A story that
    spreads recurs across outlets: its copies are what newstrace traces, so the bar across
    outlets is higher than within one.) With the documents' publication ``dates``, a few
    documents of one outlet published within days of each other are a story's spread, not its
    formula (``params.story_days``, ``params.story_docs``: see :func:`common_forms`). With the
    documents' ``titles``, how many titles hold each title word
    (:func:`~newstrace.analyze.evidence.other_subjects`)."""
    common = np.zeros(0, np.uint64)
    if forms and any(len(f) for f in forms):
        codes: dict[str | None, int] = {}
        doc_codes = [codes.setdefault(o, len(codes)) for o in outlets]
        owner = np.concatenate(
            [np.full(len(f), c, dtype=np.int64) for f, c in zip(forms, doc_codes, strict=True)]
        )
        days = None
        if dates:
            days = np.concatenate([np.full(len(f), publication_day(d)) for f, d in zip(forms, dates, strict=True)])
        common = common_forms(
            np.concatenate(forms), owner, params.common_docs, params.common_docs_any, days,
            story_days=params.story_days, story_docs=params.story_docs,
        )  # fmt: skip
    return Commonness(common, params.common_docs, params.shingle, params.fingerprint_mod,
                      title_df=title_frequencies(titles) if titles else None, titles=len(titles))  # fmt: skip


def common_forms(
    values: np.ndarray,
    outlet_codes: np.ndarray,
    per_outlet: int,
    any_outlet: int,
    days: np.ndarray | None = None,
    *,
    story_days: int = STORY_DAYS,
    story_docs: int = STORY_DOCS,
) -> np.ndarray:
    """Sorted fingerprints held by ``per_outlet`` documents of one outlet or ``any_outlet`` in
    all (``values``: each document's distinct fingerprints, concatenated; ``outlet_codes``: the
    outlet of the document each value came from).

    ``days``, the publication day (a date's ordinal; NaN: undated) of the document each value
    came from, tells a story's spread from a formula: the holders in one outlet of a passage,
    ``story_docs`` or fewer, all dated within ``story_days`` of each other, in an outlet whose
    dated documents span more days than that, are a story sent again and followed up (its
    paragraphs restated word for word), and do not make the passage common there. Undated
    holders, or an outlet whose documents all fall within those days, tell nothing: they count.

    >>> common_forms(np.array([7, 7, 7, 9, 9], np.uint64), np.array([0, 0, 1, 0, 1]), 2, 5).tolist()
    [7]
    >>> days = np.array([1.0, 2.0, 9.0, 1.0, 5.0])  # 7 held on days 1 and 2, 9 on days 9 and 1
    >>> common_forms(np.array([7, 7, 9, 9, 8], np.uint64), np.zeros(5, np.int64), 2, 5, days).tolist()
    [9]
    """
    if len(values) == 0:
        return np.zeros(0, np.uint64)
    order = np.lexsort((outlet_codes, values))
    v, c = values[order], outlet_codes[order]
    new_pair = np.ones(len(v), dtype=bool)
    new_pair[1:] = (v[1:] != v[:-1]) | (c[1:] != c[:-1])
    starts = np.flatnonzero(new_pair)
    pair_counts = np.diff(np.append(starts, len(v)))
    pair_values = v[starts]
    enough = pair_counts >= per_outlet
    if days is not None:
        d = np.asarray(days, dtype=np.float64)
        n_outlets = int(outlet_codes.max()) + 1
        first = np.full(n_outlets, np.inf)
        last = np.full(n_outlets, -np.inf)
        dated = ~np.isnan(d)
        np.minimum.at(first, outlet_codes[dated], d[dated])
        np.maximum.at(last, outlet_codes[dated], d[dated])
        ds = d[order]
        # (np.minimum and np.maximum carry NaN: one undated holder and the span is not known.)
        span = np.maximum.reduceat(ds, starts) - np.minimum.reduceat(ds, starts)
        enough &= ~story_spread(pair_counts, span, (last - first)[c[starts]], story_days, story_docs)
    new_value = np.ones(len(pair_values), dtype=bool)
    new_value[1:] = pair_values[1:] != pair_values[:-1]
    vstarts = np.flatnonzero(new_value)
    best = np.maximum.reduceat(enough, vstarts)
    total = np.add.reduceat(pair_counts, vstarts)
    keep = best | (total >= any_outlet)
    return np.sort(pair_values[vstarts][keep].astype(np.uint64))


def publication_day(d: date | None) -> float:
    """A publication date as :func:`common_forms` reads it: its ordinal, NaN when undated."""
    return math.nan if d is None else float(d.toordinal())


def story_spread(holders: Any, span: Any, outlet_span: Any, story_days: int, story_docs: int) -> Any:
    """Whether the documents of one outlet that hold a passage are a story's spread
    (:func:`common_forms`): ``holders`` of them (at most ``story_docs``), published within
    ``span`` days (at most ``story_days``; NaN, one undated, is never), in an outlet whose dated
    documents span ``outlet_span`` days (more than ``story_days``). Numbers or numpy arrays
    alike: local ``detect`` asks it of every passage at once, the Spark job of one.

    >>> story_spread(4, 1.0, 30.0, 2, 8), story_spread(11, 0.0, 30.0, 2, 8), story_spread(4, math.nan, 30.0, 2, 8)
    (True, False, False)
    """
    return (holders <= story_docs) & (span <= story_days) & (outlet_span > story_days)


def candidate_pairs(
    store: Store,
    params: DetectParams,
    report: DetectReport,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> tuple[dict[tuple[str, str], str], Commonness]:
    """Every candidate pair of the corpus (ids sorted within the pair) and what proposed it, and
    the corpus's common text (from the same fingerprints)."""
    ids: list[str] = []
    outlets: list[str | None] = []
    dates: list[date | None] = []
    sig_rows: list[np.ndarray] = []
    fps: list[np.ndarray] = []
    forms: list[np.ndarray] = []
    terms: list[np.ndarray] = []
    titles: list[str | None] = []
    sizes: list[int] = []
    published: list[str | None] = []
    # A headline flash is proposed with the texts of its hour only (by their rare words: with
    # ``params.terms``), and counts in no statistic of the corpus (its title is no story's, its
    # form no chrome).
    flashes = headline_flashes(store)
    flash_rows: list[tuple[str, str | None, frozenset[int]]] = []
    for r in store.index_entries():  # keep the sketches, not the rows
        if r["doc_id"] in flashes:
            terms_f = frozenset(np.frombuffer(r["terms"], dtype=np.uint64).tolist())
            flash_rows.append((r["doc_id"], r["published"], terms_f))
            continue
        ids.append(r["doc_id"])
        published.append(r["published"])
        outlets.append(r["outlet"])
        titles.append(r["title"])
        sizes.append(r["chars"])
        dates.append(to_date(r["published"]))
        sig_rows.append(np.frombuffer(r["minhash"], dtype=np.uint32))
        fps.append(np.frombuffer(r["fingerprints"], dtype=np.uint64))
        forms.append(np.frombuffer(r["forms"], dtype=np.uint64))
        if params.terms:
            terms.append(np.frombuffer(r["terms"], dtype=np.uint64))
    common = corpus_commonness(forms, outlets, params, titles, dates)
    title_sets = [title_words(t) for t in titles] if params.title_df else []
    del forms, titles
    found: dict[tuple[str, str], str] = {}
    if flash_rows and params.terms:
        every = [*ids, *(f[0] for f in flash_rows)]
        moments = [*(to_time(t) for t in published), *(to_time(f[1]) for f in flash_rows)]
        term_sets: list[Collection[int]] = [*terms, *(f[2] for f in flash_rows)]
        for i, j in sorted(flash_candidates(range(len(ids), len(every)), moments, term_sets)):
            found[(every[i], every[j]) if every[i] < every[j] else (every[j], every[i])] = "flash"
    del published
    if len(ids) < 2:
        return found, common
    sigs = np.vstack(sig_rows)
    del sig_rows
    bands, rows_per_band = optimal_bands(params.threshold, params.num_perm)
    lsh, skipped = lsh_candidates(
        sigs, bands=bands, rows=rows_per_band, max_bucket=params.max_bucket
    )
    report.skipped_buckets = skipped
    fp_pairs = fingerprint_candidates(
        fps, min_shared=params.min_shared, max_df=params.max_bucket, groups=outlets
    )
    # In the order of CANDIDATE_KINDS: the first kind to propose a pair names it.
    proposed = [*((p, "lsh") for p in sorted(lsh)), *((p, "fingerprint") for p in sorted(fp_pairs))]
    if params.terms:
        proposed += [(p, "terms") for p in sorted(term_candidates(terms, max_df=params.max_bucket))]
    if params.title_df:
        by_title = title_candidates(
            title_sets, sizes, max_df=params.title_df, max_size=TITLE_ITEM_CHARS, min_shared=TITLE_SHARED_WORDS
        )
        proposed += [(p, "title") for p in sorted(by_title)]
    for (i, j), why in proposed:
        if not within_window(dates[i], dates[j], params.window_days):
            continue
        key = (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i])
        found.setdefault(key, why)
    if params.semantic:
        for key, why in semantic_pairs(store, ids, params, dates=dates, on_progress=on_progress).items():
            found.setdefault(key, why)
    return found, common


def headline_flashes(store: Store) -> set[str]:
    """The ids of the store's headline flashes (:func:`~newstrace.clean.pages.is_headline_flash`)."""
    return {i for i, title, text in store.short_texts(FLASH_CHARS) if is_headline_flash(text, title)}


def within_window(a: date | None, b: date | None, window_days: int | None) -> bool:
    """Whether two publication dates let their documents be a candidate pair: no window, a
    date not known, or at most ``window_days`` apart (``--window-days``, for every kind of
    candidate, lexical or semantic).

    >>> within_window(date(2020, 1, 1), date(2020, 1, 4), 3), within_window(date(2020, 1, 1), None, 0)
    (True, True)
    >>> within_window(date(2020, 1, 1), date(2020, 1, 5), 3)
    False
    """
    return window_days is None or a is None or b is None or abs((a - b).days) <= window_days


SEMANTIC_LEAD = 3
"""Sentences (of 5 words or more) whose mean vector is a document's lead vector. Three, not the
four or six of before: the lead is embedded for every document, and in a corpus of one
language it is all that is embedded (a quarter fewer words through the encoder with three than
with four on the benchmark's articles; at 100,230 articles the embedding ended at 413 s
instead of 517 in the same hour). Measured before it was kept, with ``--semantic``: the real labelled news
(``eval real eval/real``) 679 of its 862 reuse pairs found at precision 0.913, against 681 at
0.906 with four; the generated families (``eval families``), ``eval/multilingual`` and
``eval/unseen`` the same figures to the digit (README, Performance). Stored vectors are keyed by
it (:func:`vector_model`)."""
SEMANTIC_WINDOW = (1, 1)
"""Sentences per window vector, and the step between windows, over the sentences of five words
or more: a translated excerpt of a few sentences set into another article meets its original
in one of them. Single sentences: on ``eval/multilingual`` each labelled translated excerpt
in languages the encoder was trained on has a sentence at 0.69 or closer to one of its
original (p50 0.77), and the two are among the five nearest of other languages of one of them;
windows of three sentences (step one) mixed the excerpt with the text around it: 17 of the
set's 28 excerpts were not proposed with them, 7 with single sentences (reuse-pair recall
0.835 and 0.881, precision 0.979 and 0.980; about as many vectors).
A window never holds a sentence under five words ("Photo: Reuters."), which meets too much.
Stored vectors are keyed by this too."""


def _window_starts(n: int, stride: int, lead: int = 0) -> list[int]:
    """The first long sentence of each window vector of a document with ``n`` long sentences
    (:data:`SEMANTIC_WINDOW`), the first ``lead`` of which are its lead's: every window, or
    with ``stride`` > 1 those within the lead (embedded anyway) and, after it, every
    ``stride``-th window of the document counted from its first (the same ones whatever the
    lead's length: a translated excerpt of two sentences meets the same sampled sentence).

    >>> _window_starts(12, 1), _window_starts(12, 3, 6), _window_starts(12, 3, 4)
    ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [0, 1, 2, 3, 4, 5, 6, 9], [0, 1, 2, 3, 6, 9])
    """
    size, step = SEMANTIC_WINDOW
    starts = list(range(0, max(1, n - size + 1), step)) if n else []
    if n > size and starts[-1] != n - size:
        starts.append(n - size)
    if stride == 1:
        return starts
    inside = [k for k in starts if k + size <= lead]
    return inside + [k for i, k in enumerate(starts) if i >= len(inside) and i % stride == 0]


def embedded_sentences(text: str, *, windows: int) -> tuple[list[str], list[int]]:
    """The sentences :func:`document_vectors` embeds and the positions of the lead's among
    them: with ``windows`` 0, the lead's alone; 1, all of them; ``n`` > 1, the lead's
    and those of every ``n``-th window after it (:data:`MAIN_STRIDE`)."""
    sents, lead_rows, _ = _embedding_plan(text, windows)
    return sents, lead_rows


_Plan = tuple[list[str], list[int], list[list[int]]]
"""A document's :func:`_embedding_plan`: its sentences embedded, the lead's and each window's
positions among them."""


def _embedding_plan(text: str, windows: int) -> _Plan:
    """:func:`embedded_sentences` and, for each window vector, the positions of its sentences."""
    from newstrace.clean.text import split_sentences, word_count

    sents = [text[s.start : s.end] for s in split_sentences(text)]
    long = [k for k, s in enumerate(sents) if word_count(s) >= 5]
    lead_rows = long[:SEMANTIC_LEAD]
    if not windows:
        # The lead's sentences alone (without one, the text's start: _plan_texts): the rest,
        # short sentences between the lead's too, would not be used.
        return [sents[k] for k in lead_rows], list(range(len(lead_rows))), []
    size = SEMANTIC_WINDOW[0]
    groups = [long[k : k + size] for k in _window_starts(len(long), windows, len(lead_rows))]
    if windows == 1:
        return sents, lead_rows, groups
    keep = sorted({*lead_rows, *(k for g in groups for k in g)})
    pos = {k: i for i, k in enumerate(keep)}
    return [sents[k] for k in keep], [pos[k] for k in lead_rows], [[pos[k] for k in g] for g in groups]


def _plan_texts(text: str, plan: _Plan) -> list[str]:
    """What a document's :func:`_embedding_plan` embeds: its sentences, and the text's first
    500 characters when none of them makes a lead."""
    sents, lead_rows, _ = plan
    return sents if lead_rows else [*sents, text[:500] or " "]


def _vectors_from(plan: _Plan, vecs: np.ndarray) -> np.ndarray:
    """A document's :func:`document_vectors` from the vectors of its :func:`_plan_texts`."""
    sents, lead_rows, groups = plan
    rows = [vecs[lead_rows].mean(axis=0) if lead_rows else vecs[len(sents)]]
    rows.extend(vecs[g].mean(axis=0) for g in groups)
    out: np.ndarray = np.vstack(rows).astype(np.float32)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


def document_vectors(text: str, encoder: Any, *, windows: int) -> np.ndarray:
    """The unit vectors a document is indexed by, one row each: its lead (the mean embedding of
    its first :data:`SEMANTIC_LEAD` sentences of five words or more) first, then, with
    ``windows`` (1, or a stride: :func:`embedded_sentences`), the mean of each run of
    :data:`SEMANTIC_WINDOW` sentences."""
    plan = _embedding_plan(text, windows)
    return _vectors_from(plan, encoder.encode(_plan_texts(text, plan)))


EMBED_CHUNK = 2000
"""Documents read from the store and embedded at a time (bounded memory)."""
_EMBED_ENCODER: Any = None


EMBED_TASK = 256
"""Sentences a worker embeds per task. The encoder packs whole sentences into passes of a token
budget and the last pass of a task is part empty (filled with filler rows): the larger the
task, the smaller that share (one pass in about 20 at 256 sentences), while a chunk's
sentences still make enough tasks to keep every worker busy to its end."""


POOL_MIN_SENTENCES = 200
"""New sentences a job must hold before :func:`embed_stream` forks its workers: fewer embed in
well under a second in the parent, about what the fork and the hand-back cost."""


def _embed_task(sentences: list[str]) -> np.ndarray:
    fresh = getattr(_EMBED_ENCODER, "embed_uncached", None)
    out: np.ndarray = fresh(sentences) if fresh is not None else _EMBED_ENCODER.encode(sentences)
    return out


def embed_stream(
    jobs: Iterable[tuple[Sequence[str], int, Any]], encoder: Any, *, workers: int = 1
) -> Iterator[tuple[Any, list[bytes]]]:
    """For each ``(texts, windows, payload)`` of ``jobs``, in order, ``(payload, vectors)``:
    the :func:`document_vectors` of each text (``windows`` as there), as bytes.

    A sentence is embedded once for the whole stream, however many documents hold it (copies
    share most of theirs): what ``encoder`` holds already (:meth:`held`, where it has one) is
    not embedded again, and every sentence embedded is given to its cache (``remember``), so
    that verification, forked from this process later, embeds none of them again. With
    ``workers`` > 1 the sentences are embedded in one pool of forked processes for the whole
    stream (the encoder, loaded before the fork, shared copy-on-write), :data:`EMBED_TASK` a
    task; a job is split and planned, and the one before it written by the caller, while the
    workers embed, so that they never wait for the parent. A sentence's vector does not
    depend on what it is embedded with, so the bytes are the same in one process or many."""
    global _EMBED_ENCODER
    held = getattr(encoder, "held", None)
    remember = getattr(encoder, "remember", None)
    pool: Any = None
    pending: tuple[Any, list[tuple[_Plan, list[str]]], dict[str, np.ndarray], list[str], Any] | None = None

    def finish(job: Any) -> tuple[Any, list[bytes]]:
        payload, planned, have, new, result = job
        if result is not None:
            vecs = np.vstack(result.get())
            if remember is not None:
                remember(new, vecs)
        else:
            vecs = encoder.encode(new) if new else np.zeros((0, 1), dtype=np.float32)
        have.update(zip(new, vecs, strict=True))
        out = []
        for plan, need in planned:
            # A sentence another job was embedding when this one was planned: in the cache now.
            rest = [s for s in need if s not in have]
            if rest:
                have.update(zip(rest, encoder.encode(rest), strict=True))
            out.append(_vectors_from(plan, np.stack([have[s] for s in need])).tobytes())
        return payload, out

    _EMBED_ENCODER = encoder
    try:
        for texts, windows, payload in jobs:
            plans = [_embedding_plan(t, windows) for t in texts]
            planned = [(p, _plan_texts(t, p)) for t, p in zip(texts, plans, strict=True)]  # each text split once
            wanted = list(dict.fromkeys(s for _, need in planned for s in need))
            have: dict[str, np.ndarray] = held(wanted) if held is not None else {}
            flying = set(pending[3]) if pending is not None else set()
            new = [s for s in wanted if s not in have and s not in flying]
            if pool is None and workers > 1 and len(new) > POOL_MIN_SENTENCES and "fork" in mp.get_all_start_methods():
                pool = mp.get_context("fork").Pool(min(workers, os.cpu_count() or 1))
            result = None
            if pool is not None and new:
                tasks = [new[k : k + EMBED_TASK] for k in range(0, len(new), EMBED_TASK)]
                result = pool.map_async(_embed_task, tasks, chunksize=1)
            if pending is not None:
                yield finish(pending)
            pending = (payload, planned, have, new, result)
        if pending is not None:
            yield finish(pending)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _EMBED_ENCODER = None


def embed_documents(texts: Sequence[str], encoder: Any, *, windows: int, workers: int = 1) -> list[bytes]:
    """:func:`document_vectors` of each text, as bytes (:func:`embed_stream` of one job)."""
    [(_, vectors)] = embed_stream([(texts, windows, None)], encoder, workers=workers)  # run to its end
    return vectors


def semantic_floors(params: DetectParams, profile: Any) -> tuple[float, float]:
    """The cosines at which document vectors make a candidate pair: lead vectors of one
    language (``params.semantic_min``, else the encoder's ``neighbours``), and any vectors of
    two languages (the encoder's ``translation_neighbours``)."""
    floor = params.semantic_min if params.semantic_min is not None else profile.neighbours
    return float(floor), float(profile.translation_neighbours)


def is_multilingual(languages: Iterable[str | None]) -> bool:
    """Whether a corpus holds two languages or more (then documents get window vectors too).

    >>> is_multilingual(["en", None, "en"]), is_multilingual(["en", "es"])
    (False, True)
    """
    return len({x for x in languages if x}) >= 2


def main_language(counts: Mapping[str | None, int]) -> str | None:
    """The language of more than half of the documents whose language is known, if one is
    (``counts``: documents per language, ``None`` for unknown).

    >>> main_language(Counter(["en", "en", "es", None])), main_language(Counter(["en", "es", "de", "en"]))
    ('en', None)
    """
    known = {lang: n for lang, n in counts.items() if lang}
    if not known:
        return None
    lang = min(known, key=lambda x: (-known[x], x))
    return lang if 2 * known[lang] > sum(known.values()) else None


def proposes_across(language: str | None, main: str | None) -> bool:
    """Whether a document of ``language`` picks its ``semantic_k`` nearest partners of other
    languages (:func:`nearest_pairs`), in a corpus whose :func:`main_language` is ``main``.
    A document of the main language does not: it is met by the documents of the others,
    each of which takes its nearest among all of it. Were it to pick too, every main-language
    article with one sentence near a sentence of a foreign one would add its nearest foreign
    articles: on the benchmark's 10,230 articles (10,000 English, 230 in eight languages),
    1,346 candidate pairs of two languages instead of 262, the 186 labelled translated pairs
    among them either way, and verifying a pair of two languages costs about 0.16 s of a core.
    Without a main language every document picks.

    >>> proposes_across("en", "en"), proposes_across("de", "en"), proposes_across("en", None)
    (False, True, True)
    """
    return main is None or language != main


def window_strides(
    languages: Sequence[str | None], main_stride: int, anchored: Sequence[bool] | None = None
) -> list[int]:
    """The ``windows`` argument of :func:`document_vectors` for each document of a corpus of
    these ``languages``: 0 (the lead only) while it holds one language; else 1 (every
    sentence), or for the documents of its :func:`main_language` ``main_stride``, and 0 for
    those of them not ``anchored`` when given (:func:`document_stride`).

    >>> window_strides(["en", None], 3), window_strides(["en", "en", "de"], 3, [True, False, False])
    ([0, 0], [3, 0, 1])
    """
    counts = Counter(languages)
    of, main = language_strides(counts, main_stride), main_language(counts)
    flags = [True] * len(languages) if anchored is None else anchored
    return [document_stride(x, of, main, a) for x, a in zip(languages, flags, strict=True)]


def document_stride(language: str | None, of: Mapping[str | None, int], main: str | None, anchored: bool) -> int:
    """A document's ``windows`` (:func:`document_vectors`): its language's (``of``:
    :func:`language_strides`), except that a document of the ``main`` language gets none (its
    lead only) unless it is ``anchored``, sharing a rare name or figure with a document of
    another language (:func:`anchored_main`). A main-language document's windows are only ever
    compared with the other languages' vectors, to find a translated passage inside it, and a
    translated passage keeps its names and figures; on the benchmark's 100,230 articles the
    windows of every third sentence of the English ones were about half of the encoder's rows
    and more than half of ``detect --semantic``'s time (see README, Performance).

    >>> of = {"en": 3, "de": 1}
    >>> [document_stride(x, of, "en", a) for x, a in (("en", False), ("en", True), ("de", False))]
    [0, 3, 1]
    """
    stride = of.get(language, 0)
    return 0 if main is not None and language == main and not anchored else stride


def language_strides(counts: Mapping[str | None, int], main_stride: int) -> dict[str | None, int]:
    """:func:`window_strides` by language, from the documents per language (``counts``)."""
    if not is_multilingual(counts):
        return dict.fromkeys(counts, 0)
    main = main_language(counts)
    return {x: main_stride if main is not None and x == main else 1 for x in counts}


def vector_model(base: str, windows: int) -> str:
    """The key stored document vectors are kept by: the encoder's name and version
    (``base``), the sentences of the lead (:data:`SEMANTIC_LEAD`), and which windows they hold
    (:func:`window_strides`).

    >>> vector_model("use@2", 0), vector_model("use@2", 1), vector_model("use@2", 3)
    ('use@2+lead3', 'use@2+lead3+windows1x1of5', 'use@2+lead3+windows1x1of5every3')
    """
    kind = f"{base}+lead{SEMANTIC_LEAD}"
    if not windows:
        return kind
    kind = f"{kind}+windows{SEMANTIC_WINDOW[0]}x{SEMANTIC_WINDOW[1]}of5"
    return kind if windows == 1 else f"{kind}every{windows}"


def languages_differ(a: str | None, b: str | None) -> bool:
    """Both languages known and different: a pair for the translation rule, not the rewrite one."""
    return bool(a and b and a != b)


def nearest_partners(doc: str, partners: Iterable[tuple[float, str]], k: int) -> list[tuple[str, str]]:
    """``doc``'s pairs with its ``k`` closest partners (``(cosine, partner id)``), ids sorted in
    each pair; equal cosines go to the smaller id, so that no order of the corpus decides.

    >>> nearest_partners("b", [(0.9, "c"), (0.95, "a"), (0.9, "d")], 2)
    [('a', 'b'), ('b', 'c')]
    """
    best = sorted(partners, key=lambda x: (-x[0], x[1]))[:k]
    return [(doc, o) if doc < o else (o, doc) for _, o in best]


def nearest_pairs(
    pairs: Mapping[tuple[str, str], float], k: int, proposes: Callable[[str], bool] | None = None
) -> set[tuple[str, str]]:
    """The pairs that are among the ``k`` closest partners of either of their documents (of
    one for which ``proposes`` holds, when given).

    >>> close = {("a", "x"): 0.9, ("b", "x"): 0.8, ("c", "x"): 0.7}
    >>> sorted(nearest_pairs(close, 1)), sorted(nearest_pairs(close, 1, lambda doc: doc == "x"))
    ([('a', 'x'), ('b', 'x'), ('c', 'x')], [('a', 'x')])
    """
    partners: dict[str, list[tuple[float, str]]] = {}
    for (a, b), c in pairs.items():
        partners.setdefault(a, []).append((c, b))
        partners.setdefault(b, []).append((c, a))
    return {
        pair
        for doc, lst in partners.items()
        if proposes is None or proposes(doc)
        for pair in nearest_partners(doc, lst, k)
    }


def semantic_candidates(
    ids: Sequence[str],
    languages: Sequence[str | None],
    vectors: Sequence[np.ndarray],
    params: DetectParams,
    profile: Any,
    dates: Sequence[date | None] | None = None,
    *,
    wide: bool = False,
    anchor_sets: Sequence[frozenset[str]] | None = None,
) -> dict[tuple[str, str], str]:
    """The candidate rules over document vectors (see :func:`semantic_pairs`), as a pure
    function of the corpus: ``vectors[k]`` holds document ``ids[k]``'s rows of
    :func:`document_vectors`, ``dates[k]`` its publication date (pairs outside
    ``params.window_days`` are dropped before each document's nearest are chosen); with
    ``wide`` (the wide encoder is installed), :func:`untrained_partners` too; with
    ``anchor_sets`` (:func:`document_anchors`, one per id), each document's ``semantic_k``
    partners of other languages among :func:`anchor_pairs`, most anchors first (without
    ``wide``, in languages the encoder was trained on only: :func:`aligned_by`). The Spark job
    applies the same rules, step by step, with the same functions."""
    from newstrace.index import ann

    if len(ids) < 2:
        return {}
    floor, near = semantic_floors(params, profile)
    bits, tables = params.semantic_bits, params.semantic_tables
    when = list(dates) if dates is not None else [None] * len(ids)

    def allowed(i: int, j: int) -> bool:
        return within_window(when[i], when[j], params.window_days)

    lead = np.vstack([v[0] for v in vectors])
    same = {
        (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i]): c
        for (i, j), c in ann.ann_pairs(lead, np.arange(len(ids)), min_cosine=floor, bits=bits, tables=tables).items()
        if not languages_differ(languages[i], languages[j]) and allowed(i, j)
    }
    out = {pair: "semantic" for pair in nearest_pairs(same, params.semantic_k)}
    if is_multilingual(languages):
        owners = np.concatenate([np.full(len(v), k) for k, v in enumerate(vectors)])
        # Rows of two known, different languages only: the pairs the rule below keeps.
        code = {x: k for k, x in enumerate(sorted({x for x in languages if x}))}
        group = np.array([code[x] if x else -1 for x in languages], dtype=np.int64)[owners]
        rows = np.vstack(vectors)
        if ann.exact_across_affordable(np.bincount(group[group >= 0]).tolist(), params.exact_row_pairs):
            # Few enough rows outside the main language: all pairs, exactly.
            every = ann.pairs_across_groups(rows, owners, group, min_cosine=near)
        else:
            every = ann.ann_pairs(rows, owners, min_cosine=near, bits=bits, tables=tables, groups=group)
        cross = {
            (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i]): c
            for (i, j), c in every.items()
            if languages_differ(languages[i], languages[j]) and allowed(i, j)
        }
        main = main_language(Counter(languages))
        lang_of = dict(zip(ids, languages, strict=True))

        def proposes(doc: str) -> bool:
            return proposes_across(lang_of[doc], main)

        for pair in nearest_pairs(cross, params.semantic_k, proposes):
            out.setdefault(pair, "translation")
        if wide:
            for pair in untrained_partners(ids, languages, vectors, params, profile, allowed):
                out.setdefault(pair, "translation")
        if anchor_sets is not None:

            def verifiable(i: int, j: int) -> bool:
                return allowed(i, j) and (wide or aligned_by(profile, languages[i], languages[j]))

            for pair in nearest_pairs(
                anchor_pairs(ids, languages, anchor_sets, verifiable), params.semantic_k, proposes
            ):
                out.setdefault(pair, "translation")
    return out


def aligned_by(profile: Any, *languages: str | None) -> bool:
    """Whether the encoder of ``profile`` was trained on each of ``languages`` (or does not
    say): without the wide encoder, a pair with another language is not worth proposing by
    names alone, as its sentences could not be aligned."""
    from newstrace.align.semantic import among

    return profile.languages is None or all(among(profile.languages, x) for x in languages)


UNTRAINED_FLOOR = 0.30
"""Cosine (of any two vectors) at or above which a document in a language the encoder was not
trained on may be paired with one of another language by :func:`untrained_partners`. Such
translations score low (Czech and Ukrainian sentences against their originals: median 0.43;
the best vectors of the 68 labelled copies and excerpts with either language in
``eval/multilingual``, 0.22-0.90, median 0.61), often under the translation floor, but the
original is among the five nearest documents of other languages of the Czech or Ukrainian one
for all 57 copies and 4 of the 11 excerpts; at 0.30 each such document has 49 partners on
average to choose from."""


def untrained_partners(
    ids: Sequence[str],
    languages: Sequence[str | None],
    vectors: Sequence[np.ndarray],
    params: DetectParams,
    profile: Any,
    allowed: Callable[[int, int], bool],
) -> set[tuple[str, str]]:
    """Candidate translations of the documents whose language the encoder was not trained on
    (``profile.languages``): each one's ``semantic_k`` nearest documents of other languages
    (best cosine of any two vectors, at :data:`UNTRAINED_FLOOR` or closer, ``allowed`` pairs
    only), by exact search (past ``params.exact_row_pairs`` row pairs, from their lead vectors
    only). Their verification needs the wide encoder
    (:func:`~newstrace.align.semantic.encoder_for`), so ``detect`` applies this rule only
    when it is installed."""
    from newstrace.align.semantic import among
    from newstrace.index import ann

    if profile.languages is None:
        return set()
    code = {x: k for k, x in enumerate(sorted({x for x in languages if x}))}
    untrained = np.array([not among(profile.languages, x) for x in languages], dtype=bool)
    if not untrained.any():
        return set()
    owners = np.concatenate([np.full(len(v), k) for k, v in enumerate(vectors)])
    group = np.array([code[x] if x else -1 for x in languages], dtype=np.int64)[owners]
    rows = np.vstack(vectors)
    probe = np.flatnonzero(untrained[owners])
    if len(probe) * len(rows) > params.exact_row_pairs:
        probe = np.flatnonzero(untrained[owners] & (np.diff(owners, prepend=-1) != 0))  # leads only
    close = ann.close_across(
        rows[probe], owners[probe].tolist(), group[probe], rows, owners.tolist(), group, UNTRAINED_FLOOR
    )
    partners: dict[int, list[tuple[float, str]]] = {}
    for (i, j), c in close.items():
        if not languages_differ(languages[i], languages[j]) or not allowed(i, j):
            continue
        for doc, other in ((i, j), (j, i)):
            if untrained[doc]:
                partners.setdefault(doc, []).append((c, ids[other]))
    return {pair for doc, lst in partners.items() for pair in nearest_partners(ids[doc], lst, params.semantic_k)}


ANCHOR_DF = 20
"""An anchor (:func:`~newstrace.align.crosslingual.anchors`) held by more documents than this
names a topic (a country, a party, a year), not a passage: :func:`anchor_pairs` ignores it."""


def document_anchors(text: str) -> frozenset[str]:
    """The anchors of every sentence of ``text`` (:func:`~newstrace.align.crosslingual.anchors`).

    >>> sorted(document_anchors("The SNP met. Later Matheson spoke in Westminster."))
    ['mathe', 'snp', 'westm']
    """
    from newstrace.align.crosslingual import anchors
    from newstrace.clean.text import split_sentences

    return frozenset().union(*(anchors(text[x.start : x.end]) for x in split_sentences(text)))


def corpus_anchors(texts: Sequence[str], workers: int = 1) -> list[frozenset[str]]:
    """:func:`document_anchors` of each text, in ``workers`` forked processes when there are
    many (54 s of one core for the 100,230 articles of ``benchmarks/detect.py``)."""
    if workers > 1 and len(texts) > 200 and "fork" in mp.get_all_start_methods():
        with mp.get_context("fork").Pool(min(workers, os.cpu_count() or 1)) as pool:
            return pool.map(document_anchors, texts, chunksize=50)
    return [document_anchors(t) for t in texts]


Holder = tuple[str, str | None]
"""A document holding an anchor: its id and language."""


def posting_pairs(holders: Iterable[Holder]) -> list[tuple[Holder, Holder]]:
    """The pairs of documents of two languages among the ``(id, language)`` holders of one
    anchor, each pair ordered by id; none when more than :data:`ANCHOR_DF` hold it. The step
    :func:`anchor_pairs` and the Spark job share.

    >>> posting_pairs([("b", "cs"), ("a", "en"), ("c", "en")])
    [(('a', 'en'), ('b', 'cs')), (('b', 'cs'), ('c', 'en'))]
    """
    docs = sorted(set(holders))
    if not 2 <= len(docs) <= ANCHOR_DF:
        return []
    return [
        (x, y) for k, x in enumerate(docs) for y in docs[k + 1 :] if languages_differ(x[1], y[1])
    ]


def anchor_postings(
    ids: Sequence[str], languages: Sequence[str | None], anchor_sets: Sequence[frozenset[str]]
) -> dict[str, list[Holder]]:
    """Each anchor of the corpus with its holders, the ``(id, language)`` of the documents
    whose :func:`document_anchors` hold it."""
    postings: dict[str, list[Holder]] = {}
    for doc, lang, held in zip(ids, languages, anchor_sets, strict=True):
        for anchor in held:
            postings.setdefault(anchor, []).append((doc, lang))
    return postings


def anchored_across(holders: Iterable[Holder], main: str | None) -> list[str]:
    """The documents of the ``main`` language among the ``(id, language)`` holders of one
    anchor, sorted, when it is rare (2 to :data:`ANCHOR_DF` holders) and a document of another
    known language holds it too; none otherwise. The step :func:`anchored_main` and the Spark
    job share.

    >>> anchored_across([("b", "cs"), ("a", "en"), ("c", "en")], "en")
    ['a', 'c']
    >>> anchored_across([("a", "en"), ("c", "en")], "en")
    []
    """
    docs = sorted(set(holders))
    if main is None or not 2 <= len(docs) <= ANCHOR_DF or not any(languages_differ(x, main) for _, x in docs):
        return []
    return [doc for doc, x in docs if x == main]


def anchored_main(
    ids: Sequence[str], languages: Sequence[str | None], anchor_sets: Sequence[frozenset[str]], main: str | None
) -> set[str]:
    """The documents of the ``main`` language (the corpus's :func:`main_language`) that share a
    rare anchor with a document of another language (:func:`anchored_across`): those that get
    window vectors (:func:`document_stride`).

    >>> sorted(anchored_main(["a", "b", "c", "d"], ["en", "en", "en", "cs"],
    ...                      [frozenset({"snp"}), frozenset({"nhs"}), frozenset(), frozenset({"snp", "#130"})], "en"))
    ['a']
    """
    postings = anchor_postings(ids, languages, anchor_sets)
    return {doc for holders in postings.values() for doc in anchored_across(holders, main)}


def anchor_pairs(
    ids: Sequence[str],
    languages: Sequence[str | None],
    anchor_sets: Sequence[frozenset[str]],
    allowed: Callable[[int, int], bool] | None = None,
) -> dict[tuple[str, str], int]:
    """Documents of two languages that share :data:`~newstrace.align.crosslingual.ANCHORED`
    rare anchors or more (each held by 2 to :data:`ANCHOR_DF` documents), with how many they
    share: a translated passage keeps its names and figures, so a translated excerpt inside
    an article about something else is proposed even when its document vectors are far from
    the original's (and when the encoder knows one of the languages poorly). ``allowed``
    filters pairs by position (the date window).

    >>> anchor_pairs(["a", "b", "c"], ["en", "cs", "en"],
    ...              [frozenset({"snp", "nhs", "mathe"}), frozenset({"snp", "nhs", "mathe", "#130"}),
    ...               frozenset({"snp", "nhs", "mathe"})])
    {('a', 'b'): 3, ('b', 'c'): 3}
    """
    from newstrace.align.crosslingual import ANCHORED

    postings = anchor_postings(ids, languages, anchor_sets)
    counts: dict[tuple[str, str], int] = {}
    for holders in postings.values():
        for x, y in posting_pairs(holders):
            counts[(x[0], y[0])] = counts.get((x[0], y[0]), 0) + 1
    position = {doc: k for k, doc in enumerate(ids)}
    return {
        pair: c
        for pair, c in sorted(counts.items())
        if c >= ANCHORED and (allowed is None or allowed(position[pair[0]], position[pair[1]]))
    }


HUB_PARTNERS = 20
"""A document reused by more documents than this is not a hub for :func:`hub_pairs` (the
pairs among its reusers grow as their square; such a story's spread is found by the other
rules)."""
MIN_HUB_OVERLAP = 150
"""Characters of a hub's text that two documents' passages must both hold (about a
sentence): the same passage, not two passages of one long article. (200 missed the Czech
host of a one-paragraph excerpt whose passage held one English sentence of 171 characters.)"""
PIVOT_SLACK = 0.25
"""A pivot's span of a text is the part of a passage that renders the hub's shared text,
found by proportion (translations run at their own length ratio), widened by this share of
its length on each side (within the passage)."""

HubSpan = tuple[str, str | None, int, int, int, int]
"""A document that reuses part of a hub: its id, its language, the span of the hub's text
(start, end) that one of its passages holds, and the span of its own text (start, end) the
passage holds."""


def hub_spans(
    source: str, derivative: str, passages: Iterable[tuple[int, int, int, int]]
) -> list[tuple[str, tuple[str, int, int, int, int]]]:
    """``(hub, (other, hub start, hub end, other start, other end))`` for each passage of a
    verified reuse pair, both ways: each document is a hub of the other (``passages``: source
    start and end, derivative start and end)."""
    out: list[tuple[str, tuple[str, int, int, int, int]]] = []
    for s0, s1, d0, d1 in passages:
        out += [(source, (derivative, s0, s1, d0, d1)), (derivative, (source, d0, d1, s0, s1))]
    return out


def _merged_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _overlap(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in x for s2, e2 in y)


def _rendering(span: tuple[int, int, int, int], o0: int, o1: int) -> tuple[int, int]:
    """The part of a passage's own span (``span``: hub start, hub end, own start, own end) that
    renders the hub's ``o0:o1``, by proportion, widened by :data:`PIVOT_SLACK`."""
    h0, h1, x0, x1 = span
    rate = (x1 - x0) / max(h1 - h0, 1)
    lo, hi = x0 + (o0 - h0) * rate, x0 + (o1 - h0) * rate
    pad = (hi - lo) * PIVOT_SLACK
    return max(x0, math.floor(lo - pad)), min(x1, math.ceil(hi + pad))


def hub_pivots(hub: str, spans: Iterable[HubSpan]) -> dict[tuple[str, str], tuple[Pivot, ...]]:
    """Pairs (ids sorted) of documents of two languages that reuse the same passage of one
    document, the hub, with the :class:`~newstrace.align.Pivot` spans of each that render the
    same text of it. A Russian article that excerpts an English one and the Czech translation
    of that English article hold the same paragraph of it; the Russian and Czech texts share
    no word and may be far apart as wholes, but one translates part of the other.

    A pair qualifies when the parts of the hub its passages hold overlap by
    :data:`MIN_HUB_OVERLAP` characters or more; none does when more than
    :data:`HUB_PARTNERS` reuse the hub. A pivot is made of two passages, one of each, whose
    hub spans overlap by at least half the shorter: the overlap, as each renders it
    (:func:`_rendering`). Verification decides, knowing the pivots. The step local ``detect``
    and the Spark job share.

    >>> out = hub_pivots("h", [("ru1", "ru", 100, 600, 0, 500), ("cs1", "cs", 0, 2000, 0, 2200),
    ...                        ("de1", "de", 700, 900, 50, 250)])
    >>> sorted(out)
    [('cs1', 'de1'), ('cs1', 'ru1')]
    >>> out[("cs1", "ru1")]
    (Pivot(hub='h', a_start=0, a_end=798, b_start=0, b_end=500),)
    """
    held: dict[tuple[str, str | None], list[tuple[int, int, int, int]]] = {}
    for doc, lang, h0, h1, x0, x1 in spans:
        held.setdefault((doc, lang), []).append((h0, h1, x0, x1))
    if not 2 <= len(held) <= HUB_PARTNERS:
        return {}
    merged = {k: _merged_spans((h0, h1) for h0, h1, _, _ in v) for k, v in held.items()}
    docs = sorted(held)
    out: dict[tuple[str, str], tuple[Pivot, ...]] = {}
    for k, x in enumerate(docs):
        for y in docs[k + 1 :]:
            if not languages_differ(x[1], y[1]) or _overlap(merged[x], merged[y]) < MIN_HUB_OVERLAP:
                continue
            first, second = (x, y) if x[0] < y[0] else (y, x)
            pivots = []
            for p in sorted(held[first]):
                for q in sorted(held[second]):
                    o0, o1 = max(p[0], q[0]), min(p[1], q[1])
                    if o1 - o0 >= 0.5 * min(p[1] - p[0], q[1] - q[0]) > 0:
                        pivots.append(Pivot(hub, *_rendering(p, o0, o1), *_rendering(q, o0, o1)))
            out[(first[0], second[0])] = tuple(pivots)
    return out


def hub_pairs(spans: Iterable[HubSpan]) -> list[tuple[str, str]]:
    """The pairs of :func:`hub_pivots`, sorted.

    >>> hub_pairs([("ru1", "ru", 100, 600, 0, 500), ("cs1", "cs", 0, 2000, 0, 2200)])
    [('cs1', 'ru1')]
    """
    return sorted(hub_pivots("", spans))


def shared_passage_pivots(
    store: Store, verified: Iterable[tuple[str, str]], params: DetectParams
) -> dict[tuple[str, str], tuple[Pivot, ...]]:
    """:func:`hub_pivots` over the stored passages of the ``verified`` reuse pairs, within
    ``params.window_days``, the pivots of every hub together."""
    keep = set(verified)
    info = {r[0]: (r[1], to_date(r[2])) for r in store.conn.execute("SELECT id, language, published FROM documents")}
    by_hub: dict[str, list[HubSpan]] = {}
    for r in store.passages():
        if (r["a"], r["b"]) not in keep:
            continue
        box = [(r["source_start"], r["source_end"], r["derivative_start"], r["derivative_end"])]
        for hub, (other, h0, h1, x0, x1) in hub_spans(r["source"], r["derivative"], box):
            by_hub.setdefault(hub, []).append((other, info[other][0], h0, h1, x0, x1))
    return merge_pivots(
        (pair, pivots)
        for hub, spans in sorted(by_hub.items())
        for pair, pivots in hub_pivots(hub, spans).items()
        if within_window(info[pair[0]][1], info[pair[1]][1], params.window_days)
    )


def stored_pivots(store: Store, x: str, y: str, params: DetectParams | None = None) -> tuple[Pivot, ...]:
    """The pivots of documents ``x`` and ``y`` (:func:`hub_pivots`) over the store's verified
    reuse pairs, oriented ``x`` then ``y``: what ``detect`` verified such a pair knowing, for a
    comparison made afresh (:func:`newstrace.pipeline.compare_pair`)."""
    a, b = sorted((x, y))
    reused = [(r["a"], r["b"]) for r in store.pairs()]
    found = shared_passage_pivots(store, reused, params or DetectParams()).get((a, b), ())
    if x == a:
        return found
    return tuple(p.swapped() for p in found)


def merge_pivots(
    items: Iterable[tuple[tuple[str, str], Iterable[Pivot]]],
) -> dict[tuple[str, str], tuple[Pivot, ...]]:
    """The pivots of each pair over all its hubs, sorted (so that local and Spark runs pass
    the aligner the same ones)."""
    out: dict[tuple[str, str], set[Pivot]] = {}
    for pair, pivots in items:
        out.setdefault(pair, set()).update(pivots)
    return {pair: tuple(sorted(v)) for pair, v in sorted(out.items())}


def semantic_pairs(
    store: Store,
    ids: Sequence[str],
    params: DetectParams,
    *,
    dates: Sequence[date | None] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> dict[tuple[str, str], str]:
    """Candidate pairs from document vectors, through the LSH index (:mod:`~newstrace.index.ann`).

    - ``semantic``: documents of one language (or of unknown language) whose lead vectors meet
      at the encoder's ``neighbours`` cosine (a rewrite), each document's ``semantic_k``
      closest.
    - ``translation``: documents whose stored languages differ, with any two vectors (lead or
      window) at the encoder's ``translation_neighbours`` cosine, ``semantic_k`` closest each
      (each document outside the corpus's main language, if it has one: :func:`proposes_across`)
      (found by exact search within ``params.exact_row_pairs``, through the index beyond);
      and a document in a language the encoder was not trained on with its ``semantic_k``
      nearest of other languages, however low (:func:`untrained_partners`), when the wide
      encoder that verifies them is installed; and each document's ``semantic_k`` partners of
      other languages with the most rare names and figures in common (:func:`anchor_pairs`).

    With ``params.window_days``, documents published further apart (``dates``, one per id)
    are never a pair, as for the lexical candidates.

    Each document is embedded once per text and its vectors kept in the store (by encoder
    name and version; re-embedded for another window kind, its earlier vectors are dropped):
    only the lead vector while the corpus holds one language (as before, so
    that nothing gets slower within a language), lead and windows once it holds two or more
    (in the main language's documents every ``params.main_stride``-th, and only in those that
    share a rare name or figure with a document of another language: :func:`window_strides`,
    :func:`anchored_main`); in ``params.workers`` processes, reported as stage ``embed`` to
    ``on_progress``. The rules themselves are :func:`semantic_candidates`.
    """
    from newstrace.align.semantic import INSTALL_HINT, load_encoder, load_wide_encoder
    from newstrace.store import text_hash

    encoder = load_encoder()
    if encoder is None:
        raise ConfigError(f"--semantic needs the semantic layer: {INSTALL_HINT}")
    if len(ids) < 2:
        return {}
    lang_of = {r[0]: r[1] for r in store.conn.execute("SELECT id, language FROM documents")}
    langs = [lang_of.get(i) for i in ids]
    multilingual = is_multilingual(langs)
    anchor_sets: list[frozenset[str]] | None = None
    anchored: list[bool] | None = None
    if multilingual:
        anchor_sets = []
        for start in range(0, len(ids), EMBED_CHUNK):
            part = store.get_many(ids[start : start + EMBED_CHUNK])
            anchor_sets.extend(
                corpus_anchors([part[i].text for i in ids[start : start + EMBED_CHUNK]], params.workers)
            )
        windowed = anchored_main(ids, langs, anchor_sets, main_language(Counter(langs)))
        anchored = [i in windowed for i in ids]
    strides = window_strides(langs, params.main_stride, anchored)
    # Vectors are kept by encoder, version (another tokenizer, other vectors) and kind.
    base = f"{encoder.name}@{getattr(encoder, 'version', 1)}"
    hashes = store.index_hashes()
    plan = []
    for stride in sorted(set(strides)):
        model = vector_model(base, stride)
        group = [i for i, st in zip(ids, strides, strict=True) if st == stride]
        kept = store.get_doc_vectors(model)
        stale = [i for i in group if i not in kept or (hashes.get(i) and kept[i][0] != hashes[i])]
        plan.append((stride, model, group, stale))
        del kept
    total, done = sum(len(stale) for *_, stale in plan), 0

    def jobs() -> Iterator[tuple[list[str], int, tuple[str, list[tuple[str, str]]]]]:
        for stride, model, _, stale in plan:
            for start in range(0, len(stale), EMBED_CHUNK):
                docs = store.get_many(stale[start : start + EMBED_CHUNK])
                texts = [d.text for d in docs.values()]
                yield texts, stride, (model, [(i, text_hash(t)) for i, t in zip(docs, texts, strict=True)])

    for (model, keys), vectors in embed_stream(jobs(), encoder, workers=params.workers):
        store.put_doc_vectors(model, [(i, h, v) for (i, h), v in zip(keys, vectors, strict=True)], family=base)
        done += len(keys)
        if on_progress:
            on_progress("embed", done, total)
    cached: dict[str, tuple[str, bytes]] = {}
    for _, model, group, _ in plan:
        kept = store.get_doc_vectors(model)
        cached.update((i, kept[i]) for i in group)
        del kept
    dim = encoder.encode(["."]).shape[1]
    per_doc = [np.frombuffer(cached[i][1], dtype=np.float32).reshape(-1, dim) for i in ids]
    wide = load_wide_encoder() is not None
    return semantic_candidates(
        ids, langs, per_doc, params, encoder.profile, dates, wide=wide, anchor_sets=anchor_sets
    )


def detect(
    store: Store,
    params: DetectParams | None = None,
    *,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> DetectReport:
    """Find every reuse pair of the store, verify it, and rebuild families and chains.

    Example:
        >>> import tempfile, os
        >>> from newstrace.models import Document
        >>> text = "Floods closed the river road on Monday after three days of heavy rain, police said. " * 3
        >>> with Store(os.path.join(tempfile.mkdtemp(), "d.db")) as s:
        ...     _ = s.add_documents([Document(id="a1", text=text, published="2020-01-01"),
        ...                          Document(id="b2", text=text + " Outrageous!", published="2020-01-02")])
        ...     detect(s, DetectParams(workers=1)).reused_pairs
        1
    """
    p = params or DetectParams()
    store.fill_languages()  # documents of an upgraded store not examined yet
    start_over_if_retokenized(store)
    report = DetectReport(documents=store.count())
    report.indexed = index_documents(store, p, on_progress)
    found, common = candidate_pairs(store, p, report, on_progress)
    checked = store.checked_pairs()
    hashes = store.index_hashes()
    # A verdict rests on which of its passages' fingerprints are common text; where the corpus
    # has changed that, the pair is verified again (so an incremental run ends as a fresh one).
    old = store.corpus_stat("common")
    old_common = np.frombuffer(old, dtype=np.uint64) if old is not None else None
    stale_common: set[tuple[str, str]] = set()
    if old_common is not None and not np.array_equal(old_common, common.common):
        changed = np.setxor1d(old_common, common.common)
        for key, blob in store.pair_fingerprints().items():
            if blob and np.isin(np.frombuffer(blob, dtype=np.uint64), changed).any():
                stale_common.add(key)

    def unchecked(pairs: dict[tuple[str, str], str]) -> list[tuple[str, str, str]]:
        return [
            (a, b, why)
            for (a, b), why in sorted(pairs.items())
            if checked.get((a, b)) != (hashes.get(a), hashes.get(b)) or (a, b) in stale_common
        ]

    todo = unchecked(found)
    verified_now = {(a, b) for a, b, _ in todo}
    verify_all(store, todo, p, hashes, on_progress, common)
    report.verified = len(todo)
    if p.semantic:
        # A second round: documents of two languages that reuse the same passage of a third
        # (as its translation, or the text itself) may translate each other there; they are
        # verified (again, where the first round found no reuse) knowing those pivots.
        reused = [(r["a"], r["b"]) for r in store.pairs() if (r["a"], r["b"]) in found]
        pivots = shared_passage_pivots(store, reused, p)
        stored = {(r["a"], r["b"]): (r["relation"], r["candidate"]) for r in store.pairs(relations=PAIR_VERDICTS)}
        stale_pairs = {(a, b) for a, b, _ in unchecked(dict.fromkeys(pivots, "shared"))}
        shared: list[Candidate] = [
            (a, b, "shared", piv)
            for (a, b), piv in pivots.items()
            if pivot_round_needs((a, b), stored.get((a, b)), stale_pairs, verified_now)
        ]
        verified_now.update((a, b) for a, b, *_ in shared)
        verify_all(store, shared, p, hashes, on_progress, common, stage="verify shared passages")
        report.verified = len(verified_now)  # pairs, each once (as the Spark job counts them)
        found.update({pair: "shared" for pair in pivots if pair not in found})
    report.candidates = len(found)
    stale = [k for k in checked if k not in found]
    if stale:
        with store.transaction() as conn:
            conn.executemany("DELETE FROM pairs WHERE a = ? AND b = ?", stale)
            conn.executemany("DELETE FROM passages WHERE a = ? AND b = ?", stale)
        report.dropped = len(stale)
    if p.semantic:
        # Paraphrased passages the documents around a pair say as closely are the story's
        # common content: such pairs are verified again knowing it (see SharedMeaning). In an
        # incremental run, the pairs of documents verified in it (new partners included).
        from newstrace.align.semantic import load_encoder

        touched = {x for a, b in verified_now for x in (a, b)} if checked else None
        meaning, again = meaning_around(
            store.pairs(relations=PAIR_VERDICTS),
            lambda ids: {i: d.text for i, d in store.get_many(list(ids)).items()},
            load_encoder(),
            touched=touched,
        )
        if meaning is not None and again:
            verify_all(store, again, p, hashes, on_progress, replace(common, meaning=meaning),
                       stage="verify common paraphrases")  # fmt: skip
    store.put_corpus_stat("common", common.common.astype(np.uint64).tobytes())
    forest = rebuild_graph(store)
    report.families = len(set(forest.family.values()))
    for row in store.pairs(relations=PAIR_VERDICTS):
        report.by_relation[row["relation"]] = report.by_relation.get(row["relation"], 0) + 1
    report.reused_pairs = sum(report.by_relation.get(r, 0) for r in REUSE)
    return report


def start_over_if_retokenized(store: Store) -> bool:
    """Forget the store's sketches, document vectors, pairs and families when another version of
    the tokenizer made them (:data:`~newstrace.clean.text.TOKENIZER_VERSION`; a store of an
    earlier newstrace says none): a document sketched with other tokens would miss its copies
    among the new ones, and its vectors rest on the sentences the splitter gave, so ``detect``
    starts over, as on a fresh store. Returns whether it did.

    >>> import tempfile, os
    >>> with Store(os.path.join(tempfile.mkdtemp(), "t.db")) as s:
    ...     start_over_if_retokenized(s), s.corpus_stat("tokenizer") == str(TOKENIZER_VERSION).encode()
    (False, True)
    """
    version = str(TOKENIZER_VERSION).encode()
    if store.corpus_stat("tokenizer") == version:
        return False
    stale = bool(store.index_hashes())
    if stale:
        store.clear_detection()
        store.clear_embeddings()
    store.put_corpus_stat("tokenizer", version)
    return stale


def pivot_round_needs(
    pair: tuple[str, str],
    verdict: tuple[str, str] | None,
    stale: Collection[tuple[str, str]],
    verified_now: Collection[tuple[str, str]],
) -> bool:
    """Whether a pair :func:`hub_pivots` found is verified (again) knowing its pivots: one this
    run's first round verified and found no reuse; one not verified yet, or whose documents
    changed since (``stale``); one an earlier run verified without pivots and found no reuse.
    ``verdict`` is its stored relation and candidate rule. (A fresh run, and the Spark job,
    verify the first round's pairs that are not reuse, and the pairs it did not propose.)

    >>> pivot_round_needs(("a", "b"), ("unrelated", "translation"), set(), {("a", "b")})
    True
    >>> pivot_round_needs(("a", "b"), ("duplicate", "translation"), set(), {("a", "b")})
    False
    >>> pivot_round_needs(("a", "b"), ("related", "shared"), set(), set())
    False
    """
    if pair in verified_now:
        return verdict is None or verdict[0] not in REUSE
    if verdict is None or pair in stale:
        return True
    relation, candidate = verdict
    return candidate != "shared" and relation not in REUSE


def counts_paraphrase(report: str) -> bool:
    """Whether a stored pair report (JSON) counts a paraphrased passage as evidence of reuse."""
    return _paraphrase_counted(json.loads(report).get("evidence") or {})


def _paraphrase_counted(evidence: Mapping[str, Any]) -> bool:
    return any(x.get("kind") == "paraphrase" and x.get("counted") for x in evidence.get("passages", []))


def meaning_around(
    rows: Iterable[Any],
    texts_of: Callable[[Collection[str]], Mapping[str, str]],
    encoder: Any,
    *,
    touched: Collection[str] | None = None,
) -> tuple[SharedMeaning | None, list[tuple[str, str, str]]]:
    """What the documents around verified pairs say (:class:`~newstrace.analyze.evidence.
    SharedMeaning`), and the pairs to verify again with it: those with a paraphrased passage
    counted as reuse that enough documents around them say as closely.

    Args:
        rows: verified pair rows, read by key (``a``, ``b``, ``source``, ``derivative``,
            ``relation``, ``candidate``, ``report``): every verified pair of any document of
            a pair to weigh, for each document's partners are the documents around it.
        texts_of: the texts of documents by id.
        encoder: the sentence encoder the pairs were verified with.
        touched: only pairs with a document in it are weighed (an incremental run's new and
            changed documents, and their new partners); None weighs all.

    Local ``detect`` and the Spark job call it after verification, with the same rows, so they
    verify the same pairs again.
    """
    neighbours: dict[str, set[str]] = defaultdict(set)
    copies: dict[str, set[str]] = defaultdict(set)
    weigh: list[tuple[Any, list[tuple[int, int, int, int]]]] = []
    for r in rows:
        a, b = r["a"], r["b"]
        neighbours[a].add(b)
        neighbours[b].add(a)
        rep = json.loads(r["report"])
        ev = rep.get("evidence") or {}
        if r["relation"] in REUSE and ev.get("prose_words", 0) + ev.get("translation_words", 0) >= MIN_PROSE_WORDS:
            copies[a].add(b)  # the same report: a copy or a translation is not another one
            copies[b].add(a)
        if _paraphrase_counted(ev) and (touched is None or a in touched or b in touched):
            spans = [(x["source"]["start"], x["source"]["end"], x["derivative"]["start"], x["derivative"]["end"])
                     for x in rep.get("passages", []) if x.get("kind") == "paraphrase"]  # fmt: skip
            weigh.append((r, spans))
    if not weigh:
        return None, []
    need = {x for r, _ in weigh for d in (r["a"], r["b"]) for x in (d, *neighbours[d])}
    texts = dict(texts_of(sorted(need)))
    meaning = SharedMeaning(
        {k: frozenset(v) for k, v in neighbours.items()},
        {k: frozenset(v) for k, v in copies.items()},
        texts,
        encoder,
    )
    again = []
    for r, spans in weigh:
        src, der = texts.get(r["source"]), texts.get(r["derivative"])
        if src is not None and der is not None and any(
            meaning.holders(r["source"], r["derivative"], src[s0:s1], der[d0:d1]) >= meaning.min_docs
            for s0, s1, d0, d1 in spans
        ):
            again.append((r["a"], r["b"], r["candidate"]))
    return meaning, sorted(again)


def verify_all(
    store: Store,
    todo: Sequence[Candidate],
    p: DetectParams,
    hashes: dict[str, str],
    on_progress: Callable[[str, int, int], None] | None,
    commonness: Commonness | None = None,
    stage: str = "verify",
) -> None:
    """Verify candidate pairs in chunks, in worker processes when there are enough of them, and
    store the results (progress reported to ``on_progress`` as ``stage``). The encoder is
    loaded before the workers fork, so they share its weights (mapped, copy-on-write) instead
    of loading them each."""
    global _DOCS, _COMMON, _ENCODER
    _COMMON = commonness
    chunk = 2000
    encoder = None
    if p.semantic:
        from newstrace.align.semantic import load_encoder

        encoder = load_encoder()
    _ENCODER = encoder
    done = 0
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        _DOCS = store.get_many(sorted({x for a, b, *_ in part for x in (a, b)}))
        forking = p.workers > 1 and len(part) > 50 and "fork" in mp.get_all_start_methods()
        if encoder is not None and forking:
            warm_translation_encoders(part, _DOCS, encoder, p.workers)
        if forking:
            with mp.get_context("fork").Pool(min(p.workers, os.cpu_count() or 1)) as pool:
                rows = pool.map(_verify, part, chunksize=16)
        else:
            rows = [_verify(x) for x in part]
        for r in rows:
            r["hash_a"], r["hash_b"] = hashes.get(r["a"], ""), hashes.get(r["b"], "")
        store.put_pairs(rows)
        done += len(part)
        if on_progress:
            on_progress(stage, done, len(todo))
    _DOCS = {}
    _COMMON = None
    _ENCODER = None


_WARM_ENCODER: Any = None


def _sentence_vectors(text: str) -> tuple[list[str], np.ndarray]:
    from newstrace.align.crosslingual import window_texts
    from newstrace.analyze import analysed

    sents = window_texts(text, analysed(text).sentences, 1)
    return sents, _WARM_ENCODER.encode(sents)


def warm_translation_encoders(
    pairs: Sequence[Candidate], docs: dict[str, Document], encoder: Any, workers: int
) -> int:
    """Embed, once each and in ``workers`` forked processes, the sentences of the documents
    whose pairs another encoder than ``encoder`` aligns (a language it was not trained on:
    :func:`~newstrace.analyze.translation_encoder`), and give the vectors to that encoder's
    cache, so that verification, forked next, finds them there: each worker would otherwise
    embed the documents of its own pairs, a document met in both workers twice (148 documents
    for 113 on ``eval/multilingual``), with the slow encoder. Vectors do not depend on the
    process or batch that makes them, so the pairs' verdicts are the same. Returns the
    documents embedded."""
    global _WARM_ENCODER
    from newstrace.align.crosslingual import languages_differ as texts_differ
    from newstrace.analyze import translation_encoder

    wide: Any = None
    ids: set[str] = set()
    for a, b, *_ in pairs:
        da, db = docs[a], docs[b]
        if texts_differ(da.text, db.text, da.language, db.language):
            other = translation_encoder(da, db, encoder)
            if other is not encoder and hasattr(other, "remember"):
                wide = other  # there is one wide encoder
                ids.update((a, b))
    if wide is None:
        return 0
    _WARM_ENCODER = wide
    try:
        with mp.get_context("fork").Pool(min(workers, os.cpu_count() or 1)) as pool:
            done = pool.map(_sentence_vectors, [docs[i].text for i in sorted(ids)], chunksize=1)
    finally:
        _WARM_ENCODER = None
    for sents, vecs in done:
        wide.remember(sents, vecs)
    return len(ids)


def rebuild_graph(store: Store) -> Forest:
    """Families and best sources from every stored reuse pair."""
    rows = store.pairs()
    edges = [Edge.from_pair(r) for r in rows]
    ids = sorted({x for e in edges for x in (e.source, e.derivative)})
    nodes = graph_nodes(store, ids)
    forest = build_forest(edges, nodes)
    store.put_families(
        (d, forest.family[d], forest.derived_from.get(d), forest.depth.get(d, 0))
        for d in sorted(forest.family)
    )
    return forest


def graph_nodes(store: Store, ids: Sequence[str] | None = None) -> dict[str, Node]:
    """Graph nodes (outlet, date, length) for the given documents, or all of them."""
    sql = "SELECT id, outlet, published, length(text) AS n FROM documents"
    rows = store.conn.execute(sql).fetchall()
    wanted = set(ids) if ids is not None else None
    return {
        r["id"]: Node(r["id"], r["outlet"], r["published"], r["n"])
        for r in rows
        if wanted is None or r["id"] in wanted
    }

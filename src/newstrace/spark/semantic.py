"""The Spark job's semantic candidates: :func:`newstrace.detect.semantic_candidates`, step by step.

The rules and every kernel are the library's; only the grouping is Spark's:

1. document vectors (:func:`~newstrace.detect.document_vectors`) in ``mapPartitions``, the
   encoder loaded once per Python worker; window vectors too when the corpus holds two
   languages, every ``main_stride``-th in those of its main language that share a rare name or
   figure with a document of another language, none in its other ones
   (:func:`~newstrace.detect.language_strides`, :func:`~newstrace.detect.document_stride`);
2. each vector's key in each table (:func:`~newstrace.index.ann.lsh_keys`, the seeded
   hyperplanes of local ``detect``, broadcast), grouped by table and key in one capped
   shuffle: a bucket past :data:`~newstrace.index.ann.MAX_BUCKET` gives up as it grows;
3. each bucket sent to itself and to the buckets one bit above it
   (:func:`~newstrace.index.ann.probe_targets`), grouped again, and the pairs of each
   partition's whole buckets (:func:`~newstrace.index.ann.pairs_in_buckets`);
4. the two vectors of each distinct pair of rows joined to it, cosines
   (:func:`~newstrace.index.ann.cosines`) and the best per pair of documents at the floor
   (:func:`~newstrace.index.ann.best_by_owner`, then the maximum over partitions);
   (Vectors of two languages within the exact-search budget skip steps 2-4: the rows outside
   the main language are broadcast and each partition's rows compared with them,
   :func:`close_across_languages`.)
5. lead vectors of one language at the rewrite floor, any vectors of two languages at the
   translation floor (:func:`~newstrace.detect.semantic_floors`,
   :func:`~newstrace.detect.languages_differ`), pairs published further apart than
   ``window_days`` dropped (:func:`~newstrace.detect.within_window`), each document's
   ``semantic_k`` nearest (:func:`~newstrace.detect.nearest_partners`, per document; of
   two languages, picked by documents outside the corpus's main language only,
   :func:`~newstrace.detect.proposes_across`);
6. with the wide encoder installed, each document in a language the encoder was not trained
   on with its ``semantic_k`` nearest of other languages
   (:func:`~newstrace.detect.untrained_partners`; :func:`untrained_nearest`);
7. in a corpus of two languages or more, each document with its ``semantic_k`` partners of
   other languages that share the most rare names and figures
   (:func:`~newstrace.detect.anchor_pairs`; :func:`anchor_nearest`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from newstrace.detect import (
    CANDIDATE_KINDS,
    UNTRAINED_FLOOR,
    DetectParams,
    aligned_by,
    anchored_across,
    document_anchors,
    document_stride,
    document_vectors,
    is_multilingual,
    language_strides,
    languages_differ,
    main_language,
    nearest_partners,
    posting_pairs,
    proposes_across,
    semantic_floors,
    within_window,
)
from newstrace.errors import ConfigError
from newstrace.index.ann import (
    MAX_BUCKET,
    best_by_owner,
    close_across,
    cosines,
    exact_across_affordable,
    hyperplanes,
    lsh_keys,
    pairs_in_buckets,
    probe_targets,
)

Row = tuple[str, int, str | None]
"""A vector's id: its document, its index among the document's vectors, the document's language."""

CHUNK = 1 << 16
"""Entries (or pairs) handled at once inside a partition: bounds the memory of a hot partition."""


def executor_encoder(cache: str | None) -> Any:
    """The shared encoder where the task runs, loaded once per Python worker. ``cache`` is the
    driver's ``NEWSTRACE_CACHE_DIR``, taken where the executor has none of its own (a local
    master's workers inherit the driver's environment; a cluster's build their own cache on
    first use, or get the variable through ``spark.executorEnv``)."""
    from newstrace.align.semantic import INSTALL_HINT, encoder_error, load_encoder

    if cache and not os.environ.get("NEWSTRACE_CACHE_DIR"):
        os.environ["NEWSTRACE_CACHE_DIR"] = cache
    encoder = load_encoder()
    if encoder is None:
        raise ConfigError(f"--semantic needs the semantic layer on every executor: {encoder_error() or INSTALL_HINT}")
    return encoder


def vectors_of(
    docs: Iterable[tuple[str, str | None, str]],
    *,
    strides: dict[str | None, int],
    cache: str | None,
    main: str | None = None,
    anchored: Any = None,
) -> Iterator[tuple[str, str | None, np.ndarray]]:
    """``(id, language, vectors)`` for each ``(id, language, text)`` of a partition, with the
    windows of each language (:func:`newstrace.detect.language_strides`), none for a document
    of the ``main`` language outside ``anchored`` (a broadcast set of ids, when given:
    :func:`newstrace.detect.document_stride`)."""
    encoder = None
    held = anchored.value if anchored is not None else None
    for doc_id, language, text in docs:
        if encoder is None:
            encoder = executor_encoder(cache)
        windows = document_stride(language, strides, main, held is None or doc_id in held)
        yield doc_id, language, document_vectors(text, encoder, windows=windows)


def keyed_rows(rows: Iterable[tuple[Row, np.ndarray]], planes: np.ndarray) -> Iterator[tuple[tuple[int, int], Row]]:
    """``((table, key), row)`` for every vector of a partition and every table."""
    batch = list(rows)
    for start in range(0, len(batch), CHUNK):
        part = batch[start : start + CHUNK]
        keys = lsh_keys(np.vstack([v for _, v in part]), planes)
        for (row, _), ks in zip(part, keys.tolist(), strict=True):
            for t, key in enumerate(ks):
                yield (t, key), row


def bucket_messages(
    bucket: tuple[tuple[int, int], list[Row]], bits: int
) -> Iterator[tuple[tuple[int, int], tuple[list[Row], bool]]]:
    """A bucket's members, to itself and (as neighbours from below) to the buckets one bit above."""
    (t, key), members = bucket
    yield (t, key), (members, False)
    for target in probe_targets(key, bits):
        yield (t, target), (members, True)


def row_pairs(groups: Iterable[tuple[Any, Iterable[tuple[list[Row], bool]]]]) -> Iterator[tuple[Row, Row]]:
    """The pairs of rows of a partition's whole buckets (each a group of
    :func:`bucket_messages`), sorted in each pair; rows of one document are never paired."""
    bucket: list[int] = []
    rows: list[Row] = []
    lower: list[bool] = []

    def flush() -> Iterator[tuple[Row, Row]]:
        i, j = pairs_in_buckets(np.array(bucket, dtype=np.int64), np.array(lower, dtype=bool))
        for a, b in zip(i.tolist(), j.tolist(), strict=True):
            ra, rb = rows[a], rows[b]
            if ra[0] != rb[0]:
                yield (ra, rb) if ra[:2] < rb[:2] else (rb, ra)

    for g, (_, messages) in enumerate(groups):
        for members, low in messages:
            bucket.extend([g] * len(members))
            rows.extend(members)
            lower.extend([low] * len(members))
        if len(rows) >= CHUNK:  # whole buckets only: any split of them gives the same pairs
            yield from flush()
            bucket, rows, lower = [], [], []
    if len(rows) >= 2:
        yield from flush()


def best_pairs(
    items: Iterable[tuple[Row, tuple[tuple[Row, np.ndarray], np.ndarray]]], min_cosine: float
) -> Iterator[tuple[tuple[tuple[str, str | None], tuple[str, str | None]], float]]:
    """Each pair of documents' best cosine at ``min_cosine`` among a partition's pairs of rows
    (``(row_b, ((row_a, vector_a), vector_b))``); documents as ``(id, language)``."""
    batch = list(items)
    for start in range(0, len(batch), CHUNK):
        part = batch[start : start + CHUNK]
        cos = cosines(np.vstack([x[1][0][1] for x in part]), np.vstack([x[1][1] for x in part]))
        owners_a = [(x[1][0][0][0], x[1][0][0][2]) for x in part]
        owners_b = [(x[0][0], x[0][2]) for x in part]
        yield from best_by_owner(owners_a, owners_b, cos, min_cosine).items()


def close_documents(rows: Any, planes: Any, bits: int, min_cosine: float, parts: int) -> Any:
    """Pairs of documents with vectors at ``min_cosine`` or closer through the LSH index, with
    their best cosine: ``((id_a, language_a), (id_b, language_b)), cosine)``, ``id_a < id_b``
    (the RDD of :func:`newstrace.index.ann.ann_pairs`). ``rows``: ``(row, vector)``."""
    from newstrace.spark.job import _capped

    add, merge = _capped(MAX_BUCKET)
    pairs = (
        rows.mapPartitions(lambda it: keyed_rows(it, planes.value))
        .aggregateByKey([], add, merge, parts)
        .filter(lambda kv: kv[1] is not None)
        .flatMap(lambda kv: bucket_messages(kv, bits))
        .groupByKey(parts)
        .mapPartitions(row_pairs)
        .distinct(parts)
    )
    return (
        pairs.join(rows, parts)
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(rows, parts)
        .mapPartitions(lambda it: best_pairs(it, min_cosine))
        .reduceByKey(max, parts)
    )


def close_across_languages(rows: Any, counts: dict[str, int], min_cosine: float, parts: int) -> Any:
    """Pairs of documents of two languages with vectors at ``min_cosine`` or closer, by exact
    search, shaped as :func:`close_documents` (the RDD of
    :func:`newstrace.index.ann.pairs_across_groups`): the rows outside the largest language
    (``counts``: rows per known language) are broadcast, and each partition's rows are compared
    with them (:func:`newstrace.index.ann.close_across`)."""
    code = {lang: k for k, lang in enumerate(sorted(counts))}
    largest = max(sorted(counts), key=lambda lang: counts[lang])
    probe = rows.filter(lambda r: r[0][2] in code and r[0][2] != largest).collect()
    return close_to_probe(rows, probe, code, min_cosine, parts)


def close_to_probe(
    rows: Any, probe: list[tuple[Row, np.ndarray]], code: dict[str, int], min_cosine: float, parts: int
) -> Any:
    """Pairs of documents of two languages (``code``: language -> group) with a ``probe`` row
    and a row of ``rows`` at ``min_cosine`` or closer, with their best cosine: the probe rows
    are broadcast and each partition's rows compared with them
    (:func:`newstrace.index.ann.close_across`), the best kept over partitions."""
    if not probe:
        return rows.context.parallelize([], parts)
    shared = rows.context.broadcast((
        np.vstack([v for _, v in probe]),
        [(r[0], r[2]) for r, _ in probe],
        np.array([code[str(r[2])] for r, _ in probe], dtype=np.int64),
    ))  # fmt: skip

    def close(it: Iterable[tuple[Row, np.ndarray]]) -> Iterator[tuple[Any, float]]:
        vectors, owners, groups = shared.value
        batch = list(it)
        for start in range(0, len(batch), CHUNK):
            part = batch[start : start + CHUNK]
            yield from close_across(
                vectors, owners, groups,
                np.vstack([v for _, v in part]), [(r[0], r[2]) for r, _ in part],
                np.array([code.get(r[2], -1) if r[2] else -1 for r, _ in part], dtype=np.int64),
                min_cosine,
            ).items()  # fmt: skip

    return rows.mapPartitions(close).reduceByKey(max, parts)


def untrained_nearest(
    rows: Any, languages: frozenset[str], params: DetectParams, dates: Any, parts: int
) -> Any:
    """The pairs of :func:`newstrace.detect.untrained_partners`: the rows of documents in a
    language outside ``languages`` (the encoder's) are broadcast, each partition's rows are
    compared with them at :data:`~newstrace.detect.UNTRAINED_FLOOR`, and each such document
    keeps its ``semantic_k`` nearest of other languages (within ``window_days`` with
    ``dates``)."""

    from newstrace.align.semantic import among

    def untrained(lang: str | None) -> bool:
        return not among(languages, lang)

    probe = rows.filter(lambda r: untrained(r[0][2])).collect()
    if not probe:
        return rows.context.parallelize([], parts)
    total = rows.count()
    if len(probe) * total > params.exact_row_pairs:
        probe = [r for r in probe if r[0][1] == 0]  # leads only, as local
    code = {lang: k for k, lang in enumerate(sorted(rows.map(lambda r: r[0][2]).filter(bool).distinct().collect()))}
    found = close_to_probe(rows, probe, code, UNTRAINED_FLOOR, parts).filter(
        lambda kv: languages_differ(kv[0][0][1], kv[0][1][1])
    )
    if dates is not None and params.window_days is not None:
        found = in_window(found, dates, params.window_days, parts)
    k = params.semantic_k
    return (
        found.flatMap(
            lambda kv: [
                (doc[0], (kv[1], other[0]))
                for doc, other in ((kv[0][0], kv[0][1]), (kv[0][1], kv[0][0]))
                if untrained(doc[1])
            ]
        )
        .groupByKey(parts)
        .flatMap(lambda kv: nearest_partners(kv[0], kv[1], k))
        .distinct(parts)
    )


def anchor_nearest(
    docs: Any,
    params: DetectParams,
    dates: Any,
    parts: int,
    profile: Any = None,
    main: str | None = None,
    postings: Any = None,
) -> Any:
    """The pairs :func:`newstrace.detect.anchor_pairs` proposes, with each document's
    ``semantic_k`` partners of other languages that share the most anchors (within
    ``window_days`` with ``dates``; with a ``profile``, in the languages its encoder was
    trained on only, :func:`newstrace.detect.aligned_by`; picked by documents outside the
    ``main`` language only, :func:`newstrace.detect.proposes_across`): anchors grouped across the
    corpus (``postings``, :func:`anchor_postings`, when already grouped), the pairs of each
    anchor's holders counted (:func:`newstrace.detect.posting_pairs`)."""
    from newstrace.align.crosslingual import ANCHORED

    close = (
        (postings if postings is not None else anchor_postings(docs, parts))
        .flatMap(lambda kv: [(pair, 1) for pair in posting_pairs(kv[1])])
        .reduceByKey(lambda x, y: x + y, parts)
        .filter(lambda kv: kv[1] >= ANCHORED)
    )
    if profile is not None:
        close = close.filter(lambda kv: aligned_by(profile, kv[0][0][1], kv[0][1][1]))
    if dates is not None and params.window_days is not None:
        close = in_window(close, dates, params.window_days, parts)
    return nearest(close, params.semantic_k, parts, main)


def anchor_postings(docs: Any, parts: int) -> Any:
    """``(anchor, holders)`` of every anchor of the corpus, ``holders`` the ``(id, language)``
    of the documents whose text holds it (:func:`newstrace.detect.document_anchors`)."""
    return docs.flatMap(lambda d: [(a, (d.id, d.language)) for a in document_anchors(d.text)]).groupByKey(parts)


def anchored_documents(postings: Any, parts: int, main: str | None) -> set[str]:
    """The ids of the ``main`` language's documents that share a rare anchor with a document of
    another language (:func:`newstrace.detect.anchored_main`), from :func:`anchor_postings`:
    those that get window vectors."""
    if main is None:
        return set()
    return set(postings.flatMap(lambda kv: anchored_across(kv[1], main)).distinct(parts).collect())


def in_window(close: Any, dates: Any, window_days: int, parts: int) -> Any:
    """The pairs of :func:`close_documents` whose documents were published at most
    ``window_days`` apart, or are not both dated (:func:`newstrace.detect.within_window`).
    ``dates``: ``(id, date or None)`` of every document."""
    return (
        close.map(lambda kv: (kv[0][0][0], kv))
        .join(dates, parts)
        .map(lambda kv: (kv[1][0][0][1][0], (kv[1][0], kv[1][1])))
        .join(dates, parts)
        .filter(lambda kv: within_window(kv[1][0][1], kv[1][1], window_days))
        .map(lambda kv: kv[1][0][0])
    )


def nearest(close: Any, k: int, parts: int, main: str | None = None) -> Any:
    """The pairs (ids sorted) among the ``k`` nearest of either document (as
    :func:`newstrace.detect.nearest_pairs`), of a document not in ``main`` language when
    given (:func:`newstrace.detect.proposes_across`)."""
    return (
        close.flatMap(
            lambda kv: [
                (doc[0], (kv[1], other[0]))
                for doc, other in ((kv[0][0], kv[0][1]), (kv[0][1], kv[0][0]))
                if proposes_across(doc[1], main)
            ]
        )
        .groupByKey(parts)
        .flatMap(lambda kv: nearest_partners(kv[0], kv[1], k))
        .distinct(parts)
    )


def semantic_candidates(docs: Any, params: DetectParams, parts: int) -> Any:
    """``((id_a, id_b), kind)`` for the pairs the semantic rules propose, ``kind`` being
    ``semantic`` or ``translation``, on an RDD of :class:`~newstrace.models.Document`."""
    from pyspark import StorageLevel

    sc = docs.context
    from newstrace.align.semantic import load_wide_encoder

    cache = os.environ.get("NEWSTRACE_CACHE_DIR")
    encoder = executor_encoder(cache)  # a missing extra fails here, not in a task
    floor, near = semantic_floors(params, encoder.profile)
    lang_counts = dict(docs.map(lambda d: d.language).countByValue())
    windows = is_multilingual(lang_counts)
    strides = language_strides(lang_counts, params.main_stride)
    main = main_language(lang_counts)
    postings, anchored = None, None
    if windows:
        postings = anchor_postings(docs, parts).persist(StorageLevel.MEMORY_AND_DISK)
        anchored = sc.broadcast(anchored_documents(postings, parts, main))
    vectors = (
        docs.map(lambda d: (d.id, d.language, d.text))
        .mapPartitions(lambda it: vectors_of(it, strides=strides, cache=cache, main=main, anchored=anchored))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    dim = int(encoder.encode(["."]).shape[1])
    bits, k = params.semantic_bits, params.semantic_k
    planes = sc.broadcast(hyperplanes(dim, bits=bits, tables=params.semantic_tables))
    lead = vectors.map(lambda r: ((r[0], 0, r[1]), r[2][0])).persist(StorageLevel.MEMORY_AND_DISK)
    same = close_documents(lead, planes, bits, floor, parts).filter(
        lambda kv: not languages_differ(kv[0][0][1], kv[0][1][1])
    )
    dates = None
    if params.window_days is not None:  # as local detect: no pair outside the window
        from newstrace.clean.dates import to_date

        dates = docs.map(lambda d: (d.id, to_date(d.published))).persist(StorageLevel.MEMORY_AND_DISK)
        same = in_window(same, dates, params.window_days, parts)
    out = nearest(same, k, parts).map(lambda p: (p, "semantic"))
    if windows:
        every = vectors.flatMap(lambda r: (((r[0], i, r[1]), v) for i, v in enumerate(r[2]))).persist(
            StorageLevel.MEMORY_AND_DISK
        )
        counts = {lang: n for lang, n in every.map(lambda r: r[0][2]).countByValue().items() if lang}
        if exact_across_affordable(list(counts.values()), params.exact_row_pairs):
            close = close_across_languages(every, counts, near, parts)  # as local detect
        else:
            close = close_documents(every, planes, bits, near, parts)
        cross = close.filter(lambda kv: languages_differ(kv[0][0][1], kv[0][1][1]))
        if dates is not None and params.window_days is not None:
            cross = in_window(cross, dates, params.window_days, parts)
        out = out.union(nearest(cross, k, parts, main).map(lambda p: (p, "translation")))
        languages = encoder.profile.languages
        if languages is not None and load_wide_encoder() is not None:  # as local detect
            wide = untrained_nearest(every, languages, params, dates, parts)
            out = out.union(wide.map(lambda p: (p, "translation")))
        narrow = None if load_wide_encoder() is not None else encoder.profile
        out = out.union(
            anchor_nearest(docs, params, dates, parts, narrow, main, postings).map(lambda p: (p, "translation"))
        )
    rank = {kind: i for i, kind in enumerate(CANDIDATE_KINDS)}
    return out.reduceByKey(lambda x, y: x if rank[x] <= rank[y] else y, parts)

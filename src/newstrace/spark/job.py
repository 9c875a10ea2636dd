"""``newstrace spark detect``: the job itself (see the package docstring)."""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from newstrace.analyze import Commonness
from newstrace.clean.dates import to_date, to_time
from newstrace.clean.language import detect_language
from newstrace.clean.pages import FLASH_HOURS, is_headline_flash
from newstrace.clean.text import words
from newstrace.detect import (
    CANDIDATE_KINDS,
    REUSE,
    TITLE_ITEM_CHARS,
    TITLE_SHARED_WORDS,
    DetectParams,
    counts_paraphrase,
    hub_pivots,
    hub_spans,
    meaning_around,
    merge_pivots,
    publication_day,
    story_spread,
    verify_pair,
    within_window,
)
from newstrace.errors import ConfigError
from newstrace.export import (
    PAIR_RELATIONS,
    document_from_row,
    document_row,
    family_row,
    outlet_rows,
    pair_row,
    passage_row,
)
from newstrace.graph import Edge, Forest, Node, build_forest
from newstrace.index.minhash import flash_partner, optimal_bands, sample_fingerprints, signatures
from newstrace.index.shingles import form_words, shingle_hashes, term_hashes, title_words
from newstrace.models import Document

RANK = {kind: i for i, kind in enumerate(CANDIDATE_KINDS)}


def _sketch(rows: Iterable[dict[str, Any]], p: DetectParams) -> Iterator[dict[str, Any]]:
    batch = list(rows)
    if not batch:
        return
    shingles, terms, forms = [], [], []
    for r in batch:
        ws = words(r["text"])
        shingles.append(shingle_hashes(ws, p.shingle))
        terms.append(term_hashes(ws))
        forms.append(sample_fingerprints(shingle_hashes(form_words(ws), p.shingle), p.fingerprint_mod))
    sigs = signatures(shingles, p.num_perm)
    for r, sh, sig, tm, fm in zip(batch, shingles, sigs, terms, forms, strict=True):
        yield {
            "id": r["id"],
            "outlet": r["outlet"],
            "published": r["published"],
            "sig": sig.tobytes(),
            "fps": sample_fingerprints(sh, p.fingerprint_mod).tolist(),
            "forms": fm.tolist(),
            "terms": tm.tolist(),
            "flash": r["flash"],
        }


def _flash_candidates(sketches: Any, parts: int) -> Any:
    """Pairs of a headline flash and a text of its hour (:func:`~newstrace.index.minhash.flash_partner`),
    as local detect proposes them (:func:`~newstrace.index.minhash.flash_candidates`): texts are
    keyed by their hour (:data:`~newstrace.clean.pages.FLASH_HOURS`), a flash by its own and the
    two around it."""
    width = FLASH_HOURS * 3600

    def timed(s: dict[str, Any]) -> Iterator[tuple[str, Any, list[int], bool]]:
        t = to_time(s["published"])
        if t is not None:
            yield s["id"], t, s["terms"], s["flash"]

    moments = sketches.flatMap(timed)
    flashes = moments.filter(lambda x: x[3]).flatMap(
        lambda x: ((int(x[1].timestamp() // width) + k, x) for k in (-1, 0, 1))
    )
    texts = moments.map(lambda x: (int(x[1].timestamp() // width), x))
    return (
        flashes.join(texts, parts)
        .values()
        .filter(lambda fx: fx[0][0] != fx[1][0] and flash_partner(fx[0][2], fx[0][1], fx[1][2], fx[1][1]))
        .map(lambda fx: (tuple(sorted((fx[0][0], fx[1][0]))), "flash"))
        .distinct(parts)
    )


def _capped(cap: int) -> tuple[Any, Any]:
    """Add and merge functions that gather a key's values but give up (None) past ``cap``: a
    bucket is grouped in one shuffle, and a hot one (boilerplate shared by thousands of
    documents) never holds more than ``cap + 1`` values anywhere."""

    def add(acc: list[Any] | None, value: Any) -> list[Any] | None:
        if acc is None:
            return None
        acc.append(value)
        return acc if len(acc) <= cap else None

    def merge(a: list[Any] | None, b: list[Any] | None) -> list[Any] | None:
        if a is None or b is None:
            return None
        a.extend(b)
        return a if len(a) <= cap else None

    return add, merge


def _pairs_of(ids: list[str]) -> Iterator[tuple[str, str]]:
    ids = sorted(ids)
    for i in range(len(ids)):
        for j in range(i + 1, len(ids)):
            yield ids[i], ids[j]


def _with_language(d: Document) -> Document:
    """The document with its language: as its row gives it, else detected from its text."""
    if d.language_source is not None:
        return d
    return replace(d, language=detect_language(d.text, d.title)[0], language_source="detected")


def _shared_passage_pivots(verified: Any, docs: Any, p: DetectParams, parts: int) -> Any:
    """``((a, b), pivots)`` for :func:`newstrace.detect.hub_pivots` over the passages of the
    verified reuse pairs, within ``p.window_days``, each pair's pivots over all its hubs (as
    :func:`newstrace.detect.shared_passage_pivots`)."""
    info = docs.map(lambda d: (d.id, (d.language, to_date(d.published))))
    pivots = (
        verified.filter(lambda r: r["relation"] in REUSE)
        .flatMap(lambda r: hub_spans(r["source"], r["derivative"], [x[2:6] for x in r["passages"]]))
        .map(lambda kv: (kv[1][0], (kv[0], *kv[1][1:])))
        .join(info, parts)
        .map(lambda kv: (kv[1][0][0], (kv[0], kv[1][1][0], *kv[1][0][1:])))
        .groupByKey(parts)
        .flatMap(lambda kv: hub_pivots(kv[0], kv[1]).items())
        .groupByKey(parts)
        .map(lambda kv: (kv[0], merge_pivots((kv[0], x) for x in kv[1])[kv[0]]))
    )
    if p.window_days is not None:
        from newstrace.spark.semantic import in_window

        dates = info.mapValues(lambda v: v[1])
        close = pivots.map(lambda kv: (((kv[0][0], None), (kv[0][1], None)), 0.0))
        kept = in_window(close, dates, p.window_days, parts).map(lambda kv: ((kv[0][0][0], kv[0][1][0]), None))
        pivots = pivots.join(kept, parts).mapValues(lambda v: v[0])
    return pivots


def _meaning_pass(verified: Any, by_id: Any, commonness: Commonness, cache_dir: str | None, sc: Any) -> Any:
    """Local detect's last pass (:func:`newstrace.detect.meaning_around`): the pairs whose
    paraphrased passages the documents around them say as closely, verified again on the
    driver knowing it. Only the verified pairs of the documents of pairs that count a
    paraphrased passage, and those documents' partners' texts, come to the driver."""
    weigh = set(verified.filter(lambda r: counts_paraphrase(r["report"])).flatMap(lambda r: (r["a"], r["b"])).collect())
    if not weigh:
        return verified
    near = sc.broadcast(weigh)
    keys = ("a", "b", "source", "derivative", "relation", "candidate", "report")
    rows = (
        verified.filter(lambda r: r["a"] in near.value or r["b"] in near.value)
        .map(lambda r: {k: r[k] for k in keys})
        .collect()
    )

    def docs_of(ids: Iterable[str]) -> dict[str, Document]:
        wanted = sc.broadcast(set(ids))
        return dict(by_id.filter(lambda kv: kv[0] in wanted.value).collect())

    from newstrace.spark.semantic import executor_encoder

    encoder = executor_encoder(cache_dir)
    meaning, again = meaning_around(
        rows, lambda ids: {i: d.text for i, d in docs_of(ids).items()}, encoder
    )
    if meaning is None or not again:
        return verified
    docs = docs_of({x for a, b, _ in again for x in (a, b)})
    with_meaning = replace(commonness, meaning=meaning)
    redone = [verify_pair(docs[a], docs[b], why, encoder, commonness=with_meaning) for a, b, why in again]
    done = sc.broadcast({(a, b) for a, b, _ in again})
    return (
        verified.filter(lambda r: (r["a"], r["b"]) not in done.value)
        .union(sc.parallelize(redone, max(1, min(len(redone), sc.defaultParallelism))))
        .cache()
    )


def run_job(
    spark: Any, input_path: str, output_dir: str, params: DetectParams | None = None
) -> dict[str, int]:
    """Run detection on a Spark session; write Parquet tables under ``output_dir``.

    With ``params.semantic`` the candidates of document vectors join the lexical ones
    (:func:`newstrace.spark.semantic.semantic_candidates`) and pairs are verified with the
    encoder, as ``detect --semantic`` does.
    """
    p = params or DetectParams(workers=1)
    sc = spark.sparkContext
    parts = max(2, sc.defaultParallelism * 2)
    path = str(input_path)
    reader = (
        spark.read.parquet if path.endswith(".parquet") or Path(path).is_dir() else spark.read.json
    )
    raw = reader(path)
    if "text" not in raw.columns or "id" not in raw.columns:
        raise ConfigError(
            f"{path}: input needs at least the columns id and text (found: {', '.join(raw.columns)})"
        )
    docs = (
        raw.rdd.map(lambda r: document_from_row(r.asDict()))
        .filter(lambda d: bool(d.text.strip()))
        .map(_with_language)
        .cache()
    )
    meta = docs.map(
        lambda d: {
            "id": d.id,
            "outlet": d.outlet,
            "published": d.published,
            "text": d.text,
            "flash": is_headline_flash(d.text, d.title),
        }
    )
    every_sketch = meta.mapPartitions(lambda rows: _sketch(rows, p)).cache()
    # As local detect: a headline flash is proposed with the texts of its hour only, and counts
    # in no statistic of the corpus.
    sketches = every_sketch.filter(lambda s: not s["flash"])
    stories = docs.filter(lambda d: not is_headline_flash(d.text, d.title))
    bands, rows_per_band = optimal_bands(p.threshold, p.num_perm)
    width = rows_per_band * 4

    add, merge = _capped(p.max_bucket)

    # LSH: band keys, grouped in one shuffle; buckets over max_bucket are dropped as they grow.
    def band_keys(s: dict[str, Any]) -> Iterator[tuple[tuple[int, bytes], str]]:
        for b in range(bands):
            yield (b, s["sig"][b * width : (b + 1) * width]), s["id"]

    lsh = (
        sketches.flatMap(band_keys)
        .aggregateByKey([], add, merge, parts)
        .filter(lambda kv: kv[1] is not None and len(kv[1]) > 1)
        .flatMap(lambda kv: _pairs_of(kv[1]))
        .distinct(parts)
        .map(lambda ab: (ab, "lsh"))
    )

    # Fingerprints: postings with document frequency <= max_bucket; an outlet's own recurring text is skipped.
    fp_groups = (
        sketches.flatMap(lambda s: ((fp, (s["id"], s["outlet"])) for fp in s["fps"]))
        .aggregateByKey([], add, merge, parts)
        .filter(lambda kv: kv[1] is not None and len(kv[1]) > 1)
    )

    def fp_pairs(members: list[tuple[str, str | None]]) -> Iterator[tuple[tuple[str, str], int]]:
        per_outlet: dict[str | None, int] = defaultdict(int)
        for _, o in members:
            per_outlet[o] += 1
        ms = sorted(members)
        for i in range(len(ms)):
            for j in range(i + 1, len(ms)):
                (a, oa), (b, ob) = ms[i], ms[j]
                if oa is not None and oa == ob and per_outlet[oa] > 4:
                    continue
                yield (a, b), 1

    fps = (
        fp_groups.flatMap(lambda kv: fp_pairs(kv[1]))
        .reduceByKey(lambda x, y: x + y, parts)
        .filter(lambda kv: kv[1] >= p.min_shared)
        .map(lambda kv: (kv[0], "fingerprint"))
    )

    candidates = lsh.union(fps)
    if p.terms:
        rare = (
            sketches.flatMap(lambda s: ((t, s["id"]) for t in s["terms"]))
            .aggregateByKey([], add, merge, parts)
            .filter(lambda kv: kv[1] is not None)
            .cache()
        )
        rare_count = rare.flatMap(lambda kv: ((i, 1) for i in kv[1])).reduceByKey(
            lambda x, y: x + y, parts
        )
        shared = (
            rare.flatMap(lambda kv: ((ab, 1) for ab in _pairs_of(kv[1])))
            .reduceByKey(lambda x, y: x + y, parts)
            .filter(lambda kv: kv[1] >= 8)
        )
        terms = (
            shared.map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
            .join(rare_count)
            .map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][1])))
            .join(rare_count)
            .filter(lambda kv: kv[1][0][1] >= 0.3 * min(kv[1][0][2], kv[1][1]))
            .map(lambda kv: ((kv[1][0][0], kv[0]), "terms"))
        )
        candidates = candidates.union(terms)
    if p.title_df:
        # Rare title words of two short items, as local detect (title_candidates): a word's
        # titles are counted over every document, its pairs are those of the short ones.
        add_title, merge_title = _capped(p.title_df)
        by_title = (
            stories.flatMap(lambda d: ((w, (d.id, len(d.text))) for w in title_words(d.title) if not w.isdigit()))
            .aggregateByKey([], add_title, merge_title, parts)
            .filter(lambda kv: kv[1] is not None and len(kv[1]) > 1)
            .flatMap(lambda kv: ((ab, 1) for ab in _pairs_of([i for i, n in kv[1] if n <= TITLE_ITEM_CHARS])))
            .reduceByKey(lambda x, y: x + y, parts)
            .filter(lambda kv: kv[1] >= TITLE_SHARED_WORDS)
            .map(lambda kv: (kv[0], "title"))
        )
        candidates = candidates.union(by_title)
    if p.terms:
        candidates = candidates.union(_flash_candidates(every_sketch, parts))
    candidates = candidates.reduceByKey(lambda x, y: x if RANK[x] <= RANK[y] else y)
    if p.window_days is not None:  # as local detect (semantic candidates: see spark.semantic)
        dates = every_sketch.map(lambda s: (s["id"], s["published"]))
        window = p.window_days

        def close(kv: tuple[Any, Any]) -> bool:
            return within_window(to_date(kv[1][0]), to_date(kv[1][1]), window)

        candidates = (
            candidates.map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
            .join(dates)
            .map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][1])))
            .join(dates)
            .map(lambda kv: ((kv[1][0][0], kv[0]), (kv[1][0][1], kv[1][0][2], kv[1][1])))
            .filter(lambda kv: close((None, (kv[1][1], kv[1][2]))))
            .map(lambda kv: (kv[0], kv[1][0]))
        )

    if p.semantic:  # document vectors, as local detect --semantic (see newstrace.spark.semantic)
        from newstrace.spark.semantic import semantic_candidates

        candidates = candidates.union(semantic_candidates(stories, p, parts)).reduceByKey(
            lambda x, y: x if RANK[x] <= RANK[y] else y, parts
        )

    # The corpus's common text: form fingerprints held by common_docs or more documents (a
    # result, not the corpus: the formulas and chrome of the whole collection).
    # (Within one outlet at common_docs, across outlets at common_docs_any: see corpus_commonness.)
    # A few documents of one outlet within days of each other hold a story's spread, not its
    # formula (see common_forms): per (fingerprint, outlet) the holders and the first and last
    # of their days (NaN when one is undated), and how many days each outlet's documents span.
    spans = {
        o: hi - lo
        for o, (lo, hi) in sketches.filter(lambda s: len(s["forms"]) > 0)
        .map(lambda s: (s["outlet"], _day(s["published"])))
        .filter(lambda kv: not math.isnan(kv[1]))
        .mapValues(lambda d: (d, d))
        .reduceByKey(lambda x, y: (min(x[0], y[0]), max(x[1], y[1])), parts)
        .collect()
    }

    def held(kv: tuple[Any, Any]) -> tuple[int, tuple[bool, int]]:
        (fp, outlet), (n, first, last) = kv
        story = story_spread(n, last - first, spans.get(outlet, 0.0), p.story_days, p.story_docs)
        return fp, (n >= p.common_docs and not story, n)

    common_values = (
        sketches.flatMap(lambda s: (((fp, s["outlet"]), (1, _day(s["published"]))) for fp in s["forms"]))
        .mapValues(lambda x: (x[0], x[1], x[1]))
        .reduceByKey(lambda x, y: (x[0] + y[0], _nan_min(x[1], y[1]), _nan_max(x[2], y[2])), parts)
        .map(held)
        .reduceByKey(lambda x, y: (x[0] or y[0], x[1] + y[1]), parts)
        .filter(lambda kv: kv[1][0] or kv[1][1] >= p.common_docs_any)
        .keys()
        .collect()
    )
    # How many titles hold each title word, as local detect counts them (corpus_commonness).
    titles = stories.map(lambda d: d.title)
    n_titles = titles.count()
    title_df = dict(
        titles.flatMap(lambda t: ((w, 1) for w in title_words(t))).reduceByKey(lambda x, y: x + y, parts).collect()
    )
    forms_common = np.sort(np.array(common_values, dtype=np.uint64))
    common = sc.broadcast(
        Commonness(forms_common, p.common_docs, p.shingle, p.fingerprint_mod, title_df=title_df, titles=n_titles)
    )

    cache_dir = os.environ.get("NEWSTRACE_CACHE_DIR")
    semantic = p.semantic

    def verify_partition(items: Iterable[Any]) -> Iterator[dict[str, Any]]:
        encoder = None
        for kv in items:
            if semantic and encoder is None:  # loaded once per Python worker, where pairs are
                from newstrace.spark.semantic import executor_encoder

                encoder = executor_encoder(cache_dir)
            why, pivots = kv[1][0][1], ()
            if isinstance(why, tuple):  # the second round's: the rule and the pair's pivots
                why, pivots = why
            yield verify_pair(kv[1][0][0], kv[1][1], why, encoder, commonness=common.value, pivots=pivots)

    # Verification: the library's aligner next to the two documents. The corpus is
    # partitioned by id once; every later join moves only the other, smaller side to it.
    by_id = docs.map(lambda d: (d.id, d)).partitionBy(parts).cache()
    slim = by_id.mapValues(lambda d: replace(d, raw="", boilerplate=()))  # what compare reads

    def verify(pairs: Any) -> Any:
        return (
            pairs.map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
            .partitionBy(parts)
            .join(slim, parts)
            .map(lambda kv: (kv[1][0][0], (kv[1][1], kv[1][0][1])))
            .partitionBy(parts)
            .join(slim, parts)
            .mapPartitions(verify_partition)
            .cache()
        )

    verified = verify(candidates)
    if p.semantic:
        # The second round of local detect: pairs that reuse one passage of a third, verified
        # knowing their pivots where the first round did not verify them or found no reuse.
        pivots = _shared_passage_pivots(verified, docs, p, parts).cache()
        failed = verified.filter(lambda r: r["relation"] not in REUSE).map(lambda r: ((r["a"], r["b"]), None))
        fresh = pivots.subtractByKey(candidates, parts)
        again = pivots.join(failed, parts).mapValues(lambda v: v[0])
        redone = verify(fresh.union(again).mapValues(lambda v: ("shared", v)))
        verified = (
            verified.map(lambda r: ((r["a"], r["b"]), r)).subtractByKey(again, parts).values().union(redone).cache()
        )
        candidates = candidates.union(fresh.mapValues(lambda _: "shared"))
        verified = _meaning_pass(verified, slim, common.value, cache_dir, sc)
    reuse = verified.filter(lambda r: r["relation"] in ("duplicate", "derived", "partial")).cache()
    exported = verified.filter(lambda r: r["relation"] in PAIR_RELATIONS)  # reuse and related

    # Families: connected components by min-label propagation, then each family's forest.
    edges = reuse.flatMap(lambda r: [(r["a"], r["b"]), (r["b"], r["a"])]).partitionBy(parts).cache()
    labels = edges.map(lambda e: (e[0], e[0])).distinct(parts).cache()
    for _ in range(64):
        proposals = edges.join(labels, parts).map(lambda kv: (kv[1][0], kv[1][1]))
        new = labels.union(proposals).reduceByKey(min, parts).cache()
        new.localCheckpoint()  # cut the lineage each round: it would grow with every iteration
        changed = new.join(labels, parts).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = new
        if changed == 0:
            break
    node_rdd = every_sketch.map(lambda s: (s["id"], s["published"], s["outlet"]))
    lengths = docs.map(lambda d: (d.id, len(d.text)))
    nodes_kv = (
        node_rdd.map(lambda t: (t[0], (t[1], t[2])))
        .join(lengths)
        .map(lambda kv: (kv[0], Node(kv[0], kv[1][0][1], kv[1][0][0], kv[1][1])))
    )
    comp_nodes = labels.join(nodes_kv).map(lambda kv: (kv[1][0], kv[1][1])).groupByKey()
    comp_edges = (
        reuse.map(lambda r: (r["a"], r))
        .join(labels)
        .map(lambda kv: (kv[1][1], kv[1][0]))
        .groupByKey()
    )

    def forest_rows(
        kv: tuple[str, tuple[Iterable[Node], Iterable[dict[str, Any]]]],
    ) -> Iterator[dict[str, Any]]:
        ns = {n.id: n for n in kv[1][0]}
        es = [Edge.from_pair(r) for r in kv[1][1]]
        f = build_forest(es, ns)
        for d in f.family:
            e = f.best_edge.get(d)
            yield {
                "id": d,
                "family": f.family[d],
                "derived_from": f.derived_from.get(d),
                "depth": f.depth.get(d, 0),
                "edge": None
                if e is None
                else (e.source, e.relation, e.confidence, e.coverage_derivative, e.coverage_source),
            }

    forest = comp_nodes.join(comp_edges).flatMap(forest_rows).cache()
    fam_kv = forest.map(lambda r: (r["id"], (r["family"], r["derived_from"], r["depth"])))

    # Output may be a cluster URI (hdfs://, s3a://): join with "/" rather than Path, which
    # would fold the double slash.
    out = output_dir.rstrip("/")
    if "://" not in out:
        Path(out).mkdir(parents=True, exist_ok=True)
    documents = by_id.leftOuterJoin(fam_kv.partitionBy(parts), parts).map(
        lambda kv: document_row(kv[1][0], kv[1][1])
    )
    fam_of = fam_kv.map(lambda kv: (kv[0], kv[1][0]))
    pairs = (
        exported.map(lambda r: (r["derivative"], r))
        .leftOuterJoin(fam_of)
        .map(lambda kv: pair_row(kv[1][0], kv[1][1]))
    )
    texts = by_id.mapValues(lambda d: d.text)
    passages = (
        exported.map(lambda r: (r["source"], r))
        .partitionBy(parts)
        .join(texts, parts)
        .map(lambda kv: (kv[1][0]["derivative"], kv[1]))
        .partitionBy(parts)
        .join(texts, parts)
        .flatMap(
            lambda kv: (
                passage_row(
                    kv[1][0][0]["source"], kv[1][0][0]["derivative"], i, ps, kv[1][0][1], kv[1][1]
                )
                for i, ps in enumerate(kv[1][0][0]["passages"])
            )
        )
    )
    fam_nodes = (
        forest.map(lambda r: (r["id"], r["family"]))
        .join(nodes_kv)
        .map(lambda kv: (kv[1][0], kv[1][1]))
        .groupByKey()
        .map(lambda kv: family_row(kv[0], sorted(n.id for n in kv[1]), {n.id: n for n in kv[1]}))
    )

    # Outlet network: per outlet pair and per outlet, from the best-source edges (small results).
    all_nodes = nodes_kv.values()
    best = forest.filter(lambda r: r["edge"] is not None).map(
        lambda r: (
            r["id"],
            Edge(r["edge"][0], r["id"], r["edge"][1], r["edge"][2], r["edge"][3], r["edge"][4]),
        )
    )
    involved = (
        best.flatMap(lambda kv: [kv[1].source, kv[0]])
        .distinct()
        .map(lambda i: (i, 1))
        .join(nodes_kv)
        .map(lambda kv: kv[1][1])
    )
    f = Forest(best_edge=dict(best.collect()))  # one edge per derivative: results, not the corpus
    outlet_totals = all_nodes.map(lambda n: n.outlet).countByValue()
    nodes_small = {n.id: n for n in involved.collect()}
    outlets, flows = outlet_rows(f, nodes_small)
    totals = {o or "(unknown)": c for o, c in outlet_totals.items()}
    for row in outlets:
        row["articles"] = totals.get(row["outlet"], row["articles"])
        row["derived_share"] = (
            round(row["derived"] / row["articles"], 4) if row["articles"] else 0.0
        )
    seen = {row["outlet"] for row in outlets}
    for o, c in sorted(totals.items()):
        if o not in seen:
            outlets.append(
                {
                    "outlet": o,
                    "articles": c,
                    "derived": 0,
                    "derived_share": 0.0,
                    "sources": "",
                    "copied_by": "",
                }
            )
    outlets.sort(key=lambda r: r["outlet"])

    _write(spark, documents, f"{out}/documents", "id")
    _write(spark, pairs, f"{out}/pairs", "source", "derivative")
    _write(spark, passages, f"{out}/passages", "source", "derivative", "idx")
    _write(spark, fam_nodes, f"{out}/families", "family")
    _write(spark, sc.parallelize(outlets, 1), f"{out}/outlets", "outlet")
    _write(
        spark, sc.parallelize(flows, 1), f"{out}/outlet_flows", "source_outlet", "derivative_outlet"
    )
    return {
        "documents": docs.count(),
        "candidates": candidates.count(),
        "verified": verified.count(),
        "reuse_pairs": reuse.count(),
    }


def _write(spark: Any, rdd: Any, path: str, *order: str) -> None:
    """Write an RDD of dicts as Parquet, with every value as JSON-safe column types."""
    rows = rdd.map(lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True))
    df = spark.read.json(rows) if not rows.isEmpty() else None
    if df is None:
        spark.createDataFrame([], "empty string").write.mode("overwrite").parquet(str(path))
        return
    df.orderBy(*order).write.mode("overwrite").parquet(str(path))


def _day(published: str | None) -> float:
    return publication_day(to_date(published))


def _nan_min(x: float, y: float) -> float:
    return math.nan if math.isnan(x) or math.isnan(y) else min(x, y)


def _nan_max(x: float, y: float) -> float:
    return math.nan if math.isnan(x) or math.isnan(y) else max(x, y)

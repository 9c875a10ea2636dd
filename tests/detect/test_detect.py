# ruff: noqa: E501
"""Corpus detection end to end on a labelled corpus built from real articles."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.detect import DetectParams, DetectReport, candidate_pairs, detect
from newstrace.evaluation.families import adjusted_rand_index, evaluate_families, generate_families
from newstrace.export import TABLES, export_tables, write_tables
from newstrace.index.minhash import jaccard_estimate, signature
from newstrace.index.shingles import shingle_hashes
from newstrace.pipeline import ingest
from newstrace.store import Store

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz"


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fam") / "families.jsonl"
    generate_families(path, CORPUS, families=16, singletons=16, seed=5)
    return path


def _run(db: Path, inputs: list[Path]) -> dict[str, list[dict]]:
    with Store(db) as store:
        for p in inputs:
            ingest([p], store)
            detect(store, DetectParams(workers=1))
        return export_tables(store)


def _stored(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Every exported table, whole: documents (texts, families, best sources), pairs with their
    typed columns and the stored report as JSON (passages, coverage, confidence, direction and
    its evidence, mutations, candidate), passages, families, outlets and outlet flows."""
    return {name: rows for name, rows in tables.items()}


def test_incremental_equals_from_scratch(tmp_path: Path, labelled: Path) -> None:
    lines = labelled.read_text().splitlines()
    half1, half2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    half1.write_text("\n".join(lines[: len(lines) // 2]) + "\n")
    half2.write_text("\n".join(lines[len(lines) // 2 :]) + "\n")
    incremental = _run(tmp_path / "inc.db", [half1, half2])
    scratch = _run(tmp_path / "scratch.db", [labelled])
    assert set(incremental) == set(scratch) == set(TABLES)
    for name in TABLES:
        assert incremental[name] == scratch[name], f"{name}: incremental differs from scratch"
    assert incremental["pairs"], "the corpus has reuse to find"
    assert any(json.loads(p["report"])["passages"] for p in incremental["pairs"])
    # A second run with nothing new verifies nothing.
    with Store(tmp_path / "scratch.db") as store:
        again = detect(store, DetectParams(workers=1))
    assert again.indexed == 0 and again.verified == 0
    # Cleared, the store is detected again from scratch, with the same results.
    with Store(tmp_path / "scratch.db") as store:
        store.clear_detection()
        assert store.pairs() == [] and store.families() == [] and store.index_hashes() == {}
        redone = detect(store, DetectParams(workers=1))
        assert redone.indexed == store.count() and redone.verified == redone.candidates
        assert _stored(export_tables(store)) == _stored(scratch)


def test_index_entries_are_the_same_in_worker_processes(
    tmp_path: Path, labelled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sketched in forked workers, a few documents a task, the index holds every document's
    entry byte for byte as sketched in one process, and progress counts every document."""
    import newstrace.detect as detect_module

    monkeypatch.setattr(detect_module, "INDEX_TASK", 7)  # many tasks, the last one short
    entries, seen = [], []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            ingest([labelled], store)
            progress: list[tuple[int, int]] = []
            n = detect_module.index_documents(
                store, DetectParams(workers=workers), lambda _, done, total, kept=progress: kept.append((done, total))
            )
            assert n == store.count() > 2 * 7
            entries.append(store.conn.execute("SELECT * FROM doc_index ORDER BY doc_id").fetchall())
            seen.append(progress[-1])
    assert [tuple(r) for r in entries[0]] == [tuple(r) for r in entries[1]]
    assert len(entries[0]) == n and seen == [(n, n), (n, n)]


def _verified(db: Path) -> dict[tuple[str, str], tuple[object, ...]]:
    """Every verified pair as stored (the verdict, its report, the texts it was verified on)."""
    with Store(db) as store:
        return {
            (r["a"], r["b"]): tuple(r)
            for r in store.conn.execute("SELECT * FROM pairs ORDER BY a, b").fetchall()
        }


def test_changing_only_the_options_keeps_verified_pairs(tmp_path: Path, labelled: Path) -> None:
    """README: pairs already verified are kept when only the options change. A pair still
    proposed keeps its stored verdict (it is not verified again), a pair no longer proposed is
    dropped, and only pairs never verified are verified."""
    db = tmp_path / "t.db"
    with Store(db) as store:
        ingest([labelled], store)
        first = detect(store, DetectParams(workers=1))
    before = _verified(db)
    assert first.verified == first.candidates == len(before) > 0
    # --threshold tunes the LSH bands: a higher one proposes fewer pairs by LSH (the other
    # proposers, shared fingerprints and rare words, still propose these ones here).
    with Store(db) as store:
        lsh = {
            t: sum(why == "lsh" for why in candidate_pairs(store, DetectParams(threshold=t), DetectReport())[0].values())
            for t in (0.3, 0.8)
        }
        higher = detect(store, DetectParams(workers=1, threshold=0.8))
    assert 0 < lsh[0.8] < lsh[0.3], lsh
    assert higher.candidates == first.candidates and higher.verified == higher.dropped == 0
    assert _verified(db) == before, "pairs still proposed keep their stored verdicts"
    # --window-days 1 proposes fewer pairs: those published further apart are dropped, the
    # others are kept as they were.
    with Store(db) as store:
        windowed = detect(store, DetectParams(workers=1, window_days=1))
    after = _verified(db)
    assert 0 < windowed.candidates == len(after) < first.candidates
    assert after.keys() < before.keys() and windowed.verified == 0
    assert windowed.dropped == len(before) - len(after)
    assert all(after[k] == before[k] for k in after), "kept pairs keep their stored verdicts"
    # Back to the defaults: the dropped pairs are proposed again and verified again (only
    # they), to the very verdicts they had.
    with Store(db) as store:
        back = detect(store, DetectParams(workers=1))
    assert back.candidates == first.candidates and back.verified == len(before) - len(after)
    assert _verified(db) == before


@pytest.mark.semantic
def test_switching_on_semantic_keeps_verified_pairs(tmp_path: Path, labelled: Path) -> None:
    """README: pairs already verified are kept when only ``--semantic`` is switched on: the
    lexical verdicts stay (and say they are lexical), only the pairs the embeddings add are
    verified, with the semantic layer."""
    db = tmp_path / "s.db"
    with Store(db) as store:
        ingest([labelled], store)
        first = detect(store, DetectParams(workers=1))
    before = _verified(db)
    # Every document's 5 nearest neighbours are candidates (no floor on their cosine): on this
    # corpus the encoder's calibrated floor adds none that the lexical proposers miss.
    with Store(db) as store:
        sem = detect(store, DetectParams(workers=1, semantic=True, semantic_min=0.0))
    after = _verified(db)
    assert before.keys() < after.keys() and sem.dropped == 0, "the embeddings add candidates"
    assert sem.candidates == len(after) >= first.candidates
    assert sem.verified == len(after.keys() - before.keys())
    assert all(after[k] == before[k] for k in before), "lexical verdicts are kept as they were"
    with Store(db) as store:
        rows = {(r["a"], r["b"]): r for r in store.conn.execute("SELECT a, b, report FROM pairs")}
    assert not any(json.loads(rows[k]["report"])["semantic"] for k in before)
    assert all(json.loads(rows[k]["report"])["semantic"] for k in after.keys() - before.keys())


def test_window_days_skips_pairs_published_further_apart(tmp_path: Path) -> None:
    """``--window-days N``: a pair published more than N days apart is not proposed (so not
    verified, not stored); one within N days is, and so is one with an undated side."""
    base = [
        "Flood defences along the Elbe river failed on Tuesday night, forcing the evacuation of four villages near Dresden.",
        "Regional governor Anna Keller said emergency crews had worked through the night to reinforce the remaining dykes.",
        "The river peaked at 8.2 metres early on Wednesday, almost a metre above the previous record set in 2002.",
        "More than 3,000 residents spent the night in school gyms and sports halls across the district.",
        "Hydrologist Peter Brandt warned that further rain was expected over the weekend, raising fears of new breaches.",
    ]
    text = "\n\n".join(base)
    recs = [
        {"id": "origin", "outlet": "State Wire", "date": "2024-03-01", "text": text},
        {"id": "near", "outlet": "Near Copy", "date": "2024-03-20", "text": text + "\n\nSource: State Wire"},
        {"id": "far", "outlet": "Far Copy", "date": "2024-05-10", "text": text + "\n\nVia State Wire"},
        {"id": "undated", "outlet": "Undated Copy", "text": text + "\n\nFrom State Wire."},
    ]
    p = tmp_path / "w.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs))
    found = {}
    for window in (None, 30, 19, 18):
        with Store(tmp_path / f"w{window}.db") as store:
            ingest([p], store)
            detect(store, DetectParams(workers=1, window_days=window))
            ids = {d.input_id: d.id for _, d in store.iter_documents()}
            names = {v: k for k, v in ids.items()}
            found[window] = {
                tuple(sorted((names[r["a"]], names[r["b"]])))
                for r in store.conn.execute("SELECT a, b FROM pairs")
            }
    every = {tuple(sorted(x)) for x in combinations(ids, 2)}
    assert found[None] == every  # without a window, every copy of the story is paired
    # near - origin: 19 days; far - origin: 70; far - near: 51; undated: no date to compare.
    assert found[30] == every - {("far", "origin"), ("far", "near")}
    assert found[19] == found[30]
    assert found[18] == found[30] - {("near", "origin")}


def test_quality_floor_on_labelled_families(labelled: Path) -> None:
    s = evaluate_families(labelled)
    # Floors pinned under the figures README quotes (which use a larger corpus).
    assert s.ari >= 0.85
    assert s.edge_f1["verbatim"] >= 0.9 and s.edge_f1["partial"] >= 0.85
    assert s.edge_recall["paraphrase"] >= 0.7 and s.reuse_precision >= 0.9
    assert s.direction_dated is not None and s.direction_dated >= 0.9
    # Undated direction and best-source accuracy (README 0.829 and 0.744 on 120 families) are
    # lower on this fixture of 16: 0.667 and 0.633 when these floors were set.
    assert s.direction_undated is not None and s.direction_undated >= 0.64
    assert s.best_source_accuracy >= 0.61


def test_chain_is_reconstructed(tmp_path: Path) -> None:
    base = [
        "Flood defences along the Elbe river failed on Tuesday night, forcing the evacuation of four villages near Dresden.",
        "Regional governor Anna Keller said emergency crews had worked through the night to reinforce the remaining dykes.",
        "The river peaked at 8.2 metres early on Wednesday, almost a metre above the previous record set in 2002.",
        "More than 3,000 residents spent the night in school gyms and sports halls across the district.",
        "Hydrologist Peter Brandt warned that further rain was expected over the weekend, raising fears of new breaches.",
        "The federal government has promised emergency funds, but the amount has not yet been announced by the ministry.",
    ]
    state = "\n\n".join(base)
    republisher = state + "\n\nThe original source of this article is State Wire"
    blog = (
        "\n\n".join(
            [
                base[0],
                base[1],
                "Ironically, nobody in the capital seems to care about these villages at all.",
                base[2],
                base[4],
            ]
        )
        + "\n\nSource: State Wire"
    )
    recs = [
        {"id": "state", "outlet": "State Wire", "date": "2024-03-01", "text": state},
        {"id": "repub", "outlet": "Research Site", "date": "2024-03-02", "text": republisher},
        {"id": "blog", "outlet": "Blog", "date": "2024-03-04", "text": blog},
    ]
    p = tmp_path / "chain.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs))
    tables = _run(tmp_path / "c.db", [p])
    by_input = {d["input_id"]: d for d in tables["documents"]}
    assert by_input["state"]["derived_from"] is None
    assert by_input["repub"]["derived_from"] == by_input["state"]["id"]
    assert by_input["blog"]["derived_from"] in (by_input["state"]["id"], by_input["repub"]["id"])
    assert len({d["family"] for d in tables["documents"]}) == 1
    flows = {(f["source_outlet"], f["derivative_outlet"]) for f in tables["outlet_flows"]}
    assert ("State Wire", "Research Site") in flows


def test_outlet_boilerplate_is_not_reuse(tmp_path: Path) -> None:
    footer = (
        "The views expressed in this opinion article are solely those of their author and are not "
        "necessarily either shared or endorsed by the Daily Example, which is an independent newspaper."
    )
    stories = [
        json.loads(line)["text"]
        for line, _ in zip(__import__("gzip").open(CORPUS, "rt"), range(8), strict=False)
    ]
    recs = [
        {"id": f"s{i}", "outlet": "Daily Example", "text": f"{t}\n\n{footer}"}
        for i, t in enumerate(stories[:6])
    ]
    p = tmp_path / "b.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs))
    tables = _run(tmp_path / "b.db", [p])
    assert [x for x in tables["pairs"] if x["relation"] != "related"] == []


def test_export_formats_and_schema(tmp_path: Path, labelled: Path) -> None:
    with Store(tmp_path / "e.db") as store:
        ingest([labelled], store)
        detect(store, DetectParams(workers=1))
        tables = export_tables(store)
    for fmt in ("jsonl", "csv", "parquet"):
        paths = write_tables(tables, tmp_path / fmt, fmt)
        assert {p.stem for p in paths} >= {"documents", "pairs", "passages", "families", "outlets"}
    doc = tables["documents"][0]
    for key in ("id", "input_id", "family", "derived_from"):
        assert key in doc
    pair = tables["pairs"][0]
    for key in ("source", "derivative", "relation", "confidence", "coverage"):
        assert key in pair
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "parquet" / "pairs.parquet").num_rows == len(tables["pairs"])
    # Same store, same bytes.
    write_tables(tables, tmp_path / "again", "jsonl")
    for name in ("documents", "pairs", "passages"):
        assert (tmp_path / "jsonl" / f"{name}.jsonl").read_bytes() == (
            tmp_path / "again" / f"{name}.jsonl"
        ).read_bytes()


def test_ari() -> None:
    assert adjusted_rand_index(list("aabb"), list("xxyy")) == 1.0
    assert adjusted_rand_index(list("aabb"), list("xyxy")) < 0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from([f"w{i}" for i in range(60)]), min_size=30, max_size=200),
    st.lists(st.sampled_from([f"w{i}" for i in range(60)]), min_size=30, max_size=200),
)
def test_minhash_tracks_jaccard(a: list[str], b: list[str]) -> None:
    ha, hb = shingle_hashes(" ".join(a), 2), shingle_hashes(" ".join(b), 2)
    true = len(np.intersect1d(ha, hb)) / max(1, len(np.union1d(ha, hb)))
    est = jaccard_estimate(signature(ha, 256), signature(hb, 256))
    assert abs(est - true) < 0.2


@pytest.mark.slow  # about 40 s on two cores
@pytest.mark.semantic
def test_semantic_detect_gives_the_same_pairs_in_worker_processes(
    tmp_path: Path, labelled: Path
) -> None:
    """``detect --semantic`` verifies in forked workers sharing the loaded encoder: the stored
    pairs are exactly those of one process (reports included), and the semantic layer ran."""
    tables = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            ingest([labelled], store)
            report = detect(store, DetectParams(semantic=True, workers=workers))
            assert report.verified > 50  # enough for the worker pool to be used
            tables.append(export_tables(store)["pairs"])
    one, two = tables
    assert one == two and one
    assert all(json.loads(p["report"])["semantic"] for p in one)

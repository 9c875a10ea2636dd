"""The Spark job proposes the pairs of short items whose titles share rare words as local
``detect`` does (:func:`newstrace.index.minhash.title_candidates`), with the same verdicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import DetectParams, detect
from newstrace.export import export_tables, read_table
from newstrace.pipeline import ingest
from newstrace.store import Store
from tests.detect.test_title_candidates import _corpus

pytestmark = [pytest.mark.slow]


def test_spark_title_candidates_equal_local(tmp_path: Path, spark: Any) -> None:
    from newstrace.spark import run_job

    src = _corpus(tmp_path / "items.jsonl")
    params = DetectParams(workers=1, terms=False, min_shared=99, threshold=1.0)
    with Store(tmp_path / "local.db") as store:
        ingest([src], store)
        report = detect(store, params)
        local = export_tables(store)
        name = {r["id"]: r["input_id"] for r in store.conn.execute("SELECT id, input_id FROM documents")}
    # Local ingest names documents by their text; the job keeps the input's ids.
    pairs = {
        frozenset((name[p["source"]], name[p["derivative"]])): (p["candidate"], p["relation"])
        for p in local["pairs"]
    }
    assert pairs[frozenset(("halmi-1", "halmi-2"))] == ("title", "partial")
    counts = run_job(spark, str(src), str(tmp_path / "spark"), params)
    assert counts["candidates"] == report.candidates == len(pairs)
    remote = read_table(tmp_path / "spark" / "pairs")
    assert {frozenset((p["source"], p["derivative"])): (p["candidate"], p["relation"]) for p in remote} == pairs

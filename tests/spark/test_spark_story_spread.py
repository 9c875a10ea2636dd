"""The Spark job tells a story's spread from an outlet's formula as local ``detect`` does
(:func:`newstrace.detect.common_forms`): the same verdicts on a wire corpus whose story
paragraph and whose formula four documents each hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import DetectParams, detect
from newstrace.export import export_tables, read_table
from newstrace.pipeline import ingest
from newstrace.store import Store
from tests.detect.test_story_spread import _corpus

pytestmark = [pytest.mark.slow]


def test_spark_reads_a_story_spread_as_local(tmp_path: Path, spark: Any) -> None:
    from newstrace.spark import run_job

    src = _corpus(tmp_path / "wire.jsonl")
    params = DetectParams(workers=1)
    with Store(tmp_path / "local.db") as store:
        ingest([src], store)
        detect(store, params)
        local = export_tables(store)
        name = {r["id"]: r["input_id"] for r in store.conn.execute("SELECT id, input_id FROM documents")}
    # Local ingest names documents by their text; the job keeps the input's ids.
    pairs = {frozenset((name[p["source"]], name[p["derivative"]])): p["relation"] for p in local["pairs"]}
    assert pairs[frozenset(("story-1", "story-2"))] == "partial"
    assert pairs[frozenset(("offer-1", "offer-2"))] == "related"
    run_job(spark, str(src), str(tmp_path / "spark"), params)
    remote = read_table(tmp_path / "spark" / "pairs")
    assert {frozenset((p["source"], p["derivative"])): p["relation"] for p in remote} == pairs

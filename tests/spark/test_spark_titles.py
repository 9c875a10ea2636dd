"""The Spark job proposes the pairs of short items whose titles share rare words as local
``detect`` does (:func:`newstrace.index.minhash.title_candidates`), with the same verdicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import DetectParams
from tests.detect.test_title_candidates import _corpus
from tests.spark.parity import local_pairs, remote_pairs

pytestmark = [pytest.mark.slow]


def test_spark_title_candidates_equal_local(tmp_path: Path, spark: Any) -> None:
    from newstrace.spark import run_job

    src = _corpus(tmp_path / "items.jsonl")
    params = DetectParams(workers=1, terms=False, min_shared=99, threshold=1.0)
    pairs, report, _, _ = local_pairs(src, tmp_path / "local.db", params)
    assert pairs[frozenset(("halmi-1", "halmi-2"))] == ("title", "partial")
    counts = run_job(spark, str(src), str(tmp_path / "spark"), params)
    assert counts["candidates"] == report.candidates == len(pairs)
    assert remote_pairs(tmp_path / "spark") == pairs

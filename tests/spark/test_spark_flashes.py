"""The Spark job proposes a headline flash with the texts of its hour as local ``detect`` does
(:func:`newstrace.index.minhash.flash_candidates`), with the same verdicts, and keeps the flashes
out of the corpus's statistics as local ``detect`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import DetectParams
from newstrace.export import read_table
from tests.detect.test_flashes import _corpus
from tests.spark.parity import local_pairs, remote_pairs

pytestmark = [pytest.mark.slow]


def test_spark_flash_candidates_equal_local(tmp_path: Path, spark: Any) -> None:
    from newstrace.spark import run_job

    src = _corpus(tmp_path / "items.jsonl")
    params = DetectParams(workers=1, window_days=3)
    pairs, report, local, name = local_pairs(src, tmp_path / "local.db", params)
    assert pairs[frozenset(("flash", "table"))] == ("flash", "partial")
    counts = run_job(spark, str(src), str(tmp_path / "spark"), params)
    assert counts["candidates"] == report.candidates
    assert remote_pairs(tmp_path / "spark") == pairs
    # The flash, the flash sent again and the table make one family, in both.
    local_families = {name[d["id"]]: d["family"] for d in local["documents"] if d["family"]}
    remote_families = {d["id"]: d["family"] for d in read_table(tmp_path / "spark" / "documents") if d["family"]}
    assert set(local_families) == set(remote_families) == {"flash", "again", "table"}

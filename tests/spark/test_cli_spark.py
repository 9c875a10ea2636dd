"""``newstrace spark detect`` passes its options to the job (a stand-in session; no JVM)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newstrace.cli import main


def test_spark_detect_semantic_reaches_the_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark")
    import pyspark.sql

    import newstrace.spark

    seen: dict[str, Any] = {}

    class Session:
        def stop(self) -> None:
            seen["stopped"] = True

    class Builder:
        def appName(self, name: str) -> Builder:
            return self

        def master(self, url: str) -> Builder:
            seen["master"] = url
            return self

        def getOrCreate(self) -> Session:
            return Session()

    class SparkSession:
        builder = Builder()

    def run_job(spark: Any, input_path: str, output_dir: str, params: Any) -> dict[str, int]:
        seen["params"] = params
        return {"documents": 2, "candidates": 1, "verified": 1, "reuse_pairs": 1}

    monkeypatch.setattr(pyspark.sql, "SparkSession", SparkSession)
    monkeypatch.setattr(newstrace.spark, "run_job", run_job)
    docs = tmp_path / "documents.jsonl"
    docs.write_text('{"id": "a", "text": "x"}\n')
    args = ["spark", "detect", "--input", str(docs), "--output", str(tmp_path / "out"), "--master", "local[1]"]
    r = CliRunner().invoke(main, [*args, "--semantic", "--window-days", "3"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert seen["params"].semantic and seen["params"].window_days == 3 and seen["stopped"]
    assert "candidates" in r.stdout
    CliRunner().invoke(main, args, catch_exceptions=False)
    assert not seen["params"].semantic

"""The Spark job in local mode gives the same pairs, relations, directions and families as
``newstrace detect`` on the same corpus, and its output imports into a store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newstrace.detect import DetectParams, detect
from newstrace.evaluation.families import generate_families
from newstrace.export import export_tables, import_tables, read_table, write_tables
from newstrace.pipeline import ingest
from newstrace.store import Store

ROOT = Path(__file__).resolve().parents[2]
pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip(
        "Java 17 is needed for Spark (apt-get install openjdk-17-jre-headless)",
        allow_module_level=True,
    )


def test_spark_equals_local(tmp_path: Path, spark) -> None:  # type: ignore[no-untyped-def]
    from newstrace.spark import run_job

    labelled = tmp_path / "families.jsonl"
    generate_families(
        labelled,
        ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz",
        families=6,
        singletons=6,
        seed=3,
    )
    with Store(tmp_path / "local.db") as store:
        ingest([labelled, ROOT / "examples" / "seeds"], store)
        detect(store, DetectParams(workers=1))
        local = export_tables(store)
    write_tables(local, tmp_path / "export", "jsonl")
    counts = run_job(spark, str(tmp_path / "export" / "documents.jsonl"), str(tmp_path / "spark"))
    local_reuse = [p for p in local["pairs"] if p["relation"] != "related"]
    assert counts["reuse_pairs"] == len(local_reuse) > 0

    def view(pairs: list[dict], docs: list[dict]) -> tuple[object, object]:
        return (
            sorted(
                (
                    p["source"],
                    p["derivative"],
                    p["relation"],
                    round(float(p["confidence"]), 3),
                    round(float(p["coverage"]), 3),
                )
                for p in pairs
            ),
            sorted((d["id"], d["family"], d["derived_from"]) for d in docs),
        )

    remote_pairs = read_table(tmp_path / "spark" / "pairs")
    remote_docs = read_table(tmp_path / "spark" / "documents")
    assert view(remote_pairs, remote_docs) == view(local["pairs"], local["documents"])
    remote_flows = sorted(
        (f["source_outlet"], f["derivative_outlet"], f["articles"])
        for f in read_table(tmp_path / "spark" / "outlet_flows")
    )
    assert remote_flows == sorted(
        (f["source_outlet"], f["derivative_outlet"], f["articles"]) for f in local["outlet_flows"]
    )
    assert len(read_table(tmp_path / "spark" / "passages")) == len(local["passages"])

    # The Spark output loads into a store where trace and report work.
    with Store(tmp_path / "imported.db") as store:
        got = import_tables(tmp_path / "spark", store)
        assert got["pairs"] == len(local["pairs"])
        again = export_tables(store)
    assert view(again["pairs"], again["documents"]) == view(local["pairs"], local["documents"])

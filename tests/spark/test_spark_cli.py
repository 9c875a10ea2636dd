"""`newstrace spark detect` end to end, by the README's route: ingest and detect locally, export
the store as Parquet, run the CLI on the Parquet documents in its own process, import its output,
and find the local engine's results (pairs, relations, directions, coverage, families, outlet
flows, passages)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newstrace.evaluation.families import generate_families
from newstrace.export import export_tables, read_table
from newstrace.store import Store

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip(
        "Java 17 is needed for Spark (apt-get install openjdk-17-jre-headless)",
        allow_module_level=True,
    )


def _cli(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # Small partitions for a small corpus, no UI: the CLI's own options stay the README's.
        "PYSPARK_SUBMIT_ARGS": "--conf spark.sql.shuffle.partitions=4 --conf spark.ui.enabled=false "
        "--conf spark.default.parallelism=4 pyspark-shell",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "newstrace", *args],
        capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, (args, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc


def _view(tables: dict[str, list[dict[str, Any]]]) -> dict[str, object]:
    """What must agree: each pair's verdict, each document's family and parent, the outlet flows
    and the passages."""

    def num(x: object) -> float:
        return round(float(x), 3)  # type: ignore[arg-type]

    pairs = [
        (p["source"], p["derivative"], p["relation"], p["direction"], num(p["confidence"]),
         num(p["coverage"]), num(p["coverage_source"]), int(p["passages"]))
        for p in tables["pairs"]
    ]  # fmt: skip
    return {
        "pairs": sorted(pairs),
        "documents": sorted((d["id"], d["family"], d["derived_from"]) for d in tables["documents"]),
        "flows": sorted(
            (f["source_outlet"], f["derivative_outlet"], int(f["articles"]))
            for f in tables["outlet_flows"]
        ),
        "passages": len(tables["passages"]),
    }


@pytest.mark.slow  # about 3.5 min on two cores: its own JVM, and local ingest and detect
def test_spark_detect_cli_on_parquet_equals_local_detect(tmp_path: Path) -> None:
    labelled = tmp_path / "families.jsonl"
    generate_families(
        labelled, ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz",
        families=6, singletons=6, seed=3,
    )  # fmt: skip
    local_db, corpus, results = tmp_path / "local.db", tmp_path / "corpus", tmp_path / "results"
    _cli("--db", str(local_db), "ingest", str(labelled), str(ROOT / "examples" / "seeds"))
    _cli("--db", str(local_db), "detect")
    _cli("--db", str(local_db), "export", "--format", "parquet", "--out", str(corpus))
    assert (corpus / "documents.parquet").is_file()

    done = _cli("spark", "detect", "--input", str(corpus / "documents.parquet"),
                "--output", str(results), "--master", "local[2]")  # fmt: skip
    assert "Spark detect:" in done.stdout and str(results) in done.stdout.replace("\n", "")

    with Store(local_db) as store:
        local = export_tables(store)
    reuse = [p for p in local["pairs"] if p["relation"] != "related"]
    assert len(reuse) >= 10  # the corpus has reuse to find: the comparison is not of two empties
    remote = {t: read_table(results / t) for t in ("pairs", "documents", "outlet_flows", "passages")}
    want, got = _view(local), _view(remote)
    for key in want:
        assert got[key] == want[key], key

    # The CLI's output imports into a store that exports the same verdicts.
    _cli("--db", str(tmp_path / "results.db"), "import", str(results))
    with Store(tmp_path / "results.db") as store:
        again = export_tables(store)
    assert _view(again)["pairs"] == want["pairs"]
    assert _view(again)["documents"] == want["documents"]

"""Local ``detect`` against the Spark job in ``local[2]`` on the same generated corpus: run times
and the job's shuffle size (from the Spark UI's REST API on localhost).

    python benchmarks/spark.py [--sizes 100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect import make_corpus

from newstrace.detect import DetectParams, detect
from newstrace.export import export_tables, write_tables
from newstrace.pipeline import ingest
from newstrace.settings import Settings
from newstrace.store import Store


def shuffle_bytes(spark) -> int:  # type: ignore[no-untyped-def]
    sc = spark.sparkContext
    url = f"{sc.uiWebUrl}/api/v1/applications/{sc.applicationId}/stages"
    with urllib.request.urlopen(url, timeout=30) as r:
        stages = json.load(r)
    return sum(int(s.get("shuffleWriteBytes", 0)) for s in stages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    args = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from newstrace.spark import run_job

    print(
        f"{'docs':>8} {'local detect s':>15} {'spark local[2] s':>17} {'shuffle MiB':>12} {'same pairs':>10}"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "corpus.jsonl"
            make_corpus(src, n)
            with Store(Path(tmp) / "l.db") as store:
                ingest([src], store, settings=Settings(max_file_bytes=10**12, batch_size=2000))
                t0 = time.perf_counter()
                detect(store, DetectParams(workers=2))
                local_s = time.perf_counter() - t0
                tables = export_tables(store)
            write_tables({"documents": tables["documents"]}, Path(tmp) / "in", "jsonl")
            spark = (
                SparkSession.builder.master("local[2]")
                .appName("newstrace-bench")
                .config("spark.driver.memory", "8g")
                .getOrCreate()
            )
            t1 = time.perf_counter()
            run_job(spark, str(Path(tmp) / "in" / "documents.jsonl"), str(Path(tmp) / "out"))
            spark_s = time.perf_counter() - t1
            shuffle = shuffle_bytes(spark) / 2**20
            spark.stop()
            import pyarrow.parquet as pq

            remote = {
                (r["source"], r["derivative"], r["relation"])
                for r in pq.read_table(Path(tmp) / "out" / "pairs").to_pylist()
            }
            same = remote == {
                (p["source"], p["derivative"], p["relation"]) for p in tables["pairs"]
            }
            print(
                f"{n:>8} {local_s:>15.1f} {spark_s:>17.1f} {shuffle:>12.1f} {same!s:>10}",
                flush=True,
            )


if __name__ == "__main__":
    main()

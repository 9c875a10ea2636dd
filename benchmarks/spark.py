"""Local ``detect`` against the Spark job in ``local[2]`` on the same generated corpus: run times
and the job's shuffle size (from the Spark UI's REST API on localhost).

    python benchmarks/spark.py [--sizes 100000,1000000] [--workdir DIR]

With ``--workdir`` the generated corpus and the ingested store are kept in ``DIR/<size>/`` and
reused by the next run (a 1M corpus takes an hour to generate and ingest on 2 cores); the
store's sketches, pairs and families are cleared first, so ``detect`` still runs from scratch.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
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


@contextlib.contextmanager
def work_dir(root: str | None, n: int) -> Iterator[str]:
    """A temporary directory, or ``root/<n>`` kept for the next run."""
    if root is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield tmp
        return
    path = Path(root) / str(n)
    path.mkdir(parents=True, exist_ok=True)
    yield str(path)


def prepared_store(tmp: str, n: int) -> Store:
    """The store of ``n`` generated articles: generated and ingested, or reused from a run
    that finished ingesting (then its detection results are cleared)."""
    src, db, done = Path(tmp) / "corpus.jsonl", Path(tmp) / "l.db", Path(tmp) / "ingested"
    if done.exists():
        store = Store(db)
        store.clear_detection()
        return store
    for stale in (src, db):
        stale.unlink(missing_ok=True)
    make_corpus(src, n)
    store = Store(db)
    ingest([src], store, settings=Settings(max_file_bytes=10**12, batch_size=2000))
    done.write_text(f"{store.count()} documents\n")
    return store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--workdir", help="keep (and reuse) corpora and stores here")
    args = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from newstrace.spark import run_job

    print(
        f"{'docs':>8} {'local detect s':>15} {'spark local[2] s':>17} {'shuffle MiB':>12} {'same pairs':>10}"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        with work_dir(args.workdir, n) as tmp:
            for old in ("in", "out"):
                shutil.rmtree(Path(tmp) / old, ignore_errors=True)
            with prepared_store(tmp, n) as store:
                t0 = time.perf_counter()
                detect(store, DetectParams(workers=2))
                local_s = time.perf_counter() - t0
                print(f"# {n}: local detect {local_s:.1f} s", flush=True)
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

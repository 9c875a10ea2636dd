"""Entry point for ``spark-submit``: the cluster provides the session.

    spark-submit --master yarn newstrace/spark/submit.py --input DOCS --output DIR [--threshold 0.3] [--semantic]

Ship newstrace to the executors as usual for PySpark (an environment where it is installed, or
``--py-files`` with a wheel). ``--semantic`` needs the semantic extra there too; each Python
worker loads the encoder once, from the derived-file cache (``NEWSTRACE_CACHE_DIR``, or the
worker's ``~/.cache/newstrace``, written on its first load: give executors a writable one with
``--conf spark.executorEnv.NEWSTRACE_CACHE_DIR=…``).
"""

from __future__ import annotations

import argparse


def main() -> None:
    from pyspark.sql import SparkSession

    from newstrace.detect import DetectParams
    from newstrace.spark import run_job

    ap = argparse.ArgumentParser(description="newstrace detect on Spark")
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--window-days", type=int)
    ap.add_argument("--semantic", action="store_true", help="rewrites and translations by sentence embeddings")
    args = ap.parse_args()
    spark = SparkSession.builder.appName("newstrace detect").getOrCreate()
    try:
        print(
            run_job(
                spark,
                args.input,
                args.output,
                DetectParams(threshold=args.threshold, window_days=args.window_days, semantic=args.semantic),
            )
        )
    finally:
        spark.stop()


if __name__ == "__main__":
    main()

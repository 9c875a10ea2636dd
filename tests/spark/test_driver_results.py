"""Nothing of the corpus is collected to the driver (README, *Spark*).

The job runs in its own local Spark (a subprocess: the limit below is fixed when a Spark
context starts, and the other Spark tests share one) with ``spark.driver.maxResultSize`` at its
minimum, 1 MB, on a corpus of about 2.3 MB of text. Every result a task sends the driver counts
against that limit, so a collect of the documents or their texts would fail the job; the job's
own results (counts, the corpus's common forms, one best edge per derivative, the outlet table)
fit, and its tables are written by the executors. The same session is shown to refuse a collect
of the texts, so the limit is known to be in force. One partition per stage pair (the job's
hundreds of small stages are what take the time): about 65 s on 2 cores shared with other
jobs (load 9), of which 15 s start Spark.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newstrace.export import read_table

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip(
        "Java 17 is needed for Spark (apt-get install openjdk-17-jre-headless)",
        allow_module_level=True,
    )

DOCS = 150
COPIES = 3  # planted reuse: documents 0-2 copied, with a new last paragraph, as 150-152

_SCRIPT = r"""
import json, sys
from pyspark.sql import SparkSession
from newstrace.spark import run_job

inp, out = sys.argv[1], sys.argv[2]
spark = (SparkSession.builder.master("local[2]").appName("newstrace-driver-results")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.driver.maxResultSize", "1m")
         .config("spark.sql.shuffle.partitions", "2").config("spark.default.parallelism", "1")
         .getOrCreate())
counts = run_job(spark, inp, out)
try:  # the control: the texts themselves cannot come to the driver in this session
    spark.read.json(inp).rdd.map(lambda r: r["text"]).collect()
    refused = ""
except Exception as e:
    refused = str(e)
print("RESULT " + json.dumps({"counts": counts, "refused": refused[:2000]}))
spark.stop()
"""


def _corpus(path: Path) -> int:
    """150 articles of about 15 KB of made-up words (no reuse between them) and 3 copies."""
    rng = random.Random(18)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9))) for _ in range(20_000)]

    def paragraph() -> str:
        sents = (" ".join(rng.choice(vocab) for _ in range(rng.randint(12, 24))) for _ in range(5))
        return " ".join(s.capitalize() + "." for s in sents)

    rows = []
    for i in range(DOCS):
        text = "\n\n".join(paragraph() for _ in range(24))
        rows.append({"id": f"d{i:04d}", "outlet": f"Outlet {i % 40}", "language": "en", "text": text})
    for k in range(COPIES):
        kept = rows[k]["text"].split("\n\n")[:20]
        rows.append({"id": f"d{DOCS + k:04d}", "outlet": "Copier", "language": "en",
                     "text": "\n\n".join([*kept, paragraph()])})  # fmt: skip
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    return sum(len(r["text"].encode()) for r in rows)


@pytest.mark.slow
def test_the_job_runs_with_1mb_of_results_on_the_driver(tmp_path: Path) -> None:
    inp, out = tmp_path / "corpus.jsonl", tmp_path / "out"
    size = _corpus(inp)
    assert size > 2_000_000  # twice the limit
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    run = subprocess.run([sys.executable, "-c", _SCRIPT, str(inp), str(out)], env=env,
                         capture_output=True, text=True, timeout=600)  # fmt: skip
    lines = [x for x in run.stdout.splitlines() if x.startswith("RESULT ")]
    assert run.returncode == 0 and lines, run.stderr[-4000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))
    # The limit is in force: a collect of the texts is refused.
    assert "maxResultSize" in result["refused"], result["refused"][:500]
    # The job, under it, did its work: every document, the planted copies found.
    counts = result["counts"]
    assert counts["documents"] == DOCS + COPIES
    assert counts["reuse_pairs"] == COPIES
    docs = read_table(out / "documents")
    assert len(docs) == DOCS + COPIES
    assert sum(len(d["text"].encode()) for d in docs) == size  # the texts, written by the executors
    pairs = {(p["source"], p["derivative"]) for p in read_table(out / "pairs") if p["relation"] != "related"}
    assert pairs == {(f"d{k:04d}", f"d{DOCS + k:04d}") for k in range(COPIES)}

"""The same inputs give byte-identical exports, in every format (JSONL, CSV, Parquet), across
separate runs (each its own store, ingested and detected from the same input), across
PYTHONHASHSEEDs, and whether detect verifies in one process or in two worker processes."""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

from newstrace.export import FORMATS, TABLES

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp: Path, name: str, *, seed: str, workers: int) -> tuple[dict[str, bytes], dict[str, int]]:
    """Ingest, detect and export into a store of its own; the exported files' bytes, and
    detect's summary."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    db = tmp / f"{name}.db"
    base = [sys.executable, "-m", "newstrace.cli", "--db", str(db)]

    def cli(*args: str) -> str:
        proc = subprocess.run([*base, *args], env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc.stdout

    cli("ingest", str(ROOT / "examples" / "seeds"), str(tmp / "corpus.jsonl"))
    summary = json.loads(cli("detect", "--workers", str(workers), "--json"))
    files: dict[str, bytes] = {}
    for fmt in FORMATS:
        out = tmp / f"{name}-{fmt}"
        cli("export", "--format", fmt, "--out", str(out))
        files.update({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    return files, summary


def test_exports_are_byte_identical_across_runs_seeds_and_workers(tmp_path: Path) -> None:
    with gzip.open(ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz", "rt") as f:
        lines = f.read().splitlines()
    (tmp_path / "corpus.jsonl").write_text("\n".join(lines[:300]) + "\n")
    one, one_summary = _run(tmp_path, "one", seed="0", workers=1)
    two, two_summary = _run(tmp_path, "two", seed="4242", workers=2)
    # Two workers verify in a pool only past 50 pairs: make sure this run did.
    assert two_summary["verified"] > 50 and (os.cpu_count() or 1) >= 2, two_summary
    assert one_summary == two_summary
    assert sorted(one) == sorted(f"{t}.{fmt}" for t in TABLES for fmt in FORMATS)
    assert one.keys() == two.keys()
    differ = [name for name in sorted(one) if one[name] != two[name]]
    assert differ == [], f"these files differ between two runs (1 worker, 2 workers): {differ}"
    # Not vacuous: the corpus has reuse, and each format holds every pair.
    import pyarrow.parquet as pq

    n = one["pairs.jsonl"].count(b"\n")
    with (tmp_path / "one-csv" / "pairs.csv").open(newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == n > 0
    assert pq.read_table(tmp_path / "one-parquet" / "pairs.parquet").num_rows == n

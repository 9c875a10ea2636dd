"""The same inputs give byte-identical exports across runs and across PYTHONHASHSEEDs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    db = tmp / f"d{seed}.db"
    out = tmp / f"out{seed}"
    base = [sys.executable, "-m", "newstrace.cli", "--db", str(db)]
    for args in (
        ["ingest", str(ROOT / "examples" / "seeds"), str(tmp / "corpus.jsonl")],
        ["detect", "--workers", "1"],
        ["export", "--format", "jsonl", "--out", str(out)],
    ):
        subprocess.run([*base, *args], check=True, env=env, capture_output=True)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_exports_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    import gzip

    with gzip.open(ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz", "rt") as f:
        lines = f.read().splitlines()
    (tmp_path / "corpus.jsonl").write_text("\n".join(lines[:300]) + "\n")
    a, b = _run(tmp_path, "0"), _run(tmp_path, "4242")
    assert a.keys() == b.keys() and len(a) == 6
    for name in a:
        assert a[name] == b[name], f"{name} differs between hash seeds"
    assert a["pairs.jsonl"], "the corpus has reuse, so the comparison is not vacuous"

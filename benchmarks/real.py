"""``detect`` on a real corpus (BuzzFeed-Webis 2016 by default), this version against another.

    python benchmarks/real.py [--before REV] [--repeat 3] [--corpus FILE] [--workers 2]

Each run ingests the corpus into a fresh store and times ``newstrace detect`` as a user runs it
(a separate process, the default two workers). With ``--before REV`` the same runs are made
with the code of git revision REV (checked out in a temporary worktree, imported first on the
path), interleaved with this version's so that both see the same machine; the medians are
printed side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = """
import json, sys, time
from newstrace.detect import DetectParams, detect
from newstrace.pipeline import ingest
from newstrace.store import Store
corpus, db, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Store(db) as store:
    t0 = time.perf_counter()
    ingest([corpus], store)
    t1 = time.perf_counter()
    r = detect(store, DetectParams(workers=workers))
    t2 = time.perf_counter()
print(json.dumps({"ingest": t1 - t0, "detect": t2 - t1, "documents": r.documents,
                  "candidates": r.candidates, "reuse_pairs": r.reused_pairs}))
"""


def run(src: Path, corpus: Path, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(src)}
        out = subprocess.run(
            [sys.executable, "-c", RUN, str(corpus), str(Path(tmp) / "b.db"), str(workers)],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", help="a git revision to compare with (e.g. the last release)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz")
    args = ap.parse_args()
    versions = {"this version": ROOT / "src"}
    worktree = None
    if args.before:
        worktree = Path(tempfile.mkdtemp(prefix="newstrace-before-"))
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.before],
                       check=True, capture_output=True)  # fmt: skip
        versions = {f"before ({args.before})": worktree / "src", **versions}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in versions}
    try:
        for _ in range(args.repeat):
            for name, src in versions.items():
                results[name].append(run(src, args.corpus, args.workers))
    finally:
        if worktree is not None:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], check=False)
    print(f"corpus: {args.corpus.name}; {args.repeat} runs each, medians; detect with {args.workers} workers")
    print(f"{'version':<28} {'documents':>9} {'candidates':>10} {'reuse pairs':>11} {'ingest s':>9} {'detect s':>9}")
    base = None
    for name, rs in results.items():
        det = statistics.median(r["detect"] for r in rs)
        ing = statistics.median(r["ingest"] for r in rs)
        base = base or det
        print(f"{name:<28} {rs[0]['documents']:>9} {rs[0]['candidates']:>10} {rs[0]['reuse_pairs']:>11} "
              f"{ing:>9.1f} {det:>9.1f}  ({det / base:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()

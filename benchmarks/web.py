"""Server time of every page and API call of the web app on a large store (default 100k articles).

Builds the store once (the corpus generator of ``benchmarks/detect.py``, then ingest and
detect) or reuses ``--db``; then times each route in-process (FastAPI's test client: server
time without the network), median of repeated requests.

    python benchmarks/web.py [--n 100000] [--db bench-web.db]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from newstrace.detect import DetectParams, detect
from newstrace.pipeline import ingest
from newstrace.settings import Settings
from newstrace.store import Store


def build(db: Path, n: int) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from detect import make_corpus  # the same generated corpus as the detect benchmark

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        make_corpus(src, n)
        with Store(db) as store:
            t0 = time.perf_counter()
            ingest([src], store, settings=Settings(max_file_bytes=10**11, batch_size=2000))
            t1 = time.perf_counter()
            detect(store, DetectParams(workers=2))
            print(f"built {db}: ingest {t1 - t0:.0f} s, detect {time.perf_counter() - t1:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", default="bench-web.db")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        build(db, args.n)
    from fastapi.testclient import TestClient

    from newstrace.web import create_app

    with Store(db, readonly=True) as s:
        n_docs = s.count()
        fam = s.conn.execute(
            "SELECT family, COUNT(*) c FROM families GROUP BY family ORDER BY c DESC LIMIT 1"
        ).fetchone()
        pair = s.conn.execute(
            "SELECT source, derivative FROM pairs WHERE relation = 'derived' LIMIT 1"
        ).fetchone()
        doc = pair["derivative"]
        outlet = s.conn.execute("SELECT outlet FROM documents WHERE id = ?", (doc,)).fetchone()[0]
        word = s.get(doc).text.split()[5].strip(".,")
    client = TestClient(create_app(db))
    routes = [
        "/",
        f"/search?q={word}",
        f"/documents/{doc}",
        f"/pairs/{pair['source']}/{pair['derivative']}",
        f"/families/{fam['family']}",
        "/families",
        "/families?sort=name",
        f"/outlets/{outlet}",
        "/outlets",
        "/api/overview",
        "/api/documents",
        f"/api/documents/{doc}",
        "/api/pairs",
        "/api/families",
        f"/api/families/{fam['family']}",
        "/api/outlets",
        f"/api/search?q={word}",
        f"/api/compare?a={pair['source']}&b={pair['derivative']}",
    ]
    print(f"store: {n_docs} documents; largest family {fam['c']} articles")
    print(f"{'route':<60} {'median ms':>10} {'max ms':>8}")
    worst = 0.0
    for r in routes:
        client.get(r)  # warm caches, as a running server would be
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            resp = client.get(r)
            times.append((time.perf_counter() - t0) * 1000)
            assert resp.status_code == 200, (r, resp.status_code)
        worst = max(worst, statistics.median(times))
        print(f"{r[:60]:<60} {statistics.median(times):>10.1f} {max(times):>8.1f}")
    print(f"slowest route (median): {worst:.1f} ms")


if __name__ == "__main__":
    main()

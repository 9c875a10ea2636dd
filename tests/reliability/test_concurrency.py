"""`newstrace ingest` and `newstrace detect` write the store (other processes) while `serve`
answers: every request succeeds, counts never go backwards, and no page shows a pair whose
documents are not there (each reader sees one committed snapshot, never a half-written batch)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import Server

ROOT = Path(__file__).resolve().parents[2]


def test_serve_answers_while_ingest_and_detect_write(tmp_path: Path, figure: Callable[[str], None]) -> None:
    pytest.importorskip("fastapi")
    from newstrace.pipeline import ingest
    from newstrace.store import Store
    from newstrace.web import create_app

    db = tmp_path / "c.db"
    with Store(db) as store:
        ingest([ROOT / "examples" / "seeds"], store)
    stop = threading.Event()
    failures: list[str] = []
    counts: list[int] = []
    pair_checks = [0]
    requests = [0]

    def reader(base: str) -> None:
        try:
            read(base)
        except Exception as exc:  # a reader that dies is a failure, not a quiet thread
            failures.append(f"reader died: {type(exc).__name__}: {exc}")

    def read(base: str) -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            while not stop.is_set():
                for path in ("/api/overview", "/", "/search?q=Trump", "/api/families", "/api/pairs?limit=20"):
                    try:
                        r = c.get(path)
                    except httpx.HTTPError as exc:
                        failures.append(f"{path}: {type(exc).__name__}")
                        continue
                    requests[0] += 1
                    if r.status_code != 200:
                        failures.append(f"{path}: HTTP {r.status_code}")
                        continue
                    if path == "/api/overview":
                        counts.append(r.json()["documents"])
                    if path.startswith("/api/pairs"):
                        for p in r.json()[:5]:
                            for side in ("source", "derivative"):
                                doc = c.get(f"/api/documents/{p[side]}")
                                pair_checks[0] += 1
                                if doc.status_code != 200:
                                    failures.append(f"pair shows missing document {p[side]}")

    with Server(create_app(db)) as server:
        threads = [threading.Thread(target=reader, args=(server.url,)) for _ in range(2)]
        for t in threads:
            t.start()
        t0 = time.perf_counter()
        cli = [sys.executable, "-m", "newstrace.cli", "--db", str(db)]
        for args in (["ingest", str(ROOT / "examples" / "corpus")], ["detect", "--workers", "1"]):
            proc = subprocess.run([*cli, *args], capture_output=True, text=True, timeout=600, cwd=ROOT)
            assert proc.returncode == 0, proc.stderr[-2000:]
        writing_s = time.perf_counter() - t0
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        with httpx.Client(base_url=server.url) as c:
            final = c.get("/api/overview").json()
    with Store(db, readonly=True) as store:
        assert final["documents"] == store.count()
        assert store.integrity_check() == "ok"
    figure(f"concurrency: {requests[0]} requests during {writing_s:.0f} s of ingest+detect, "
          f"{pair_checks[0]} pair documents checked, {len(failures)} failures")  # fmt: skip
    assert failures == []
    assert requests[0] > 50
    assert counts == sorted(counts), "document counts went backwards"
    assert counts[0] < final["documents"]  # the readers did see the store grow

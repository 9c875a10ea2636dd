"""`newstrace ingest` and `newstrace detect` write the store (other processes) while `serve`
answers: every request succeeds, counts never go backwards, and no page shows a pair whose
documents are not there (each reader sees one committed snapshot, never a half-written batch).
Processes that create or upgrade one store at the same moment all succeed (schema built once)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    counts: dict[str, list[int]] = {}  # per reader thread: its requests are in sequence
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
                        mine = counts.setdefault(threading.current_thread().name, [])
                        mine.append(r.json()["documents"])
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
    # Each reader's own answers never go backwards (two readers' answers may interleave: one
    # reply, read before a commit, can be recorded after the other's, read after it).
    assert len(counts) == 2
    for seen in counts.values():
        assert seen == sorted(seen), "document counts went backwards"
        assert seen[0] < final["documents"]  # the readers did see the store grow


# -- creating (or upgrading) one store from several processes at once ----------------------------


def _open_and_add(path: str, n: int, barrier: Any, errors: Any) -> None:
    """A child process: wait for the others, open (create or upgrade) the store, add one document."""
    from newstrace.models import Document
    from newstrace.store import Store

    barrier.wait(timeout=60)
    try:
        with Store(path) as store:
            store.add_documents([Document(id=f"{n:016x}", text=f"Document number {n} of the race.")])
    except BaseException as exc:  # reported to the parent, which fails the test
        errors.put(f"process {n}: {type(exc).__name__}: {exc}")
        raise SystemExit(1) from exc


def _assert_intact(db: Path, documents: int) -> None:
    from newstrace.store import Store
    from newstrace.store.schema import SCHEMA_VERSION

    with Store(db, readonly=True) as store:
        assert store.integrity_check() == "ok"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"meta", "documents", "pairs", "alerts", "corpus_stats"} <= tables
        assert store.count() == documents


def test_processes_creating_or_upgrading_one_store_at_once_all_succeed(tmp_path: Path) -> None:
    """Three processes released together open a store that does not exist yet (even rounds) or
    one at schema version 1 (odd rounds): every one succeeds, the schema is built once."""
    import multiprocessing
    import sqlite3

    from newstrace.store import _split_sql
    from newstrace.store.schema import MIGRATIONS

    mp = multiprocessing.get_context("fork")  # no store is open in this process: nothing shared
    for round_ in range(8):
        db = tmp_path / f"race{round_}.db"
        if round_ % 2:
            conn = sqlite3.connect(db, isolation_level=None)
            for stmt in _split_sql(MIGRATIONS[0]):
                conn.execute(stmt)
            conn.execute("PRAGMA user_version = 1")
            conn.close()
        barrier, errors = mp.Barrier(3), mp.Queue()
        procs = [mp.Process(target=_open_and_add, args=(str(db), n, barrier, errors)) for n in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        messages = [errors.get(timeout=5) for _ in range(errors.qsize())] if not errors.empty() else []
        assert [p.exitcode for p in procs] == [0, 0, 0], messages
        _assert_intact(db, 3)


def test_two_ingests_creating_one_new_store_both_succeed(tmp_path: Path) -> None:
    """The reported bug: two `newstrace ingest` runs creating a new store at the same moment; one
    failed with "table meta already exists"."""
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Article {name}: a full sentence of text for the race test.")
    for round_ in range(6):
        db = tmp_path / f"cli{round_}.db"
        cli = [sys.executable, "-m", "newstrace.cli", "--db", str(db), "ingest"]
        procs = [
            subprocess.Popen([*cli, str(tmp_path / f"{name}.txt")], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)
            for name in ("a", "b")
        ]  # fmt: skip
        results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
        for p in procs:
            for stream in (p.stdout, p.stderr):
                if stream:
                    stream.close()
        assert [code for code, _ in results] == [0, 0], [err[-1000:] for _, err in results]
        _assert_intact(db, 2)

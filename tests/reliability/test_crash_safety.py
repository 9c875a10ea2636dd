"""SIGKILL during ingest and detect, then a restart: the store is sound, holds every document
exactly once, and detect ends where an uninterrupted run does."""

from __future__ import annotations

import gzip
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newstrace.cli", "--db", str(db), *args]


def _killed_run(cmd: list[str], rng: random.Random, kills: int) -> int:
    """Start ``cmd`` and SIGKILL it at a random moment, ``kills`` times; returns kills done."""
    done = 0
    for _ in range(kills):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 3.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            done += 1
        proc.wait()
    return done


def _state(
    db: Path,
) -> tuple[str, int, set[str], list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        n = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        ids = {r[0] for r in conn.execute("SELECT id FROM documents")}
        pairs = conn.execute(
            "SELECT source, derivative, relation FROM pairs ORDER BY a, b"
        ).fetchall()
        fams = conn.execute(
            "SELECT doc_id, family, derived_from FROM families ORDER BY doc_id"
        ).fetchall()
    finally:
        conn.close()
    return integrity, n, ids, pairs, fams


def test_sigkill_ingest_and_detect(tmp_path: Path, figure: Callable[[str], None]) -> None:
    rng = random.Random(7)
    with gzip.open(ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz", "rt") as f:
        lines = f.read().splitlines()
    inputs = tmp_path / "in"
    inputs.mkdir()
    for k in range(8):
        (inputs / f"part{k}.jsonl").write_text("\n".join(lines[k * 150 : (k + 1) * 150]) + "\n")
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    subprocess.run(_cli(clean, "ingest", str(inputs)), check=True, capture_output=True)
    subprocess.run(_cli(clean, "detect", "--workers", "1"), check=True, capture_output=True)

    kills = _killed_run(_cli(crashed, "ingest", str(inputs)), rng, 3)
    subprocess.run(_cli(crashed, "ingest", str(inputs)), check=True, capture_output=True)
    kills += _killed_run(_cli(crashed, "detect", "--workers", "1"), rng, 2)
    subprocess.run(_cli(crashed, "detect", "--workers", "1"), check=True, capture_output=True)

    want, got = _state(clean), _state(crashed)
    assert got[0] == "ok"
    assert got[1] == want[1] == len(got[2]), "every document exactly once"
    assert got[2] == want[2]
    assert got[3] == want[3] and got[4] == want[4], "detect after kills equals an uninterrupted run"
    figure(f"crash safety: {kills} SIGKILLs survived, {want[1]} documents, 0 lost, 0 duplicated")

"""SIGKILL during ingest and detect, then a restart: the store is sound, holds every document
exactly once, and detect ends where an uninterrupted run does.

Each kill lands at a known point of the work (``tests/reliability/killpoint.py``: between two
ingest batches, inside a batch's open transaction, in the middle of the outlet-chrome relearning,
inside the transactions that store sketches, pairs and families), and the test checks that it
did: the process died by SIGKILL, and the store holds exactly what the committed part of the
work wrote."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.killpoint import MARKER

ROOT = Path(__file__).resolve().parents[2]
BATCH = 100  # documents per ingest transaction (NEWSTRACE_BATCH_SIZE, pinned for the counts)
ENV = {**os.environ, "NEWSTRACE_BATCH_SIZE": str(BATCH)}


def _cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newstrace.cli", "--db", str(db), *args]


def _run(db: Path, *args: str) -> str:
    proc = subprocess.run(_cli(db, *args), capture_output=True, text=True, env=ENV, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def _killed(db: Path, spec: str, *args: str, log: Path) -> None:
    """Run ``newstrace --db DB ARGS`` until it reaches the kill point ``spec``, then SIGKILL it;
    fails unless the point was reached and the process died by the signal."""
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.killpoint", spec, "--db", str(db), *args],
            stdout=subprocess.PIPE, stderr=err, text=True, env=ENV, cwd=ROOT,
        )  # fmt: skip
        assert proc.stdout is not None
        reached = False
        for line in proc.stdout:  # blocks until the marker, or the end of a run that missed it
            if line.startswith(MARKER):
                reached = True
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.stdout.close()
        proc.wait()
    assert reached, f"{spec}: the run ended without reaching its kill point: {log.read_text()[-2000:]}"
    assert proc.returncode == -signal.SIGKILL, (spec, proc.returncode)


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _state(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db)
    try:
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "documents": conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            "texts": conn.execute("SELECT id, text_hash, text FROM documents ORDER BY id").fetchall(),
            "chrome": conn.execute("SELECT outlet, key, docs FROM outlet_chrome ORDER BY 1, 2").fetchall(),
            "dirty": conn.execute("SELECT outlet FROM outlet_dirty").fetchall(),
            "pairs": conn.execute(
                "SELECT a, b, source, derivative, relation, confidence, report FROM pairs ORDER BY a, b"
            ).fetchall(),
            "passages": conn.execute("SELECT * FROM passages ORDER BY a, b, idx").fetchall(),
            "families": conn.execute(
                "SELECT doc_id, family, derived_from, depth FROM families ORDER BY doc_id"
            ).fetchall(),
        }
    finally:
        conn.close()


def test_sigkill_ingest_and_detect(tmp_path: Path, figure: Callable[[str], None]) -> None:
    with gzip.open(ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz", "rt") as f:
        lines = f.read().splitlines()
    inputs = tmp_path / "in"
    inputs.mkdir()
    for k in range(4):
        (inputs / f"part{k}.jsonl").write_text("\n".join(lines[k * 150 : (k + 1) * 150]) + "\n")
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    summary = json.loads(_run(clean, "ingest", "--json", str(inputs)))
    _run(clean, "detect", "--workers", "1")
    want = _state(clean)
    total = summary["documents"]
    outlets = _count(clean, "SELECT COUNT(DISTINCT outlet) FROM documents WHERE outlet IS NOT NULL")
    assert total > 5 * BATCH and outlets >= 4, (total, outlets)
    assert want["chrome"] and want["pairs"] and want["families"], "the comparison is not vacuous"
    log = tmp_path / "killed.log"
    kills = 0

    # Ingest: killed between batches 2 and 3 (two transactions committed) ...
    _killed(crashed, "add_documents:3:0", "ingest", str(inputs), log=log)
    assert _count(crashed, "SELECT COUNT(*) FROM documents") == 2 * BATCH < total
    # ... inside batch 4's transaction, half of it written and not committed (batches 1-2 are
    # unchanged this time, batch 3 new) ...
    _killed(crashed, f"add_documents:4:{BATCH // 2}", "ingest", str(inputs), log=log)
    assert _count(crashed, "SELECT COUNT(*) FROM documents") == 3 * BATCH < total
    # ... and after every document was stored, with 3 outlets' chrome relearned of `outlets`:
    # the others are left marked for the next run (the bug this test once found, pinned by
    # test_outlets_of_a_killed_ingest_have_their_chrome_relearned below).
    _killed(crashed, "_apply_outlet_chrome:4:0", "ingest", str(inputs), log=log)
    assert _count(crashed, "SELECT COUNT(*) FROM documents") == total
    assert _count(crashed, "SELECT COUNT(*) FROM outlet_dirty") == outlets - 3
    kills += 3
    rerun = json.loads(_run(crashed, "ingest", "--json", str(inputs)))
    assert rerun["added"] == 0 and rerun["unchanged"] == total
    assert _count(crashed, "SELECT COUNT(*) FROM outlet_dirty") == 0

    # Detect: killed inside the transaction that stores the sketches...
    _killed(crashed, "put_index:1:300", "detect", "--workers", "1", log=log)
    assert _count(crashed, "SELECT COUNT(*) FROM doc_index") == 0
    # ... inside the one that stores the verified pairs, 25 of them written ...
    _killed(crashed, "put_pairs:1:25", "detect", "--workers", "1", log=log)
    assert _count(crashed, "SELECT COUNT(*) FROM doc_index") == total
    assert _count(crashed, "SELECT COUNT(*) FROM pairs") == 0
    # ... and inside the one that replaces the families (old rows deleted, 10 new ones read).
    _killed(crashed, "put_families:1:10", "detect", "--workers", "1", log=log)
    assert _count(crashed, "SELECT COUNT(*) FROM pairs") == len(want["pairs"])  # type: ignore[arg-type]
    assert _count(crashed, "SELECT COUNT(*) FROM families") == 0
    kills += 3
    _run(crashed, "detect", "--workers", "1")

    got = _state(crashed)
    assert got["integrity"] == "ok"
    assert got["documents"] == want["documents"] == total, "every document exactly once"
    for key in ("texts", "chrome", "dirty"):
        assert got[key] == want[key], f"{key}: ingest after kills differs from an uninterrupted one"
    for key in ("pairs", "passages", "families"):
        assert got[key] == want[key], f"{key}: detect after kills differs from an uninterrupted run"
    figure(
        f"crash safety: {kills} SIGKILLs at known points survived, {total} documents, 0 lost, "
        f"0 duplicated, {len(want['pairs'])} pairs as an uninterrupted run"  # type: ignore[arg-type]
    )


def test_outlets_of_a_killed_ingest_have_their_chrome_relearned(tmp_path: Path) -> None:
    """The bug the SIGKILL test found (fixed in 82854f9): an ingest killed after its documents
    were stored and before its outlets' chrome was relearned left those outlets' chrome in
    their texts for good, since the next run relearned only the outlets it added documents to
    (none: every document was already there). Now the outlet is marked in the transaction that
    adds its documents, and any run relearns every marked outlet."""
    footer = "Harbour Herald is an independent paper owned by its readers"
    stories = [
        "Floods closed the river road on Monday after three days of rain, police said.",
        "The school board approved a new reading programme for primary pupils.",
        "A local bakery won the regional bread prize for the second year running.",
        "Council workers began repairing the old bridge, which has been closed since May.",
        "The football club announced that its stadium will host a charity concert.",
    ]
    src = tmp_path / "herald.jsonl"
    src.write_text("\n".join(
        json.dumps({"id": f"h{i}", "outlet": "Harbour Herald", "url": f"https://herald.example/{i}",
                    "text": f"{s}\nMore detail on this. {s}\n{footer}"})
        for i, s in enumerate(stories)
    ) + "\n")  # fmt: skip
    db = tmp_path / "h.db"
    _killed(db, "relearn_outlet_chrome:1:0", "ingest", str(src), log=tmp_path / "log")
    conn = sqlite3.connect(db)
    try:  # the kill landed where the bug lived: every document stored, none re-cleaned
        assert sorted(t for (t,) in conn.execute("SELECT text FROM documents")) == sorted(
            f"{s}\nMore detail on this. {s}\n{footer}" for s in stories
        )
        assert conn.execute("SELECT outlet FROM outlet_dirty").fetchall() == [("Harbour Herald",)]
    finally:
        conn.close()
    rerun = json.loads(_run(db, "ingest", "--json", str(src)))
    assert rerun["added"] == 0 and rerun["unchanged"] == len(stories)
    assert rerun["recleaned"] == len(stories), "the killed run's outlet was relearned"
    state = _state(db)
    texts = sorted(t for _, _, t in state["texts"])  # type: ignore[attr-defined]
    assert texts == sorted(f"{s}\nMore detail on this. {s}" for s in stories)
    assert state["dirty"] == [] and state["chrome"]


def test_a_kill_point_that_is_never_reached_fails_the_test(tmp_path: Path) -> None:
    """The harness itself: a run that never reaches its kill point is not taken for a kill."""
    (tmp_path / "a.txt").write_text("A headline\n\nThe body of the story, in full.\n")
    with pytest.raises(AssertionError):
        _killed(tmp_path / "x.db", "add_documents:99:0", "ingest", str(tmp_path / "a.txt"),
                log=tmp_path / "log")  # fmt: skip

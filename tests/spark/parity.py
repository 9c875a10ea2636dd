"""What the Spark parity tests share: a corpus detected locally, its pairs named by the input's
ids as the job names them, and the job's pairs read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newstrace.detect import DetectParams, DetectReport, detect
from newstrace.export import export_tables, read_table
from newstrace.pipeline import ingest
from newstrace.store import Store


def local_pairs(
    src: Path, db: Path, params: DetectParams
) -> tuple[dict[frozenset[str], tuple[str, str]], DetectReport, dict[str, Any], dict[str, str]]:
    """Local ``detect`` of ``src``: its pairs ``{input ids: (candidate, relation)}``, its report,
    its exported tables, and each document's input id by its id."""
    with Store(db) as store:
        ingest([src], store)
        report = detect(store, params)
        local = export_tables(store)
        name = {r["id"]: r["input_id"] for r in store.conn.execute("SELECT id, input_id FROM documents")}
    # Local ingest names documents by their text; the job keeps the input's ids.
    pairs = {
        frozenset((name[p["source"]], name[p["derivative"]])): (p["candidate"], p["relation"])
        for p in local["pairs"]
    }
    return pairs, report, local, name


def remote_pairs(out: Path) -> dict[frozenset[str], tuple[str, str]]:
    """The job's pairs under ``out``, as :func:`local_pairs` gives them."""
    rows = read_table(out / "pairs")
    return {frozenset((p["source"], p["derivative"])): (p["candidate"], p["relation"]) for p in rows}

"""Export stage: the store's results as plain tables (documents, pairs, passages, families,
outlets, outlet_flows) and writers for JSON Lines, CSV and Parquet.

Rows are sorted and keys ordered, so the same store always gives byte-identical files.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newstrace.errors import ConfigError
from newstrace.graph import Edge, build_forest, outlet_network
from newstrace.store import Store

TABLES = ("documents", "pairs", "passages", "families", "outlets", "outlet_flows")
FORMATS = ("jsonl", "csv", "parquet")


def export_tables(store: Store) -> dict[str, list[dict[str, Any]]]:
    """All result tables as lists of dicts (the schema ``newstrace spark detect`` also writes)."""
    from newstrace.detect import graph_nodes

    fam = {r["doc_id"]: (r["family"], r["derived_from"], r["depth"]) for r in store.families()}
    documents = []
    for _, d in store.iter_documents():
        f = fam.get(d.id)
        documents.append({
            "id": d.id, "input_id": d.input_id, "outlet": d.outlet, "url": d.url, "title": d.title,
            "author": d.author, "published": d.published, "language": d.language,
            "family": f[0] if f else None, "derived_from": f[1] if f else None,
            "depth": f[2] if f else None, "words": len(d.text.split()),
            "attributions": "; ".join(a.credited for a in d.attributions),
        })  # fmt: skip
    documents.sort(key=lambda r: r["id"])
    rows = store.pairs()
    pairs = [
        {"source": r["source"], "derivative": r["derivative"], "relation": r["relation"],
         "confidence": r["confidence"], "coverage": r["coverage_derivative"],
         "coverage_source": r["coverage_source"], "candidate": r["candidate"],
         "family": fam.get(r["derivative"], (None,))[0]}
        for r in rows
    ]  # fmt: skip
    pairs.sort(key=lambda r: (r["source"], r["derivative"]))
    texts: dict[str, str] = {}
    passages = []
    for p in store.passages():
        for doc_id in (p["source"], p["derivative"]):
            if doc_id not in texts:
                texts[doc_id] = store.get(doc_id).text
        passages.append({
            "source": p["source"], "derivative": p["derivative"], "idx": p["idx"], "kind": p["kind"],
            "score": p["score"], "source_start": p["source_start"], "source_end": p["source_end"],
            "derivative_start": p["derivative_start"], "derivative_end": p["derivative_end"],
            "source_text": texts[p["source"]][p["source_start"] : p["source_end"]],
            "derivative_text": texts[p["derivative"]][p["derivative_start"] : p["derivative_end"]],
        })  # fmt: skip
    passages.sort(key=lambda r: (r["source"], r["derivative"], r["idx"]))
    nodes = graph_nodes(store)
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, (family, _, _) in fam.items():
        members[family].append(doc_id)
    families = []
    for family, ids in sorted(members.items()):
        dated = sorted(nodes[i].published for i in ids if i in nodes and nodes[i].published)
        origin = nodes.get(family)
        families.append({
            "family": family, "size": len(ids), "origin": family,
            "origin_outlet": origin.outlet if origin else None,
            "outlets": "; ".join(sorted({nodes[i].outlet or "(unknown)" for i in ids if i in nodes})),
            "first_published": dated[0] if dated else None, "last_published": dated[-1] if dated else None,
            "members": " ".join(sorted(ids)),
        })  # fmt: skip
    edges = [
        Edge(
            r["source"],
            r["derivative"],
            r["relation"],
            r["confidence"],
            r["coverage_derivative"],
            r["coverage_source"],
        )
        for r in rows
    ]
    forest = build_forest(edges, nodes)
    flows, profiles = outlet_network(forest, nodes)
    outlets = [
        {"outlet": p.outlet, "articles": p.articles, "derived": p.derived, "derived_share": p.derived_share,
         "sources": "; ".join(f"{o} ({n})" for o, n in p.sources),
         "copied_by": "; ".join(f"{o} ({n})" for o, n in p.copied_by)}
        for p in profiles
    ]  # fmt: skip
    outlet_flows = [
        {"source_outlet": f.source_outlet, "derivative_outlet": f.derivative_outlet, "articles": f.articles,
         "characters": f.characters, "median_lag_days": f.median_lag_days}
        for f in flows
    ]  # fmt: skip
    return {
        "documents": documents,
        "pairs": pairs,
        "passages": passages,
        "families": families,
        "outlets": outlets,
        "outlet_flows": outlet_flows,
    }


def write_tables(
    tables: dict[str, list[dict[str, Any]]], out_dir: str | Path, fmt: str
) -> list[Path]:
    """Write each table as ``OUT/NAME.jsonl|csv|parquet``; returns the paths written."""
    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "jsonl":
            _write_jsonl(path, rows)
        elif fmt == "csv":
            _write_csv(path, rows)
        else:
            _write_parquet(path, rows)
        paths.append(path)
    return paths


def _columns(rows: Iterable[dict[str, Any]]) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows:
        cols.update(dict.fromkeys(r))
    return list(cols)


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=_columns(rows) or ["empty"], lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def _write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("Parquet export needs pyarrow: pip install 'newstrace[parquet]'") from exc
    cols = _columns(rows)
    table = pa.table({c: [r.get(c) for r in rows] for c in cols}) if cols else pa.table({})
    pq.write_table(table, path)

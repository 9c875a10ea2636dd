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
from newstrace.graph import Edge, Node, build_forest, outlet_network
from newstrace.models import Document
from newstrace.store import Store

TABLES = ("documents", "pairs", "passages", "families", "outlets", "outlet_flows")
FORMATS = ("jsonl", "csv", "parquet")
REUSE = ("duplicate", "derived", "partial")
PAIR_RELATIONS = (*REUSE, "related")
"""The pairs exported: reuse, and ``related`` pairs (the same story, not copied: shared
quotations at most, or a template), told apart by their ``relation``."""

PAIR_COLUMNS: dict[str, str] = {
    "source": "string",
    "derivative": "string",
    "relation": "string",
    "direction": "string",
    "confidence": "float64",
    "coverage": "float64",
    "coverage_source": "float64",
    "coverage_verbatim": "float64",
    "coverage_near_verbatim": "float64",
    "coverage_paraphrase": "float64",
    "coverage_translation": "float64",
    "passages": "int64",
    "evidence_words": "int64",
    "third_party_words": "int64",
    "added": "int64",
    "omitted": "int64",
    "quotes": "int64",
    "quotes_altered": "int64",
    "attribution_drift": "int64",
    "direction_evidence": "string",
    "common_source": "string",
    "semantic": "bool",
    "candidate": "string",
    "family": "string",
    "report": "string",
}
"""The ``pairs`` table: one typed column per fact of a pair's report (Parquet's schema, in
this order). ``coverage*`` are shares of the derivative (``coverage_source`` of the source);
``passages`` counts aligned passages; ``evidence_words`` the words of prose one text wrote
that the verdict counts as reuse, ``third_party_words`` those both quote from someone else;
``added``/``omitted`` spans, ``quotes`` quotations (``quotes_altered`` changed), and
``attribution_drift`` claims, count what the pair view lists; ``direction_evidence`` names
what favours the direction (``attribution; containment``). ``report`` is the whole compare
report as JSON, for ``newstrace import``; CSV leaves it out (see :data:`CSV_LEAVES_OUT`)."""

CSV_LEAVES_OUT: dict[str, tuple[str, ...]] = {"pairs": ("report",)}
"""Columns a CSV export leaves out: nested JSON that is no use in a spreadsheet (its facts are
columns of their own)."""


def document_row(d: Document, family: tuple[str, str | None, int] | None) -> dict[str, Any]:
    """One row of the ``documents`` table (full document fields, so that it can be imported)."""
    return {
        "id": d.id, "input_id": d.input_id, "outlet": d.outlet, "host": d.host, "url": d.url,
        "canonical_url": d.canonical_url, "title": d.title,
        "author": d.author, "published": d.published, "published_source": d.published_source,
        "language": d.language, "language_source": d.language_source,
        "family": family[0] if family else None, "derived_from": family[1] if family else None,
        "depth": family[2] if family else None, "words": len(d.text.split()),
        "credits": "; ".join(a.credited for a in d.attributions),
        "attributions": json.dumps([a.to_dict() for a in d.attributions], ensure_ascii=False, sort_keys=True),
        "links": json.dumps([link.to_dict() for link in d.links], ensure_ascii=False, sort_keys=True),
        "text": d.text,
    }  # fmt: skip


def document_from_row(row: dict[str, Any]) -> Document:
    """A :class:`Document` from a ``documents`` row (export, Spark output, or Spark input).

    A row's ``language`` (or ``lang``) is read as a code; its ``language_source`` is kept
    (``record`` for a language that comes without one). A row without either is a document
    whose language is not examined yet (the store fills it in, the Spark job detects it).
    """
    from newstrace.clean.dates import parse_date
    from newstrace.clean.language import normalise_code
    from newstrace.models import Attribution, Link

    def as_list(v: Any) -> list[Any]:
        if v is None or v == "":
            return []
        return json.loads(v) if isinstance(v, str) else list(v)

    atts = tuple(
        Attribution.from_dict(a if isinstance(a, dict) else a.asDict())
        for a in as_list(row.get("attributions"))
    )
    links = tuple(
        Link(**(x if isinstance(x, dict) else x.asDict())) for x in as_list(row.get("links"))
    )
    published = row.get("published") or row.get("date")
    language = normalise_code(row.get("language") or row.get("lang"))
    language_source = row.get("language_source") or ("record" if language else None)
    return Document(
        id=str(row["id"]), text=row.get("text") or "", url=row.get("url"),
        canonical_url=row.get("canonical_url") or row.get("url"), host=row.get("host"),
        outlet=row.get("outlet"), title=row.get("title"), author=row.get("author"),
        published=parse_date(str(published)) if published else None,
        published_source=(row.get("published_source") or "record") if published else None,
        language=language, language_source=language_source,
        attributions=atts, links=links, input_id=row.get("input_id"),
    )  # fmt: skip


def pair_row(r: Any, family: str | None) -> dict[str, Any]:
    """One row of the ``pairs`` table (:data:`PAIR_COLUMNS`) from a verified pair (store row or
    dict, with its report as JSON). Counts are None where the report does not hold them (pairs
    imported without one)."""
    keys = r.keys()
    raw = r["report"] if "report" in keys else None
    rep: dict[str, Any] = json.loads(raw) if isinstance(raw, str) and raw else {}
    by_kind = rep.get("coverage", {}).get("derivative", {})
    evidence = rep.get("evidence", {})
    direction = rep.get("direction", {})

    def count(key: str) -> int | None:
        return len(rep[key]) if isinstance(rep.get(key), list) else None

    quotes = rep.get("quotes")
    favours = r["source"]
    return {
        "source": r["source"], "derivative": r["derivative"], "relation": r["relation"],
        "direction": r["direction"] if "direction" in keys else "directed",
        "confidence": r["confidence"], "coverage": r["coverage_derivative"],
        "coverage_source": r["coverage_source"],
        "coverage_verbatim": by_kind.get("verbatim"),
        "coverage_near_verbatim": by_kind.get("near_verbatim"),
        "coverage_paraphrase": by_kind.get("paraphrase"),
        "coverage_translation": by_kind.get("translation"),
        "passages": count("passages"),
        "evidence_words": evidence.get("counted_words"),
        "third_party_words": evidence.get("third_party_words"),
        "added": count("added"), "omitted": count("omitted"), "quotes": count("quotes"),
        "quotes_altered": sum(q.get("status") == "altered" for q in quotes)
        if isinstance(quotes, list) else None,
        "attribution_drift": count("attribution_drift"),
        "direction_evidence": "; ".join(
            e["name"] for e in direction.get("evidence", [])
            if e.get("favours") == favours and e.get("weight")
        ) if direction else None,
        "common_source": direction.get("common_source"),
        "semantic": rep.get("semantic"),
        "candidate": r["candidate"], "family": family, "report": raw,
    }  # fmt: skip


def passage_row(
    source: str, derivative: str, idx: int, p: Any, src_text: str, der_text: str
) -> dict[str, Any]:
    """One row of the ``passages`` table; ``p`` is ``(kind, score, s0, s1, d0, d1)``."""
    kind, score, s0, s1, d0, d1 = p
    return {"source": source, "derivative": derivative, "idx": idx, "kind": kind, "score": score,
            "source_start": s0, "source_end": s1, "derivative_start": d0, "derivative_end": d1,
            "source_text": src_text[s0:s1], "derivative_text": der_text[d0:d1]}  # fmt: skip


def family_row(family: str, ids: list[str], nodes: dict[str, Node]) -> dict[str, Any]:
    """One row of the ``families`` table."""
    dated = sorted(p for i in ids if i in nodes and (p := nodes[i].published))
    origin = nodes.get(family)
    return {
        "family": family, "size": len(ids), "origin": family, "origin_outlet": origin.outlet if origin else None,
        "outlets": "; ".join(sorted({nodes[i].outlet or "(unknown)" for i in ids if i in nodes})),
        "first_published": dated[0] if dated else None, "last_published": dated[-1] if dated else None,
        "members": " ".join(sorted(ids)),
    }  # fmt: skip


def outlet_rows(
    forest: Any, nodes: dict[str, Node]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``outlets`` and ``outlet_flows`` tables from a best-source forest."""
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
    return outlets, outlet_flows


def network_tables(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``outlets`` and ``outlet_flows`` tables of a store (what the exports, ``outlets``
    and the web app's outlet pages all show)."""
    from newstrace.detect import graph_nodes

    nodes = graph_nodes(store)
    edges = [Edge.from_pair(r) for r in store.pairs()]
    return outlet_rows(build_forest(edges, nodes), nodes)


def export_tables(store: Store) -> dict[str, list[dict[str, Any]]]:
    """All result tables as lists of dicts (the schema ``newstrace spark detect`` also writes)."""
    from newstrace.detect import graph_nodes

    fam = {r["doc_id"]: (r["family"], r["derived_from"], r["depth"]) for r in store.families()}
    documents = sorted(
        (document_row(d, fam.get(d.id)) for _, d in store.iter_documents()), key=lambda r: r["id"]
    )
    rows = store.pairs(relations=PAIR_RELATIONS)
    pairs = sorted(
        (pair_row(r, fam.get(r["derivative"], (None,))[0]) for r in rows),
        key=lambda r: (r["source"], r["derivative"]),
    )
    texts: dict[str, str] = {}
    passages = []
    for p in store.passages(relations=PAIR_RELATIONS):
        for doc_id in (p["source"], p["derivative"]):
            if doc_id not in texts:
                texts[doc_id] = store.get(doc_id).text
        passages.append(
            passage_row(
                p["source"],
                p["derivative"],
                p["idx"],
                (
                    p["kind"],
                    p["score"],
                    p["source_start"],
                    p["source_end"],
                    p["derivative_start"],
                    p["derivative_end"],
                ),
                texts[p["source"]],
                texts[p["derivative"]],
            )
        )
    passages.sort(key=lambda r: (r["source"], r["derivative"], r["idx"]))
    nodes = graph_nodes(store)
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, (family, _, _) in fam.items():
        members[family].append(doc_id)
    families = [family_row(f, ids, nodes) for f, ids in sorted(members.items())]
    edges = [Edge.from_pair(r) for r in rows if r["relation"] in REUSE]  # related: no hop
    outlets, outlet_flows = outlet_rows(build_forest(edges, nodes), nodes)
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
            _write_csv(path, rows, leave_out=CSV_LEAVES_OUT.get(name, ()))
        else:
            _write_parquet(path, rows, types=PAIR_COLUMNS if name == "pairs" else None)
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


def _write_csv(path: Path, rows: list[dict[str, Any]], *, leave_out: Iterable[str] = ()) -> None:
    skip = set(leave_out)
    cols = [c for c in _columns(rows) if c not in skip]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(
            f, fieldnames=cols or ["empty"], lineterminator="\n", extrasaction="ignore"
        )
        w.writeheader()
        for r in rows:
            w.writerow(r)


def _write_parquet(
    path: Path, rows: list[dict[str, Any]], *, types: dict[str, str] | None = None
) -> None:
    """Write rows as Parquet; ``types`` (column -> Arrow type name) fixes the schema, so that
    a column is typed even when every value in it is None, or there are no rows."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("Parquet export needs pyarrow: pip install 'newstrace[parquet]'") from exc
    if types:
        schema = pa.schema([(c, pa.type_for_alias(t)) for c, t in types.items()])
        table = pa.Table.from_pylist(rows, schema=schema)
    else:
        cols = _columns(rows)
        table = pa.table({c: [r.get(c) for r in rows] for c in cols}) if cols else pa.table({})
    pq.write_table(table, path)


def read_table(path: str | Path) -> list[dict[str, Any]]:
    """Rows of one table written by :func:`write_tables` or by the Spark job (a Parquet file or
    folder of part files, a JSONL file, or a CSV file)."""
    p = Path(path)
    if p.suffix == ".jsonl":
        return [json.loads(line) for line in p.read_text("utf-8").splitlines() if line.strip()]
    if p.suffix == ".csv":
        with p.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    import pyarrow.parquet as pq

    return pq.read_table(p).to_pylist()  # type: ignore[no-any-return]


def import_tables(directory: str | Path, store: Store) -> dict[str, int]:
    """Load results (``newstrace export --format parquet|jsonl`` or the Spark job's output) into a
    store, so that ``serve``, ``report`` and ``trace`` work on them."""
    from newstrace.store import text_hash

    d = Path(directory)

    def find(name: str) -> Path:
        for cand in (d / name, d / f"{name}.parquet", d / f"{name}.jsonl"):
            if cand.exists():
                return cand
        raise ConfigError(
            f"{d} has no {name} table (expected {name}/, {name}.parquet or {name}.jsonl)"
        )

    docs = [document_from_row(r) for r in read_table(find("documents"))]
    store.add_documents(docs)
    hashes = {doc.id: text_hash(doc.text) for doc in docs}
    passages: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for r in sorted(
        read_table(find("passages")), key=lambda r: (r["source"], r["derivative"], int(r["idx"]))
    ):
        passages[(r["source"], r["derivative"])].append(
            (r["kind"], float(r["score"]), int(r["source_start"]), int(r["source_end"]),
             int(r["derivative_start"]), int(r["derivative_end"])))  # fmt: skip
    rows = []
    for r in read_table(find("pairs")):
        a, b = sorted((r["source"], r["derivative"]))
        rows.append({
            "a": a, "b": b, "source": r["source"], "derivative": r["derivative"], "relation": r["relation"],
            "confidence": float(r["confidence"]), "coverage_source": float(r["coverage_source"]),
            "coverage_derivative": float(r["coverage"]), "candidate": r.get("candidate") or "import",
            "report": r.get("report") or "{}", "hash_a": hashes.get(a, ""), "hash_b": hashes.get(b, ""),
            "direction": r.get("direction") or "directed",
            "passages": passages.get((r["source"], r["derivative"]), []),
        })  # fmt: skip
    store.put_pairs(rows)
    fams = [
        (r["id"], r["family"], r.get("derived_from"), int(r.get("depth") or 0))
        for r in read_table(find("documents"))
        if r.get("family")
    ]
    store.put_families(fams)
    return {"documents": len(docs), "pairs": len(rows), "family_members": len(fams)}

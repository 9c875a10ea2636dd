"""View models: the plain data behind people-facing pages (overview, article, pair, family,
outlet, search), read from the store with indexed queries so that they stay fast on large
stores. The web app's pages and its JSON API both return these.
"""

from __future__ import annotations

from typing import Any

from newstrace.clean.language import language_name
from newstrace.errors import NotFoundError
from newstrace.store import Store

REUSE = ("duplicate", "derived", "partial")


def _doc_summary(row: Any) -> dict[str, Any]:
    keys = row.keys()
    return {
        k: row[k] for k in ("id", "outlet", "title", "published", "language", "url") if k in keys
    }


def overview(store: Store, *, top: int = 10) -> dict[str, Any]:
    """Corpus size, outlets, date range, the most reused origins and the outlets that copy most."""
    c = store.conn
    n_docs = c.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    span = c.execute(
        "SELECT MIN(published), MAX(published) FROM documents WHERE published IS NOT NULL"
    ).fetchone()
    by_rel = dict(c.execute("SELECT relation, COUNT(*) FROM pairs GROUP BY relation").fetchall())
    origins = c.execute(
        "SELECT f.family AS id, COUNT(*) - 1 AS reused, d.outlet, d.title, d.published FROM families f "
        "JOIN documents d ON d.id = f.family GROUP BY f.family ORDER BY reused DESC, f.family LIMIT ?",
        (top,),
    ).fetchall()
    derived = _derived_by_outlet(store)
    copiers = sorted(derived.items(), key=lambda kv: (-kv[1], kv[0] or ""))[:top]
    totals = dict(c.execute("SELECT outlet, COUNT(*) FROM documents GROUP BY outlet").fetchall())
    return {
        "documents": n_docs,
        "outlets": len(totals),
        "first_published": span[0],
        "last_published": span[1],
        "pairs": {k: by_rel.get(k, 0) for k in (*REUSE, "related")},
        "families": c.execute("SELECT COUNT(DISTINCT family) FROM families").fetchone()[0],
        "top_origins": [{**_doc_summary(r), "reused_by": r["reused"]} for r in origins],
        "top_copiers": [
            {"outlet": outlet, "derived": n, "articles": totals.get(outlet, 0),
             "share": round(n / max(1, totals.get(outlet, 1)), 4)}
            for outlet, n in copiers
        ],
    }  # fmt: skip


def _derived_by_outlet(store: Store) -> dict[str | None, int]:
    """Per outlet, how many of its articles have a best source. Driven from the (small) families
    table: CROSS JOIN keeps SQLite from scanning every document to find them."""
    rows = store.conn.execute(
        "SELECT d.outlet AS outlet, COUNT(*) AS n FROM families f CROSS JOIN documents d ON d.id = f.doc_id "
        "WHERE f.derived_from IS NOT NULL GROUP BY d.outlet"
    ).fetchall()
    return {r["outlet"]: int(r["n"]) for r in rows}


def document_view(store: Store, doc_id: str) -> dict[str, Any]:
    """An article: metadata, attributions, the sources it reuses and the copies of it."""
    doc = store.get(doc_id)
    rows = store.conn.execute(
        "SELECT p.*, s.outlet AS s_outlet, s.title AS s_title, s.published AS s_pub, "
        "d.outlet AS d_outlet, d.title AS d_title, d.published AS d_pub FROM pairs p "
        "JOIN documents s ON s.id = p.source JOIN documents d ON d.id = p.derivative "
        "WHERE (p.source = ? OR p.derivative = ?) AND p.relation IN ('duplicate', 'derived', 'partial') "
        "ORDER BY p.coverage_derivative DESC",
        (doc.id, doc.id),
    ).fetchall()
    sources, copies = [], []
    for r in rows:
        if r["derivative"] == doc.id:
            sources.append(
                {
                    "id": r["source"],
                    "outlet": r["s_outlet"],
                    "title": r["s_title"],
                    "published": r["s_pub"],
                    "relation": r["relation"],
                    "coverage": r["coverage_derivative"],
                    "confidence": r["confidence"],
                }
            )
        else:
            copies.append(
                {
                    "id": r["derivative"],
                    "outlet": r["d_outlet"],
                    "title": r["d_title"],
                    "published": r["d_pub"],
                    "relation": r["relation"],
                    "coverage": r["coverage_derivative"],
                    "confidence": r["confidence"],
                }
            )
    fam = store.conn.execute(
        "SELECT family, derived_from FROM families WHERE doc_id = ?", (doc.id,)
    ).fetchone()
    return {
        **doc.to_dict(),
        "language_name": language_name(doc.language),
        "family": fam["family"] if fam else None,
        "derived_from": fam["derived_from"] if fam else None,
        "sources": sources,
        "copies": copies,
    }


def pair_view(
    store: Store, a: str, b: str, *, semantic: bool = True
) -> tuple[dict[str, Any], str, str]:
    """A pair's full report (stored if detect verified it, else computed now), with both texts."""
    from newstrace.pipeline import verdict

    v = verdict(store.resolve_id(a), store.resolve_id(b), store=store, semantic=semantic)
    return dict(v.report), v.source_text, v.derivative_text


def family_view(store: Store, family: str) -> dict[str, Any]:
    """A story family: members with their best source, hop relations, and a timeline."""
    members = store.family_members(family)
    if not members:
        raise NotFoundError(f"no story family {family!r}")
    ids = [m["doc_id"] for m in members]
    marks = ",".join("?" for _ in ids)
    edges = {
        (r["source"], r["derivative"]): r
        for r in store.conn.execute(
            f"SELECT source, derivative, relation, coverage_derivative, confidence, direction FROM pairs "
            f"WHERE relation IN ('duplicate', 'derived', 'partial') AND a IN ({marks}) AND b IN ({marks})",
            [*ids, *ids],
        )
    }
    # Pairs without a direction (no evidence, or siblings of a common source): drawn as links.
    links = [
        {"a": a, "b": b, "relation": r["relation"], "kind": r["direction"]}
        for (a, b), r in sorted(edges.items())
        if r["direction"] in ("undirected", "common")
    ]
    out = []
    for m in members:
        e = edges.get((m["derived_from"], m["doc_id"])) if m["derived_from"] else None
        out.append(
            {
                "id": m["doc_id"],
                "outlet": m["outlet"],
                "title": m["title"],
                "published": m["published"],
                "url": m["url"],
                "derived_from": m["derived_from"],
                "depth": m["depth"],
                "relation": e["relation"] if e else None,
                "coverage": e["coverage_derivative"] if e else None,
                "confidence": e["confidence"] if e else None,
            }
        )
    dated = sorted(m["published"] for m in out if m["published"])
    return {
        "family": family,
        "size": len(out),
        "members": out,
        "links": links,
        "first_published": dated[0] if dated else None,
        "last_published": dated[-1] if dated else None,
    }


def outlet_view(store: Store, outlet: str) -> dict[str, Any]:
    """Who an outlet copies from and who copies it: volumes and lags (over best-source edges).

    The figures are the exports' ``outlet_flows`` rows (one computation for every view).
    """
    from newstrace.export import network_tables

    n = store.conn.execute("SELECT COUNT(*) FROM documents WHERE outlet = ?", (outlet,)).fetchone()[
        0
    ]
    if not n:
        raise NotFoundError(f"no outlet {outlet!r}")
    _, flows = network_tables(store)

    def flow(f: dict[str, Any], other: str) -> dict[str, Any]:
        return {
            "outlet": f[other],
            "articles": f["articles"],
            "characters": f["characters"],
            "median_lag_days": f["median_lag_days"],
        }

    def order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda x: (-x["articles"], x["outlet"]))

    takes = order([flow(f, "source_outlet") for f in flows if f["derivative_outlet"] == outlet])
    gives = order([flow(f, "derivative_outlet") for f in flows if f["source_outlet"] == outlet])
    derived = sum(f["articles"] for f in takes)
    return {
        "outlet": outlet,
        "articles": n,
        "derived": derived,
        "derived_share": round(derived / n, 4),
        "takes_from": takes,
        "copied_by": gives,
    }


def search_view(
    store: Store,
    q: str,
    *,
    outlet: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    language: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Full-text search with optional outlet, publication-date and language filters, best first.

    Each hit carries its ``snippet`` as plain text with ``matches``, the ``[start, end)``
    character offsets of the matched words in it, and ``title_matches`` the same for its
    ``title`` (see :meth:`newstrace.store.Store.search` for how queries are read).
    """
    hits = store.search(
        q, limit=limit, outlet=outlet, date_from=date_from, date_to=date_to, language=language
    )
    return [
        {
            "id": h.document.id,
            "outlet": h.document.outlet,
            "title": h.document.title,
            "published": h.document.published,
            "language": h.document.language,
            "url": h.document.url,
            "snippet": h.snippet.text,
            "matches": [list(s) for s in h.snippet.spans],
            "title_matches": [list(s) for s in h.title.spans],
        }
        for h in hits
    ]


def documents_page(
    store: Store, *, outlet: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """A page of documents (newest first) as summaries."""
    rows = store.conn.execute(
        "SELECT id, outlet, title, published, language, url FROM documents "
        + ("WHERE outlet = ? " if outlet else "")
        + "ORDER BY published DESC, seq DESC LIMIT ? OFFSET ?",  # NULLs sort last; the index orders it
        ([outlet] if outlet else []) + [limit, offset],
    ).fetchall()
    return [_doc_summary(r) for r in rows]


def languages_page(store: Store) -> list[dict[str, Any]]:
    """The languages of the store's documents, most documents first (for the search filter)."""
    return [
        {"code": code, "name": language_name(code), "documents": n}
        for code, n in store.languages()
        if code
    ]


def pairs_page(
    store: Store, *, relation: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    rels = (relation,) if relation else REUSE
    marks = ",".join("?" for _ in rels)
    rows = store.conn.execute(
        f"SELECT source, derivative, relation, confidence, coverage_derivative AS coverage, candidate FROM pairs "
        f"WHERE relation IN ({marks}) ORDER BY coverage_derivative DESC, a, b LIMIT ? OFFSET ?",
        [*rels, limit, offset],
    ).fetchall()
    return [dict(r) for r in rows]


def families_page(store: Store, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT f.family, COUNT(*) AS size, d.outlet AS origin_outlet, d.title AS origin_title, "
        "d.published AS origin_published FROM families f JOIN documents d ON d.id = f.family "
        "GROUP BY f.family ORDER BY size DESC, f.family LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [dict(r) for r in rows]


def outlets_page(store: Store) -> list[dict[str, Any]]:
    """Every outlet with its number of articles and of articles derived from another."""
    derived = _derived_by_outlet(store)
    rows = store.conn.execute(
        "SELECT outlet, COUNT(*) AS n FROM documents GROUP BY outlet"
    ).fetchall()
    out = [
        {"outlet": r["outlet"], "articles": int(r["n"]), "derived": derived.get(r["outlet"], 0)}
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r["articles"], r["outlet"] or ""))


def alerts_page(
    store: Store, *, flag: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The watcher's alerts, newest first, each with the path of its pair view."""
    out = []
    for a in store.alerts(flag=flag, limit=limit):
        x, y = sorted((a["origin"]["id"], a["article"]["id"]))
        out.append(a | {"pair_path": f"/pairs/{x}/{y}"})
    return out

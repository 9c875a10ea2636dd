"""View models: the plain data behind people-facing pages (overview, article, pair, family,
outlet, search), read from the store with indexed queries so that they stay fast on large
stores. The web app's pages and its JSON API both return these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from newstrace.clean.language import language_name
from newstrace.errors import ConfigError, NotFoundError
from newstrace.store import Store

REUSE = ("duplicate", "derived", "partial")
FAMILY_SORTS = ("size", "date", "name")
"""The orders of :func:`families_page`: largest, newest (first publication) or A-Z first."""
OUTLET_SORTS = ("articles", "derived", "copied", "share", "name")
"""The orders of :func:`outlets_page`: most articles, most derived from others, most copied by
others, largest share derived, or A-Z first."""
NAME_CHARS = 120


def _headline(title: str | None, max_chars: int) -> str | None:
    """A title on one line, cut at a word before ``max_chars`` (with an ellipsis); None if blank."""
    text = re.sub(r"\s+", " ", title or "").strip()
    if not text:
        return None
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > max_chars // 2 else cut).rstrip(" ,;:-") + "…"


def family_name(
    family: str,
    members: Iterable[tuple[str, str | None, str | None]],
    *,
    max_chars: int = NAME_CHARS,
) -> str:
    """A story family's readable name: the headline of its origin.

    A family's id is its origin's document id. When the origin has no headline, the name is the
    headline of the earliest-published member that has one (undated members after dated ones,
    by id), and when no member has one, the family id itself. Headlines are put on one line and
    cut at a word before ``max_chars``.

    Args:
        family: the family id (its origin's document id).
        members: ``(doc_id, title, published)`` of the family's members; the origin among them.
        max_chars: the longest name returned (at least 10).

    Example:
        >>> family_name("a1", [("b2", "Copy: floods", "2017-07-09"), ("a1", None, "2017-07-08")])
        'Copy: floods'
        >>> family_name("a1", [("a1", "Floods close the  river road", None)])
        'Floods close the river road'
    """
    if max_chars < 10:
        raise ConfigError(f"max_chars must be at least 10; got {max_chars}")
    rows = list(members)
    for doc_id, title, _ in rows:
        if doc_id == family and (name := _headline(title, max_chars)):
            return name
    for _, title, _ in sorted(rows, key=lambda r: (r[2] is None, r[2] or "", r[0])):
        if name := _headline(title, max_chars):
            return name
    return family


def family_names(store: Store, families: Iterable[str]) -> dict[str, str]:
    """The readable name (:func:`family_name`) of each of ``families``, read from ``store``.

    Families that are not in the store are named by their id. Two queries whatever the number
    of families: the origins' headlines, then the members of the few families whose origin has
    none.
    """
    wanted = sorted(set(families))
    titles: dict[str, str | None] = {}
    for chunk in _chunks(wanted):
        marks = ",".join("?" for _ in chunk)
        for r in store.conn.execute(
            f"SELECT id, title FROM documents WHERE id IN ({marks})", chunk
        ):
            titles[r["id"]] = r["title"]
    names = {f: n for f in wanted if (n := _headline(titles.get(f), NAME_CHARS))}
    untitled = [f for f in wanted if f not in names]
    members: dict[str, list[tuple[str, str | None, str | None]]] = {f: [] for f in untitled}
    for chunk in _chunks(untitled):
        marks = ",".join("?" for _ in chunk)
        for r in store.conn.execute(
            "SELECT f.family, d.id, d.title, d.published FROM families f CROSS JOIN documents d "
            f"ON d.id = f.doc_id WHERE f.family IN ({marks})",
            chunk,
        ):
            members[r["family"]].append((r["id"], r["title"], r["published"]))
    for f in untitled:
        names[f] = family_name(f, members[f])
    return names


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


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
    names = family_names(store, [r["id"] for r in origins])
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
        "top_origins": [
            {**_doc_summary(r), "name": names[r["id"]], "reused_by": r["reused"]} for r in origins
        ],
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
        "family_name": family_names(store, [fam["family"]])[fam["family"]] if fam else None,
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
        "name": family_name(family, ((m["id"], m["title"], m["published"]) for m in out)),
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
        # Articles without an outlet: None, shown as "unknown outlet" and never linked.
        return {
            "outlet": None if f[other] == "(unknown)" else f[other],
            "articles": f["articles"],
            "characters": f["characters"],
            "median_lag_days": f["median_lag_days"],
        }

    def order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda x: (-x["articles"], x["outlet"] is None, x["outlet"] or ""))

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


def families_page(
    store: Store,
    *,
    sort: str = "size",
    descending: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """A page of story families, each with its name, size, time span and outlets.

    Args:
        store: the store.
        sort: ``size`` (members), ``date`` (first publication; undated families last either
            way) or ``name`` (:func:`family_name`, case-insensitive); ties go by family id.
        descending: the direction; by default largest, newest and A-Z first.
        limit: families per page.
        offset: families skipped.

    Returns:
        One dict per family: ``family`` (its id, the origin's document id), ``name``,
        ``size``, ``first_published``, ``last_published``, ``outlets`` (most members first;
        ``None`` for members without an outlet), ``origin_outlet``, ``origin_title`` and
        ``origin_published``.

    Example:
        >>> families_page(store, sort="date", limit=1)[0]["name"]  # doctest: +SKIP
        'Putin: Trump Different than on TV'
    """
    if sort not in FAMILY_SORTS:
        raise ConfigError(f"sort must be one of {', '.join(FAMILY_SORTS)}; got {sort!r}")
    if descending is None:
        descending = sort != "name"
    # Only what the order needs is read for every family; the page's families are read whole.
    return _family_rows(store, _family_order(store, sort, descending, limit, offset))


def _family_order(
    store: Store, sort: str, descending: bool, limit: int, offset: int
) -> list[str]:
    """The ids of one page of families in the given order (ties by id)."""
    c = store.conn
    if sort == "size":  # from the families table alone, paged by SQLite
        rows = c.execute(
            "SELECT family FROM families GROUP BY family "
            f"ORDER BY COUNT(*) {'DESC' if descending else 'ASC'}, family LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [r[0] for r in rows]
    if sort == "date":
        firsts = c.execute(
            "SELECT f.family, MIN(d.published) FROM families f CROSS JOIN documents d "
            "ON d.id = f.doc_id GROUP BY f.family"
        ).fetchall()
        dated = sorted((first, fid) for fid, first in firsts if first)
        if descending:  # newest first, ties still by id
            dated.sort(key=lambda x: x[0], reverse=True)
        undated = sorted(fid for fid, first in firsts if not first)
        order = [fid for _, fid in dated] + undated
    else:
        fams = [r[0] for r in c.execute("SELECT DISTINCT family FROM families")]
        names = family_names(store, fams)
        order = sorted(sorted(fams), key=lambda f: names[f].casefold(), reverse=descending)
    return order[offset : offset + limit]


def _family_rows(store: Store, families: list[str]) -> list[dict[str, Any]]:
    """The index rows of these families (see :func:`families_page`), in this order."""
    members: dict[str, list[tuple[str, str | None, str | None, str | None]]] = {
        f: [] for f in families
    }
    for chunk in _chunks(families):
        marks = ",".join("?" for _ in chunk)
        for r in store.conn.execute(
            "SELECT f.family, d.id, d.outlet, d.title, d.published FROM families f "
            f"CROSS JOIN documents d ON d.id = f.doc_id WHERE f.family IN ({marks})",
            chunk,
        ):
            members[r[0]].append((r[1], r[2], r[3], r[4]))
    rows = []
    for fid in families:
        ms = members[fid]
        dated = sorted(p for _, _, _, p in ms if p)
        counts: dict[str | None, int] = {}
        for _, outlet, _, _ in ms:
            counts[outlet] = counts.get(outlet, 0) + 1
        origin = next((m for m in ms if m[0] == fid), None)
        rows.append(
            {
                "family": fid,
                "name": family_name(fid, ((i, t, p) for i, _, t, p in ms)),
                "size": len(ms),
                "first_published": dated[0] if dated else None,
                "last_published": dated[-1] if dated else None,
                "outlets": sorted(counts, key=lambda o: (-counts[o], o is None, o or "")),
                "origin_outlet": origin[1] if origin else None,
                "origin_title": origin[2] if origin else None,
                "origin_published": origin[3] if origin else None,
            }
        )
    return rows


def families_count(store: Store) -> int:
    """How many story families the store holds."""
    return int(store.conn.execute("SELECT COUNT(DISTINCT family) FROM families").fetchone()[0])


def outlets_page(
    store: Store, *, sort: str = "articles", descending: bool | None = None
) -> list[dict[str, Any]]:
    """Every outlet with its articles, the reuse it takes in and the reuse it gives out.

    Args:
        store: the store.
        sort: ``articles``, ``derived`` (its articles with a best source: reuse in),
            ``copied`` (articles of any outlet whose best source is one of its articles: reuse
            out), ``share`` (derived / articles) or ``name``; ties go by name.
        descending: the direction; by default the largest figure first, names A-Z.

    Returns:
        One dict per outlet: ``outlet`` (``None`` for articles without one), ``articles``,
        ``derived``, ``derived_share`` and ``copied``.
    """
    if sort not in OUTLET_SORTS:
        raise ConfigError(f"sort must be one of {', '.join(OUTLET_SORTS)}; got {sort!r}")
    if descending is None:
        descending = sort != "name"
    derived = _derived_by_outlet(store)
    copied = {
        r["outlet"]: int(r["n"])
        for r in store.conn.execute(
            "SELECT s.outlet AS outlet, COUNT(*) AS n FROM families f CROSS JOIN documents s "
            "ON s.id = f.derived_from WHERE f.derived_from IS NOT NULL GROUP BY s.outlet"
        )
    }
    rows = store.conn.execute(
        "SELECT outlet, COUNT(*) AS n FROM documents GROUP BY outlet"
    ).fetchall()
    out = [
        {
            "outlet": r["outlet"],
            "articles": int(r["n"]),
            "derived": derived.get(r["outlet"], 0),
            "derived_share": round(derived.get(r["outlet"], 0) / max(1, int(r["n"])), 4),
            "copied": copied.get(r["outlet"], 0),
        }
        for r in rows
    ]
    out.sort(key=lambda r: (r["outlet"] is None, (r["outlet"] or "").casefold()))
    if sort == "name":
        if descending:
            named = [r for r in out if r["outlet"] is not None]
            out = named[::-1] + [r for r in out if r["outlet"] is None]
        return out
    key = "derived_share" if sort == "share" else sort
    out.sort(key=lambda r: r[key], reverse=descending)
    return out


def pair_links(store: Store, source: str, derivative: str) -> dict[str, Any]:
    """Where a pair view leads: both articles with their outlets and story families.

    Returns:
        ``source`` and ``derivative``: each ``id``, ``title``, ``outlet``, ``published``,
        ``family`` (``None`` when the article is in none) and ``family_name``.
    """
    out: dict[str, Any] = {}
    rows = {
        r["id"]: r
        for r in store.conn.execute(
            "SELECT d.id, d.title, d.outlet, d.published, f.family FROM documents d "
            "LEFT JOIN families f ON f.doc_id = d.id WHERE d.id IN (?, ?)",
            (source, derivative),
        )
    }
    names = family_names(store, [r["family"] for r in rows.values() if r["family"]])
    for role, doc_id in (("source", source), ("derivative", derivative)):
        r = rows.get(doc_id)
        if r is None:
            raise NotFoundError(f"no document {doc_id!r}")
        out[role] = {
            **_doc_summary(r),
            "family": r["family"],
            "family_name": names.get(r["family"]) if r["family"] else None,
        }
    return out


def alerts_page(
    store: Store, *, flag: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The watcher's alerts, newest first, each with the path of its pair view; each altered
    quotation's edits carry their reading (``inserted “…”``, ``replaced “old” → “new”``)."""
    from newstrace.analyze.quotes import edit_label

    out = []
    for a in store.alerts(flag=flag, limit=limit):
        x, y = sorted((a["origin"]["id"], a["article"]["id"]))
        for q in a.get("mutations", {}).get("altered_quotes", []):
            q["labels"] = [
                e.get("label") or edit_label(e["op"], e.get("source", ""), e.get("derivative", ""))
                for e in q.get("edits", [])
                if isinstance(e, dict) and "op" in e
            ]
        out.append(a | {"pair_path": f"/pairs/{x}/{y}"})
    return out

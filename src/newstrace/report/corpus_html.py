"""The corpus report: one self-contained HTML file with the overview, every story family as a
derivation tree, and the pair view of every hop, for people who will not install anything."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from newstrace.report.pair_html import page, pair_section
from newstrace.store import Store
from newstrace.views import family_name

EXTRA_CSS = """
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #ddd;border-radius:8px;
padding:.6rem 1rem;min-width:9rem}.card b{display:block;font-size:1.4rem}ul.tree{list-style:none;padding-left:1.2rem;
border-left:2px solid #ddd}details{margin:.6rem 0;background:#fff;border:1px solid #ddd;border-radius:8px;
padding:.4rem .8rem}summary{cursor:pointer;font-weight:600}nav a{margin-right:1rem}
"""


def corpus_report(store: Store, *, max_pairs: int = 300) -> str:
    """Render the whole store's results as one HTML document (string)."""
    from newstrace.detect import hydrate_report
    from newstrace.export import REUSE, export_tables

    tables = export_tables(store)
    docs = {d["id"]: d for d in tables["documents"]}
    rel = Counter(p["relation"] for p in tables["pairs"])
    dates = sorted(d["published"] for d in docs.values() if d["published"])
    fams = sorted(tables["families"], key=lambda f: (-f["size"], f["family"]))
    outlets = sorted(tables["outlets"], key=lambda o: (-o["derived"], o["outlet"]))

    def doc_label(doc_id: str) -> str:
        d = docs.get(doc_id, {})
        return (
            f"<b>{escape(d.get('outlet') or '(unknown outlet)')}</b> "
            f"<span class=muted>{escape((d.get('published') or 'undated')[:10])} · {escape(doc_id)}</span> "
            f"{escape((d.get('title') or '')[:90])}"
        )

    cards = "".join(
        f"<div class=card><b>{v}</b>{escape(k)}</div>"
        for k, v in (
            ("articles", len(docs)),
            ("outlets", len({d["outlet"] for d in docs.values()})),
            ("reuse pairs", sum(p["relation"] in REUSE for p in tables["pairs"])),
            ("story families", len(fams)),
        )
    )
    span = f"{dates[0][:10]} – {dates[-1][:10]}" if dates else "no dates"
    rel_line = ", ".join(f"{escape(k)} {v}" for k, v in sorted(rel.items()))
    origins = "".join(
        f"<li>{doc_label(f['origin'])} — reused by {f['size'] - 1} article(s) "
        f"<a href='#fam-{escape(f['family'])}'>family</a></li>"
        for f in fams[:15]
    )
    copiers = "".join(
        f"<tr><td>{escape(o['outlet'])}</td><td>{o['articles']}</td><td>{o['derived']}</td>"
        f"<td>{o['derived_share']:.0%}</td><td>{escape(o['sources'])}</td></tr>"
        for o in outlets[:20]
        if o["derived"]
    )
    children: dict[str | None, list[str]] = {}
    for d in sorted(docs.values(), key=lambda d: (d["published"] or "", d["id"])):
        if d["family"]:
            children.setdefault(d["derived_from"], []).append(d["id"])
    hop_ids: list[tuple[str, str]] = []

    def tree(doc_id: str) -> str:
        kids = children.get(doc_id, [])
        inner = ""
        for k in kids:
            hop_ids.append((doc_id, k))
            inner += f"<li>{doc_label(k)} <a href='#pair-{escape(doc_id)}-{escape(k)}'>pair view</a>{tree(k)}</li>"
        return f"<ul class=tree>{inner}</ul>" if inner else ""

    def fam_name(f: dict[str, Any]) -> str:
        members = (docs.get(i, {"id": i}) for i in f["members"].split())
        return family_name(
            f["family"], ((d["id"], d.get("title"), d.get("published")) for d in members)
        )

    fam_html = "".join(
        f"<details id='fam-{escape(f['family'])}'><summary>{escape(fam_name(f))} "
        f"<span class=muted>· {f['size']} articles · {escape(f['outlets'])}</span></summary>"
        f"<div>{doc_label(f['origin'])}{tree(f['origin'])}</div></details>"
        for f in fams
    )
    pair_html = []
    for parent, child in hop_ids[:max_pairs]:
        stored = store.pair_report(parent, child)
        if not stored:
            continue
        src_id, der_id = stored["source"]["id"], stored["derivative"]["id"]
        src, der = store.get(src_id), store.get(der_id)
        full = hydrate_report(stored, src, der)
        section = pair_section(
            full, source_text=src.text, derivative_text=der.text, prefix=f"{parent}-{child}-"
        )
        pair_html.append(
            f"<details id='pair-{escape(parent)}-{escape(child)}'><summary>{doc_label(src_id)} → "
            f"{doc_label(der_id)}</summary>{section}</details>"
        )
    more = ""
    if len(hop_ids) > max_pairs:
        more = f"<p class=muted>{len(hop_ids) - max_pairs} more hops not shown (raise --max-pairs).</p>"
    body = f"""
<nav><a href="#overview">Overview</a><a href="#families">Families</a><a href="#pairs">Pairs</a></nav>
<h2 id=overview>Overview</h2><div class=cards>{cards}</div>
<p>Published {escape(span)}. Pairs by relation: {rel_line or "none"}.</p>
<h2>Most reused origins</h2><ul>{origins or "<li>none</li>"}</ul>
<h2>Outlets that copy most</h2><table><tr><th>outlet</th><th>articles</th><th>derived</th><th>share</th>
<th>takes from</th></tr>{copiers}</table>
<h2 id=families>Story families ({len(fams)})</h2>{fam_html}
<h2 id=pairs>Pair views ({len(pair_html)})</h2>{"".join(pair_html)}{more}
"""
    html = page("newstrace corpus report", body)
    return html.replace("</style>", EXTRA_CSS + "</style>", 1)

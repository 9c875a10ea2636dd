"""Server-side SVG charts (no script, no external library): family graph, timeline, bars."""

from __future__ import annotations

from html import escape
from typing import Any

from newstrace.clean.dates import to_date


def family_graph_svg(f: dict[str, Any], *, col: int = 230, row: int = 64) -> str:
    """The derivation graph, origin on the left, an arrow from each source to its derivative; a
    dashed line joins two articles whose direction nothing tells (or siblings of one source)."""
    by_depth: dict[int, list[dict[str, Any]]] = {}
    for m in f["members"]:
        by_depth.setdefault(int(m["depth"] or 0), []).append(m)
    pos: dict[str, tuple[int, int]] = {}
    for depth, ms in sorted(by_depth.items()):
        for i, m in enumerate(sorted(ms, key=lambda x: (x["published"] or "", x["id"]))):
            pos[m["id"]] = (20 + depth * col, 20 + i * row)
    width = 40 + (max(by_depth) + 1) * col if by_depth else 200
    height = 40 + max(len(v) for v in by_depth.values()) * row if by_depth else 100
    parts = [
        f'<svg class="graph" role="img" aria-label="derivation graph" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1d3557"/></marker></defs>',
    ]
    for m in f["members"]:
        if m["derived_from"] in pos:
            x1, y1 = pos[m["derived_from"]]
            x2, y2 = pos[m["id"]]
            parts.append(
                f'<line x1="{x1 + 190}" y1="{y1 + 22}" x2="{x2}" y2="{y2 + 22}" stroke="#1d3557" '
                f'stroke-width="1.5" marker-end="url(#arrow)"><title>{escape(m["relation"] or "")}</title></line>'
            )
    for link in f.get("links", []):
        if link["a"] in pos and link["b"] in pos:
            (x1, y1), (x2, y2) = sorted((pos[link["a"]], pos[link["b"]]))
            why = "siblings of a common source" if link["kind"] == "common" else "no evidence of who copied whom"
            parts.append(
                f'<line x1="{x1 + 95}" y1="{y1 + 44}" x2="{x2 + 95}" y2="{y2}" stroke="#8d99ae" '
                f'stroke-width="1.5" stroke-dasharray="5 4"><title>{escape(link["relation"])}: {why}</title></line>'
            )
    for m in f["members"]:
        x, y = pos[m["id"]]
        label = escape((m["outlet"] or "unknown outlet")[:26])
        sub = escape(
            ((m["published"] or "undated")[:10])
            + (f" · {m['relation']}" if m["relation"] else " · origin")
        )
        parts.append(
            f'<a href="/documents/{escape(m["id"])}"><rect x="{x}" y="{y}" width="190" height="44" rx="6" '
            f'class="node{" root" if not m["derived_from"] else ""}"/>'
            f'<text x="{x + 8}" y="{y + 18}" class="nl">{label}</text>'
            f'<text x="{x + 8}" y="{y + 35}" class="ns">{sub}</text></a>'
        )
    parts.append("</svg>")
    return "".join(parts)


def timeline_svg(f: dict[str, Any], *, width: int = 900) -> str:
    """Publication dates of a family's articles on one axis (undated ones are listed apart)."""
    dated = [(d, m) for m in f["members"] if (d := to_date(m["published"])) is not None]
    if not dated:
        return '<p class="muted">No article of this family is dated.</p>'
    d0 = min(d for d, _ in dated)
    d1 = max(d for d, _ in dated)
    span = max(1, (d1 - d0).days)
    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} 90" width="{width}" height="90" '
        'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="timeline">',
        f'<line x1="20" y1="50" x2="{width - 20}" y2="50" stroke="#999"/>',
        f'<text x="20" y="80" class="ns">{d0.isoformat()}</text>',
        f'<text x="{width - 110}" y="80" class="ns">{d1.isoformat()}</text>',
    ]
    for i, (d, m) in enumerate(sorted(dated, key=lambda x: (x[0], x[1]["id"]))):
        x = 20 + (width - 40) * (d - d0).days / span
        parts.append(
            f'<a href="/documents/{escape(m["id"])}"><circle cx="{x:.1f}" cy="50" r="7" '
            f'class="dot{" root" if not m["derived_from"] else ""}"><title>{escape(m["outlet"] or "")} '
            f"{d.isoformat()}</title></circle></a>"
            f'<text x="{x:.1f}" y="{30 - (i % 2) * 14}" class="ns" text-anchor="middle">'
            f"{escape((m['outlet'] or '')[:18])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _anchor(x: float, width: int) -> str:
    return "start" if x < 100 else "end" if x > width - 100 else "middle"


def bars_svg(rows: list[dict[str, Any]], *, key: str = "articles", width: int = 520) -> str:
    """Horizontal bars of ``rows[key]`` labelled by outlet."""
    if not rows:
        return '<p class="muted">None.</p>'
    top = rows[:15]
    peak = max(r[key] for r in top) or 1
    h = 24 * len(top) + 10
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {h}" width="{width}" height="{h}" '
        'xmlns="http://www.w3.org/2000/svg" role="img" aria-label="bar chart">'
    ]
    for i, r in enumerate(top):
        w = (width - 220) * r[key] / peak
        parts.append(
            f'<text x="0" y="{i * 24 + 17}" class="ns">{escape((r["outlet"] or "unknown outlet")[:28])}</text>'
            f'<rect x="200" y="{i * 24 + 4}" width="{w:.1f}" height="16" class="bar"/>'
            f'<text x="{205 + w:.1f}" y="{i * 24 + 17}" class="ns">{r[key]}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

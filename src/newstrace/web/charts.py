"""Server-side SVG charts (no script, no external library): family graph, timeline, bars.

Everything a chart shows from an article is escaped; labels are sized to fit (see
:func:`text_width`), so none is clipped by its box or by the chart."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

from newstrace.clean.dates import to_date

# -- text sizes --------------------------------------------------------------------------------
# Advance widths in em, bold, rounded up from DejaVu Sans Bold (one of the widest common sans
# fonts, and what system-ui resolves to on Debian): labels sized with them fit in any usual font.
_EM_NARROW = frozenset("iljIJ.,:;!|'’`‘ ")
_EM_HALF = frozenset('ftr()[]{}/\\-"“”')
_EM_WIDE = frozenset("mwMW%&@—…")
REGULAR_SCALE = 0.92
"""A regular weight's width against bold."""


_EM_WIDE_CYRILLIC = frozenset("жшщюыЖШЩЮЫМ")


def _em(c: str) -> float:
    if c in _EM_NARROW:
        return 0.40
    if c in _EM_HALF:
        return 0.52
    if c in _EM_WIDE or c in _EM_WIDE_CYRILLIC:
        return 1.12
    if c < "\u0530" and c.isalpha():  # Latin, Greek, Cyrillic letters: widths like ASCII's
        return 0.86 if c.isupper() else 0.76 if not c.isascii() else 0.72
    if c.isascii():
        return 0.72
    if unicodedata.combining(c):
        return 0.0
    return 1.05 if unicodedata.east_asian_width(c) in ("W", "F") else 1.0


def text_width(text: str, font_px: float, *, bold: bool = False) -> float:
    """An upper estimate of ``text``'s width in pixels at ``font_px`` (a sans-serif font).

    >>> round(text_width("Global Research", 12))
    110
    """
    return sum(_em(c) for c in text) * font_px * (1.0 if bold else REGULAR_SCALE)


def fit_text(text: str, max_px: float, font_px: float, *, bold: bool = False) -> str:
    """``text`` on one line, cut (at a word where one is near, with an ellipsis) to fit
    ``max_px`` by :func:`text_width`.

    >>> fit_text("Putin: Trump Different than on TV, We Can Restore Relations", 194, 13, bold=True)
    'Putin: Trump Differen…'
    """
    text = " ".join(text.split())
    if text_width(text, font_px, bold=bold) <= max_px:
        return text
    room = max_px - text_width("…", font_px, bold=bold)
    cut, used = 0, 0.0
    for c in text:
        used += text_width(c, font_px, bold=bold)
        if used > room:
            break
        cut += 1
    head = text[:cut]
    space = head.rfind(" ")
    if space >= max(cut - 8, cut * 2 // 3):  # a word boundary near enough
        head = head[:space]
    return head.rstrip(" ,;:-–—") + "…"


# -- the family graph ------------------------------------------------------------------------
GRAPH_BOX = (210.0, 58.0)
"""An article's box in the family graph (width, height)."""
_PAD = 16.0
_NS = 'font-family="system-ui, sans-serif" font-size="12" fill="#555"'
_NL = 'font-family="system-ui, sans-serif" font-size="13" font-weight="600"'
"""Text sizes as attributes too (the stylesheet's classes say the same), so that labels keep
the size they were fitted for wherever the chart is shown."""
_HEADER = 40.0  # the dates above the columns
_ARC = 40.0  # room right of the last column for an arrow between two boxes of one column
_BAND_GAP = 54.0  # between the dated band and the undated one, with the line and note between


def _curve(points: Sequence[tuple[float, float]]) -> str:
    """An SVG path through ``points``: curves with level tangents between columns."""
    (x, y), rest = points[0], points[1:]
    d = [f"M{x:.1f},{y:.1f}"]
    for nx, ny in rest:
        if ny == y:
            d.append(f"L{nx:.1f},{ny:.1f}")
        else:
            mid = (x + nx) / 2
            d.append(f"C{mid:.1f},{y:.1f} {mid:.1f},{ny:.1f} {nx:.1f},{ny:.1f}")
        x, y = nx, ny
    return " ".join(d)


def family_graph_svg(f: dict[str, Any]) -> str:
    """The derivation graph of a family view (:func:`newstrace.views.family_view`): one box
    per article (headline, outlet, date), an arrow from each source to what was made from it,
    laid out by :func:`newstrace.graph.layout.layered_layout`.

    Columns run in date order, each headed by its day; undated articles sit in a band of their
    own below, with dashed boxes, in the column after their source (an undated origin just
    before its first copy). A dashed line without an arrow joins two articles whose direction
    nothing tells (or siblings of one source). Every text is escaped; every label is cut to fit
    its box (and clipped to it besides). The chart keeps its size (boxes stay readable); the
    page scrolls it sideways.
    """
    from newstrace.graph.layout import layered_layout

    members = f["members"]
    if not members:
        return '<p class="muted">No article in this family.</p>'
    ids = {m["id"] for m in members}
    by_id = {m["id"]: m for m in members}
    w, h = GRAPH_BOX
    lay = layered_layout(
        [(m["id"], to_date(m["published"])) for m in members],
        [(m["derived_from"], m["id"]) for m in members if m["derived_from"] in ids],
        box_width=w,
        box_height=h,
        band_gap=_BAND_GAP,
    )
    ox, oy = _PAD, _HEADER
    width = lay.width + 2 * _PAD + _ARC
    height = lay.height + _HEADER + _PAD
    dated = sum(1 for b in lay.boxes.values() if b.dated)
    parts = [
        f'<svg class="graph" role="img" aria-label="derivation graph: {len(members)} articles, '
        f'{dated} dated" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" xmlns="http://www.w3.org/2000/svg">',
        '<defs><marker id="fg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#1d3557"/></marker></defs>',
        f'<line class="axis" x1="{ox:.1f}" y1="{oy - 12:.1f}" x2="{ox + lay.width:.1f}" '
        f'y2="{oy - 12:.1f}" stroke="#ccc"/>',
    ]
    if dated:
        for col in lay.columns:
            if col.day is not None:
                parts.append(
                    f'<text class="ns day" {_NS} x="{ox + col.x + w / 2:.1f}" y="{oy - 18:.1f}" '
                    f'text-anchor="middle">{col.day.isoformat()}</text>'
                )
    else:
        note = fit_text("undated: columns follow the derivation, not time", lay.width + _ARC, 12)
        parts.append(f'<text class="ns band" {_NS} x="{ox:.1f}" y="{oy - 18:.1f}">{note}</text>')
    if lay.undated_top is not None:
        y = oy + lay.undated_top - _BAND_GAP / 3
        note = fit_text(
            "undated (below): placed next to their source or copy, not by date",
            lay.width + _ARC,
            12,
        )
        parts.append(
            f'<line class="band" x1="{ox:.1f}" y1="{y:.1f}" x2="{ox + lay.width:.1f}" '
            f'y2="{y:.1f}" stroke="#8d99ae" stroke-dasharray="6 4"/>'
            f'<text class="ns band" {_NS} x="{ox:.1f}" y="{y - 6:.1f}">{note}</text>'
        )
    for r in lay.routes:
        pts = [(x + ox, y + oy) for x, y in r.points]
        if r.kind == "flat":
            (x1, y1), (x2, y2) = pts
            d = f"M{x1:.1f},{y1:.1f} C{x1 + _ARC:.1f},{y1:.1f} {x2 + _ARC:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        else:
            d = _curve(pts)
        rel = by_id[r.target]["relation"] or "derived"
        parts.append(
            f'<path class="edge" d="{d}" fill="none" stroke="#1d3557" stroke-width="1.5" '
            f'marker-end="url(#fg-arrow)"><title>{escape(rel)}</title></path>'
        )
    for link in f.get("links", []):
        a, b = lay.boxes.get(link["a"]), lay.boxes.get(link["b"])
        if a is None or b is None:
            continue
        if a.layer == b.layer:  # an arc on the left, away from the arrows' side
            x, y1, y2 = a.x + ox, a.cy + oy, b.cy + oy
            d = f"M{x:.1f},{y1:.1f} C{x - _PAD:.1f},{y1:.1f} {x - _PAD:.1f},{y2:.1f} {x:.1f},{y2:.1f}"
        else:
            left, right = (a, b) if a.layer < b.layer else (b, a)
            d = _curve([(left.x + w + ox, left.cy + oy), (right.x + ox, right.cy + oy)])
        why = (
            "siblings of a common source"
            if link["kind"] == "common"
            else "no evidence of who copied whom"
        )
        parts.append(
            f'<path class="link" d="{d}" fill="none" stroke="#8d99ae" stroke-width="1.5" '
            f'stroke-dasharray="5 4"><title>{escape(link["relation"])}: {why}</title></path>'
        )
    for n, m in enumerate(members):
        box = lay.boxes[m["id"]]
        x, y = box.x + ox, box.y + oy
        title = m["title"] or "(no headline)"
        outlet = m["outlet"] or "unknown outlet"
        day = (m["published"] or "")[:10] if box.dated else "undated"
        role = "origin" if not m["derived_from"] else (m["relation"] or "")
        sub = f"{day} · {role}" if role else day
        classes = (
            "node" + (" root" if not m["derived_from"] else "") + ("" if box.dated else " undated")
        )
        dash = "" if box.dated else ' stroke-dasharray="5 3"'
        inner = w - 16
        parts.append(
            f'<a href="/documents/{escape(m["id"])}"><g class="article">'
            f"<title>{escape(' '.join(title.split()))} — {escape(outlet)} — {escape(day)}</title>"
            f'<clipPath id="fg-clip-{n}"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.0f}" '
            f'height="{h:.0f}"/></clipPath>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.0f}" height="{h:.0f}" rx="6" '
            f'class="{classes}" fill="#fff" stroke="#1d3557"{dash}/>'
            f'<g clip-path="url(#fg-clip-{n})">'
            f'<text x="{x + 8:.1f}" y="{y + 18:.1f}" class="nl" {_NL}>'
            f"{escape(fit_text(title, inner, 13, bold=True))}</text>"
            f'<text x="{x + 8:.1f}" y="{y + 35:.1f}" class="ns" {_NS}>'
            f"{escape(fit_text(outlet, inner, 12))}</text>"
            f'<text x="{x + 8:.1f}" y="{y + 51:.1f}" class="ns" {_NS}>'
            f"{escape(fit_text(sub, inner, 12))}</text></g></g></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


# -- the timeline ----------------------------------------------------------------------------
_LABEL_PX = 12
_ROW = 16.0
MAX_LABEL_ROWS = 6
"""Rows of outlet labels under the timeline at most; a day whose label finds no room in them is
left unlabelled (its dots still name it on hover), and the chart says how many."""


def timeline_svg(f: dict[str, Any], *, width: int = 900) -> str:
    """Publication dates of a family's articles on one axis: a dot per article (articles of one
    day stacked), under each day the outlets of that day. Labels are placed so that none leaves
    the chart or covers another (by :func:`text_width`), in rows under the axis; undated
    articles are counted under the chart."""
    members = f["members"]
    dated = sorted(
        ((d, m) for m in members if (d := to_date(m["published"])) is not None),
        key=lambda x: (x[0], x[1]["id"]),
    )
    undated = len(members) - len(dated)
    note = (
        f'<p class="muted">{undated} undated article(s) not on the timeline.</p>' if undated else ""
    )
    if not dated:
        return '<p class="muted">No article of this family is dated.</p>'
    days: dict[date, list[dict[str, Any]]] = {}
    for d, m in dated:
        days.setdefault(d, []).append(m)
    d0, d1 = min(days), max(days)
    span = (d1 - d0).days
    left, right = _PAD + 8, width - _PAD - 8

    def x_of(d: date) -> float:
        return (left + right) / 2 if span == 0 else left + (right - left) * (d - d0).days / span

    stack = max(len(ms) for ms in days.values())
    axis = _PAD + stack * 14.0
    date_y = axis + 20
    rows: list[float] = []  # each row's rightmost label end
    labels: list[tuple[float, int, str, float]] = []  # (centre, row, text, dot x)
    unlabelled = 0
    for d, ms in sorted(days.items()):
        outlets = list(dict.fromkeys(m["outlet"] or "unknown outlet" for m in ms))
        text = fit_text(
            outlets[0] + (f" +{len(outlets) - 1}" if len(outlets) > 1 else ""), 150, _LABEL_PX
        )
        half = text_width(text, _LABEL_PX) / 2
        cx = min(max(x_of(d), _PAD + half), width - _PAD - half)
        row = next((i for i, end in enumerate(rows) if end + 8 <= cx - half), None)
        if row is None and len(rows) < MAX_LABEL_ROWS:
            rows.append(0.0)
            row = len(rows) - 1
        if row is None:
            unlabelled += 1
            continue
        rows[row] = cx + half
        labels.append((cx, row, text, x_of(d)))
    first_row = date_y + 22
    height = first_row + len(rows) * _ROW + _PAD
    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height:.0f}" width="{width}" '
        f'height="{height:.0f}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="timeline: {len(dated)} dated articles">',
        f'<line x1="{_PAD:.0f}" y1="{axis:.1f}" x2="{width - _PAD:.0f}" y2="{axis:.1f}" stroke="#999"/>',
    ]
    if span:
        parts.append(
            f'<text x="{_PAD:.0f}" y="{date_y:.1f}" class="ns date" {_NS}>{d0.isoformat()}</text>'
        )
        parts.append(
            f'<text x="{width - _PAD:.0f}" y="{date_y:.1f}" class="ns date" {_NS} text-anchor="end">'
            f"{d1.isoformat()}</text>"
        )
    else:  # one day: its date under its dots
        parts.append(
            f'<text x="{x_of(d0):.1f}" y="{date_y:.1f}" class="ns date" {_NS} text-anchor="middle">'
            f"{d0.isoformat()}</text>"
        )
    for d, ms in sorted(days.items()):
        x = x_of(d)
        for k, m in enumerate(ms):
            root = "" if m["derived_from"] else " root"
            parts.append(
                f'<a href="/documents/{escape(m["id"])}"><circle cx="{x:.1f}" '
                f'cy="{axis - k * 14:.1f}" r="6" class="dot{root}" fill="#457b9d">'
                f"<title>{escape(m['outlet'] or 'unknown outlet')} {d.isoformat()}</title></circle></a>"
            )
    for cx, row, text, dot_x in labels:
        y = first_row + row * _ROW
        parts.append(
            f'<line x1="{dot_x:.1f}" y1="{axis + 7:.1f}" x2="{cx:.1f}" y2="{y - 12:.1f}" '
            f'stroke="#ccc"/><text x="{cx:.1f}" y="{y:.1f}" class="ns outlet" {_NS} '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    parts.append("</svg>")
    if unlabelled:
        note = (
            f'<p class="muted">{unlabelled} day(s) unlabelled for want of room: hover the dots.</p>'
            + note
        )
    return "".join(parts) + note


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

"""A pair as one self-contained HTML page: the two articles side by side, passages highlighted
by kind and linked, added and omitted text marked, quotes and drift listed, the verdict with its
evidence. No external requests: styles and script are inline, and the page's CSP forbids any.

All article text and metadata are escaped: they are untrusted input.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from newstrace.align.words import word_diff
from newstrace.analyze import direction_phrase, explain_relation, layers_phrase
from newstrace.analyze.quotes import edit_label, quote_core

KIND_LABELS = {
    "verbatim": "verbatim copy",
    "near_verbatim": "near-verbatim (small edits)",
    "paraphrase": "paraphrase",
    "translation": "translation (another language)",
}

DIFF_CSS = """
del.wd,ins.wd{color:inherit;border-radius:2px;text-decoration-thickness:2px;text-decoration-skip-ink:none}
del.wd-del{background:#e6394626;text-decoration-line:line-through;text-decoration-color:#b3261e}
ins.wd-ins{background:#2a9d8f38;text-decoration-line:underline;text-decoration-color:#1b7a6e;text-underline-offset:3px}
del.wd-sub{background:#f4a2614d;text-decoration-line:line-through;text-decoration-style:double;text-decoration-color:#8a4500}
ins.wd-sub{background:#f4a2614d;text-decoration-line:underline;text-decoration-style:double;text-decoration-color:#8a4500;text-underline-offset:3px}
del.wd::after,ins.wd::after{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(100%);
white-space:nowrap}del.wd-del::after{content:" (deleted)"}ins.wd-ins::after{content:" (inserted)"}
del.wd-sub::after{content:" (replaced)"}ins.wd-sub::after{content:" (replacement)"}
.legend .wd-legend{display:block;margin-top:.3rem}
"""
"""The word-diff marks: each kind has its own line style besides its colour, and says what it
is to a screen reader after its words (text that is visually hidden; after, not before, so that
a passage's first box on the page is always text)."""

CSS = """
:root{--v:#ffb703;--n:#ffe8a3;--p:#90be6d88;--t:#8ecae6aa;--add:#e63946;--om:#8d99ae;--fg:#1d1d1f;--mut:#666}
*{box-sizing:border-box}body{font:15px/1.55 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);
margin:0;padding:0 1.2rem 3rem;background:#fafafa}h1{font-size:1.3rem;margin:1rem 0 .3rem}
h2{font-size:1.1rem;margin:1.6rem 0 .5rem}.verdict{background:#fff;border:1px solid #ddd;border-radius:8px;
padding:.8rem 1rem}.rel{display:inline-block;padding:.1rem .6rem;border-radius:999px;background:#1d3557;
color:#fff;font-weight:600}.muted{color:var(--mut)}.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.doc{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;white-space:pre-wrap;
overflow-wrap:anywhere;max-height:80vh;overflow:auto}.doc h3{white-space:normal;margin:.2rem 0 .6rem;font-size:1rem}
.k-verbatim{background:var(--v)}.k-near_verbatim{background:var(--n)}.k-paraphrase{background:var(--p)}
.k-translation{background:var(--t)}
.psg{cursor:pointer;border-radius:2px}.psg.active{outline:2px solid #1d3557;background:#a8dadc}
.added{text-decoration:underline wavy var(--add);text-underline-offset:3px;background:#e6394612}
.omitted{color:var(--om);text-decoration:line-through;text-decoration-color:#8d99ae88}
.drift{box-shadow:inset 0 -3px 0 #7b2cbf}.legend span{display:inline-block;margin-right:1rem}
.sw{display:inline-block;width:1em;height:1em;vertical-align:-2px;border-radius:2px;margin-right:.3em}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #ddd;padding:.3rem .5rem;
vertical-align:top;text-align:left;font-size:.92rem}.bar{vertical-align:middle;border-radius:5px}
.bar .track{fill:#eee}.bar .k-verbatim{fill:var(--v)}.bar .k-near_verbatim{fill:#f4d35e}.bar .k-paraphrase{fill:#90be6d}
.bar .k-translation{fill:#8ecae6}
.sw.omitted{background:#8d99ae55}.st-preserved{color:#2a9d8f}
.st-altered{color:#e76f51;font-weight:600}.st-differs{color:#457b9d}.st-absent{color:#e63946;font-weight:600}
@media (max-width:900px){.cols{grid-template-columns:1fr}}
""" + DIFF_CSS

JS = """
(function(){
  function group(id){return document.querySelectorAll('[data-p="'+id+'"]');}
  document.querySelectorAll('.psg').forEach(function(el){
    el.addEventListener('mouseenter',function(){group(el.dataset.p).forEach(function(x){x.classList.add('active');});});
    el.addEventListener('mouseleave',function(){group(el.dataset.p).forEach(function(x){x.classList.remove('active');});});
    el.addEventListener('click',function(){
      var side=el.dataset.side==='s'?'d':'s';
      var other=document.querySelector('[data-p="'+el.dataset.p+'"][data-side="'+side+'"]');
      if(other){other.scrollIntoView({block:'center',behavior:'smooth'});}
    });
  });
})();
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


Mark = tuple[int, int, str, str | None]
"""A highlight of a text: ``(start, end, css_class, passage_id)``; marks may overlap."""


@dataclass(frozen=True, slots=True)
class DiffMark:
    """A word-diff change on one side of a comparison: an ``ins`` or ``del`` element over
    ``text[start:end]`` with ``css`` classes and, for a substitution, the other side's words
    as its ``title``."""

    start: int
    end: int
    element: str
    css: str
    title: str | None = None


DIFF_KINDS = ("near_verbatim", "paraphrase")
"""Passage kinds whose words are diffed in place (verbatim ones are the same words)."""


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the whitespace at either end of ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _title(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= 200 else words[:199] + "…"


def diff_marks(
    a: str, b: str, *, a_offset: int = 0, b_offset: int = 0
) -> tuple[list[DiffMark], list[DiffMark]]:
    """The word changes from ``a`` to ``b`` as marks on each side: deleted and replaced words
    of ``a`` as ``del``, inserted and replacing words of ``b`` as ``ins`` (substitutions carry
    the class ``wd-sub`` and the other side's words as a title). Offsets are shifted by
    ``a_offset`` and ``b_offset`` (where ``a`` and ``b`` sit in their documents)."""
    a_marks: list[DiffMark] = []
    b_marks: list[DiffMark] = []
    for op in word_diff(a, b):
        if op.tag == "equal":
            continue
        s0, s1 = _trimmed(a, op.a_start, op.a_end)
        d0, d1 = _trimmed(b, op.b_start, op.b_end)
        sub = op.tag == "replace"
        if s1 > s0:
            title = f"replaced by: {_title(b[d0:d1])}" if sub else None
            css = "wd wd-sub" if sub else "wd wd-del"
            a_marks.append(DiffMark(a_offset + s0, a_offset + s1, "del", css, title))
        if d1 > d0:
            title = f"replaces: {_title(a[s0:s1])}" if sub else None
            css = "wd wd-sub" if sub else "wd wd-ins"
            b_marks.append(DiffMark(b_offset + d0, b_offset + d1, "ins", css, title))
    return a_marks, b_marks


def _with_edits(text: str, lo: int, hi: int, edits: Sequence[DiffMark], k: int) -> tuple[str, int]:
    """``text[lo:hi]`` escaped, with the parts the ``edits`` (sorted, not overlapping) cover
    wrapped in their elements; ``k`` is the first edit that may reach ``lo``. Returns the HTML
    and the first edit that may reach ``hi``."""
    while k < len(edits) and edits[k].end <= lo:
        k += 1
    out: list[str] = []
    pos = lo
    while k < len(edits) and edits[k].start < hi:
        m = edits[k]
        s, e = max(pos, m.start), min(hi, m.end)
        out.append(escape(text[pos:s]))
        title = f' title="{escape(m.title)}"' if m.title else ""
        out.append(f'<{m.element} class="{m.css}"{title}>{escape(text[s:e])}</{m.element}>')
        pos = e
        if m.end > hi:
            break  # it goes on in the next piece
        k += 1
    out.append(escape(text[pos:hi]))
    return "".join(out), k


def _segments(text: str, marks: Sequence[Mark], edits: Sequence[DiffMark] = ()) -> str:
    """Render ``text`` with possibly overlapping marks ``(start, end, css_class, passage_id)``
    and word-diff ``edits`` (which do not overlap each other) inside them.

    The text is cut at every mark boundary; each piece carries the classes of the marks over it
    in one span, and the edits in it as ``ins`` and ``del`` elements inside the span (an edit
    that crosses a mark boundary is cut there).
    """
    n = len(text)
    opens: dict[int, list[int]] = defaultdict(list)
    closes: dict[int, list[int]] = defaultdict(list)
    bounds = {0, n}
    for k, (s, e, _, _) in enumerate(marks):
        s, e = max(0, min(n, s)), max(0, min(n, e))
        if e > s:
            opens[s].append(k)
            closes[e].append(k)
            bounds.update((s, e))
    inner = sorted((m for m in edits if m.end > m.start), key=lambda m: m.start)
    next_edit = 0
    active: set[int] = set()
    out: list[str] = []
    for lo, hi in itertools.pairwise(sorted(bounds)):
        active.difference_update(closes.get(lo, ()))
        active.update(opens.get(lo, ()))
        piece, next_edit = _with_edits(text, lo, hi, inner, next_edit)
        if not active:
            out.append(piece)
            continue
        over = [marks[k] for k in sorted(active)]
        attrs = f' class="{" ".join(c for _, _, c, _ in over)}"'
        pid = next((p for _, _, _, p in over if p is not None), None)
        if pid is not None:
            attrs += f' data-p="{escape(pid)}"'
        out.append(f"<span{attrs}>{piece}</span>")
    return "".join(out)


def _doc_head(d: dict[str, Any], role: str, language: str | None = None) -> str:
    lang = d.get("language") or language
    meta = " · ".join(
        escape(str(x))
        for x in (d.get("outlet"), d.get("published"), f"language: {lang}" if lang else None, d.get("id"))
        if x
    )
    credits = ", ".join(escape(a["credited"]) for a in d.get("attributions", []))
    return (
        f"<h3>{escape(role)}: {escape(d.get('title') or '(untitled)')}</h3>"
        f"<div class=muted>{meta}{' · credits ' + credits if credits else ''}</div>"
    )


def pair_section(
    report: dict[str, Any], *, source_text: str, derivative_text: str, prefix: str = ""
) -> str:
    """The pair view as an HTML fragment (used by the pair page and the corpus report)."""
    s_marks: list[Mark] = []
    d_marks: list[Mark] = []
    s_edits: list[DiffMark] = []
    d_edits: list[DiffMark] = []
    for i, p in enumerate(report["passages"]):
        pid = f"{prefix}{i}"
        s0, s1 = p["source"]["start"], p["source"]["end"]
        d0, d1 = p["derivative"]["start"], p["derivative"]["end"]
        s_marks.append((s0, s1, f"psg k-{p['kind']}", pid))
        d_marks.append((d0, d1, f"psg k-{p['kind']}", pid))
        if p["kind"] in DIFF_KINDS:
            a_m, b_m = diff_marks(
                source_text[s0:s1], derivative_text[d0:d1], a_offset=s0, b_offset=d0
            )
            s_edits.extend(a_m)
            d_edits.extend(b_m)
    for a in report["added"]:
        d_marks.append((a["start"], a["end"], "added", None))
    for o in report["omitted"]:
        s_marks.append((o["start"], o["end"], "omitted", None))
    for dr in report["attribution_drift"]:
        d_marks.append((dr["derivative"]["start"], dr["derivative"]["end"], "drift", None))
    src_html = _segments(source_text, s_marks, s_edits).replace("data-p=", 'data-side="s" data-p=')
    der_html = _segments(derivative_text, d_marks, d_edits).replace("data-p=", 'data-side="d" data-p=')
    d = report["direction"]

    def side(e: dict[str, Any]) -> str:
        if not e["favours"]:
            return "neutral"
        return "for the source" if e["favours"] == d["source"] else "for the derivative"

    evidence = "".join(
        f"<li><b>{escape(e['name'])}</b> ({side(e)}, weight {e['weight']:g}): {escape(e['detail'])}</li>"
        for e in d["evidence"]
    )
    cov = report["coverage"]

    def bar(c: dict[str, float]) -> str:
        # SVG attributes, not inline styles: the web app's CSP forbids those.
        x, rects = 0.0, []
        for k in KIND_LABELS:
            w = c.get(k, 0.0) * 200  # a verdict stored before a kind existed has none of it
            rects.append(f'<rect class="k-{k}" x="{x:.1f}" y="0" width="{w:.1f}" height="10"/>')
            x += w
        track = '<rect class=track width="200" height="10"/>'
        return f'<svg class=bar width="200" height="10" viewBox="0 0 200 10">{track}{"".join(rects)}</svg>'

    legend = "".join(
        f'<span><i class="sw k-{k}"></i>{escape(v)}</span>' for k, v in KIND_LABELS.items()
    )
    legend += (
        '<span><i class="sw added"></i>added in the derivative</span>'
        '<span><i class="sw omitted"></i>omitted from the source</span>'
        '<span><i class="sw drift"></i>attribution drift</span>'
    )
    legend += WORD_LEGEND
    quotes = "".join(_quote_row(q) for q in report["quotes"])
    drift = "".join(
        f"<tr><td>{escape(x['speaker'])}</td><td>{escape(x['derivative']['text'])}</td><td>{escape(x['reason'])}"
        f"<br><span class=muted>unsupported: {escape(', '.join(x['unsupported_terms']))}</span></td>"
        f"<td>{escape(x['closest_source']['text'][:400]) if x['closest_source'] else '—'}</td></tr>"
        for x in report["attribution_drift"]
    )
    added = "".join(
        f"<li>{escape(a['text'])} <span class=muted>({escape(a['reason'])})</span></li>"
        for a in report["added"]
    )
    omitted = "".join(f"<li>{escape(o['text'])}</li>" for o in report["omitted"])
    notes = "".join(f"<li>{escape(n)}</li>" for n in report.get("notes", []))
    langs = report.get("languages") or {}
    heads = (
        _doc_head(report["source"], "Source", langs.get("source")),
        _doc_head(report["derivative"], "Derivative", langs.get("derivative")),
    )
    return f"""
<div class=verdict>
  <div><span class=rel>{escape(report["relation"])}</span>
  source <b>{escape(report["source"].get("outlet") or report["source"]["id"])}</b> →
  derivative <b>{escape(report["derivative"].get("outlet") or report["derivative"]["id"])}</b>,
  {escape(direction_phrase(report))}{" — " + escape(d["note"]) if d.get("note") else ""}</div>
  {f'<div class=muted>{escape(why)}</div>' if (why := explain_relation(report)) else ""}
  <ul>{evidence}</ul>
  <div>source reused: {cov["source"]["total"]:.0%} {bar(cov["source"])}
  &nbsp; derivative from source: {cov["derivative"]["total"]:.0%} {bar(cov["derivative"])}</div>
  <div class="muted layers">Compared with: {escape(layers_phrase(report))}</div>
  <ul class=muted>{notes}</ul>
  <div class=legend>{legend}</div>
</div>
<div class=cols>
  <div class=doc id="{escape(prefix)}source">{heads[0]}{src_html}</div>
  <div class=doc id="{escape(prefix)}derivative">{heads[1]}{der_html}</div>
</div>
<h2>Quotations in the derivative ({len(report["quotes"])})</h2>
<table><tr><th>status</th><th>derivative</th><th>source</th><th>edits</th></tr>{quotes}</table>
<h2>Attribution drift ({len(report["attribution_drift"])})</h2>
<table><tr><th>speaker</th><th>statement in the derivative</th><th>why</th>
<th>closest in the source</th></tr>{drift}</table>
<h2>Added ({len(report["added"])})</h2><ul>{added}</ul>
<h2>Omitted ({len(report["omitted"])})</h2><ul>{omitted}</ul>
"""


WORD_LEGEND = (
    '<span class="wd-legend">inside near-verbatim and paraphrased passages and quotations: '
    '<del class="wd wd-del">deleted</del> (struck through, source side), '
    '<ins class="wd wd-ins">inserted</ins> (underlined, derivative side), '
    '<del class="wd wd-sub">replaced</del> <ins class="wd wd-sub">replacement</ins> '
    "(struck or underlined twice; hover for the other side's words)</span>"
)
"""The legend of the word-diff marks, drawn with the marks themselves."""


def _quote_row(q: dict[str, Any]) -> str:
    """One quotation of the derivative: status, both versions whole with their word changes
    marked in place, and the edits in words (source -> derivative)."""
    der = q["derivative"]["text"]
    src = q["source"]["text"] if q["source"] else None
    if src is None:
        der_html, src_html = escape(der), "—"
    else:
        (s0, s1), (d0, d1) = quote_core(src), quote_core(der)
        s_edits, d_edits = diff_marks(src[s0:s1], der[d0:d1], a_offset=s0, b_offset=d0)
        der_html, src_html = _segments(der, [], d_edits), f"“{_segments(src, [], s_edits)}”"
    edits = "; ".join(
        escape(edit_label(e["op"], e["source"], e["derivative"])) for e in q["edits"]
    )
    note = escape(q["note"]) if q.get("note") else ""
    status = escape(q["status"])
    return (
        f"<tr class=quote><td class=st-{status}>{status}</td><td class=q-der>“{der_html}”</td>"
        f"<td class=q-src>{src_html}</td><td class=q-edits>{edits}{'<br>' if edits and note else ''}"
        f"{note}</td></tr>"
    )


def page(title: str, body: str) -> str:
    """A complete self-contained page around ``body``."""
    return f"""<!doctype html>
<html lang=en><head><meta charset=utf-8>
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name=viewport content="width=device-width, initial-scale=1">
<meta name=referrer content=no-referrer>
<title>{escape(title)}</title><style>{CSS}</style></head>
<body><h1>{escape(title)}</h1>{body}<script>{JS}</script></body></html>
"""


def pair_page(report: dict[str, Any], *, source_text: str, derivative_text: str) -> str:
    """The pair view as a standalone HTML document."""
    src, der = report["source"], report["derivative"]
    title = f"newstrace: {src.get('outlet') or src['id']} → {der.get('outlet') or der['id']}"
    return page(
        title, pair_section(report, source_text=source_text, derivative_text=derivative_text)
    )

"""A pair as one self-contained HTML page: the two articles side by side, passages highlighted
by kind and linked, added and omitted text marked, quotes and drift listed, the verdict with its
evidence. No external requests: styles and script are inline, and the page's CSP forbids any.

All article text and metadata are escaped: they are untrusted input.
"""

from __future__ import annotations

import itertools
from html import escape
from typing import Any

from newstrace.analyze import direction_phrase, explain_relation, layers_phrase

KIND_LABELS = {
    "verbatim": "verbatim copy",
    "near_verbatim": "near-verbatim (small edits)",
    "paraphrase": "paraphrase",
}

CSS = """
:root{--v:#ffb703;--n:#ffe8a3;--p:#90be6d88;--add:#e63946;--om:#8d99ae;--fg:#1d1d1f;--mut:#666}
*{box-sizing:border-box}body{font:15px/1.55 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);
margin:0;padding:0 1.2rem 3rem;background:#fafafa}h1{font-size:1.3rem;margin:1rem 0 .3rem}
h2{font-size:1.1rem;margin:1.6rem 0 .5rem}.verdict{background:#fff;border:1px solid #ddd;border-radius:8px;
padding:.8rem 1rem}.rel{display:inline-block;padding:.1rem .6rem;border-radius:999px;background:#1d3557;
color:#fff;font-weight:600}.muted{color:var(--mut)}.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.doc{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;white-space:pre-wrap;
overflow-wrap:anywhere;max-height:80vh;overflow:auto}.doc h3{white-space:normal;margin:.2rem 0 .6rem;font-size:1rem}
.k-verbatim{background:var(--v)}.k-near_verbatim{background:var(--n)}.k-paraphrase{background:var(--p)}
.psg{cursor:pointer;border-radius:2px}.psg.active{outline:2px solid #1d3557;background:#a8dadc}
.added{text-decoration:underline wavy var(--add);text-underline-offset:3px;background:#e6394612}
.omitted{color:var(--om);text-decoration:line-through;text-decoration-color:#8d99ae88}
.drift{box-shadow:inset 0 -3px 0 #7b2cbf}.legend span{display:inline-block;margin-right:1rem}
.sw{display:inline-block;width:1em;height:1em;vertical-align:-2px;border-radius:2px;margin-right:.3em}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #ddd;padding:.3rem .5rem;
vertical-align:top;text-align:left;font-size:.92rem}.bar{vertical-align:middle;border-radius:5px}
.bar .track{fill:#eee}.bar .k-verbatim{fill:var(--v)}.bar .k-near_verbatim{fill:#f4d35e}.bar .k-paraphrase{fill:#90be6d}
.sw.omitted{background:#8d99ae55}.st-preserved{color:#2a9d8f}
.st-altered{color:#e76f51;font-weight:600}.st-differs{color:#457b9d}.st-absent{color:#e63946;font-weight:600}
@media (max-width:900px){.cols{grid-template-columns:1fr}}
"""

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


def _segments(text: str, marks: list[tuple[int, int, str, str | None]]) -> str:
    """Render ``text`` with possibly overlapping marks ``(start, end, css_class, passage_id)``.

    The text is cut at every mark boundary; each piece carries the classes of the marks over it.
    """
    bounds = {0, len(text)}
    for s, e, _, _ in marks:
        bounds.add(max(0, min(len(text), s)))
        bounds.add(max(0, min(len(text), e)))
    cuts = sorted(bounds)
    out: list[str] = []
    for lo, hi in itertools.pairwise(cuts):
        if hi <= lo:
            continue
        piece = escape(text[lo:hi])
        classes = [c for s, e, c, _ in marks if s <= lo and e >= hi]
        pid = next((p for s, e, _, p in marks if p is not None and s <= lo and e >= hi), None)
        if not classes:
            out.append(piece)
            continue
        attrs = f' class="{" ".join(classes)}"'
        if pid is not None:
            attrs += f' data-p="{escape(pid)}"'
        out.append(f"<span{attrs}>{piece}</span>")
    return "".join(out)


def _doc_head(d: dict[str, Any], role: str) -> str:
    meta = " · ".join(
        escape(str(x)) for x in (d.get("outlet"), d.get("published"), d.get("id")) if x
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
    s_marks: list[tuple[int, int, str, str | None]] = []
    d_marks: list[tuple[int, int, str, str | None]] = []
    for i, p in enumerate(report["passages"]):
        pid = f"{prefix}{i}"
        s_marks.append((p["source"]["start"], p["source"]["end"], f"psg k-{p['kind']}", pid))
        d_marks.append(
            (p["derivative"]["start"], p["derivative"]["end"], f"psg k-{p['kind']}", pid)
        )
    for a in report["added"]:
        d_marks.append((a["start"], a["end"], "added", None))
    for o in report["omitted"]:
        s_marks.append((o["start"], o["end"], "omitted", None))
    for dr in report["attribution_drift"]:
        d_marks.append((dr["derivative"]["start"], dr["derivative"]["end"], "drift", None))
    src_html = _segments(source_text, s_marks).replace("data-p=", 'data-side="s" data-p=')
    der_html = _segments(derivative_text, d_marks).replace("data-p=", 'data-side="d" data-p=')
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
            w = c[k] * 200
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
    quotes = "".join(
        f"<tr><td class=st-{escape(q['status'])}>{escape(q['status'])}</td><td>“{escape(q['derivative']['text'])}”</td>"
        f"<td>{escape(q['source']['text']) if q['source'] else '—'}</td><td>"
        + "; ".join(
            f"{escape(e['op'])}: “{escape(e['source'])}” → “{escape(e['derivative'])}”"
            for e in q["edits"]
        )
        + (escape(q["note"]) if q.get("note") else "")
        + "</td></tr>"
        for q in report["quotes"]
    )
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
  <div class=doc id="{escape(prefix)}source">{_doc_head(report["source"], "Source")}{src_html}</div>
  <div class=doc id="{escape(prefix)}derivative">{_doc_head(report["derivative"], "Derivative")}{der_html}</div>
</div>
<h2>Quotations in the derivative ({len(report["quotes"])})</h2>
<table><tr><th>status</th><th>derivative</th><th>source</th><th>edits</th></tr>{quotes}</table>
<h2>Attribution drift ({len(report["attribution_drift"])})</h2>
<table><tr><th>speaker</th><th>statement in the derivative</th><th>why</th>
<th>closest in the source</th></tr>{drift}</table>
<h2>Added ({len(report["added"])})</h2><ul>{added}</ul>
<h2>Omitted ({len(report["omitted"])})</h2><ul>{omitted}</ul>
"""


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

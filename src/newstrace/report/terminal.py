"""Terminal views (rich) of newstrace results.

Every string of a report (outlets, ids, passages, quotations, reasons) is text from outside:
it is printed only through :mod:`newstrace.report.termsafe` (literal, no control characters).
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newstrace.align.words import word_diff
from newstrace.analyze import direction_phrase, explain_relation, layers_phrase
from newstrace.analyze.quotes import edit_label, quote_core
from newstrace.report.termsafe import plain, safe

_KIND_STYLE = {
    "verbatim": "black on yellow",
    "near_verbatim": "black on bright_yellow",
    "paraphrase": "black on green",
    "translation": "black on cyan",
}


def _short(s: str, n: int = 160) -> str:
    s = " ".join(plain(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


DIFF_KINDS = ("near_verbatim", "paraphrase")
"""Passage kinds whose word changes are printed (verbatim ones are the same words)."""

_DEL_STYLE, _INS_STYLE = "red strike", "green underline"


def _squashed(s: str) -> str:
    """``s`` printable on one line: control characters gone, each run of whitespace one space."""
    return re.sub(r"\s+", " ", plain(s))


def _elided(s: str, context: int | None, *, head: bool, tail: bool) -> str:
    """Unchanged text cut to ``context`` words beside the changes it touches (``head``: a change
    follows it, ``tail``: one precedes it), the words between given as an ellipsis.

    >>> _elided("a b c d e f", 2, head=True, tail=False)
    '… e f'
    >>> _elided(" a b c d e f ", 2, head=True, tail=True)
    ' a b … e f '
    """
    if context is None or context < 1 or not (head or tail):
        return s
    ws = s.split(" ")
    solid = [k for k, w in enumerate(ws) if w]
    if len(solid) <= (context if head else 0) + (context if tail else 0) + 1:
        return s
    parts = []
    if tail:
        parts.append(" ".join(ws[: solid[context - 1] + 1]))
    parts.append("…")
    if head:
        parts.append(" ".join(ws[solid[-context] :]))
    return " ".join(parts)


def inline_diff(a: str, b: str, *, markers: bool, context: int | None = None) -> Text:
    """The word changes from ``a`` to ``b`` in one line of text, marked in place.

    Deleted words are struck through in red and inserted ones underlined in green; with
    ``markers`` (no colour: not a terminal, or ``NO_COLOR``) they read ``[-old-]`` and
    ``{+new+}``, as ``git diff --word-diff`` writes them, and a replacement reads
    ``[-old-]{+new+}``. Unchanged text is shown as ``b`` has it; with ``context``, an unchanged
    stretch keeps that many words beside each change.

    >>> inline_diff("we are doing everything we can", "we are doing nothing we can",
    ...             markers=True).plain
    'we are doing [-everything-]{+nothing+} we can'
    """
    out = Text()
    ops = word_diff(a, b)
    for k, op in enumerate(ops):
        if op.tag == "equal":
            same = _squashed(b[op.b_start : op.b_end])
            out.append(_elided(same, context, head=k + 1 < len(ops), tail=k > 0))
            continue
        old, new = _squashed(a[op.a_start : op.a_end]), _squashed(b[op.b_start : op.b_end])
        # Spaced as the side that has words: B's (the unchanged text shown is B's), A's for a
        # deletion.
        spacing = old if op.tag == "delete" else new
        lead = " " if spacing.startswith(" ") else ""
        trail = " " if spacing.endswith(" ") else ""
        old, new = old.strip(), new.strip()
        out.append(lead)
        if old:
            out.append(f"[-{old}-]" if markers else old, style="" if markers else _DEL_STYLE)
        if new:
            out.append(f"{{+{new}+}}" if markers else new, style="" if markers else _INS_STYLE)
        out.append(trail)
    return out


def _quote_diff(source: str, derivative: str, *, markers: bool) -> Text:
    """A quotation whole, both versions in one, its word changes marked in place (the
    punctuation at either end, the outlet's style, is not compared)."""
    (s0, s1), (d0, d1) = quote_core(source), quote_core(derivative)
    return Text.assemble(
        _squashed(derivative[:d0]),
        inline_diff(source[s0:s1], derivative[d0:d1], markers=markers),
        _squashed(derivative[d1:]),
    )


def _markers(console: Console) -> bool:
    """Whether changes need markers: the console shows no colour (not a terminal, NO_COLOR)."""
    return console.no_color or console.color_system is None


def print_pair(report: dict[str, Any], console: Console | None = None) -> None:
    """Print a compare report: verdict and evidence, coverage, passages, mutations."""
    c = console or Console()
    d = report["direction"]
    src, der = report["source"], report["derivative"]
    head = Text.assemble(
        (f" {report['relation'].upper()} ", "bold white on blue"),
        "  ",
        (plain(src.get("outlet") or src["id"]), "bold"),
        f" [{plain(src['id'])}] → ",
        (plain(der.get("outlet") or der["id"]), "bold"),
        f" [{plain(der['id'])}]",
        f"   {plain(direction_phrase(report))}",
    )
    ev = Table.grid(padding=(0, 1))
    for e in d["evidence"]:
        side = (
            "neutral"
            if not e["favours"]
            else ("→ source" if e["favours"] == d["source"] else "→ derivative")
        )
        ev.add_row(
            safe(e["name"], style="bold"),
            Text(f"{side} ×{e['weight']:g}", style="dim"),
            safe(e["detail"]),
        )
    cov = report["coverage"]
    covline = Text(
        f"derivative from source {cov['derivative']['total']:.0%} "
        f"(verbatim {cov['derivative']['verbatim']:.0%}, near {cov['derivative']['near_verbatim']:.0%}, "
        f"paraphrase {cov['derivative']['paraphrase']:.0%}"
        + (f", translation {cov['derivative']['translation']:.0%}" if cov["derivative"].get("translation") else "")
        + f"); source reused {cov['source']['total']:.0%}"
    )
    parts: list[Any] = [head, ev, covline, Text(f"compared with: {layers_phrase(report)}", style="dim")]
    why = explain_relation(report)
    if why:
        parts.append(safe(why, style="cyan"))
    if d.get("note"):
        parts.append(safe(d["note"], style="yellow"))
    for n in report.get("notes", []):
        parts.append(safe(n, style="dim"))
    c.print(Panel(Group(*parts), title="newstrace compare", expand=True))

    t = Table(title=f"{len(report['passages'])} aligned passages", expand=True, show_lines=False)
    t.add_column("kind", no_wrap=True)
    t.add_column("source", ratio=1)
    t.add_column("derivative", ratio=1)
    for p in report["passages"]:
        t.add_row(
            safe(p["kind"], style=_KIND_STYLE.get(p["kind"], "")),
            Text(_short(p["source"]["text"])),
            Text(_short(p["derivative"]["text"])),
        )
    c.print(t)
    markers = _markers(c)
    edited = [p for p in report["passages"] if p["kind"] in DIFF_KINDS]
    if edited:
        how = "[-deleted-] {+inserted+}" if markers else "struck: deleted, underlined: inserted"
        c.print(Text(f"Word changes, source → derivative ({how})", style="bold"))
        for p in edited:
            c.print(
                Text.assemble(
                    "  ",
                    (plain(f"{p['kind']}: "), _KIND_STYLE.get(p["kind"], "")),
                    inline_diff(
                        p["source"]["text"], p["derivative"]["text"], markers=markers, context=6
                    ),
                )
            )

    if report["added"]:
        c.print(Text(f"Added ({len(report['added'])})", style="bold red"))
        for a in report["added"]:
            c.print(
                Text.assemble(
                    "  + ", (_short(a["text"], 200), "red"), (plain(f"  ({a['reason']})"), "dim")
                )
            )
    if report["omitted"]:
        c.print(Text(f"Omitted ({len(report['omitted'])})", style="bold"))
        for o in report["omitted"]:
            c.print(Text.assemble("  − ", (_short(o["text"], 200), "dim strike")))
    if report["quotes"]:
        c.print(Text(f"Quotations ({len(report['quotes'])})", style="bold"))
        for q in report["quotes"]:
            style = {"preserved": "green", "altered": "bold yellow", "differs": "cyan", "absent": "bold red"}[
                q["status"]
            ]
            changed = q["source"] is not None and q["status"] in ("altered", "differs")
            # An edited quotation is shown whole, both versions in one, changes in place.
            said = (
                _quote_diff(q["source"]["text"], q["derivative"]["text"], markers=markers)
                if changed
                else Text(_short(q["derivative"]["text"], 120))
            )
            c.print(Text.assemble("  ", (plain(f"{q['status']:<9}"), style), " “", said, "”"))
            for e in q["edits"]:
                label = edit_label(e["op"], e["source"], e["derivative"])
                c.print(safe(f"             {label}", style="yellow"))
    if report["attribution_drift"]:
        c.print(Text("Attribution drift", style="bold magenta"))
        for x in report["attribution_drift"]:
            c.print(
                Text.assemble(
                    "  ",
                    (plain(x["speaker"]), "bold magenta"),
                    ": ",
                    _short(x["derivative"]["text"], 200),
                )
            )
            c.print(safe(f"      {x['reason']}", style="magenta"))

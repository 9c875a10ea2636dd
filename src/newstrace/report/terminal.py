"""Terminal views (rich) of newstrace results.

Every string of a report (outlets, ids, passages, quotations, reasons) is text from outside:
it is printed only through :mod:`newstrace.report.termsafe` (literal, no control characters).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newstrace.analyze import direction_phrase, explain_relation, layers_phrase
from newstrace.report.termsafe import plain, safe

_KIND_STYLE = {
    "verbatim": "black on yellow",
    "near_verbatim": "black on bright_yellow",
    "paraphrase": "black on green",
}


def _short(s: str, n: int = 160) -> str:
    s = " ".join(plain(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


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
        f"paraphrase {cov['derivative']['paraphrase']:.0%}); source reused {cov['source']['total']:.0%}"
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
            line = Text.assemble(
                "  ",
                (plain(f"{q['status']:<9}"), style),
                f" “{_short(q['derivative']['text'], 120)}”",
            )
            c.print(line)
            for e in q["edits"]:
                c.print(
                    safe(
                        f"             {e['op']}: “{e['source']}” → “{e['derivative']}”",
                        style="yellow",
                    )
                )
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

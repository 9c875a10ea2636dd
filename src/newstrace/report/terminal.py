"""Terminal views (rich) of newstrace results."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newstrace.analyze import direction_phrase, explain_relation

_KIND_STYLE = {
    "verbatim": "black on yellow",
    "near_verbatim": "black on bright_yellow",
    "paraphrase": "black on green",
}


def _short(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def print_pair(report: dict[str, Any], console: Console | None = None) -> None:
    """Print a compare report: verdict and evidence, coverage, passages, mutations."""
    c = console or Console()
    d = report["direction"]
    src, der = report["source"], report["derivative"]
    head = Text.assemble(
        (f" {report['relation'].upper()} ", "bold white on blue"),
        "  ",
        (src.get("outlet") or src["id"], "bold"),
        f" [{src['id']}] → ",
        (der.get("outlet") or der["id"], "bold"),
        f" [{der['id']}]",
        f"   {direction_phrase(report)}",
    )
    ev = Table.grid(padding=(0, 1))
    for e in d["evidence"]:
        side = (
            "neutral"
            if not e["favours"]
            else ("→ source" if e["favours"] == d["source"] else "→ derivative")
        )
        ev.add_row(
            Text(e["name"], style="bold"),
            Text(f"{side} ×{e['weight']:g}", style="dim"),
            Text(e["detail"]),
        )
    cov = report["coverage"]
    covline = Text(
        f"derivative from source {cov['derivative']['total']:.0%} "
        f"(verbatim {cov['derivative']['verbatim']:.0%}, near {cov['derivative']['near_verbatim']:.0%}, "
        f"paraphrase {cov['derivative']['paraphrase']:.0%}); source reused {cov['source']['total']:.0%}"
    )
    parts: list[Any] = [head, ev, covline]
    why = explain_relation(report)
    if why:
        parts.append(Text(why, style="cyan"))
    if d.get("note"):
        parts.append(Text(d["note"], style="yellow"))
    for n in report.get("notes", []):
        parts.append(Text(n, style="dim"))
    c.print(Panel(Group(*parts), title="newstrace compare", expand=True))

    t = Table(title=f"{len(report['passages'])} aligned passages", expand=True, show_lines=False)
    t.add_column("kind", no_wrap=True)
    t.add_column("source", ratio=1)
    t.add_column("derivative", ratio=1)
    for p in report["passages"]:
        t.add_row(
            Text(p["kind"], style=_KIND_STYLE.get(p["kind"], "")),
            Text(_short(p["source"]["text"])),
            Text(_short(p["derivative"]["text"])),
        )
    c.print(t)

    if report["added"]:
        c.print(Text(f"Added ({len(report['added'])})", style="bold red"))
        for a in report["added"]:
            c.print(
                Text.assemble(
                    "  + ", (_short(a["text"], 200), "red"), (f"  ({a['reason']})", "dim")
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
                "  ", (f"{q['status']:<9}", style), f" “{_short(q['derivative']['text'], 120)}”"
            )
            c.print(line)
            for e in q["edits"]:
                c.print(
                    Text(
                        f"             {e['op']}: “{e['source']}” → “{e['derivative']}”",
                        style="yellow",
                    )
                )
    if report["attribution_drift"]:
        c.print(Text("Attribution drift", style="bold magenta"))
        for x in report["attribution_drift"]:
            c.print(
                Text.assemble(
                    "  ", (x["speaker"], "bold magenta"), ": ", _short(x["derivative"]["text"], 200)
                )
            )
            c.print(Text(f"      {x['reason']}", style="magenta"))

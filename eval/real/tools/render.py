"""Render pool pairs as reading sheets for labellers (markdown), in batches.

    python eval/real/tools/render.py OUTDIR --pool P.jsonl CORPUS [--map ...] [--pool ...] [--batch 160]

Each pair shows who and what the two documents are and every shared run of 8+ words with the
text around it on both sides, and how many documents of the corpus carry the run (a run in
hundreds of documents is a footer). Pairs with no shared run show the opening of each text.
Newstrace's verdict is never shown: labels must not lean on it.

Pairs whose runs all recur in 5+ documents and that share one signature with 2+ other pairs are
rendered once as a group (three members shown, the label applies to all members).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from common import Record, read_corpus, shared_runs, word_spans


def _ctx(text: str, s: int, e: int, width: int = 130, max_run: int = 450) -> str:
    before = text[max(0, s - width) : s].replace("\n", " ⏎ ")
    run = text[s:e].replace("\n", " ⏎ ")
    if len(run) > max_run:
        run = run[: max_run * 2 // 3] + f" …[{len(text[s:e].split())} words in all]… " + run[-max_run // 3 :]
    after = text[e : e + width].replace("\n", " ⏎ ")
    return f"…{before}【{run}】{after}…"


def render_pair(key: str, row: dict, a: Record, b: Record) -> str:
    sa, sb = word_spans(a.text), word_spans(b.text)
    runs = shared_runs(sa, sb)
    out = [f"### {key}  ({row['corpus']})"]
    for tag, r, n in (("A", a, len(sa)), ("B", b, len(sb))):
        out.append(
            f"- {tag}: `{r.id}` outlet={r.outlet or '?'} date={r.date or '-'} words={n} "
            f"url={r.url or '-'}\n  title: {r.title[:200] or '-'}"
        )
    shared_words = sum(x.words for x in runs)
    out.append(
        f"- selected by: {', '.join(row['selected_by'])}; shared 8-grams: {row['shared_8grams']}; "
        f"runs: {len(runs)}, {shared_words} words (~{shared_words / max(1, len(sa)):.0%} of A, "
        f"~{shared_words / max(1, len(sb)):.0%} of B)"
    )
    dfs = [x[1] for x in row["runs"]]
    for k, run in enumerate(runs[:6]):
        df = dfs[k] if k < len(dfs) else "?"
        out.append(f"  - run {k + 1}: {run.words} words, in ~{df} docs of the corpus")
        out.append(f"    - A: {_ctx(a.text, run.a_start, run.a_end)}")
        out.append(f"    - B: {_ctx(b.text, run.b_start, run.b_end)}")
    if len(runs) > 6:
        out.append(f"  - … {len(runs) - 6} more runs ({sum(x.words for x in runs[6:])} words)")
    if not runs:
        for tag, r in (("A", a), ("B", b)):
            head = " ".join(r.text.split()[:90])
            out.append(f"  - {tag} opens: {head}…")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--pool", nargs="+", action="append", required=True,
                    help="POOL.jsonl CORPUS [FIELD=COLUMN ...]")  # fmt: skip
    ap.add_argument("--batch", type=int, default=160)
    ap.add_argument("--prefix", default="P")
    args = ap.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    items: list[tuple[str, dict, Record, Record]] = []
    groups: dict[str, list[tuple[dict, Record, Record]]] = defaultdict(list)
    for spec in args.pool:
        pool, corpus, *maps = spec
        recs = {r.id: r for r in read_corpus(corpus, dict(m.split("=", 1) for m in maps))}
        rows = [json.loads(line) for line in Path(pool).read_text().splitlines()]
        sig = Counter(r["signature"] for r in rows)
        for r in rows:
            if r["signature"] and sig[r["signature"]] >= 3 and all(df >= 5 for _, df in r["runs"]):
                groups[r["corpus"] + "::" + r["signature"]].append((r, recs[r["a"]], recs[r["b"]]))
            else:
                items.append(("", r, recs[r["a"]], recs[r["b"]]))
    items.sort(key=lambda x: (x[1]["corpus"], x[1]["signature"] == "", x[1]["signature"], x[1]["a"]))
    index: dict[str, dict] = {}
    sheets: list[str] = []
    for n, (_, r, a, b) in enumerate(items):
        key = f"{args.prefix}{n:05d}"
        index[key] = {"corpus": r["corpus"], "a": r["a"], "b": r["b"], "selected_by": r["selected_by"]}
        sheets.append(render_pair(key, r, a, b))
    for g, (_sig, members) in enumerate(sorted(groups.items())):
        key = f"G{args.prefix}{g:04d}"
        index[key] = {"group": [{"corpus": r["corpus"], "a": r["a"], "b": r["b"],
                                 "selected_by": r["selected_by"]} for r, _, _ in members]}  # fmt: skip
        text = [f"## GROUP {key}: {len(members)} pairs sharing the same runs (3 shown; the label applies to all)\n"]
        for r, a, b in members[:3]:
            text.append(render_pair(f"{key} member", r, a, b))
        sheets.append("\n".join(text))
    (args.outdir / "index.json").write_text(json.dumps(index, indent=0))
    for k in range(0, len(sheets), args.batch):
        (args.outdir / f"batch_{k // args.batch:02d}.md").write_text("\n".join(sheets[k : k + args.batch]))
    print(f"{len(items)} pairs, {len(groups)} groups -> {(len(sheets) + args.batch - 1) // args.batch} batches")


if __name__ == "__main__":
    main()

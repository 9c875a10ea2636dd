"""Run the aligner over a PAN-format corpus and score it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from newstrace.align import AlignParams, align
from newstrace.align.semantic import Encoder
from newstrace.evaluation.pan import Case, PanScores, pan_scores, read_corpus
from newstrace.models import Passage


def detections(
    passages: list[Passage], *, tight_gap: int = 40, max_gap: int = 300, a_window: int = 600
) -> list[tuple[int, int, int, int]]:
    """PAN detections from passages.

    Neighbours in the suspicious text merge when their source spans lie close together, in any
    order (reordered sentences stay one detection). A wider gap merges only when the source has
    a gap of similar size (text edited on both sides), not when the suspicious text inserted
    something the source does not have (commentary between copied runs).
    """
    out: list[list[int]] = []
    for p in sorted(passages, key=lambda x: x.b_start):
        if out:
            b0, b1, a0, a1 = out[-1]
            b_gap = p.b_start - b1
            a_gap = p.a_start - a1
            near = p.a_start < a1 + a_window and p.a_end > a0 - a_window
            backwards = a_gap < 0 and b_gap <= max_gap // 2
            if near and (
                b_gap <= tight_gap or backwards or (b_gap <= max_gap and a_gap >= 0.5 * b_gap)
            ):
                out[-1] = [b0, max(b1, p.b_end), min(a0, p.a_start), max(a1, p.a_end)]
                continue
        out.append([p.b_start, p.b_end, p.a_start, p.a_end])
    return [(b0, b1, a0, a1) for b0, b1, a0, a1 in out]


def evaluate_pan(
    root: str | Path,
    *,
    encoder: Encoder | None = None,
    params: AlignParams | None = None,
    on_pair: Callable[[int, int], None] | None = None,
) -> dict[str, PanScores]:
    """Score the aligner on a PAN corpus: one entry per obfuscation kind, and ``all``."""
    root = Path(root)
    pairs, cases = read_corpus(root)
    dets: list[Case] = []
    kind_of: dict[tuple[str, str], str] = {}
    for i, pair in enumerate(pairs):
        kind_of[(pair.susp, pair.src)] = pair.kind
        susp = (root / "susp" / pair.susp).read_text("utf-8")
        src = (root / "src" / pair.src).read_text("utf-8")
        al = align(src, susp, params=params, encoder=encoder)
        for b0, b1, a0, a1 in detections(al.passages):
            dets.append(Case(pair.susp, b0, b1 - b0, pair.src, a0, a1 - a0))
        if on_pair:
            on_pair(i + 1, len(pairs))
    by_kind_s: dict[str, list[Case]] = defaultdict(list)
    by_kind_r: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        by_kind_s[kind_of.get((c.susp, c.src), c.obfuscation or "none")].append(c)
    for d in dets:
        by_kind_r[kind_of.get((d.susp, d.src), "none")].append(d)
    out = {
        k: pan_scores(by_kind_s.get(k, []), by_kind_r.get(k, []))
        for k in sorted(set(kind_of.values()))
    }
    out["all"] = pan_scores(cases, dets)
    return out

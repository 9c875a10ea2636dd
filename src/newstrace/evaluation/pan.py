"""PAN text-alignment measures (Potthast et al., "An Evaluation Framework for Plagiarism
Detection", COLING 2010) and the PAN corpus layout.

A case ``s`` and a detection ``r`` are character ranges in a suspicious document and a source
document. ``r`` detects ``s`` when they overlap in both. Then, over the whole corpus:

    prec = 1/|R| * sum_r |U_s (s ⊓ r)| / |r|          rec = 1/|S| * sum_s |U_r (s ⊓ r)| / |s|
    gran = 1/|S_R| * sum_{s in S_R} |R_s|             plagdet = F1(prec, rec) / log2(1 + gran)

where ``s ⊓ r`` is their overlap (characters of both documents) if ``r`` detects ``s``, else
empty; ``S_R`` the detected cases and ``R_s`` the detections of ``s``. With no detections,
precision is 1 if there is nothing to find and 0 otherwise (and likewise for recall).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Case:
    """A plagiarism case or a detection: a span of a suspicious and of a source document."""

    susp: str
    susp_offset: int
    susp_length: int
    src: str
    src_offset: int
    src_length: int
    obfuscation: str = ""

    @property
    def size(self) -> int:
        return self.susp_length + self.src_length


def _overlap(a0: int, al: int, b0: int, bl: int) -> tuple[int, int] | None:
    lo, hi = max(a0, b0), min(a0 + al, b0 + bl)
    return (lo, hi) if hi > lo else None


def _detects(r: Case, s: Case) -> bool:
    return (
        r.susp == s.susp
        and r.src == s.src
        and _overlap(r.susp_offset, r.susp_length, s.susp_offset, s.susp_length) is not None
        and _overlap(r.src_offset, r.src_length, s.src_offset, s.src_length) is not None
    )


def _covered(base: Case, others: list[Case]) -> int:
    """Characters of ``base`` (both sides) inside the union of its overlaps with ``others``."""
    total = 0
    for side in ("susp", "src"):
        off, ln = getattr(base, f"{side}_offset"), getattr(base, f"{side}_length")
        ivs = sorted(
            iv
            for o in others
            if (iv := _overlap(off, ln, getattr(o, f"{side}_offset"), getattr(o, f"{side}_length")))
        )
        end = -1
        for lo, hi in ivs:
            if hi <= end:
                continue
            total += hi - max(lo, end)
            end = hi
    return total


@dataclass(frozen=True, slots=True)
class PanScores:
    """Precision, recall, granularity and plagdet of a set of detections."""

    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "plagdet": round(self.plagdet, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "granularity": round(self.granularity, 4),
            "cases": self.cases,
            "detections": self.detections,
        }


def pan_scores(cases: Iterable[Case], detections: Iterable[Case]) -> PanScores:
    """The PAN measures of ``detections`` against the true ``cases``.

    >>> s = [Case("d", 0, 100, "x", 0, 100)]
    >>> pan_scores(s, [Case("d", 0, 100, "x", 0, 100)]).plagdet
    1.0
    >>> round(pan_scores(s, [Case("d", 0, 50, "x", 0, 50), Case("d", 50, 50, "x", 50, 50)]).plagdet, 3)
    0.631
    """
    S = list(cases)
    R = list(detections)
    by_pair_s: dict[tuple[str, str], list[Case]] = defaultdict(list)
    by_pair_r: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for s in S:
        by_pair_s[(s.susp, s.src)].append(s)
    for r in R:
        by_pair_r[(r.susp, r.src)].append(r)
    if R:
        prec_sum = 0.0
        for r in R:
            detected = [s for s in by_pair_s.get((r.susp, r.src), []) if _detects(r, s)]
            prec_sum += _covered(r, detected) / max(1, r.size)
        precision = prec_sum / len(R)
    else:
        precision = 1.0 if not S else 0.0
    if S:
        rec_sum = 0.0
        grans: list[int] = []
        for s in S:
            dets = [r for r in by_pair_r.get((s.susp, s.src), []) if _detects(r, s)]
            rec_sum += _covered(s, dets) / max(1, s.size)
            if dets:
                grans.append(len(dets))
        recall = rec_sum / len(S)
        granularity = sum(grans) / len(grans) if grans else 1.0
    else:
        recall, granularity = 1.0, 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    plagdet = f1 / math.log2(1 + granularity)
    return PanScores(precision, recall, granularity, plagdet, len(S), len(R))


# -- the corpus layout ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PanPair:
    susp: str
    src: str
    kind: str


def read_corpus(root: str | Path) -> tuple[list[PanPair], list[Case]]:
    """Pairs and true cases of a PAN-format corpus.

    Layout: ``susp/*.txt``, ``src/*.txt``, a ``pairs`` file (``SUSP SRC`` per line) and truth
    XML files (``<document reference=SUSP><feature name="plagiarism" this_offset=…
    this_length=… source_reference=SRC source_offset=… source_length=… obfuscation=…/>``)
    under ``truth/KIND/`` (or beside ``pairs``, the kind then coming from ``obfuscation``).
    """
    root = Path(root)
    pairs_file = root / "pairs"
    if not pairs_file.is_file():
        raise FileNotFoundError(f"{root} has no 'pairs' file; is it a PAN-format corpus?")
    truth: dict[tuple[str, str], str] = {}
    cases: list[Case] = []
    for xml in sorted(root.rglob("*.xml")):
        if xml.parent.name in ("susp", "src"):
            continue
        tree = ET.parse(xml).getroot()
        susp = tree.get("reference") or ""
        kind = xml.parent.name if xml.parent != root else ""
        src_name = ""
        for f in tree.findall("feature"):
            if f.get("name") != "plagiarism":
                continue
            src_name = f.get("source_reference") or ""
            obf = f.get("obfuscation") or kind
            cases.append(
                Case(
                    susp,
                    int(f.get("this_offset", 0)),
                    int(f.get("this_length", 0)),
                    src_name,
                    int(f.get("source_offset", 0)),
                    int(f.get("source_length", 0)),
                    obf,
                )
            )
            kind = kind or obf
        if not src_name:
            stem = xml.stem
            if "-source-" in stem:
                src_name = "source-" + stem.split("-source-", 1)[1] + ".txt"
        truth[(susp, src_name)] = kind or "none"
    pairs: list[PanPair] = []
    for line in pairs_file.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            pairs.append(PanPair(parts[0], parts[1], truth.get((parts[0], parts[1]), "none")))
    return pairs, cases


def write_truth(path: Path, susp: str, src: str, cases: list[Case]) -> None:
    """Write one pair's truth XML (PAN 2013 style)."""
    doc = ET.Element("document", reference=susp)
    for c in cases:
        ET.SubElement(doc, "feature", {
            "name": "plagiarism", "obfuscation": c.obfuscation, "this_offset": str(c.susp_offset),
            "this_length": str(c.susp_length), "source_reference": src,
            "source_offset": str(c.src_offset), "source_length": str(c.src_length),
        })  # fmt: skip
    ET.indent(doc)
    path.write_text(ET.tostring(doc, encoding="unicode") + "\n", "utf-8")

"""Sentence-alignment precision/recall/F1 against segment-aligned gold (newstrace.evaluation.alignment),
worked by hand on small constructed cases."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.evaluation.alignment import (
    AlignmentScores,
    Unit,
    document_units,
    gold_links,
    linked_units,
    unit_layouts,
)


def _units(keys: list[tuple[str, str, str] | None], size: int = 10) -> list[Unit]:
    """Units of ``size`` characters, one character apart."""
    return [Unit(k * (size + 1), k * (size + 1) + size, key) for k, key in enumerate(keys)]


def test_precision_recall_f1_by_hand() -> None:
    # A: segments 1, 2, 3 of document d, then a paragraph of another article.
    a = _units([("seg", "d", "1"), ("seg", "d", "2"), ("seg", "d", "3"), ("other", "A", "3")])
    # B: segments 1, 2, 3, 4 of d (its 4 has no counterpart in A), and a unit not scored.
    b = _units([("seg", "d", "1"), ("seg", "d", "2"), ("seg", "d", "3"), ("seg", "d", "4"), None])
    assert gold_links(a, b) == {(0, 0), (1, 1), (2, 2)}
    links = [
        (0, 10, 0, 10),  # A1 = B1: right
        (11, 15, 11, 21),  # A2's first 4 of 10 characters with B2 ...
        (15, 21, 11, 21),  # ... and its other 6 (two sentences of newstrace's): together right
        (33, 43, 33, 43),  # A's other article with B4: wrong
        (22, 32, 44, 54),  # A3 with a unit not scored: counts on neither side
        (22, 24, 22, 32),  # 2 of A3's 10 characters with B3: not most of A3, so not linked
    ]
    got = linked_units(a, b, links)
    assert got == {(0, 0), (1, 1), (3, 3)}
    s = AlignmentScores()
    s.add(a, b, links)
    # gold 3, linked 3, right 2: P 2/3, R 2/3, F1 2/3.
    assert (s.pairs, s.gold, s.linked, s.correct) == (1, 3, 3, 2)
    assert s.precision == pytest.approx(0.6667) and s.recall == pytest.approx(0.6667)
    assert s.f1 == pytest.approx(0.6667, abs=1e-4)


def test_a_bead_of_two_sentences_links_both() -> None:
    """A bead of two sentences of A and one of B (a translator's join) links each of A's two
    with B's one: right where the gold says B's sentence translates both, and here it does not
    (B's second segment translates A's second)."""
    a = _units([("seg", "d", "1"), ("seg", "d", "2")])
    b = [Unit(0, 30, ("seg", "d", "1")), Unit(31, 40, ("seg", "d", "2"))]
    assert linked_units(a, b, [(0, 21, 0, 30)]) == {(0, 0), (1, 0)}
    s = AlignmentScores()
    s.add(a, b, [(0, 21, 0, 30)])
    assert (s.gold, s.linked, s.correct) == (2, 2, 1)  # (A2, B1) is a wrong link, (A2, B2) missed
    assert s.f1 == 0.5


def test_pairs_not_verified_and_pairs_without_segments() -> None:
    a = _units([("seg", "d", "1")])
    s = AlignmentScores()
    s.add(a, _units([("seg", "d", "1")]), None)  # newstrace never compared the pair
    s.add(a, _units([("seg", "e", "1")]), [(0, 10, 0, 10)])  # no segment in common
    assert (s.pairs, s.unverified, s.unscorable, s.gold) == (0, 1, 1, 0)
    assert s.precision is None and s.recall is None and s.f1 is None
    other = AlignmentScores()
    other.add(a, _units([("seg", "d", "1")]), [(0, 10, 0, 10)])
    s.merge(other)
    assert s.to_dict()["f1"] == 1.0 and s.to_dict()["unverified"] == 1


def _doc(id_: str, role: str, pieces: list[dict[str, Any]], variant: str = "full", note: str = "") -> dict[str, Any]:
    return {"id": id_, "role": role, "variant": variant, "pieces": pieces, "note": note}


def _piece(
    docid: str, segments: str, paragraphs: str = "one per segment", set_: str = "wmttest2022.en-xx"
) -> dict[str, Any]:
    return {"set": set_, "docid": docid, "paragraphs": paragraphs, "segments": segments}


def test_units_of_each_layout() -> None:
    """Units from documents.jsonl as the set's builder lays texts out."""
    texts = {
        "orig": "S1\n\nS2\n\nS3\n\nS4",
        "half": "T1\n\nT2",
        "comm": "T1\n\nAdded one. Added two.\n\nT2\n\nT3\n\nT4",
        "exc": "H1\n\nH2\n\nT2\n\nT3\n\nH3",
        # Paragraphs of several segments (newstest2021 de-fr): 2 + 1 + 2 segments.
        "grp": "A. B.\n\nC.\n\nD. E.",
        "grp-cut": "a b.\n\nc.\n\nd.",
    }
    docs = [
        _doc("orig", "original", [_piece("x.1", "1-4")]),
        _doc("half", "translation", [_piece("x.1", "1-2")], "first-half"),
        _doc("comm", "translation", [_piece("x.1", "1-4"), _piece("y.2", "5-6")], "commentary",
             "whole translation with 2 sentence(s) of y added after the first paragraph"),
        _doc("exc", "translation", [_piece("h.3", "1-3"), _piece("x.1", "2-3")], "excerpt",
             "2 segment(s) of the translation (2-3) set inside h, after its paragraph 2"),
        _doc("grp", "original", [_piece("g.4", "1-5", "marked", "newstest2021.de-fr")]),
        _doc("grp-cut", "translation", [_piece("g.4", "1-4", "marked", "newstest2021.de-fr")], "first-half"),
    ]  # fmt: skip
    wholes = unit_layouts(docs, texts)
    units = {d["id"]: document_units(d, texts[d["id"]], wholes) for d in docs}
    keys = {k: [u.key for u in v] for k, v in units.items() if v is not None}
    assert keys["orig"] == [("seg", "wmttest2022.en-xx/x.1", s) for s in "1234"]
    assert keys["half"] == keys["orig"][:2]
    assert keys["comm"] == [keys["orig"][0], ("other", "comm", "1"), *keys["orig"][1:]]
    assert keys["exc"] == [("other", "exc", "0"), ("other", "exc", "1"), *keys["orig"][1:3], ("other", "exc", "4")]
    assert [texts["comm"][u.start : u.end] for u in units["comm"] or []][1] == "Added one. Added two."
    g = "newstest2021.de-fr/g.4"
    assert keys["grp"] == [("para", g, "0"), ("para", g, "1"), ("para", g, "2")]
    # The cut translation's last paragraph may hold only some of its segments: not scored.
    assert keys["grp-cut"] == [("para", g, "0"), ("para", g, "1"), None]
    assert len(gold_links(units["orig"] or [], units["exc"] or [])) == 2
    assert gold_links(units["grp"] or [], units["grp-cut"] or []) == {(0, 0), (1, 1)}


ML = Path(__file__).resolve().parents[2] / "eval" / "multilingual"
SAMPLE = ("wmtml/0196", "wmtml/0104", "wmtml/0203", "wmtml/0208", "wmtml/0197")
"""Family F001 (odd: held out): the English original, its German translation, its Spanish first
half; family F002 (even: calibration): the English original and its German translation."""


def _sample_set(root: Path) -> Path:
    """A copy of the multilingual set cut down to :data:`SAMPLE`."""
    (root / "data").mkdir(parents=True)
    (root / "labels").mkdir()
    (root / "corpora.toml").write_text((ML / "corpora.toml").read_text("utf-8"), "utf-8")
    with gzip.open(ML / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [r for r in fh if json.loads(r)["id"] in SAMPLE]
    with gzip.open(root / "data" / "wmt-multilingual.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(rows)
    for name in ("pairs.jsonl", "documents.jsonl"):
        lines = (ML / "labels" / name).read_text("utf-8").splitlines()
        keep = [x for x in lines if all(v in SAMPLE for v in _ids(json.loads(x)))]
        (root / "labels" / name).write_text("\n".join(keep) + "\n", "utf-8")
    return root


def _ids(rec: dict[str, Any]) -> list[str]:
    return [rec["a"], rec["b"]] if "a" in rec else [rec["id"]]


@pytest.mark.semantic
def test_eval_real_prints_sentence_alignment(tmp_path: Path) -> None:
    """``eval real --semantic`` on a set whose labels carry segments prints the sentence
    alignment (and ``--json`` holds it); ``--split heldout`` scores only the odd families and
    says so; a set without segments prints no such line."""
    from click.testing import CliRunner

    from newstrace.cli import main

    root = _sample_set(tmp_path / "set")
    runner = CliRunner()
    args = ["eval", "real", str(root), "--semantic", "--work", str(tmp_path / "work")]
    r = runner.invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if "sentence alignment P/R/F1" in line)
    p, rec, f1 = (float(x) for x in row.split("│")[2].strip().split("/"))
    assert p >= 0.9 and rec >= 0.9 and f1 >= 0.9, row
    assert "pairs scored (not verified)" in r.output and "Sentence alignment: gold links" in r.output
    r = runner.invoke(main, [*args, "--json", "--split", "heldout"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    wmt = json.loads(r.output)[0]
    assert wmt["split"] == "heldout" and wmt["labelled_pairs"] == 3  # F001's pairs only
    al = wmt["sentence_alignment"]
    assert al["pairs"] == 3 and al["f1"] >= 0.9 and al["gold_links"] == 5 + 3 + 3  # en-de whole, en-es and de-es half
    r = runner.invoke(main, [*args, "--split", "heldout"], catch_exceptions=False)
    assert "Scored: held-out half: the odd-numbered families" in " ".join(r.output.split())
    # Without documents.jsonl: no segments, no sentence alignment, and no halves to score.
    (root / "labels" / "documents.jsonl").unlink()
    r = runner.invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 0 and "sentence alignment" not in r.output
    r = runner.invoke(main, [*args, "--split", "heldout"])
    assert r.exit_code != 0 and "names no numbered families" in r.output

"""PAN measures on hand-computed examples, and the generated corpus' quality floor."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from newstrace.evaluation.generate import generate
from newstrace.evaluation.pan import Case, pan_scores, read_corpus
from newstrace.evaluation.run import evaluate_pan

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz"
MSRP = ROOT.parent / "shared" / "data" / "msrp" / "msr_paraphrase_train.txt"


def test_measures_by_hand() -> None:
    s = [Case("d", 0, 100, "x", 0, 100)]
    half = [Case("d", 0, 50, "x", 0, 50)]
    sc = pan_scores(s, half)
    assert sc.precision == 1.0 and sc.recall == 0.5 and sc.granularity == 1.0
    assert math.isclose(sc.plagdet, 2 / 3)
    # A detection that overlaps only in the suspicious document detects nothing.
    miss = pan_scores(s, [Case("d", 0, 100, "x", 500, 100)])
    assert miss.recall == 0.0 and miss.precision == 0.0
    # Two detections of one case: granularity 2.
    two = pan_scores(s, [Case("d", 0, 50, "x", 0, 50), Case("d", 50, 50, "x", 50, 50)])
    assert two.granularity == 2.0 and two.recall == 1.0
    assert math.isclose(two.plagdet, 1 / math.log2(3))
    # Detections on a pair with no case only cost precision.
    fp = pan_scores(s, [Case("d", 0, 100, "x", 0, 100), Case("e", 0, 10, "y", 0, 10)])
    assert fp.precision == 0.5 and fp.recall == 1.0
    assert pan_scores([], []).plagdet == 1.0


def test_generated_corpus_layout_and_quality_floor(tmp_path: Path) -> None:
    counts = generate(tmp_path, CORPUS, msrp=MSRP if MSRP.is_file() else None, per_kind=6, seed=7)
    assert counts["none"] == 6 and counts["negative"] == 6
    pairs, cases = read_corpus(tmp_path)
    assert len(pairs) == sum(counts.values())
    for c in cases:
        susp = (tmp_path / "susp" / c.susp).read_text()
        src = (tmp_path / "src" / c.src).read_text()
        assert 0 <= c.susp_offset < c.susp_offset + c.susp_length <= len(susp)
        assert 0 <= c.src_offset < c.src_offset + c.src_length <= len(src)
        if c.obfuscation in ("none", "excerpt"):
            assert (
                susp[c.susp_offset : c.susp_offset + c.susp_length]
                == src[c.src_offset : c.src_offset + c.src_length]
            )
    scores = evaluate_pan(tmp_path)
    # The floor pinned under the figures README quotes (lexical layer, no embeddings).
    assert scores["none"].plagdet >= 0.95
    assert scores["reword"].plagdet >= 0.8
    assert scores["all"].plagdet >= 0.85


@pytest.mark.parametrize("bad", ["", "no pairs file"])
def test_read_corpus_needs_pairs(tmp_path: Path, bad: str) -> None:
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path)

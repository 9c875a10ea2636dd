"""PAN measures on hand-computed examples, and the generated corpus' quality floor."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from newstrace.errors import InputError
from newstrace.evaluation.generate import generate
from newstrace.evaluation.pan import Case, pan_scores, read_corpus, write_truth
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


@pytest.mark.parametrize("bad", ["empty folder", "no pairs file", "pairs is a folder"])
def test_read_corpus_needs_pairs(tmp_path: Path, bad: str) -> None:
    """A folder without a ``pairs`` file is no PAN corpus, whatever else it holds."""
    if bad != "empty folder":  # a whole corpus but for its pairs file
        for sub in ("susp", "src", "truth/none"):
            (tmp_path / sub).mkdir(parents=True)
        (tmp_path / "susp" / "suspicious-document00001.txt").write_text("Copied text.")
        (tmp_path / "src" / "source-document00001.txt").write_text("Copied text.")
        write_truth(
            tmp_path / "truth" / "none" / "suspicious-document00001-source-document00001.xml",
            "suspicious-document00001.txt", "source-document00001.txt",
            [Case("suspicious-document00001.txt", 0, 12, "source-document00001.txt", 0, 12, "none")],
        )  # fmt: skip
    if bad == "pairs is a folder":
        (tmp_path / "pairs").mkdir()
    assert (sorted(p.name for p in tmp_path.iterdir()) == []) is (bad == "empty folder")
    with pytest.raises(FileNotFoundError, match="has no 'pairs' file"):
        read_corpus(tmp_path)
    # The same folder with its pairs file is a corpus: what was missing was the pairs file.
    if bad == "no pairs file":
        (tmp_path / "pairs").write_text("suspicious-document00001.txt source-document00001.txt\n")
        pairs, cases = read_corpus(tmp_path)
        assert len(pairs) == 1 and len(cases) == 1


def _generate_cli(*args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from newstrace.cli import main

    r = CliRunner().invoke(main, ["eval", "generate", *args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_generate_without_msrp_says_the_paraphrase_kind_is_left_out(tmp_path: Path) -> None:
    code, out, err = _generate_cli(str(tmp_path / "pan"), "--corpus", str(CORPUS), "--per-kind", "2")
    assert code == 0 and "Wrote" in out
    assert "warning: the msrp kind (paraphrases spliced in) is left out" in err and "--msrp" in err
    meta = json.loads((tmp_path / "pan" / "metadata.json").read_text())
    assert "msrp" not in meta["pairs"] and set(meta["left_out"]) == {"msrp"} and meta["msrp"] is None
    assert "The msrp kind is left out: no MSRP file was given" in (tmp_path / "pan" / "README.md").read_text()
    assert not (tmp_path / "pan" / "truth" / "msrp").exists()


@pytest.mark.skipif(not MSRP.is_file(), reason="needs MSRP's training file in ../shared/data/msrp")
def test_generate_with_msrp_has_the_paraphrase_kind_and_no_warning(tmp_path: Path) -> None:
    code, _, err = _generate_cli(
        str(tmp_path / "pan"), "--corpus", str(CORPUS), "--per-kind", "2", "--msrp", str(MSRP)
    )
    assert code == 0 and "warning" not in err
    meta = json.loads((tmp_path / "pan" / "metadata.json").read_text())
    assert meta["pairs"]["msrp"] == 2 and meta["left_out"] == {} and meta["msrp"] == MSRP.name
    assert "left out" not in (tmp_path / "pan" / "README.md").read_text()


def test_generate_with_a_missing_msrp_file_fails(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such MSRP file"):
        generate(tmp_path / "pan", CORPUS, msrp=tmp_path / "absent.txt", per_kind=2)
    (tmp_path / "empty.txt").write_text("Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n")
    with pytest.raises(InputError, match="no paraphrase pair"):
        generate(tmp_path / "pan", CORPUS, msrp=tmp_path / "empty.txt", per_kind=2)
    code, _, err = _generate_cli(str(tmp_path / "pan"), "--msrp", str(tmp_path / "absent.txt"))
    assert code == 2 and "does not exist" in err


# -- the README's corpus (``newstrace eval generate out/pan --msrp …``: 30 per kind, seed 13) -------


@pytest.fixture(scope="module")
def readme_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus the README's PAN table is measured on: 231 pairs (2 s to generate)."""
    if not MSRP.is_file():
        pytest.skip(f"the MSRP paraphrase corpus is missing ({MSRP}): the README's PAN figures are measured with it")
    root = tmp_path_factory.mktemp("pan-readme")
    counts = generate(root, CORPUS, msrp=MSRP, per_kind=30, seed=13)
    assert sum(counts.values()) == 231 and counts["negative-related"] == 21
    return root


def test_readme_pan_figures_lexical(readme_corpus: Path) -> None:
    """README, Text alignment, lexical column: none 0.999, excerpt 0.984, reorder 0.997, reword
    0.964, commentary 0.988, MSRP 0.864, all 0.964; no detection on the 30 unrelated pairs and
    7 on the 21 independent articles about one story (about 7 s)."""
    s = evaluate_pan(readme_corpus)
    print("\nPAN lexical:", {k: (round(v.plagdet, 4), v.detections) for k, v in s.items()})
    floors = {"none": 0.98, "excerpt": 0.96, "reorder": 0.97, "reword": 0.94, "commentary": 0.96,
              "msrp": 0.84, "all": 0.94}  # fmt: skip
    for kind, floor in floors.items():
        assert s[kind].plagdet >= floor, (kind, s[kind].plagdet)
    assert s["negative"].detections == 0
    assert s["negative-related"].detections <= 8


@pytest.mark.semantic
def test_readme_pan_figures_semantic_where_the_layer_matters(readme_corpus: Path, tmp_path: Path) -> None:
    """README, Text alignment, semantic column, on the kinds where the layer changes anything:
    the MSRP paraphrases (plagdet 0.867, recall 0.866 where the lexical layer has 0.829) and the
    negative related pairs (8 detections). The other kinds give the lexical figures with the
    layer on; the whole semantic run (70 s) is left to ``make eval``."""
    from newstrace.align.semantic import load_encoder

    pairs, _ = read_corpus(readme_corpus)
    kinds = ("msrp", "negative-related")
    for sub in ("susp", "src"):
        (tmp_path / sub).symlink_to(readme_corpus / sub, target_is_directory=True)
    for kind in kinds:  # copied: the truth is found by a walk that does not follow links
        shutil.copytree(readme_corpus / "truth" / kind, tmp_path / "truth" / kind)
    (tmp_path / "pairs").write_text("".join(f"{p.susp} {p.src}\n" for p in pairs if p.kind in kinds))
    encoder = load_encoder()
    assert encoder is not None
    s = evaluate_pan(tmp_path, encoder=encoder)
    print("\nPAN semantic:", {k: (round(v.plagdet, 4), round(v.recall, 4), v.detections) for k, v in s.items()})
    assert s["msrp"].plagdet >= 0.85 and s["msrp"].recall >= 0.85
    assert s["negative-related"].detections <= 9

"""The real-news gate: newstrace measured on pairs labelled by reading (eval/real), with floors.

The floors are the figures measured when they were set, less a margin for noise: a change that
makes newstrace worse on real news fails here. (Reuters-21578 is not in the repository: its
floors and the "all" column's are held where ``make eval`` would find the data, and skipped,
saying what is missing, elsewhere.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newstrace.evaluation.real import (
    RealScores,
    evaluate_real,
    load_manifest,
    load_pairs,
    score_corpus,
)
from newstrace.models import Document
from newstrace.store import Store

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "eval" / "real"
MULTILINGUAL = ROOT / "eval" / "multilingual"
UNSEEN = ROOT / "eval" / "unseen"
# Where ``make eval`` reads Reuters-21578 from (research use only, not in the repository).
REUTERS_DATA = ROOT.parent / "shared" / "data" / "reuters-21578"


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("real")
    results = evaluate_real(REAL, workdir=work, corpora=["seeds", "buzzfeed", "fakenews"])
    return {r.corpus: r for r in results}


def _reuters(tmp_path_factory: pytest.TempPathFactory, name: str, files: str) -> RealScores:
    """Reuters-21578 files ``files`` (the manifest's corpus ``name``) measured as ``make eval``
    does: the built file the manifest names if it is there, else built from the raw data into a
    temporary folder."""
    spec = next(c for c in load_manifest(REAL / "corpora.toml") if c.name == name)
    work = tmp_path_factory.mktemp(name)
    corpus = spec.path
    if not corpus.exists():
        if not REUTERS_DATA.is_dir():
            pytest.skip(
                f"Reuters-21578 is missing: neither {spec.path} nor the raw data {REUTERS_DATA} "
                f"is here; `make eval` builds the first from the second (files {files})"
            )
        corpus = work / spec.path.name
        tool = REAL / "tools" / "build_reuters.py"
        subprocess.run([sys.executable, str(tool), str(REUTERS_DATA), str(corpus), "--files", files],
                       check=True, capture_output=True)  # fmt: skip
    # The labelled set, with its manifest naming only this corpus where it lies.
    root = work / "set"
    root.mkdir()
    (root / "labels").symlink_to(REAL / "labels", target_is_directory=True)
    (root / "corpora.toml").write_text(f'[[corpus]]\nname = "{name}"\npath = {json.dumps(str(corpus))}\n')
    results = evaluate_real(root, workdir=work / "work", corpora=[name])
    assert [r.corpus for r in results] == [name, "all"]
    return results[0]


def _slice(name: str, files: str, doc: str) -> Any:
    """A module fixture measuring the manifest's Reuters corpus ``name`` (files ``files``)."""

    @pytest.fixture(scope="module", name=name.replace("-", "_"))
    def measured(tmp_path_factory: pytest.TempPathFactory) -> RealScores:
        return _reuters(tmp_path_factory, name, files)

    measured.__doc__ = doc
    return measured


# Each slice's story: files 008-009 held out until 010-011 were labelled (round h5), 010-011
# until 012-013 (h6), 012-013 until 014-015 (h7); 014-015 measured held out once (h7), then read
# for rules; 016-017 held out until 018-019 were labelled (h9), then read; 018-019 held out until
# 020-021 were labelled (h10), then read; 020-021 labelled last (h10), no threshold set on them.
reuters = _slice("reuters", "0-1", "Reuters-21578 files 000-001.")
reuters_heldout = _slice("reuters-heldout", "8-9", "Reuters-21578 files 008-009 (held out until h5).")
reuters_10 = _slice("reuters-10", "10-11", "Reuters-21578 files 010-011 (held out until h6).")
reuters_12 = _slice("reuters-12", "12-13", "Reuters-21578 files 012-013 (held out until h7).")
reuters_14 = _slice("reuters-14", "14-15", "Reuters-21578 files 014-015 (held out once, h7).")
reuters_16 = _slice("reuters-16", "16-17", "Reuters-21578 files 016-017 (held out until h9).")
reuters_18 = _slice("reuters-18", "18-19", "Reuters-21578 files 018-019 (held out until h10).")
reuters_20 = _slice("reuters-20", "20-21", "Reuters-21578 files 020-021 (held out, h10).")


@pytest.fixture(scope="module")
def reuters_slices(tmp_path_factory: pytest.TempPathFactory) -> list[RealScores]:
    """Reuters-21578 files 002-003, 004-005 and 006-007."""
    return [_reuters(tmp_path_factory, f"reuters-{k}", f"{k}-{k + 1}") for k in (2, 4, 6)]


def test_labelled_set_is_what_its_readme_says() -> None:
    pairs = load_pairs(REAL)
    read = [json.loads(x) for x in (REAL / "labels" / "pairs.jsonl").read_text().splitlines()]
    assert len(read) >= 2_400 and len(pairs) >= 15_000
    assert {p["corpus"] for p in pairs} >= {"buzzfeed", "fakenews", "reuters", "seeds"}
    assert {p["category"] for p in pairs} == {"copy", "excerpt", "quote", "boilerplate", "none"}
    assert all(p["direction"] in ("a>b", "b>a", "common", "unknown") for p in pairs)


def test_second_reading_is_of_labelled_pairs_and_its_agreement_is_what_the_readme_says() -> None:
    """eval/real/README.md, "A second reading": 60 pairs read again blind (round a1), 30 where
    newstrace's verdict was the first label's and 30 where it was not; then 320 drawn at random
    within three strata that hold every labelled pair (round a2)."""
    first = {p["key"]: p for p in map(json.loads, (REAL / "labels" / "pairs.jsonl").read_text().splitlines())}
    audit = [json.loads(x) for x in (REAL / "labels" / "audit.jsonl").read_text().splitlines()]
    a1 = [r for r in audit if r["round"] == "a1"]
    a2 = [r for r in audit if r["round"] == "a2"]
    assert len(a1) == 60 and len({r["key"] for r in a1}) == 60
    assert len(a2) == 320 and len({r["key"] for r in a2}) == 320 and len(a1) + len(a2) == len(audit)
    for r in audit:
        p = first[r["key"]]
        assert (p["corpus"], p["a"], p["b"]) == (r["corpus"], r["a"], r["b"])
        assert r["category"] in {"copy", "excerpt", "quote", "boilerplate", "none"}
    for r in a1:
        assert r["stratum"] in {"agree", "disagree"}
        # never a slice that was held out when the second reading was made, nor one held out since
        assert r["corpus"] not in ("reuters-10", "reuters-12", "reuters-14", "reuters-16", "reuters-18", "reuters-20")
    population = {"first-reuse": 2312, "first-other-related": 2930, "first-other-unproposed": 10544}
    for r in a2:
        # each stratum is what its name says of the first label
        assert population[r["stratum"]] == r["population"]
        assert (first[r["key"]]["category"] in ("copy", "excerpt")) == (r["stratum"] == "first-reuse")
        if r["stratum"] != "first-reuse":
            assert (r["newstrace"] == "not proposed") == (r["stratum"] == "first-other-unproposed")
    out = subprocess.run([sys.executable, str(REAL / "tools" / "agreement.py")], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert "agree      30 pairs: same category 0.933 (kappa 0.901); reuse or not 0.967 (kappa 0.933)" in out
    assert "sides with the first label on 23, with newstrace on 7" in out
    assert "second reader against the first labels   precision 0.860 (0.776-0.932), recall 0.956 (0.911-0.989)" in out
    assert "newstrace against the second reader      precision 0.976 (0.939-1.000), recall 0.809 (0.716-0.896)" in out


def test_real_news_floors(scores: dict) -> None:  # type: ignore[type-arg]
    bf, fn, seeds = scores["buzzfeed"], scores["fakenews"], scores["seeds"]
    print(f"\nreal news (buzzfeed): precision {bf.precision} recall {bf.recall} direction "
          f"{bf.direction_accuracy} ARI {bf.ari}; fakenews reported {fn.reported_labelled}")  # fmt: skip
    assert bf.precision >= 0.94 and bf.recall >= 0.68
    # ARI 0.796 (0.781 before a story's spread was no formula; 0.738 before a round-up had to
    # excerpt three stories or more). Direction 0.771 of 109: 3 given wrong, 22 undirected
    # (0.697 and 28 undirected before a third party's credited passage and a headline given as
    # a reference were read; 0.648, 17 wrong and 21 undirected before third-party quotations,
    # credits both give and one outlet's own background were read as they are now).
    assert bf.direction_accuracy >= 0.76 and bf.direction_wrong <= 4 and bf.direction_undirected <= 23
    assert bf.ari >= 0.76
    assert fn.true_positives == 0 and fn.reported_labelled <= 3  # no reuse in that sample: a bio, a template, a widget
    assert bf.reported_unlabelled <= 10  # what newstrace reports was labelled by reading
    # The seed pair: found, right way round, its Deep State drift the one flag raised.
    assert seeds.true_positives == 1 and seeds.direction_right == 1
    assert seeds.flags["attribution_drift"] == {"right": 1, "wrong": 0, "unlabelled": 0}
    # A flag is an accusation: none of those read on real news was right, and none is raised now.
    for s in (bf, fn):
        assert sum(f.get("wrong", 0) + f.get("unlabelled", 0) for f in s.flags.values()) == 0


def _holds(r: RealScores, labelled: int, reuse: int, precision: float, recall: float, ari: float,
           direction: float) -> None:
    """The floors every Reuters slice is held to (its own floors given), its figures printed."""
    print(f"\nreal news ({r.corpus}): precision {r.precision} recall {r.recall} direction "
          f"{r.direction_accuracy} ({r.direction_total}) ARI {r.ari}")  # fmt: skip
    assert r.labelled_pairs == labelled and r.gold_reuse == reuse
    assert r.precision is not None and r.precision >= precision
    assert r.recall is not None and r.recall >= recall
    assert r.ari is not None and r.ari >= ari
    assert r.direction_accuracy is not None and r.direction_accuracy >= direction


def _quiet(r: RealScores) -> None:
    """Every pair newstrace reports on the slice is labelled, and it raises no flag there."""
    assert r.reported_unlabelled == 0
    assert sum(sum(f.values()) for f in r.flags.values()) == 0


def test_reuters_floors(reuters: RealScores) -> None:
    """README, Quality: Reuters 000-001 (710 labelled pairs, 182 reuse): precision 0.964, recall
    0.896, direction 1.000 (163), ARI 0.906, no flag raised (653 labelled pairs and 127 reuse,
    0.964 / 0.850 / 0.884 of the same version, before round s9 labelled the 57 pairs of a
    headline flash newstrace reports since flashes are stored; 0.964 / 0.835 / 0.893 before
    they were; 0.963 / 0.824 / 0.887 of 125 before
    a table's figures another table gives again counted and round s8 labelled the two pairs
    newstrace then reported; 0.972 and ARI 0.891 before a
    story's spread was no formula: two Bank of England reports of one day whose figures differ
    in two places are reported, a template that rule no longer hides). (Recall was 0.805 of 123 before
    short items whose titles share rare words were candidates; 0.855 of 117 before the six
    reuse pairs only ``--semantic`` finds were read and labelled: a results table re-sent as
    operating figures, reworded versions of one item; 0.813 before reworded sentences needed
    20 copied words beside them in a longer story.)"""
    r = reuters
    _holds(r, 710, 182, precision=0.96, recall=0.87, ari=0.88, direction=0.98)
    assert r.direction_total >= 100
    _quiet(r)


@pytest.mark.slow
def test_reuters_2_4_6_floors(reuters_slices: list[RealScores]) -> None:
    """README, Quality: Reuters 002-003 (1,573 labelled pairs, 180 reuse) precision 0.955, recall
    0.933, ARI 0.896; 004-005 (1,571, 244) 0.969, 0.889, ARI 0.891; 006-007 (1,663, 166) 0.937,
    0.898, ARI 0.860, with the pairs of a headline flash (stored since this version) that round
    s9 labelled (before it, by this version: 0.971 / 0.895 / 0.862, 0.958 / 0.836 / 0.854,
    0.889 / 0.825 / 0.824; before flashes were stored 002-003 gave precision 0.970, recall
    0.842, ARI 0.933 (0.969 / 0.833 / 0.928 before a table's figures another table gives again
    counted: a year's results table and the fourth quarter's, which gives its figures again);
    004-005 (1,491, 165) 0.957, 0.818, ARI 0.860; 006-007 (1,592, 97) 0.881,
    0.763, ARI 0.822 (round s7 added 5 pairs of a results table and the story retelling it,
    reported since a story's retelling of most of a table's figures counts; 0.964 / 0.861 and
    0.892 / 0.826 before a story's spread was no formula: a template each, two oil companies'
    postings and two issuers' bonds, that rule no longer hides; 0.958 / 0.821 / 0.917, 0.970 /
    0.790 / 0.848 and 0.872 / 0.708 / 0.784 before notices sent twice, spelling variants, copied
    passages with other figures and figures read whole). Each measured once before any rule was
    set on it (0.926 / 0.786, 0.844 / 0.765, 0.840 / 0.663), then used to set later versions'
    rules)."""
    floors = ((1_573, 180, 0.94, 0.90, 0.87), (1_571, 244, 0.95, 0.86, 0.86), (1_663, 166, 0.90, 0.87, 0.82))
    for r, (n, reuse, precision, recall, ari) in zip(reuters_slices, floors, strict=True):
        _holds(r, n, reuse, precision=precision, recall=recall, ari=ari, direction=0.98)
        assert r.reported_unlabelled == 0
        assert sum(f.get("wrong", 0) + f.get("unlabelled", 0) for f in r.flags.values()) == 0


@pytest.mark.slow
def test_reuters_heldout_floors(reuters_heldout: RealScores) -> None:
    """README, Quality: Reuters 008-009 (1,463 labelled pairs, 149 reuse), held out until files
    010-011 were labelled, development data since: 1,536 labelled pairs, 220 reuse with the
    flash pairs of round s9, precision 0.975, recall 0.896, direction 0.985 (197), ARI 0.928
    (0.969 / 0.846 / 0.902 before round s9, by this version; 0.969 / 0.832 / 0.905 before
    headline flashes were stored; 0.969 / 0.826 / 0.901 before a label reworded between two tables
    kept their figures the pair's own; 0.961 / 0.826 / 0.898 before two items each about a subject the
    other never mentions were told apart; 0.960 / 0.812 / 0.890 before notices sent twice; 0.944 / 0.792 /
    0.873 before title candidates and stock phrases; 0.929 / 0.785 / 0.863 before the title and
    one-outlet rules; 0.944 / 0.785 / 0.869 before figures written another way were read as the
    same figures, a rule two of its pairs were read for)."""
    r = reuters_heldout
    _holds(r, 1_536, 220, precision=0.95, recall=0.87, ari=0.90, direction=0.95)
    assert r.reported_unlabelled <= 3
    assert sum(f.get("wrong", 0) for f in r.flags.values()) == 0


@pytest.mark.slow
def test_reuters_10_floors(reuters_10: RealScores) -> None:
    """README, Quality: Reuters 010-011 (round h5: 1,241 labelled pairs, 152 reuse; round s4
    added 4 it reported under title candidates, round s7 2 of a table and the story retelling it:
    1,247, 156), held out until files 012-013 were labelled, development data since (a story's
    spread was found reading its misses); round s9 labelled 63 pairs of a headline flash (1,310,
    215): precision 0.961, recall 0.809, direction 0.994 (174), ARI 0.856 (0.958 / 0.737 /
    0.825 before round s9, by this version; 0.966 / 0.718 / 0.839 before headline flashes were
    stored; 0.965 / 0.712 / 0.835 before a table's figures another table gives again
    counted; 0.972 / 0.669 / 0.797 before that rule, set on it; 0.971 / 0.651 / 0.784 before
    title candidates and stock phrases)."""
    r = reuters_10
    _holds(r, 1_310, 215, precision=0.93, recall=0.78, ari=0.82, direction=0.97)
    _quiet(r)


@pytest.mark.slow
def test_reuters_12_floors(reuters_12: RealScores) -> None:
    """README, Quality: Reuters 012-013 (round h6: 1,234 labelled pairs, 144 reuse), held out
    until files 014-015 were labelled, development data since; with the 46 flash pairs of round
    s9 (1,280, 188): precision 0.941, recall 0.846, direction 0.994 (159), ARI 0.898 (0.927 /
    0.799 / 0.865 before round s9, by this version; 0.926 / 0.785 / 0.858 before headline
    flashes were stored; 0.926 / 0.778 / 0.854 before a label reworded between two
    tables kept their figures the pair's own; 0.902 / 0.771 / 0.835 as first measured, before the hog
    reports of two markets and two days' export prices were told apart)."""
    r = reuters_12
    _holds(r, 1_280, 188, precision=0.91, recall=0.82, ari=0.87, direction=0.97)
    _quiet(r)


@pytest.mark.slow
def test_reuters_14_floors(reuters_14: RealScores) -> None:
    """README, Quality: Reuters 014-015 (round h7: 1,254 labelled pairs, 135 reuse), measured
    held out once, development data since; with the 50 flash pairs of round s9 (1,304, 184):
    precision 0.938, recall 0.815, direction 0.973 (150), ARI 0.864 (0.918 / 0.748 / 0.814
    before round s9, by this version; 0.917 / 0.733 / 0.814 before headline flashes were
    stored; 0.916 / 0.726 / 0.809 before a table's figures another table gives again counted;
    0.782 / 0.689 / 0.664 first measured, before two issues of a recurring report
    were told apart, a short item a digest holds whole was counted, and reports from two places
    were told apart)."""
    r = reuters_14
    _holds(r, 1_304, 184, precision=0.91, recall=0.79, ari=0.84, direction=0.95)
    _quiet(r)


@pytest.mark.slow
def test_reuters_16_floors(reuters_16: RealScores) -> None:
    """README, Quality: Reuters 016-017 (round h8: 1,123 labelled pairs, 148 reuse), held out
    until files 018-019 were labelled, development data since; with the 41 flash pairs of round
    s9 (1,164, 188): precision 0.982, recall 0.867, direction 0.982 (163), ARI 0.930 (0.976 /
    0.831 / 0.916 before round s9, by this version; 0.976 / 0.824 / 0.916 before headline
    flashes were stored; 0.952 / 0.804 / 0.894 as measured held out)."""
    r = reuters_16
    _holds(r, 1_164, 188, precision=0.95, recall=0.84, ari=0.90, direction=0.95)
    _quiet(r)


@pytest.mark.slow
def test_reuters_18_floors(reuters_18: RealScores) -> None:
    """README, Quality: Reuters 018-019 (round h9: 1,032 labelled pairs, 104 reuse), held out
    until files 020-021 were labelled (h10), its errors read in the sixteenth session:
    with the 68 flash pairs of round s9 (1,100, 170) precision 0.949, recall 0.882, direction
    0.993 (150), ARI 0.898 (0.924 / 0.817 / 0.857 before round s9, by this version; 0.921 /
    0.779 / 0.860 before headline flashes were stored; 0.898 / 0.760 / 0.839 as
    measured held out, by two versions)."""
    r = reuters_18
    _holds(r, 1_100, 170, precision=0.92, recall=0.86, ari=0.87, direction=0.95)
    _quiet(r)


@pytest.mark.slow
def test_reuters_20_heldout_floors(reuters_20: RealScores) -> None:
    """README, Quality: Reuters 020-021, held out (round h10: 1,931 labelled pairs, 73 reuse, 19
    and 20 October 1987; no threshold set on it): precision 0.926, recall 0.685, direction
    1.000 (50), ARI 0.745 on those labels, since headline flashes are stored (0.911 / 0.562 /
    0.750 before; 0.905 / 0.521 / 0.716 by the version it was pooled with); with the 90 pairs of
    a flash that round s9 then labelled (2,021, 162; 89 of them reuse, by construction found):
    0.972 / 0.858 / 0.878, direction 1.000 (139). What
    newstrace does on wire news it was not tuned on: the floors hold it there, they are no
    target."""
    r = reuters_20
    _holds(r, 2_021, 162, precision=0.94, recall=0.83, ari=0.85, direction=0.95)
    _quiet(r)


def test_all_real_news_floors(scores: dict, reuters: RealScores) -> None:  # type: ignore[type-arg]
    """README, Quality: the first four corpora pooled (seeds, BuzzFeed-Webis, FakeNewsCorpus,
    Reuters 000-001; 15,879 labelled pairs, 403 reuse, with the 57 flash pairs of round s9):
    precision 0.960, recall 0.839, direction 0.908 (273), flags 1 / 0 (the seed's drift, right)
    (0.959 / 0.807 / 0.847 of 216 on 15,822 pairs, 348 reuse, before headline flashes were
    stored)."""
    pooled = RealScores("all")
    for s in (scores["seeds"], scores["buzzfeed"], scores["fakenews"], reuters):
        pooled.merge(s)
    print(f"\nreal news (all): precision {pooled.precision} recall {pooled.recall} direction "
          f"{pooled.direction_accuracy} ({pooled.direction_total})")  # fmt: skip
    assert pooled.labelled_pairs == 15_879 and pooled.gold_reuse == 403
    assert pooled.precision is not None and pooled.precision >= 0.94
    assert pooled.recall is not None and pooled.recall >= 0.81
    assert pooled.direction_accuracy is not None and pooled.direction_accuracy >= 0.90
    assert pooled.reported_unlabelled == 0
    assert pooled.flags.get("attribution_drift") == {"right": 1, "wrong": 0, "unlabelled": 0}
    assert sum(sum(f.values()) for k, f in pooled.flags.items() if k != "attribution_drift") == 0


@pytest.mark.semantic
@pytest.mark.slow
def test_semantic_real_news_floors(tmp_path: Path) -> None:
    """README, Quality (``newstrace eval real eval/real --semantic``), BuzzFeed-Webis: precision
    0.952, recall 0.805, ARI 0.808, every reported pair labelled (0.950 / 0.773 / 0.784 before a
    story's spread was no formula; 0.925 / 0.786 / 0.784 before
    reworded sentences needed 20 copied words beside them in a longer story; precision 0.861 and
    ARI 0.711 before the shared-meaning rule, ARI 0.745 before the round-up rule). About 2
    minutes."""
    (bf,) = [r for r in evaluate_real(REAL, workdir=tmp_path, corpora=["buzzfeed"], semantic=True)
             if r.corpus == "buzzfeed"]  # fmt: skip
    print(f"\nreal news, --semantic (buzzfeed): precision {bf.precision} recall {bf.recall} ARI {bf.ari}")
    assert bf.precision is not None and bf.precision >= 0.90
    assert bf.recall is not None and bf.recall >= 0.75
    assert bf.ari is not None and bf.ari >= 0.76
    assert bf.reported_unlabelled <= 3
    assert sum(f.get("wrong", 0) for f in bf.flags.values()) == 0


@pytest.mark.semantic
@pytest.mark.slow
def test_multilingual_floors(tmp_path: Path) -> None:
    """README, Quality, across languages (``newstrace eval real eval/multilingual --semantic``):
    precision 0.977, recall 0.982, ARI 0.964, sentence-alignment F1 0.985. About 3 minutes on
    2 cores (Czech and Ukrainian pairs are aligned by the slower wide encoder)."""
    results = {r.corpus: r for r in evaluate_real(MULTILINGUAL, workdir=tmp_path, semantic=True)}
    m = results["wmt"]
    print(f"\nmultilingual: precision {m.precision} ({m.reported_labelled} reported) recall {m.recall} ARI {m.ari}")
    assert m.labelled_pairs == 381 and m.gold_reuse == 218
    assert m.precision is not None and m.precision >= 0.96
    assert m.recall is not None and m.recall >= 0.96
    assert m.ari is not None and m.ari >= 0.95
    assert m.reported_unlabelled == 0
    reuse = ("duplicate", "derived", "partial")
    # Translations, Czech and Ukrainian ones included: 190 of the 190 copy pairs (the runs of
    # mutual best matches and the pivots of a third document hold the Ukrainian-Chinese ones
    # the wide encoder scores low).
    assert sum(m.confusion["copy"].get(r, 0) for r in reuse) >= 188
    # Translated excerpts: 24 of 28 (names and figures they keep, the passage of a third
    # document they share with a translation of it: 21 before pivots), the 0.85.
    assert sum(m.confusion["excerpt"].get(r, 0) for r in reuse) >= 24
    assert m.alignment is not None and m.alignment.f1 is not None and m.alignment.f1 >= 0.97
    assert m.precision_conservative is not None and m.precision_conservative >= 0.96


@pytest.mark.semantic
@pytest.mark.slow
def test_unseen_languages_floors(tmp_path: Path) -> None:
    """README, Quality, languages it has never seen (``newstrace eval real eval/unseen
    --semantic``: Hindi, Icelandic, Japanese, Japanese-Chinese): precision 0.983, recall 0.820
    (copies 138 of 151, excerpts 31 of 55), directions 21 right, 1 wrong, sentence-alignment
    F1 0.923. About a minute and a half."""
    results = {r.corpus: r for r in evaluate_real(UNSEEN, workdir=tmp_path, semantic=True)}
    u = results["unseen"]
    print(f"\nunseen languages: precision {u.precision} recall {u.recall} direction {u.direction_right} right "
          f"of {u.direction_total} ({u.direction_undirected} undirected)")  # fmt: skip
    assert u.labelled_pairs == 6_670 and u.gold_reuse == 206 and u.documents == 116
    assert u.precision is not None and u.precision >= 0.96
    assert u.recall is not None and u.recall >= 0.80
    reuse = ("duplicate", "derived", "partial")
    assert sum(u.confusion["copy"].get(r, 0) for r in reuse) >= 135
    assert sum(u.confusion["excerpt"].get(r, 0) for r in reuse) >= 28
    # A direction claimed between an original and its translation is right (19 of 43 were wrong
    # before containment across languages needed a 0.25 gap and the context fit was dropped).
    assert u.direction_right >= 18 and u.direction_wrong <= 2
    assert u.alignment is not None and u.alignment.f1 is not None and u.alignment.f1 >= 0.90
    assert u.reported_unlabelled == 0


def test_score_corpus_counts(tmp_path: Path) -> None:
    """The measures themselves, on a store built for the purpose."""
    text = "Floods closed the river road on Monday after three days of heavy rain, police said. " * 4
    with Store(tmp_path / "s.db") as store:
        store.add_documents([
            Document(id="d1", text=text, input_id="a", published="2020-01-01"),
            Document(id="d2", text=text + " Outrageous!", input_id="b", published="2020-01-02"),
            Document(id="d3", text="Unrelated story about a concert in the park on Sunday evening.", input_id="c"),
        ])  # fmt: skip
        from newstrace.detect import DetectParams, detect

        detect(store, DetectParams(workers=1))
        pairs = [
            {"a": "a", "b": "b", "category": "copy", "direction": "a>b"},
            {"a": "a", "b": "c", "category": "none", "direction": "unknown"},
        ]
        s = score_corpus("t", store, pairs, [])
    assert (s.gold_reuse, s.reported_labelled, s.true_positives, s.reported_unlabelled) == (1, 1, 1, 0)
    assert s.precision == 1.0 and s.recall == 1.0 and s.direction_accuracy == 1.0
    assert s.confusion["none"] == {"not proposed": 1}
    assert s.wrong == []
    # The label says the other way round: a direction miss, listed with what was found.
    flipped = [{**pairs[0], "direction": "b>a"}, pairs[1]]
    with Store(tmp_path / "s.db", readonly=True) as store:
        s = score_corpus("t", store, flipped, [])
    assert s.direction_accuracy == 0.0 and s.direction_wrong == 1 and s.direction_undirected == 0
    assert s.wrong == [{"a": "a", "b": "b", "gold": "copy", "relation": s.wrong[0]["relation"], "note": "",
                        "direction": "b>a", "found": "a"}]  # fmt: skip
    # A reuse pair with a document that was never stored (rejected at ingest) is a miss of the
    # recall, and left out of the recall over pairs of two stored articles.
    with Store(tmp_path / "s.db", readonly=True) as store:
        s = score_corpus("t", store, [*pairs, {"a": "a", "b": "flash", "category": "copy"}], [])
    assert s.confusion["copy"]["not stored"] == 1 and s.true_positives == 1
    assert s.recall == 0.5 and s.recall_stored == 1.0 and s.to_dict()["recall_stored"] == 1.0
    # Labels the reader marked a judgement call are left out of the clear-label figures only:
    # the borderline miss counts against the recall, not against the recall over clear labels.
    marked = [*pairs, {"a": "b", "b": "c", "category": "excerpt", "note": "borderline: ~40 words reworded"}]
    with Store(tmp_path / "s.db", readonly=True) as store:
        s = score_corpus("t", store, marked, [])
    assert s.recall == 0.5 and s.recall_clear == 1.0 and s.clear_gold_reuse == 1
    assert s.precision_clear == 1.0 and s.to_dict()["recall_clear"] == 1.0


def test_generated_families_among_real_distractors(tmp_path: Path) -> None:
    """Families made from real articles, hidden among every other real article of the same
    outlets and weeks (which share their chrome and quotations): found without pulling
    distractors in."""
    from newstrace.evaluation.families import evaluate_families, generate_real_families

    corpus = ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz"
    out = tmp_path / "families.jsonl"
    counts = generate_real_families(out, corpus, REAL, families=40, seed=3)
    assert counts["documents"] > 1_500 and counts["families"] == 40
    s = evaluate_families(out, workdir=tmp_path)
    print(f"\ngenerated families among real distractors: pairwise precision {s.pair_precision} recall {s.pair_recall}")
    assert s.pair_precision >= 0.93 and s.pair_recall >= 0.88

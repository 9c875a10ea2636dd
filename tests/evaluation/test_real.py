"""The real-news gate: newstrace measured on pairs labelled by reading (eval/real), with floors.

The floors are the figures measured when they were set, less a margin for noise: a change that
makes newstrace worse on real news fails here. (Reuters-21578 is not in the repository; its
figures come from ``make eval`` where the data is.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.evaluation.real import evaluate_real, load_pairs, score_corpus
from newstrace.models import Document
from newstrace.store import Store

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "eval" / "real"


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("real")
    results = evaluate_real(REAL, workdir=work, corpora=["seeds", "buzzfeed", "fakenews"])
    return {r.corpus: r for r in results}


def test_labelled_set_is_what_its_readme_says() -> None:
    pairs = load_pairs(REAL)
    read = [json.loads(x) for x in (REAL / "labels" / "pairs.jsonl").read_text().splitlines()]
    assert len(read) >= 2_400 and len(pairs) >= 15_000
    assert {p["corpus"] for p in pairs} >= {"buzzfeed", "fakenews", "reuters", "seeds"}
    assert {p["category"] for p in pairs} == {"copy", "excerpt", "quote", "boilerplate", "none"}
    assert all(p["direction"] in ("a>b", "b>a", "common", "unknown") for p in pairs)


def test_real_news_floors(scores: dict) -> None:  # type: ignore[type-arg]
    bf, fn, seeds = scores["buzzfeed"], scores["fakenews"], scores["seeds"]
    print(f"\nreal news (buzzfeed): precision {bf.precision} recall {bf.recall} direction "
          f"{bf.direction_accuracy} ARI {bf.ari}; fakenews reported {fn.reported_labelled}")  # fmt: skip
    assert bf.precision >= 0.84 and bf.recall >= 0.68
    assert bf.direction_accuracy >= 0.58 and bf.ari >= 0.62
    assert fn.true_positives == 0 and fn.reported_labelled <= 10  # no reuse in that sample
    assert bf.reported_unlabelled <= 10  # what newstrace reports was labelled by reading
    # The seed pair: found, right way round, its Deep State drift the one flag raised.
    assert seeds.true_positives == 1 and seeds.direction_right == 1
    assert seeds.flags["attribution_drift"] == {"right": 1, "wrong": 0, "unlabelled": 0}
    # A flag is an accusation: none of those read on real news was right, and none is raised now.
    for s in (bf, fn):
        assert sum(f.get("wrong", 0) + f.get("unlabelled", 0) for f in s.flags.values()) == 0


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

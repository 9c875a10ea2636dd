"""Issue 3's account of the seed pair, found by general methods (lexical and semantic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.pipeline import compare_pair

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
BLOG = SEEDS / "000_b532a79fb36ebd07.txt"
RT = SEEDS / "001_56b3779ae79152f8.txt"


@pytest.fixture(
    scope="module", params=["lexical", pytest.param("semantic", marks=pytest.mark.semantic)]
)
def seed_report(request: pytest.FixtureRequest) -> dict:
    semantic = request.param == "semantic"
    report, src, der = compare_pair(BLOG, RT, semantic=semantic)
    d = report.to_dict()
    assert d["semantic"] is semantic  # the semantic extra is installed by make test: never a rerun
    d["_texts"] = (src.text, der.text)
    return d


def test_relation_and_direction(seed_report: dict) -> None:
    d = seed_report
    assert d["relation"] == "derived"
    assert d["source"]["outlet"] == "Global Research"
    assert "RT" in [a["credited"] for a in d["derivative"]["attributions"]]
    direction = d["direction"]
    assert direction["source"] == d["source"]["id"] and direction["confidence"] >= 0.6
    assert direction["kind"] == "directed"
    named = {e["name"]: e for e in direction["evidence"]}
    for name in ("attribution", "containment"):
        assert named[name]["favours"] == d["source"]["id"], name
    assert "Source: RT" in named["attribution"]["detail"]
    # Only one of the two is dated: that says nothing about which came first.
    assert named["dates"]["favours"] is None and "say nothing" in named["dates"]["detail"]


def test_quotes_preserved(seed_report: dict) -> None:
    quotes = seed_report["quotes"]
    assert len(quotes) >= 5
    long_quotes = [q for q in quotes if len(q["derivative"]["text"].split()) > 10]
    assert long_quotes and all(q["status"] == "preserved" for q in long_quotes)


def test_added_sentences(seed_report: dict) -> None:
    added = " | ".join(a["text"] for a in seed_report["added"])
    assert "Ironically, the Russian president said" in added
    assert "Summers’ concern is shared by Trump supporters" in added


def test_omitted_passages(seed_report: dict) -> None:
    omitted = " | ".join(o["text"] for o in seed_report["omitted"])
    assert "Mr Tillerson is a very respected person" in omitted
    assert '"one of the breakthroughs"' in omitted


def test_attribution_drift(seed_report: dict) -> None:
    drift = seed_report["attribution_drift"]
    assert [x["speaker"] for x in drift] == ["Martin Summers"]
    assert "Deep State" in drift[0]["derivative"]["text"]
    assert "deep" in drift[0]["unsupported_terms"]


def test_every_span_is_a_slice(seed_report: dict) -> None:
    src, der = seed_report["_texts"]
    for p in seed_report["passages"]:
        assert src[p["source"]["start"] : p["source"]["end"]] == p["source"]["text"]
        assert der[p["derivative"]["start"] : p["derivative"]["end"]] == p["derivative"]["text"]
    for a in seed_report["added"]:
        assert der[a["start"] : a["end"]] == a["text"]
    for o in seed_report["omitted"]:
        assert src[o["start"] : o["end"]] == o["text"]
    for q in seed_report["quotes"]:
        assert der[q["derivative"]["start"] : q["derivative"]["end"]] == q["derivative"]["text"]
        if q["source"]:
            assert src[q["source"]["start"] : q["source"]["end"]] == q["source"]["text"]

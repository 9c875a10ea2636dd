# ruff: noqa: E501
"""A credit to the origin the other text republishes (the seed's "000 credits RT; 001 is RT's
article republished"), on a trio of other outlets: an origin, a site that republishes it and
says so, and a blog that credits the origin by name (README: direction)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace.analyze.direction import abbreviates
from newstrace.models import Document
from newstrace.pipeline import compare_pair, ingest
from newstrace.store import Store

STORY = [
    "Dock workers at the port of Klaipeda walked out on Monday in a dispute over night-shift pay, halting the loading of grain ships bound for North Africa.",
    "The union said its members had not had a pay rise in four years while the volume of cargo handled at the port had nearly doubled.",
    "Port managers offered a one-off bonus of 300 euros, which the union rejected as an insult to workers who had kept the terminals open through the pandemic.",
    "At least eleven ships were waiting at anchor outside the harbour by Tuesday morning, according to the harbour master's office.",
    "Grain traders warned that a long stoppage could delay deliveries to Egypt and Tunisia, where stocks are already low.",
    "The transport ministry has called both sides to talks on Wednesday and said it would not rule out mediation.",
    "The strike is the first at the port since 2009, when a walkout over pensions lasted nine days.",
]
BLOG = [
    "Once again the workers who keep the economy running are treated as an afterthought.",
    *STORY[:5],
    "Do not expect the mainstream press to tell you who really profits from the grain trade.",
    "Source: Baltic Wire",
]


def trio(tmp_path: Path, republisher_credit: str) -> dict[str, Document]:
    """Ingest the origin (dated), the republisher and the blog (undated: dates tell nothing)."""
    rows = [
        {"id": "origin", "outlet": "Baltic Wire", "url": "https://balticwire.example/2022/04/port-strike",
         "published": "2022-04-11", "text": "\n\n".join(STORY)},
        {"id": "republished", "outlet": "World Affairs Forum", "url": "https://worldaffairsforum.example/port-strike",
         "text": "\n\n".join([*STORY, republisher_credit, "Copyright © Baltic Wire, 2022"])},
        {"id": "blog", "outlet": "Harbour Watch", "url": "https://harbourwatch.example/strike", "text": "\n\n".join(BLOG)},
    ]  # fmt: skip
    path = tmp_path / "trio.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with Store(tmp_path / "trio.db") as store:
        assert ingest([path], store).added == 3
        return {d.input_id or "": d for _, d in store.iter_documents()}


@pytest.mark.parametrize("order", ["blog first", "republisher first"])
def test_a_credit_to_the_origin_the_other_republishes_directs_the_pair(tmp_path: Path, order: str) -> None:
    docs = trio(tmp_path, "The original source of this article is Baltic Wire")
    assert [(a.credited, a.kind) for a in docs["republished"].attributions] == [("Baltic Wire", "original_source")]
    assert [(a.credited, a.kind) for a in docs["blog"].attributions] == [("Baltic Wire", "source_line")]
    pair = ("blog", "republished") if order == "blog first" else ("republished", "blog")
    report, src, der = compare_pair(docs[pair[0]], docs[pair[1]], semantic=False)
    assert (src.input_id, der.input_id) == ("republished", "blog")
    assert report.relation == "derived" and report.direction.kind == "directed"
    said = [e for e in report.direction.evidence if e.favours]
    assert [e.name for e in said] == ["attribution"] and said[0].weight == 2.0
    assert said[0].favours == ("b" if order == "blog first" else "a")
    assert "credits 'Baltic Wire' ('Source: Baltic Wire')" in said[0].detail
    assert "is Baltic Wire's article republished ('The original source of this article is Baltic Wire')" in said[0].detail
    # Each of the two credits the origin itself by name: the origin is their source.
    for other in ("republished", "blog"):
        report, src, der = compare_pair(docs[other], docs["origin"], semantic=False)
        assert (src.input_id, der.input_id) == ("origin", other)
        assert [(e.name, e.favours, e.weight) for e in report.direction.evidence if e.favours] == [("attribution", "b", 3.0)]


def test_two_texts_that_credit_the_origin_alike_are_siblings(tmp_path: Path) -> None:
    """A republisher that only gives the same "Source:" line as the blog does not declare
    itself the origin's article: the two are siblings from Baltic Wire, not parent and child."""
    docs = trio(tmp_path, "Source: Baltic Wire")
    report, _, _ = compare_pair(docs["blog"], docs["republished"], semantic=False)
    assert report.direction.kind == "common" and report.direction.common_source == "Baltic Wire"
    assert not [e for e in report.direction.evidence if e.favours]


_WORDS = st.lists(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9), min_size=2, max_size=5)


@given(_WORDS, st.data())
def test_prefixes_of_every_word_in_turn_abbreviate_a_name(words: list[str], data: st.DataObject) -> None:
    """ "WaPo", "NYT", "NY Post": a prefix of each word of the name, in order, and nothing else."""
    name = " ".join(w.capitalize() for w in words)
    cut = [data.draw(st.integers(1, len(w))) for w in words]
    short = "".join(w[:n] for w, n in zip(words, cut, strict=True))
    assert abbreviates(short.upper(), name) and abbreviates("The " + short, "The " + name)
    assert not abbreviates(short + "q" * 10, name)  # letters past every word's end
    assert not abbreviates(short + "0", name)  # a character of no word
    assert not abbreviates(short[: len(words) - 1], name)  # fewer letters than words: one left out


def test_abbreviations_need_two_words_and_two_letters() -> None:
    assert not abbreviates("A", "Associated Press") and not abbreviates("Reu", "Reuters")
    assert abbreviates("NY Post", "The New York Post") and not abbreviates("Post", "New York Post")

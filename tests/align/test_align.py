"""Aligner kernels: invariants (hypothesis) and behaviour on constructed inputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.align import align, merge_passages
from newstrace.align.seeds import chain_seeds, find_seeds
from newstrace.clean.text import words
from newstrace.models import Passage

WORDS = [
    "the",
    "minister",
    "said",
    "bridge",
    "river",
    "flood",
    "council",
    "vote",
    "Keller",
    "rain",
    "“",
    "”",
    ".",
    ",",
    "\n",
    "Dresden",
    "tax",
    "school",
    "é",
    "ß",
]
texts = st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(texts, texts)
def test_offsets_are_in_bounds_and_b_spans_disjoint(a: str, b: str) -> None:
    al = align(a, b)
    last_end = -1
    for p in al.passages:
        assert 0 <= p.a_start < p.a_end <= len(a)
        assert 0 <= p.b_start < p.b_end <= len(b)
        assert p.b_start >= last_end
        last_end = p.b_end
        assert p.kind in ("verbatim", "near_verbatim", "paraphrase")
        assert 0 <= p.score <= 1


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(0, 60), st.integers(0, 60))
def test_copied_passage_is_found_verbatim(host: str, i: int, n: int) -> None:
    source = (
        "Flood defences failed on Tuesday night and four villages near Dresden were evacuated "
        "while crews reinforced the remaining dykes through the night."
    )
    words = host.split()
    derivative = " ".join([*words[:i], source, *words[i:]])
    al = align(source, derivative)
    assert any(
        derivative[p.b_start : p.b_end] == source.rstrip(".")
        or derivative[p.b_start : p.b_end] == source
        for p in al.passages
    )


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(1, 20), st.integers(0, 50), st.integers(1, 20)),
        max_size=12,
    )
)
def test_merge_is_idempotent(raw: list[tuple[int, int, int, int]]) -> None:
    a_text = b_text = "word " * 40
    ps = [Passage("verbatim", a, a + la, b, b + lb) for a, la, b, lb in raw]
    once = merge_passages(ps, a_text, b_text)
    assert merge_passages(once, a_text, b_text) == once


def test_seed_chain_tolerates_edits() -> None:
    a = "one two three four five six seven eight nine ten eleven twelve".split()
    b = "one two three four five SIX seven eight nine ten eleven twelve".split()
    chains = chain_seeds(find_seeds(a, b, n=3), n=3)
    assert len(chains) == 1 and (chains[0].b0, chains[0].b1) == (0, 12)


def test_near_verbatim_and_paraphrase_kinds() -> None:
    src = (
        "Regional governor Anna Keller said emergency crews had worked through the night to reinforce "
        "the remaining dykes. The river peaked at 8.2 metres early on Wednesday, almost a metre above the "
        "previous record set in 2002."
    )
    der = (
        "Regional governor Anna Keller said rescue crews had worked all through the night to reinforce "
        "the remaining dykes. On Wednesday morning the river reached a record 8.2 metres, nearly a metre "
        "above the previous record from 2002."
    )
    kinds = [p.kind for p in align(src, der).passages]
    assert kinds[0] == "near_verbatim"
    assert "paraphrase" in kinds


def test_repetitive_input_is_bounded() -> None:
    # Every n-gram recurs: nothing is a usable seed, and nothing blows up (speed: benchmarks/).
    a = "the same sentence again and again . " * 500
    al = align(a, a)
    assert all(p.kind == "paraphrase" or p.b_end <= len(a) for p in al.passages)


@pytest.mark.parametrize(
    "inserted",
    ["new", "and eastern", '"><img src=x onerror="alert(1)">', "of the city, officials said"],
)
def test_verbatim_means_the_same_words(inserted: str) -> None:
    # Passages merged over a gap whose words differ are near-verbatim, never verbatim.
    body = (
        "The council voted on Tuesday to expand the tram network to the northern suburbs, "
        "the mayor said, adding that the work would be finished by 2030. "
    )
    b_text = body.replace("northern suburbs", f"northern {inserted} suburbs") + body
    al = align(body * 2, b_text)
    assert al.passages
    for p in al.passages:
        same = words(al.a.text[p.a_start : p.a_end]) == words(al.b.text[p.b_start : p.b_end])
        assert (p.kind == "verbatim") == same or p.kind == "paraphrase", p
    covering = [p for p in al.passages if p.b_start <= b_text.index(inserted) < p.b_end]
    assert all(p.kind == "near_verbatim" for p in covering)

"""The word diff: operations that tile both texts, turn A into B, and stay bounded in work."""

from __future__ import annotations

import doctest
import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.align import words as words_module
from newstrace.align.words import WordOp, diff_tokens, word_diff
from newstrace.clean.text import tokenize
from newstrace.errors import ConfigError

# Pieces that make diffs interesting: repeated words, case and accent variants, typographic and
# ASCII marks, runs of whitespace and line breaks.
PIECES = [
    "the", "The", "cat", "sat", "on", "mat", "we’ll", "we'll", "café", "cafe", "Deep", "State",
    "“", "”", '"', ",", ".", "…", "[", "]", "-", "—", " ", " ", " ", "  ", "\n", "\n\n", "\t",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
any_texts = st.text(max_size=60)


def keys(text: str) -> list[str]:
    """What a folded diff compares: the tokens' folded forms, whitespace ignored."""
    return [t.norm for t in tokenize(text, punctuation=True)]


def patched(a: str, b: str, ops: list[WordOp]) -> str:
    """Apply the operations to ``a``: keep its unchanged text, take B's for every change."""
    return "".join(
        a[o.a_start : o.a_end] if o.tag == "equal" else b[o.b_start : o.b_end] for o in ops
    )


def check(a: str, b: str, ops: list[WordOp], *, fold: bool) -> None:
    # The operations tile both texts, in order.
    assert "".join(a[o.a_start : o.a_end] for o in ops) == a
    assert "".join(b[o.b_start : o.b_end] for o in ops) == b
    for o in ops:
        assert 0 <= o.a_start <= o.a_end <= len(a) and 0 <= o.b_start <= o.b_end <= len(b)
    for prev, nxt in itertools.pairwise(ops):
        assert prev.a_end == nxt.a_start and prev.b_end == nxt.b_start
        assert not (prev.tag == "equal" and nxt.tag == "equal")
    for o in ops:
        ka, kb = keys(a[o.a_start : o.a_end]), keys(b[o.b_start : o.b_end])
        if o.tag == "equal":
            assert ka == kb
            if not fold:
                assert a[o.a_start : o.a_end] == b[o.b_start : o.b_end]
        elif o.tag == "insert":
            # Folded, the change holds words; exact, it may be whitespace only.
            assert not ka and (kb if fold else o.a_start == o.a_end and o.b_end > o.b_start)
        elif o.tag == "delete":
            assert not kb and (ka if fold else o.b_start == o.b_end and o.a_end > o.a_start)
        else:
            assert o.tag == "replace"
            assert (ka and kb) if fold else (o.a_end > o.a_start and o.b_end > o.b_start)
    # Applying the operations to A gives B: exactly when every character is compared, and
    # word for word (folded, whitespace aside) when the diff folds.
    if fold:
        assert keys(patched(a, b, ops)) == keys(b)
    else:
        assert patched(a, b, ops) == b


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_folded_diff_of_wordy_texts(a: str, b: str) -> None:
    check(a, b, word_diff(a, b), fold=True)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_exact_diff_of_wordy_texts(a: str, b: str) -> None:
    check(a, b, word_diff(a, b, fold=False), fold=False)


@settings(max_examples=200, deadline=None)
@given(any_texts, any_texts, st.booleans())
def test_any_unicode(a: str, b: str, fold: bool) -> None:
    check(a, b, word_diff(a, b, fold=fold), fold=fold)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES[:12]), min_size=1, max_size=300), st.data())
def test_bounded_matcher_still_correct(ws: list[str], data: st.DataObject) -> None:
    # A tiny budget forces the anchored path (and the one-replacement fallback) on short input.
    edited = data.draw(st.lists(st.sampled_from(PIECES[:12]), max_size=300))
    a, b = " ".join(ws), " ".join(edited)
    check(a, b, word_diff(a, b, max_cells=16), fold=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=60), st.lists(st.integers(0, 5), max_size=60))
def test_opcodes_tile_and_match(a: list[int], b: list[int]) -> None:
    sa, sb = [str(x) for x in a], [str(x) for x in b]
    for cells in (1, 30, 10_000):
        ops = diff_tokens(sa, sb, max_cells=cells)
        i = j = 0
        for tag, i1, i2, j1, j2 in ops:
            assert (i1, j1) == (i, j)
            if tag == "equal":
                assert i2 > i1 and sa[i1:i2] == sb[j1:j2]
            elif tag == "insert":
                assert i1 == i2 and j2 > j1
            elif tag == "delete":
                assert j1 == j2 and i2 > i1
            else:
                assert tag == "replace" and i2 > i1 and j2 > j1
            i, j = i2, j2
        assert (i, j) == (len(sa), len(sb))


def test_labels_of_a_small_edit() -> None:
    a = "We are doing everything we can to protect people."
    b = "We are doing nothing we can to protect our people!"
    got = [(o.tag, a[o.a_start : o.a_end], b[o.b_start : o.b_end]) for o in word_diff(a, b)]
    assert got == [
        ("equal", "We are doing", "We are doing"),
        ("replace", " everything ", " nothing "),
        ("equal", "we can to protect", "we can to protect"),
        ("insert", " ", " our "),
        ("equal", "people", "people"),
        ("replace", ".", "!"),
    ]


def test_folding_and_whitespace() -> None:
    a, b = "“We’ll see,” she said.\n\nThen", '"we\'ll   see," She said. Then'
    assert [o.tag for o in word_diff(a, b)] == ["equal"]
    assert "equal" not in {o.tag for o in word_diff("Café", "cafe", fold=False)}


def test_identical_empty_and_disjoint() -> None:
    assert word_diff("", "") == []
    assert word_diff("same words", "same words") == [WordOp("equal", 0, 10, 0, 10)]
    assert [o.tag for o in word_diff("alpha beta", "gamma delta")] == ["replace"]
    assert word_diff("", "new words") == [WordOp("insert", 0, 0, 0, 9)]
    assert word_diff("old words", "") == [WordOp("delete", 0, 9, 0, 0)]


def test_a_function_word_between_two_changes_joins_them() -> None:
    a, b = "Police said the fire started at night", "Officers say the blaze started at night"
    ops = word_diff(a, b)
    assert [(o.tag, a[o.a_start : o.a_end], b[o.b_start : o.b_end]) for o in ops] == [
        ("replace", "Police said the fire ", "Officers say the blaze "),
        ("equal", "started at night", "started at night"),
    ]
    # A negation kept between two changes stays in sight.
    a, b = "Experts not convinced", "Critics not persuaded"
    assert [(o.tag, a[o.a_start : o.a_end]) for o in word_diff(a, b)] == [
        ("replace", "Experts "), ("equal", "not"), ("replace", " convinced")
    ]  # fmt: skip
    a, b = "a red car and a green van", "a blue car and a grey van"
    # "car and a" holds a content word: the two changes stay apart.
    assert [o.tag for o in word_diff(a, b)].count("replace") == 2


def test_long_repetitive_passages_stay_bounded() -> None:
    # 20,000 words from a vocabulary of five, no unique word to anchor on, against another
    # draw of the same: quadratic matching would take minutes.
    import random

    rng = random.Random(7)
    vocab = ["the", "a", "of", "and", "said"]
    a = " ".join(rng.choice(vocab) for _ in range(20_000))
    b = " ".join(rng.choice(vocab) for _ in range(20_000))
    t0 = time.perf_counter()
    ops = word_diff(a, b)
    assert time.perf_counter() - t0 < 5
    check(a, b, ops, fold=True)
    # A long near-verbatim passage (every word distinct, every 9th changed) is diffed in full.
    ws = [f"word{k}" for k in range(20_000)]
    edited = [w if k % 9 else "changed" for k, w in enumerate(ws)]
    a, b = " ".join(ws), " ".join(edited)
    t0 = time.perf_counter()
    ops = word_diff(a, b)
    assert time.perf_counter() - t0 < 5
    check(a, b, ops, fold=True)
    assert sum(o.tag == "replace" for o in ops) == len(range(0, 20_000, 9))


def test_bad_budget_is_refused() -> None:
    with pytest.raises(ConfigError, match="max_cells must be >= 1"):
        word_diff("a", "b", max_cells=0)


def test_examples_in_docstrings() -> None:
    assert doctest.testmod(words_module).failed == 0

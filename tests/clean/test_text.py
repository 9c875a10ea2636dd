"""The one tokenizer and sentence splitter: offsets always point into the text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newstrace.clean.dates import parse_date
from newstrace.clean.text import split_sentences, strip_markup, tokenize


@given(st.text(max_size=500))
def test_sentence_spans_are_ordered_nonempty_slices(text: str) -> None:
    last = 0
    for s in split_sentences(text):
        assert last <= s.start < s.end <= len(text)
        assert text[s.start : s.end].strip() == text[s.start : s.end]
        last = s.end


@given(st.text(max_size=500))
def test_tokens_are_slices(text: str) -> None:
    for t in tokenize(text):
        assert text[t.start : t.end]
        assert 0 <= t.start < t.end <= len(text)


@given(st.text(alphabet=st.sampled_from(list("ab <>/u*_\n")), max_size=200))
def test_strip_markup_maps_back(text: str) -> None:
    plain, where = strip_markup(text)
    assert len(plain) == len(where)
    for i, c in enumerate(plain):
        assert text[where[i]] == c


def test_sentences_respect_abbreviations_and_lines() -> None:
    t = "Mr. Putin met Dr. Smith at 5 p.m. on Friday. “It went well.” Then\nNew line here"
    assert [t[s.start : s.end] for s in split_sentences(t)] == [
        "Mr. Putin met Dr. Smith at 5 p.m. on Friday.",
        "“It went well.”",
        "Then",
        "New line here",
    ]


def test_dates() -> None:
    assert parse_date("9 July 2017") == "2017-07-09"
    assert parse_date("2017/07/09") == "2017-07-09"
    assert parse_date("2017-02-30") is None
    assert parse_date("Posted Sep. 5th, 2016") == "2016-09-05"

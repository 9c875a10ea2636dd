"""The one tokenizer and sentence splitter: offsets always point into the text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from newstrace.clean.dates import parse_date
from newstrace.clean.text import split_sentences, strip_markup, tokenize, words


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


_MARKED = st.text(
    alphabet=st.sampled_from(
        [*"aé x.!'", "\u0301", "\u093e", "\u094d", "\u0e34", "भ", "र", "ท", "ย", "\u064e", "ب"]
    ),
    max_size=120,
)


@given(_MARKED)
def test_a_word_keeps_the_combining_marks_that_follow_it(text: str) -> None:
    """No word ends where a combining mark goes on with it (a vowel sign, a virama, an accent):
    the mark is part of the word, not a break in it."""
    for t in tokenize(text):
        assert t.end == len(text) or unicodedata.category(text[t.end]) not in ("Mn", "Mc", "Me")
        assert unicodedata.category(text[t.start]) not in ("Mn", "Mc", "Me")


def test_words_of_scripts_with_vowel_signs_stay_whole() -> None:
    assert words("भारत की राजधानी नई दिल्ली है") == ["भारत", "की", "राजधानी", "नई", "दिलली", "है"]
    assert words("ประเทศไทย தமிழ் café e\u0301te\u0301") == ["ประเทศไทย", "தமிழ", "cafe", "ete"]


def test_sentences_end_at_the_marks_of_other_scripts() -> None:
    t = "भारत की राजधानी नई दिल्ली है। यह एक बड़ा शहर है॥ العاصمة هي الرياض؟ نعم۔ Ура։ Done"
    assert [t[s.start : s.end] for s in split_sentences(t)] == [
        "भारत की राजधानी नई दिल्ली है।",
        "यह एक बड़ा शहर है॥",
        "العاصمة هي الرياض؟",
        "نعم۔",
        "Ура։",
        "Done",
    ]


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

"""Edits inside an altered quotation read source -> derivative: an insertion shows the words
the derivative added, a deletion the words it dropped, a replacement the old and the new."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace.analyze import compare, quotes
from newstrace.analyze.quotes import QuoteEdit, edit_label, find_quotes, quote_core
from tests.analyze.test_relations import SOURCE, doc

QUOTE = '"We will not let the water take a single home in this district, whatever it costs," Keller said.'
SOURCE_TEXT = [*SOURCE[:2], QUOTE, *SOURCE[3:]]


def altered(derivative_quote: str) -> tuple[QuoteEdit, str, str, dict]:
    """The one edit of the derivative's altered quotation, both texts, and the JSON quote."""
    der = [SOURCE[0], derivative_quote, *SOURCE[3:8]]
    r = compare(doc("src", SOURCE_TEXT, published="2023-05-02"), doc("der", der, published="2023-05-04"))
    assert r.source.id == "src"
    fate = next(q for q in r.quotes if q.status == "altered")
    assert len(fate.edits) == 1, fate.edits
    as_json = next(q for q in r.to_dict()["quotes"] if q["status"] == "altered")
    return fate.edits[0], r.source.text, r.derivative.text, as_json


def test_an_insertion_shows_the_inserted_words() -> None:
    edit, src, der, q = altered(QUOTE.replace("a single home", "a single home or farm"))
    assert (edit.op, edit.source, edit.derivative) == ("insert", "", "or farm")
    assert edit.label == "inserted “or farm”"
    assert der[edit.derivative_start : edit.derivative_end] == "or farm"
    # The source side is the point where the words went in.
    assert edit.source_start == edit.source_end
    assert src[edit.source_start - len("home ") : edit.source_start] == "home "
    assert q["edits"][0]["label"] == "inserted “or farm”"
    assert q["edits"][0]["derivative"] == "or farm" and q["edits"][0]["source"] == ""


def test_a_deletion_shows_the_deleted_words() -> None:
    edit, src, der, q = altered(QUOTE.replace("will not let", "will let"))
    assert (edit.op, edit.source, edit.derivative) == ("delete", "not", "")
    assert edit.label == "deleted “not”"
    assert src[edit.source_start : edit.source_end] == "not"
    assert edit.derivative_start == edit.derivative_end
    assert der[edit.derivative_start :].startswith("let the water")
    assert q["edits"][0]["label"] == "deleted “not”"


def test_a_replacement_shows_old_then_new() -> None:
    edit, src, der, q = altered(QUOTE.replace("will not let", "will never let"))
    assert (edit.op, edit.source, edit.derivative) == ("replace", "not", "never")
    assert edit.label == "replaced “not” → “never”"
    assert src[edit.source_start : edit.source_end] == "not"
    assert der[edit.derivative_start : edit.derivative_end] == "never"
    assert {k: q["edits"][0][k] for k in ("op", "source", "derivative")} == {
        "op": "replace", "source": "not", "derivative": "never"
    }  # fmt: skip


def test_json_edits_carry_offsets_into_both_texts() -> None:
    _, src, der, q = altered(QUOTE.replace("a single home", "a single house or farm"))
    for e in q["edits"]:
        assert src[e["source_start"] : e["source_end"]] == e["source"]
        assert der[e["derivative_start"] : e["derivative_end"]] == e["derivative"]
        assert e["label"] == edit_label(e["op"], e["source"], e["derivative"])


@pytest.mark.parametrize(
    ("op", "old", "new", "label"),
    [
        ("insert", "", "to us", "inserted “to us”"),
        ("delete", "to us", "", "deleted “to us”"),
        ("replace", "to us", "to them", "replaced “to us” → “to them”"),
    ],
)
def test_labels(op: str, old: str, new: str, label: str) -> None:
    assert edit_label(op, old, new) == label


def test_quote_core_drops_edge_punctuation_only() -> None:
    t = ' “It works, ” he'
    s, e = quote_core(t)
    assert t[s:e] == "It works, ” he"
    assert quote_core("...") == (3, 3)


def test_examples_in_docstrings() -> None:
    assert doctest.testmod(quotes).failed == 0


def test_an_unclosed_quotation_ends_before_the_next_ones_tag_and_the_next_is_read_whole() -> None:
    # The closing mark after "Scalia,'" was lost: the mark before "For" opens a quotation.
    text = (
        'Cruz cited the judiciary. "We know that every appointee would be an ideologue. Trump has '
        "promised justices 'in the mold of Scalia,' Cruz wrote. \"For some time, I have been seeking "
        'greater specificity on this issue." The list was released.'
    )
    assert [q.text for q in find_quotes(text)] == [
        "We know that every appointee would be an ideologue. Trump has promised justices 'in the mold of Scalia,'",
        "For some time, I have been seeking greater specificity on this issue.",
    ]
    # Without a short tag before it, the unclosed quotation runs up to the next one.
    text = '"We will win this state and the next one and every other. "Then we go home," she said.'
    assert [q.text for q in find_quotes(text)] == [
        "We will win this state and the next one and every other.",
        "Then we go home,",
    ]


_WORDS = st.lists(st.sampled_from(["we", "will", "win", "it", "today", "Smith", "2016"]), min_size=1, max_size=6)


@given(st.lists(_WORDS, min_size=1, max_size=4), st.sampled_from(["said", "told reporters", "added"]))
def test_closed_straight_quotations_are_found_as_written(quotes: list[list[str]], verb: str) -> None:
    parts = [f'"{" ".join(q)}," Smith {verb}.' for q in quotes]
    found = find_quotes("Earlier: " + " ".join(parts))
    assert [q.text for q in found] == [" ".join(q) + "," for q in quotes]

"""Attribution patterns: who is credited, the evidence, and its offsets in the raw text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace.clean.attributions import find_attributions, is_attribution_line, site_label


@pytest.mark.parametrize(
    ("raw", "credited", "kind"),
    [
        ("Body.\n\nSource: RT\n", "RT", "source_line"),
        ("Body.\n\nSources: Sputnik News\n", "Sputnik News", "source_line"),
        (
            "Body.\nThe original source of this article is Global Times Copyright © GT, 2019",
            "Global Times",
            "original_source",
        ),
        ("Body.\nOriginally published by The Conversation.", "The Conversation", "first_appeared"),
        (
            "Body.\nOriginally published at https://www.example.org/story/1",
            "example.org",
            "first_appeared",
        ),
        (
            "Body.\nThis article first appeared on Mint Press News.",
            "Mint Press News",
            "first_appeared",
        ),
        (
            "Body.\nThis story was originally published in ProPublica.",
            "ProPublica",
            "first_appeared",
        ),
        (
            "Body.\nRepublished from The Moscow Times with permission.",
            "The Moscow Times",
            "republished",
        ),
        ("Body.\nReprinted with permission from Truthout.", "Truthout", "republished"),
        ("Body.\n\nvia Zero Hedge\n", "Zero Hedge", "via"),
        ("WASHINGTON (Reuters) - The Senate voted.", "Reuters", "wire"),
        ("PARIS (AFP) — Talks resumed.", "AFP", "wire"),
        ("The Senate voted on Tuesday.\n— AP", "AP", "wire"),
        (
            "The Senate voted. The Associated Press contributed to this report.",
            "The Associated Press",
            "wire",
        ),
        (
            "Based on this report from the NY Post, we may have part of our answer:",
            "the NY Post",
            "cited",
        ),
        ("A new story by Campus Reform shows the flag was raised.", "Campus Reform", "cited"),
        (
            "By <u>Staff</u>\n\nThe original source of this article is <u>TASS</u> Copyright",
            "TASS",
            "original_source",
        ),
    ],
)
def test_patterns(raw: str, credited: str, kind: str) -> None:
    found = find_attributions(raw)
    assert [(a.credited, a.kind) for a in found] == [(credited, kind)]
    a = found[0]
    assert raw[a.start : a.end] == a.evidence


@pytest.mark.parametrize(
    "raw",
    [
        "The minister said the source of the problem was funding.",
        "He travelled to Moscow via Warsaw on Monday, officials said.",
        "Reuters reported earlier that talks had stalled.",
        "The original plan was dropped last year.",
        "A story in Texas shows how far the flood spread.",
        "The report by the Inspector General was released on Monday.",
        # A common word at a sentence's start is no outlet: the text has it in lower case too.
        "Students reported that the teacher had left. Several students said so.",
        "They reported that the road was closed, and they were right.",
    ],
)
def test_no_false_credits_in_ordinary_prose(raw: str) -> None:
    assert find_attributions(raw) == []


def test_a_one_word_outlet_cited_is_still_a_credit() -> None:
    raw = "Politico reported that the deal was off (www.politico.com/story/1)."
    assert [(a.credited, a.kind) for a in find_attributions(raw)] == [("Politico", "cited")]


def test_attribution_line() -> None:
    assert is_attribution_line("Source: RT")
    assert not is_attribution_line("The source said the talks failed.")


@given(st.text(max_size=400))
def test_offsets_always_point_at_evidence(raw: str) -> None:
    for a in find_attributions(raw):
        assert 0 <= a.start < a.end <= len(raw)
        assert raw[a.start : a.end] == a.evidence


def test_site_label_is_the_name_before_the_public_suffix() -> None:
    labels = {
        "globalresearch.ca": "globalresearch",
        "rt.com": "rt",
        "news.bbc.co.uk": "bbc",
        "northstardaily.co.uk": "northstardaily",
        "abc.net.au": "abc",
        "localhost": "localhost",
    }
    assert {h: site_label(h) for h in labels} == labels


def test_ingest_places_each_credit_in_the_clean_text() -> None:
    """A credit line that cleaning removes ("From The Daily Caller:") is placed where it stood,
    before the passage it introduces; a credit inside a sentence, at its words; a link, nowhere."""
    from newstrace.clean import build_document
    from newstrace.models import Attribution, RawDocument

    passage = "A frustrated federal judge ordered the State Department to begin producing the emails."
    raw = "\n\n".join([
        "Nobody in Washington wants you to read this story, but here it is for you.",
        "From The Daily Caller:",
        passage,
        "According to TheBlaze, the judge was not amused by the delays at all.",
    ])  # fmt: skip
    link = Attribution("example.com", "link", "example.com", -1, -1, "https://example.com/a")
    doc = build_document(RawDocument(raw, "p.txt", "txt", extra_attributions=(link,)))
    assert "From The Daily Caller" not in doc.text
    placed = {a.kind: a for a in doc.attributions}
    assert doc.text[placed["from"].at :].startswith(passage)
    assert doc.text[placed["cited"].at :].startswith("According to TheBlaze")
    assert placed["link"].at is None
    assert all(Attribution.from_dict(a.to_dict()) == a for a in doc.attributions)

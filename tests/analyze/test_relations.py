# ruff: noqa: E501
"""Constructed pairs for each relation and each kind of mutation (lexical layer, so exact)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newstrace.analyze import compare
from newstrace.clean.attributions import find_attributions
from newstrace.models import Attribution, Document, Link

SOURCE = [
    "Flood defences along the Elbe river failed on Tuesday night, forcing the evacuation of four villages near Dresden.",
    "Regional governor Anna Keller said emergency crews had worked through the night to reinforce the remaining dykes.",
    '"We have never seen water levels rise this quickly, and we are doing everything we can to protect people," Keller said.',
    "The river peaked at 8.2 metres early on Wednesday, almost a metre above the previous record set in 2002.",
    "More than 3,000 residents spent the night in school gyms and sports halls across the district.",
    "Hydrologist Peter Brandt of the Dresden University of Technology warned that further rain was expected over the weekend.",
    '"The ground is saturated, so every additional millimetre of rain runs straight into the river," Brandt said.',
    "The federal government has promised emergency funds, but the amount has not yet been announced.",
    "Local farmers said they had lost most of this year's harvest to the floods.",
    "Insurance companies estimate the damage at several hundred million euros.",
    "The army has sent 500 soldiers to help fill sandbags and evacuate residents.",
    "Officials said the clean-up was likely to take several months once the water recedes.",
]
UNRELATED = [
    "The city orchestra opened its winter season with a programme of Brahms and Dvořák on Friday evening.",
    "Conductor Maria Lopez, who joined the orchestra last spring, received a standing ovation from the audience.",
    "Tickets for the remaining concerts are available from the box office and online.",
    "The season will close in March with a performance of Mahler's second symphony.",
    "Critics praised the strings in particular, calling the performance the best in a decade.",
    "The orchestra's education programme will visit twenty schools this year.",
]


def doc(i: str, sents: list[str], **kw: object) -> Document:
    return Document(id=i, text="\n\n".join(sents), **kw)  # type: ignore[arg-type]


def test_duplicate() -> None:
    copy = SOURCE[:]
    copy[4] = copy[4].replace("3,000", "three thousand")
    r = compare(doc("a", SOURCE), doc("b", copy))
    assert r.relation == "duplicate"
    assert r.coverage["derivative"]["total"] > 0.95


def test_derived_excerpt_with_additions() -> None:
    der = [*SOURCE[:3], "Critics say the government ignored years of warnings.", *SOURCE[3:6]]
    r = compare(doc("src", SOURCE, published="2023-05-02"), doc("der", der, published="2023-05-03"))
    assert r.relation == "derived"
    assert r.source.id == "src"
    assert [a.span.text for a in r.added] == [
        "Critics say the government ignored years of warnings."
    ]
    omitted = " ".join(o.text for o in r.omitted)
    assert "The federal government has promised emergency funds" in omitted
    assert "Flood defences" not in omitted


def test_partial() -> None:
    der = [*UNRELATED[:4], SOURCE[3], SOURCE[4], *UNRELATED[4:]]
    r = compare(doc("src", SOURCE), doc("der", der))
    assert r.relation == "partial"


def test_related_shares_only_a_short_quote() -> None:
    other = [
        "Residents near Dresden were evacuated as the Elbe rose to a record level this week.",
        "Emergency services said thousands of people had been moved to shelters.",
        'Governor Anna Keller told reporters: "We have never seen water levels rise this quickly."',
        "Meteorologists expect more rain in the region on Saturday and Sunday.",
        "Farmers in the area fear that their crops have been destroyed.",
    ]
    r = compare(doc("a", SOURCE), doc("b", other))
    assert r.relation == "related"


def test_unrelated() -> None:
    r = compare(doc("a", SOURCE), doc("b", UNRELATED))
    assert r.relation == "unrelated"
    assert r.passages == [] and r.added == []


def test_altered_and_absent_quotes() -> None:
    der = [
        SOURCE[0],
        '"We have never seen water levels rise this fast, and we are doing nothing we can to protect people," Keller said.',
        SOURCE[3],
        '"This is the worst disaster in our history," Keller added.',
        *SOURCE[4:8],
    ]
    r = compare(doc("src", SOURCE, published="2023-05-02"), doc("der", der, published="2023-05-04"))
    fates = {q.quote.text[:25]: q for q in r.quotes}
    altered = fates["We have never seen water "]
    assert altered.status == "altered"
    ops = {(e.source, e.derivative) for e in altered.edits}
    assert ("quickly", "fast") in ops and ("everything", "nothing") in ops
    assert fates["This is the worst disaste"].status == "absent"


def test_attribution_drift_words_put_in_a_mouth() -> None:
    der = [
        *SOURCE[:6],
        "Brandt also warned that the Finance Ministry's austerity cuts had left the dykes crumbling and unsafe.",
        *SOURCE[7:10],
    ]
    r = compare(doc("src", SOURCE, published="2023-05-02"), doc("der", der, published="2023-05-04"))
    assert [d.speaker for d in r.attribution_drift] == ["Brandt"]
    assert "austerity" in " ".join(r.attribution_drift[0].unsupported_terms)


def test_no_drift_for_faithful_reporting() -> None:
    der = [*SOURCE[:5], "Brandt said more rain was expected over the weekend.", *SOURCE[6:9]]
    r = compare(doc("src", SOURCE, published="2023-05-02"), doc("der", der, published="2023-05-04"))
    assert r.attribution_drift == []


@pytest.mark.parametrize(
    ("a_kw", "b_kw", "expect_source", "evidence"),
    [
        ({"published": "2023-05-04"}, {"published": "2023-05-01"}, "b", "dates"),
        (
            {
                "outlet": "Daily Blog",
                "attributions": (
                    Attribution("Elbe News", "source_line", "Source: Elbe News", 0, 17),
                ),
            },
            {"outlet": "Elbe News"},
            "b",
            "attribution",
        ),
        (
            {"outlet": "Copycat"},
            {"outlet": "Origin", "url": "https://origin.example/flood"},
            "b",
            "containment",
        ),
        (
            {"links": (Link("https://origin.example/flood", "source"),)},
            {"url": "https://origin.example/flood"},
            "b",
            "links",
        ),
    ],
)
def test_direction_evidence(a_kw: dict, b_kw: dict, expect_source: str, evidence: str) -> None:
    # A holds an excerpt of B plus some additions: B is the source.
    a = doc("a", [*SOURCE[2:7], "Critics say the government ignored years of warnings."], **a_kw)
    b = doc("b", SOURCE, **b_kw)
    r = compare(a, b)
    assert r.source.id == expect_source
    assert any(e.name == evidence and e.favours == expect_source for e in r.direction.evidence)


EXCERPT = [*SOURCE[2:7], "Critics say the government ignored years of warnings."]
FOLLOW_UP = {"outlet": "Elbe News", "url": "https://elbenews.example/floods-latest"}
FIRST = {"outlet": "Daily Blog", "url": "https://dailyblog.example/dykes"}


@pytest.mark.parametrize(
    ("a_kw", "b_kw", "b_text", "overruling"),
    [
        # B, the longer text, came out three days after A.
        ({"published": "2023-05-01"}, {"published": "2023-05-04"}, SOURCE, ("dates", 2.0)),
        # B credits A's outlet: a "Source:" line, or "From X:" in its text.
        (
            FIRST,
            {**FOLLOW_UP, "attributions": (Attribution("Daily Blog", "source_line", "Source: Daily Blog", 0, 18),)},
            SOURCE,
            ("attribution", 3.0),
        ),
        (FIRST, FOLLOW_UP, ["From Daily Blog:", *SOURCE], ("attribution", 3.0)),
        # B links to A's article.
        (FIRST, {**FOLLOW_UP, "links": (Link(FIRST["url"], "as first reported"),)}, SOURCE, ("links", 3.0)),
    ],
    ids=["dates", "source-line", "from-credit", "link"],
)
def test_direction_evidence_overrules_containment(
    a_kw: dict, b_kw: dict, b_text: list[str], overruling: tuple[str, float]
) -> None:
    """The more contained text is nonetheless the source when dates, a credit or a link say
    so: B, a longer follow-up, took all of A and added the background A lacks. Containment
    still favours B, and is kept on record as conflicting evidence."""
    a = doc("a", EXCERPT, **a_kw)
    b = doc("b", b_text, **b_kw)
    if not b.attributions:
        b = replace(b, attributions=tuple(find_attributions(b.text)))
    r = compare(a, b)
    assert r.source.id == "a" and r.direction.kind == "directed"
    assert r.relation in ("derived", "partial")
    name, weight = overruling
    said = [(e.name, e.favours, e.weight) for e in r.direction.evidence if e.favours]
    assert said == [(name, "a", weight), ("containment", "b", pytest.approx(1.35, abs=0.05))]
    assert r.direction.note and "conflicting" in r.direction.note
    # The same texts without the overruling evidence: containment alone says B.
    bare = compare(doc("a", EXCERPT, outlet="Daily Blog"), doc("b", SOURCE, outlet="Elbe News"))
    assert bare.source.id == "b"
    assert [(e.name, e.favours) for e in bare.direction.evidence if e.favours] == [("containment", "b")]


# A story that keeps to its subject (its sentences share its names and words), and a concert
# review, another subject, for a passage of it to be lifted into.
FLOOD = [
    "The Elbe burst its banks near Dresden on Tuesday, and flood water poured into four villages on the river's eastern side.",
    "Dresden's mayor said the flood was the worst on the Elbe since 2002, when the river rose above nine metres.",
    "Firefighters in Dresden spent the night filling sandbags to shore up the dykes along the Elbe.",
    "By Wednesday morning the flood water had reached the old town of Dresden, and the river was still rising.",
    "Residents of the flooded villages were taken to shelters in Dresden schools as the Elbe kept rising.",
    "Engineers warned that the dykes north of Dresden could fail if the Elbe rose another half metre.",
    "The flood has closed the main railway line between Dresden and Prague, which runs along the river.",
    "Officials expect the Elbe to peak on Thursday, after which the flood water should begin to recede.",
]
CONCERT = [
    "The city orchestra opened its winter season on Friday with a concert of Brahms and Dvorak.",
    "Conductor Maria Lopez led the orchestra through the Brahms symphony with great energy.",
    "The orchestra's strings were superb in the slow movement, and the concert hall applauded for minutes.",
    "Lopez said after the concert that the orchestra would tour Poland in the spring.",
    "The orchestra's next concert, on December 3, will feature a Mahler symphony under Lopez.",
]


@pytest.mark.parametrize("src_first", [True, False], ids=["source-first", "source-second"])
def test_context_fit_tells_where_a_passage_was_lifted_into(src_first: bool) -> None:
    """Three sentences of the flood story in the middle of a concert review: neither text is
    mostly reuse (containment says nothing, no dates, no credits), but the passage continues
    the story around it in one and interrupts the other, so the flood story is the source."""
    src = doc("src", FLOOD, outlet="Elbe News")
    der = doc("der", [*CONCERT[:3], *FLOOD[2:5], *CONCERT[3:]], outlet="Concert Blog")
    r = compare(src, der) if src_first else compare(der, src)
    assert (r.source.id, r.derivative.id) == ("src", "der")
    assert r.relation == "partial" and r.direction.kind == "directed"
    side = "a" if src_first else "b"
    said = [e for e in r.direction.evidence if e.favours]
    assert [(e.name, e.favours) for e in said] == [("context", side)]
    assert "fits its context in Elbe News [src]" in said[0].detail and "reads as inserted" in said[0].detail
    assert next(e for e in r.direction.evidence if e.name == "containment").favours is None


def test_context_fit_explains_away_the_containment_of_padding() -> None:
    """A copy of most of the story padded with half a concert review is the less contained
    text, which containment alone would take for the source; the padding does not fit the
    story, so containment is explained away and the story is the source."""
    src = doc("src", FLOOD[:6], outlet="Elbe News")
    der = doc("der", [*FLOOD[1:6], *CONCERT], outlet="Concert Blog")
    r = compare(der, src)
    assert (r.source.id, r.derivative.id) == ("src", "der")
    assert r.direction.kind == "directed"
    assert [(e.name, e.favours) for e in r.direction.evidence if e.favours] == [("context", "b")]
    contained = next(e for e in r.direction.evidence if e.name == "containment")
    assert contained.favours is None and "explained by the inserted text" in contained.detail


def test_conflicting_evidence_is_said() -> None:
    a = doc(
        "a",
        [*SOURCE[2:7], "Critics say the government ignored years of warnings."],
        published="2023-05-01",
    )
    b = doc("b", SOURCE, published="2023-05-04")
    r = compare(a, b)
    assert r.direction.note and "conflicting" in r.direction.note
    assert r.direction.confidence < 0.8


def test_no_evidence_gives_zero_confidence() -> None:
    r = compare(doc("a", SOURCE), doc("b", SOURCE))
    assert r.direction.confidence == 0.0 and r.direction.note


# -- direction from real evidence -------------------------------------------------------------
def _excerpt_pair(a_kw: dict, b_kw: dict) -> tuple[Document, Document]:
    a = doc("a", [*SOURCE[2:7], "Critics say the government ignored years of warnings."], **a_kw)
    return a, doc("b", SOURCE, **b_kw)


@pytest.mark.parametrize(
    "credit",
    [
        "From Elbe News:",
        "Elbe News reports that the dykes failed.",
        "As Elbe News reported, the dykes failed.",
        "Read the rest of the story at Elbe News",
        "According to Elbe News, the dykes failed.",
    ],
)
def test_credits_in_the_text_give_direction(credit: str) -> None:
    a = doc("a", [credit, *SOURCE[2:7]], outlet="Daily Blog")
    a = replace(a, attributions=tuple(find_attributions(a.text)))
    r = compare(a, doc("b", SOURCE, outlet="Elbe News"))
    assert r.source.id == "b" and r.direction.kind == "directed"
    assert any(e.name == "attribution" and e.favours == "b" for e in r.direction.evidence)


def test_two_copies_of_one_wire_story_are_siblings_not_parent_and_child() -> None:
    wire = Attribution("AP", "wire", "DRESDEN (AP) —", 0, 14)
    a = doc("a", ["DRESDEN (AP) — " + SOURCE[0], *SOURCE[1:8]], outlet="Paper One", attributions=(wire,))
    b = doc("b", ["DRESDEN (AP) — " + SOURCE[0], *SOURCE[1:10]], outlet="Paper Two", attributions=(wire,))
    r = compare(a, b)
    assert r.direction.kind == "common" and r.direction.common_source == "AP"
    assert r.direction.confidence == 0.0 and "siblings" in (r.direction.note or "")


def test_without_evidence_the_order_given_is_kept_and_said() -> None:
    """Two versions of one outlet's story, undated: the shorter may be the first or a cut."""
    short, long_ = doc("s", SOURCE[:6], outlet="Wire"), doc("l", SOURCE, outlet="Wire")
    for x, y in ((short, long_), (long_, short)):
        r = compare(x, y)
        assert r.direction.kind == "undirected" and r.source.id == x.id  # never "the longer"
        assert "only because it came first" in (r.direction.note or "")
        # What the second text has beyond the first is added, never "omitted" by an arbitrary order.
        if x is short:
            assert r.added and not r.omitted
        else:
            assert r.omitted and not r.added


@pytest.mark.parametrize("given", ["a", "b"])
def test_the_user_can_say_which_is_the_source(given: str) -> None:
    """``--source``: the user's word decides, and the inferred evidence stays on record."""
    a, b = _excerpt_pair({"published": "2023-05-02"}, {"published": "2023-05-01"})
    inferred = compare(a, b)
    assert inferred.source.id == "b"  # b is dated earlier
    r = compare(a, b, source=given)
    assert r.source.id == given and r.direction.kind == "directed" and r.direction.confidence == 1.0
    assert any(e.name == "dates" and e.favours == "b" for e in r.direction.evidence)
    if given == "a":
        assert "points the other way" in (r.direction.note or "")


def test_a_date_on_one_side_only_and_one_outlets_versions_say_nothing() -> None:
    a, b = _excerpt_pair({"outlet": "Wire"}, {"outlet": "Wire", "published": "2023-05-01"})
    r = compare(a, b)
    named = {e.name: e for e in r.direction.evidence}
    assert named["dates"].favours is None and named["containment"].favours is None
    assert r.direction.kind == "undirected"


def test_dates_overrule_containment() -> None:
    """The shorter text came first (a breaking item, then the full report): dates decide."""
    a, b = _excerpt_pair({"outlet": "Wire A", "published": "2023-05-01"}, {"outlet": "Paper B", "published": "2023-05-03"})
    r = compare(a, b)
    assert r.source.id == "a"
    assert any(e.name == "containment" and e.favours == "b" for e in r.direction.evidence)
    assert "conflicting" in (r.direction.note or "")


def test_containment_across_languages_speaks_only_past_the_alignment_noise() -> None:
    from newstrace.analyze.direction import CROSS_CONTAINMENT_MARGIN, containment_evidence

    a, b = Document(id="a", text="x", outlet="One"), Document(id="b", text="y", outlet="Two")
    # One language: 100 % against 85 % says B is the derivative.
    (same,) = containment_evidence(a, b, 0.85, 1.0)
    assert same.favours == "a"
    # Two languages: a gap the aligner makes (unpaired sentences) says nothing ...
    (cross,) = containment_evidence(a, b, 0.85, 1.0, cross=True)
    assert cross.favours is None and cross.weight == 0.0
    # ... a translation of half an article still does.
    (half,) = containment_evidence(a, b, 1.0 - CROSS_CONTAINMENT_MARGIN - 0.3, 1.0, cross=True)
    assert half.favours == "a" and half.weight > 0


def _quoting_pair(credit: str, *, quoted_outlet: str = "Elbe News") -> tuple[Document, Document]:
    """A blog that gives three of the story's sentences as a block quotation after ``credit``,
    and an outlet that carries the whole story as its own narration (no credit, no date)."""
    own = [
        "The authorities were warned about the state of the dykes years ago and did nothing about it.",
        "Here is what happened on the river this week, as reported elsewhere.",
        "Readers who live along the river have told us the same story for a long time now.",
    ]
    quoted = " ".join([SOURCE[0], SOURCE[1], SOURCE[3]])  # one paragraph, set off by the colon
    blog = doc("blog", [*own, credit, quoted, "We will keep following this story for our readers."], outlet="River Blog")
    blog = replace(blog, attributions=tuple(find_attributions(blog.text)))
    return blog, doc("outlet", SOURCE, outlet=quoted_outlet)


def test_quoting_the_others_narration_credited_to_it_makes_it_the_source() -> None:
    blog, outlet = _quoting_pair("Elbe News reports:")
    r = compare(blog, outlet)
    assert r.direction.kind == "directed" and r.source.id == "outlet"
    assert any(e.name == "attribution" for e in r.direction.evidence)


def test_a_quotation_credited_to_a_third_party_makes_siblings_not_quoter_and_quoted() -> None:
    """The blog quotes the paragraphs from the Associated Press, and the other outlet is not the
    AP: the words are the AP's, carried by both, so neither is shown as the other's source."""
    blog, outlet = _quoting_pair("The Associated Press reports:")
    assert [(t.kind, t.credited) for t in blog.attributions] == [("cited", "The Associated Press")]
    for x, y in ((blog, outlet), (outlet, blog)):
        r = compare(x, y)
        assert r.direction.kind == "common" and r.direction.common_source == "The Associated Press"
        assert not [e for e in r.direction.evidence if e.name == "quotation"]
        said = next(e for e in r.direction.evidence if e.name == "common_source").detail
        assert "River Blog [blog] quotes the" in said and "Elbe News [outlet] is not The Associated Press" in said
    # The credit as the raw page had it (a no-break space) is found in the clean text all the same.
    raw = Attribution("The Associated Press", "cited", "The Associated Press\xa0reports:", 0, 29)
    r = compare(replace(blog, attributions=(raw,)), outlet)
    assert r.direction.kind == "common" and r.direction.common_source == "The Associated Press"
    # A text nothing names (no outlet, site or author) may be the AP's: the blog quotes it.
    blog, anonymous = _quoting_pair("The Associated Press reports:")
    r = compare(blog, replace(anonymous, outlet=None))
    assert r.direction.kind == "directed" and r.source.id == "outlet"
    # Nor is it said of a text whose name the credit may abbreviate ("WaPo" of the Post).
    blog, post = _quoting_pair("WaPo reports:", quoted_outlet="The Washington Post")
    assert [t.credited for t in blog.attributions] == ["WaPo"]
    r = compare(blog, post)
    assert r.direction.kind == "directed" and r.source.id == "outlet"
    # Were the other outlet the AP itself, the blog quotes it: the AP is the source.
    blog, wire = _quoting_pair("The Associated Press reports:", quoted_outlet="The Associated Press")
    r = compare(blog, wire)
    assert r.direction.kind == "directed" and r.source.id == "outlet"


def test_a_credit_far_from_the_quotation_does_not_introduce_it() -> None:
    """A credit that stands more than CREDIT_REACH characters before the quotation credits
    something else: the quotation is still read as the blog quoting the other's narration."""
    blog, outlet = _quoting_pair("Here is how it was told:")
    far = "According to The Associated Press, the river rose fast. " + "x" * 10
    blog = doc("blog", [far, *blog.text.split("\n\n")], outlet="River Blog")
    blog = replace(blog, attributions=tuple(find_attributions(blog.text)))
    assert [t.credited for t in blog.attributions] == ["The Associated Press"]
    r = compare(blog, outlet)
    assert r.direction.kind == "directed" and r.source.id == "outlet"
    assert [e.name for e in r.direction.evidence if e.favours] == ["quotation"]


def test_two_texts_crediting_one_origin_stay_siblings_when_one_quotes_the_other() -> None:
    """Both credit the Daily Caller; one gives the shared sentences as a quotation (its credit a
    line at the end), the other as narration after its own credit: the words are the Daily
    Caller's, not either's."""
    blog, _ = _quoting_pair("Here is how it was told:")
    blog = doc("blog", [*blog.text.split("\n\n"), "Source: The Daily Caller"], outlet="River Blog")
    blog = replace(blog, attributions=tuple(find_attributions(blog.text)))
    carried = doc("outlet", ["From the Daily Caller News Foundation:", *SOURCE], outlet="Eagle Post")
    carried = replace(carried, attributions=tuple(find_attributions(carried.text)))
    r = compare(blog, carried)
    assert [e.name for e in r.direction.evidence if e.favours] == ["quotation"]  # heard, outweighed
    assert r.direction.kind == "common" and r.direction.common_source == "The Daily Caller"
    assert r.source.id == "blog"  # the order given, no direction


def test_a_byline_naming_the_origin_a_text_credits_is_not_that_text() -> None:
    """A republisher whose byline is the origin's name ("Campus Reform") and which says so
    ("Read the rest of the story at Campus Reform") is not Campus Reform: a third text crediting
    Campus Reform credits the origin, not the republisher."""
    reposted = doc("reposted", [*SOURCE[:6], "Read the rest of the story at Campus Reform"], outlet="Eagle Post", author="Campus Reform")
    reposted = replace(reposted, attributions=tuple(find_attributions(reposted.text)))
    blog = doc("blog", ["Campus Reform reported:", *SOURCE[:5], "Unbelievable."], outlet="River Blog")
    blog = replace(blog, attributions=tuple(find_attributions(blog.text)))
    r = compare(blog, reposted)
    assert not [e for e in r.direction.evidence if e.name == "attribution"]
    assert r.direction.kind == "common" and r.direction.common_source == "Campus Reform"


OWN = [
    "Nobody in the capital seems to care about the people along the river.",
    "Here is the report everybody should read before the next election.",
]


def _credited_block(credit: str, *, dated: bool = True) -> Document:
    """A blog that gives six of the story's sentences after a credit line, the way a page
    is cleaned: the credit line is gone from the clean text and stands in the raw one only."""
    block = SOURCE[:6]
    raw = "\n\n".join([*OWN, credit, *block, "Share this story with your friends."])
    text = "\n\n".join([*OWN, *block])
    found = [t for t in find_attributions(raw) if t.kind == "from"]
    assert [t.credited for t in found] == ["Gateway Pundit"]
    return Document(id="blog", text=text, raw=raw, outlet="River Blog", attributions=tuple(found),
                    published="2023-05-03" if dated else None)  # fmt: skip


def test_a_passage_a_text_gives_as_a_third_partys_makes_siblings() -> None:
    """ "From Gateway Pundit:" (a line cleaning removed) introduces the passage the blog shares
    with another outlet, which is not Gateway Pundit and credits nobody: both carry Gateway
    Pundit's text, so neither is the other's source. Where the dates tell which came first, they
    decide: the later text may have taken the passage from the earlier and dropped its credit."""
    blog = _credited_block("From Gateway Pundit:", dated=False)
    other = doc("other", [*SOURCE[:6], "Hat tip to the Gateway Pundit."], outlet="Eagle Post")
    for x, y in ((blog, other), (other, blog)):
        r = compare(x, y)
        assert r.direction.kind == "common" and r.direction.common_source == "Gateway Pundit"
        said = next(e for e in r.direction.evidence if e.name == "common_source").detail
        assert "River Blog [blog] gives the shared passages as Gateway Pundit's ('From Gateway Pundit:')" in said
        assert "Eagle Post [other] is not Gateway Pundit" in said
    dated = compare(replace(blog, published="2023-05-03"), replace(other, published="2023-05-01"))
    assert dated.direction.kind == "directed" and dated.source.id == "other"
    assert not [e for e in dated.direction.evidence if e.name == "common_source"]
    # Where the other text is Gateway Pundit's, the credit names it: it is the source.
    r = compare(blog, replace(other, outlet="Gateway Pundit"))
    assert r.direction.kind == "directed" and r.source.id == "other"
    # A text nothing names may be Gateway Pundit's: nothing is said of siblings; nor of one that
    # does not name Gateway Pundit (it may have taken the passage from the blog, or the blog's
    # credit may be false).
    for unknown in (replace(other, outlet=None), doc("other", [*SOURCE[:6], "What a week."], outlet="Eagle Post")):
        r = compare(blog, unknown)
        assert r.direction.kind != "common"
        assert not [e for e in r.direction.evidence if e.name == "common_source"]


def test_a_credit_for_a_small_part_of_the_shared_text_makes_no_siblings() -> None:
    """The credited passage is one sentence of the six the texts share: most of what they share
    is the blog's own, and nothing is said of siblings."""
    raw = "\n\n".join([*OWN, *SOURCE[:5], "From Gateway Pundit:", SOURCE[5]])
    text = "\n\n".join([*OWN, *SOURCE[:6]])
    blog = Document(id="blog", text=text, raw=raw, outlet="River Blog", attributions=tuple(find_attributions(raw)))
    other = doc("other", [*SOURCE[:6], "Gateway Pundit had it first."], outlet="Eagle Post")
    r = compare(blog, other)
    assert r.direction.kind != "common"
    assert not [e for e in r.direction.evidence if e.name == "common_source"]
    # The whole passage after the credit: siblings.
    whole = replace(blog, raw="\n\n".join([*OWN, "From Gateway Pundit:", *SOURCE[:6]]), attributions=())
    whole = replace(whole, attributions=tuple(find_attributions(whole.raw)))
    assert compare(whole, other).direction.kind == "common"


def test_a_citation_credits_its_own_paragraph_only() -> None:
    """ "According to X," credits the paragraph it opens, not the paragraphs after it; "X reported
    that:" ending its paragraph introduces the block that follows."""
    from newstrace.analyze.direction import credited_passage_evidence

    other = doc("other", [*SOURCE, "As TheBlaze put it, the river won."], outlet="Eagle Post")
    for opening, common in (("According to TheBlaze, the news was grim.", False), ("TheBlaze reported that:", True)):
        blog = doc("blog", [*OWN, opening, *SOURCE[:4]], outlet="River Blog")
        blog = replace(blog, attributions=tuple(find_attributions(blog.text)))
        assert [t.kind for t in blog.attributions] == ["cited"]
        start = blog.text.index(SOURCE[0])
        spans = [(start, len(blog.text))]  # the four sentences, reused as one passage
        got = credited_passage_evidence(blog, other, spans, [(0, len(other.text))])
        assert bool(got) is common
    # "as the X," names something; it credits nobody.
    blog = doc("blog", [*OWN, "The law, known as the Flood Protection Act, was passed. " + SOURCE[0]], outlet="River Blog")
    blog = replace(blog, attributions=tuple(find_attributions(blog.text)))
    assert [(t.kind, t.credited) for t in blog.attributions] == [("cited", "the Flood Protection Act")]
    start = blog.text.index(SOURCE[0])
    assert not credited_passage_evidence(blog, other, [(start, len(blog.text))], [(0, len(other.text))])


def test_a_text_that_gives_the_others_headline_refers_to_it() -> None:
    """A digest that excerpts the story and names its headline ("READ: ...") refers to it: the
    story is the source, though neither is dated and the digest credits no outlet."""
    story = doc("story", SOURCE, outlet="Elbe News", title="Flood defences fail along the Elbe near Dresden")
    digest = doc("digest", [*UNRELATED, *SOURCE[:3], "READ: Flood defences fail along the Elbe near Dresden"], outlet="Morning Digest", title="Your morning briefing")
    for x, y in ((story, digest), (digest, story)):
        r = compare(x, y)
        assert r.direction.kind == "directed" and r.source.id == "story"
        (said,) = [e for e in r.direction.evidence if e.name == "headline"]
        assert "Morning Digest [digest] gives Elbe News [story]'s headline" in said.detail
    # One headline on both says nothing; nor does a short headline, said in passing.
    same = replace(digest, title=story.title)
    assert not [e for e in compare(story, same).direction.evidence if e.name == "headline"]
    # A headline taken from a quotation of the other text (its start, not all of it) names nothing.
    lifted = doc("lifted", SOURCE[:5], outlet="River Blog", title='We have never seen water levels rise this quickly')
    assert not [e for e in compare(story, lifted).direction.evidence if e.name == "headline"]
    # Nor one the other text gives after a speaker's "said:" (a label is in capitals: "READ:").
    said = doc("said", [*UNRELATED, "Keller said: Flood defences fail along the Elbe near Dresden", *SOURCE[:3]], outlet="River Blog", title="Keller speaks")
    assert not [e for e in compare(story, said).direction.evidence if e.name == "headline"]
    short = replace(story, title="Elbe floods")
    assert not [e for e in compare(short, replace(digest, text=digest.text.replace("READ: Flood defences fail along the Elbe near Dresden", "Elbe floods"))).direction.evidence if e.name == "headline"]


def test_a_wire_story_and_a_text_naming_the_wire_are_siblings() -> None:
    """One text is the AP's story under its dateline, the other carries the same words and
    names the AP (no dateline of its own): both carry the AP's text. Without that name the
    other may have taken it from the first: nothing is said."""
    wire = doc("wire", ["NEW YORK (AP) — " + SOURCE[0], *SOURCE[1:6]], outlet="Freedom Daily")
    wire = replace(wire, attributions=tuple(find_attributions(wire.text)))
    assert [(t.kind, t.credited) for t in wire.attributions] == [("wire", "AP")]
    naming = doc("paper", [*SOURCE[:6], "An AP photographer saw the dykes give way."], outlet="Elbe Post")
    r = compare(wire, naming)
    assert r.direction.kind == "common" and r.direction.common_source == "AP"
    silent = doc("paper", [*SOURCE[:6], "A photographer saw the dykes give way."], outlet="Elbe Post")
    assert compare(wire, silent).direction.kind != "common"

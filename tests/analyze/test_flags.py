# ruff: noqa: E501
"""Flags are accusations (README, *Compare two articles*): each rule, one by one, on a
same-language (English) pair, lexical layer.

An altered quote or attribution drift is raised only when the pair is ``directed`` with
confidence 50 % or more, and only where the words sit in text taken from the source. An altered
quote is words replaced or added inside a quotation of eight words or more; an ellipsis, a
bracketed or parenthetical insertion, a spelling or transcription variant, a dropped filler or
aside, or one text quoting more of the statement than the other is not. Where who changed the
words is not known, the quotation ``differs``: said, not flagged.

Every case that expects no flag runs on a pair whose direction is known (dated two days apart,
confidence well over 50 %), so that only the rule under test can be what holds the flag back;
and each gate has a control beside it that raises the flag.
"""

from __future__ import annotations

import pytest

import newstrace.analyze as analyze
from newstrace.align import AlignParams
from newstrace.analyze import PairReport, compare
from newstrace.analyze.quotes import QuoteFate
from tests.analyze.test_relations import SOURCE, UNRELATED, doc

QUOTE = '"We will not let the water take a single home in this district, whatever it costs," Keller said.'
SOURCE_TEXT = [*SOURCE[:2], QUOTE, *SOURCE[3:]]
# A replaced word inside the quotation: "district" became "country".
ALTERED = QUOTE.replace("in this district", "in this country")

DATED = ({"published": "2023-05-02"}, {"published": "2023-05-04"})  # dates: confidence 0.79


def _pair(
    source_quote: str,
    derivative_quote: str,
    *,
    src_kw: dict | None = None,
    der_kw: dict | None = None,
    params: AlignParams | None = None,
    derivative: list[str] | None = None,
) -> tuple[PairReport, QuoteFate]:
    """The source (Keller's quotation in its place) and a derivative that takes the lead, the
    quotation and four sentences after it; the report and the fate of the derivative's quotation."""
    src_kw = DATED[0] if src_kw is None else src_kw
    der_kw = DATED[1] if der_kw is None else der_kw
    src = doc("src", [*SOURCE[:2], source_quote, *SOURCE[3:]], **src_kw)
    der_sents = derivative if derivative is not None else [SOURCE[0], derivative_quote, *SOURCE[3:8]]
    r = compare(src, doc("der", der_sents, **der_kw), params=params)
    assert r.source.id == "src"
    words = derivative_quote.split('"')[1].split()[:4]
    fate = next(q for q in r.quotes if q.quote.text.split()[:4] == words)
    return r, fate


def _accusable(r: PairReport) -> bool:
    return r.direction.kind == "directed" and r.direction.confidence >= 0.5


def _flags(r: PairReport) -> tuple[int, int]:
    d = r.to_dict()
    return sum(q["status"] == "altered" for q in d["quotes"]), len(d["attribution_drift"])


# -- the direction gate ---------------------------------------------------------------------------


def test_a_replaced_word_in_a_directed_pair_is_an_altered_quote() -> None:
    """The control for every case below: dated two days apart, the pair is directed at 0.79 and
    the replaced word is flagged."""
    r, fate = _pair(QUOTE, ALTERED)
    assert _accusable(r)
    assert fate.status == "altered"
    assert [(e.op, e.source, e.derivative) for e in fate.edits] == [("replace", "district", "country")]
    assert _flags(r) == (1, 0)


@pytest.mark.parametrize(
    ("src_kw", "der_kw", "kind"),
    [
        pytest.param({}, {}, "directed", id="undated, containment only (0.42)"),
        pytest.param(
            {"published": "2023-05-02T09:00:00+00:00", "outlet": "Elbe News"},
            {"published": "2023-05-02T15:00:00+00:00", "outlet": "Elbe News"},
            "directed",
            id="same day, hours apart (0.39)",
        ),
        pytest.param({"outlet": "Elbe News"}, {"outlet": "Elbe News"}, "undirected", id="no evidence"),
    ],
)
def test_no_altered_quote_without_a_direction_of_50_percent(src_kw: dict, der_kw: dict, kind: str) -> None:
    """The same edited quotation, where who copied whom is not known well enough: it ``differs``,
    its edits said, and nothing is flagged."""
    r, fate = _pair(QUOTE, ALTERED, src_kw=src_kw, der_kw=der_kw)
    assert r.direction.kind == kind and r.direction.confidence < 0.5
    assert fate.status == "differs"
    assert "who copied whom is not known" in (fate.note or "")
    assert [(e.source, e.derivative) for e in fate.edits] == [("district", "country")]
    assert _flags(r) == (0, 0)


def test_the_bar_is_the_direction_confidence_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """The undated pair (directed at 0.42) is held back by the 50 % bar and nothing else: under
    a bar below its confidence the same quotation is flagged."""
    assert analyze.ACCUSATION_CONFIDENCE == 0.5
    r, fate = _pair(QUOTE, ALTERED, src_kw={}, der_kw={})
    assert r.direction.kind == "directed" and 0.4 < r.direction.confidence < 0.5
    assert fate.status == "differs"
    monkeypatch.setattr(analyze, "ACCUSATION_CONFIDENCE", 0.4)
    r, fate = _pair(QUOTE, ALTERED, src_kw={}, der_kw={})
    assert fate.status == "altered"


# -- the taken-text gate --------------------------------------------------------------------------


def test_an_altered_quote_outside_text_taken_from_the_source_is_not_flagged() -> None:
    """The derivative sets the edited quotation among its own sentences and takes other prose of
    the source. The default aligner takes nearly any rendering of a quotation (it aligns it as
    a near-verbatim passage: the control); an aligner that takes only runs of 12 words or more
    leaves the quotation outside every passage, and the quotation only ``differs``."""
    short_src = '"We will protect every single home in this district," Keller said.'
    short_der = '"We will protect every single farm in this district," Keller said.'
    derivative = [*UNRELATED[:3], short_der, *UNRELATED[3:], *SOURCE[7:12]]
    r, fate = _pair(short_src, short_der, derivative=derivative)
    assert _accusable(r) and fate.status == "altered"  # the control: the quotation was taken
    strict = AlignParams(min_words=12, near_verbatim_ratio=1.0, para_lexical=1.0)
    r, fate = _pair(short_src, short_der, derivative=derivative, params=strict)
    assert _accusable(r) and r.relation == "partial"
    assert not any(p["derivative"]["start"] <= fate.quote.start < p["derivative"]["end"] for p in r.passages)
    assert fate.status == "differs"
    assert fate.note == "the two quote it differently, but not in text taken from the source: not flagged as altered"
    assert _flags(r) == (0, 0)


# -- what an alteration is ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source_quote", "derivative_quote", "flagged"),
    [
        pytest.param(
            '"We will protect every single home here," Keller said.',
            '"We will protect every single farm here," Keller said.',
            False,
            id="7 words: too short",
        ),
        pytest.param(
            '"We will protect every single home in Dresden," Keller said.',
            '"We will protect every single farm in Dresden," Keller said.',
            True,
            id="8 words",
        ),
    ],
)
def test_an_altered_quote_needs_eight_words(source_quote: str, derivative_quote: str, flagged: bool) -> None:
    r, fate = _pair(source_quote, derivative_quote)
    assert _accusable(r)
    if flagged:
        assert fate.status == "altered"
        assert [(e.op, e.source, e.derivative) for e in fate.edits] == [("replace", "home", "farm")]
    else:
        # Too little to say which words were changed: a short line matches another occasion's.
        assert fate.status == "absent" and fate.note == "too short to compare"
    assert _flags(r) == (int(flagged), 0)


@pytest.mark.parametrize(
    ("derivative_quote", "edit"),
    [
        pytest.param(ALTERED, ("replace", "district", "country"), id="a replaced word"),
        pytest.param(QUOTE.replace("a single home", "a single foreign home"), ("insert", "", "foreign"), id="an added word"),
        pytest.param(QUOTE.replace("will not let", "will let"), ("delete", "not", ""), id="a dropped negation"),
    ],
)
def test_words_replaced_or_added_are_an_alteration(derivative_quote: str, edit: tuple[str, str, str]) -> None:
    r, fate = _pair(QUOTE, derivative_quote)
    assert _accusable(r)
    assert fate.status == "altered"
    assert [(e.op, e.source, e.derivative) for e in fate.edits] == [edit]
    assert _flags(r) == (1, 0)


@pytest.mark.parametrize(
    ("source_quote", "derivative_quote"),
    [
        pytest.param(QUOTE, QUOTE.replace("the water take", "the water … take"), id="an ellipsis mark"),
        pytest.param(QUOTE, QUOTE.replace("home in this district, whatever", "home ... whatever"), id="an ellipsis for left-out words"),
        pytest.param(QUOTE, QUOTE.replace("take a single home", "take a single home [in Saxony]"), id="a bracketed insertion"),
        pytest.param(QUOTE, QUOTE.replace("a single home", "a single (family) home"), id="a parenthetical insertion"),
        pytest.param(QUOTE, QUOTE.replace("whatever", "what ever"), id="a spelling variant: what ever"),
        pytest.param(
            QUOTE.replace("this district", "this neighbourhood"), QUOTE.replace("this district", "this neighborhood"),
            id="a spelling variant: neighbourhood",
        ),
        pytest.param(
            QUOTE.replace("We will not", "We are sure: we will not"), QUOTE.replace("We will not", "We're sure: we will not"),
            id="a transcription variant: we're",
        ),
        pytest.param(
            QUOTE.replace("whatever it costs", "whatever our worries on the budget"),
            QUOTE.replace("whatever it costs", "whatever our worries concerning the budget"),
            id="one word of what it is about for another: on, concerning",
        ),
        pytest.param(QUOTE.replace("We will not", "Well, we will just not"), QUOTE, id="a dropped filler"),
        pytest.param(
            QUOTE.replace("in this district", "in this home"), QUOTE,
            id="a slip in the source's transcription (a word repeated) the derivative corrects",
        ),
        pytest.param(QUOTE.replace("whatever it costs", "whatever, frankly, it costs"), QUOTE, id="a dropped aside"),
        pytest.param(
            QUOTE, QUOTE.replace('costs,"', 'costs, and we will rebuild every dyke that failed,"'),
            id="the derivative quotes more",
        ),
        pytest.param(QUOTE, QUOTE.replace('in this district, whatever it costs,"', 'in this district,"'), id="the derivative quotes less"),
    ],
)
def test_edits_that_are_no_alteration(source_quote: str, derivative_quote: str) -> None:
    """Each on a directed pair (the gate open): the quotation is preserved, nothing flagged."""
    assert source_quote != derivative_quote
    r, fate = _pair(source_quote, derivative_quote)
    assert _accusable(r)
    assert fate.status == "preserved", (fate.status, fate.edits)
    assert fate.edits == ()
    assert _flags(r) == (0, 0)


# -- attribution drift ----------------------------------------------------------------------------

DRIFT = "Brandt also warned that the Finance Ministry's austerity cuts had left the dykes crumbling and unsafe."


def _drift(derivative: list[str], src_kw: dict, der_kw: dict) -> PairReport:
    r = compare(doc("src", SOURCE, **src_kw), doc("der", derivative, **der_kw))
    assert r.source.id == "src" and r.relation in ("derived", "partial")
    return r


def test_drift_beside_the_speakers_reused_words_in_a_directed_pair_is_flagged() -> None:
    """The control: the claim sits right after Brandt's reused warning, the pair is dated."""
    r = _drift([*SOURCE[:6], DRIFT, *SOURCE[7:10]], *DATED)
    assert _accusable(r)
    assert [d.speaker for d in r.attribution_drift] == ["Brandt"]
    assert _flags(r) == (0, 1)


@pytest.mark.parametrize(
    ("src_kw", "der_kw"),
    [
        pytest.param({}, {}, id="undated (0.17)"),
        pytest.param(
            {"published": "2023-05-02T09:00:00+00:00", "outlet": "Elbe News"},
            {"published": "2023-05-02T15:00:00+00:00", "outlet": "Elbe Post"},
            id="same day, hours apart (0.498)",
        ),
    ],
)
def test_no_drift_without_a_direction_of_50_percent(src_kw: dict, der_kw: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    der = [*SOURCE[:6], DRIFT, *SOURCE[7:10]]
    r = _drift(der, src_kw, der_kw)
    assert r.direction.confidence < 0.5
    assert r.attribution_drift == [] and _flags(r) == (0, 0)
    # Held back by the bar, not by anything else about the pair.
    monkeypatch.setattr(analyze, "ACCUSATION_CONFIDENCE", r.direction.confidence)
    if r.direction.kind == "directed":
        assert [d.speaker for d in _drift(der, src_kw, der_kw).attribution_drift] == ["Brandt"]


def test_no_flag_between_two_versions_of_one_outlets_story() -> None:
    """Dated two days apart (directed, 0.79), but both the outlet's own: a later version that
    adds a speaker's words or edits a quotation is the outlet's own reporting and editing (a
    fuller story of the same interview), not words put in a mouth. Controls: the same pairs
    from two outlets are flagged (above)."""
    one = ({**DATED[0], "outlet": "Elbe News"}, {**DATED[1], "outlet": "Elbe News"})
    r = _drift([*SOURCE[:6], DRIFT, *SOURCE[7:10]], *one)
    assert r.direction.kind == "directed" and r.direction.confidence >= 0.5
    assert r.attribution_drift == [] and _flags(r) == (0, 0)
    r, fate = _pair(QUOTE, ALTERED, src_kw=one[0], der_kw=one[1])
    assert fate.status == "differs" and "one outlet" in (fate.note or "")
    assert [(e.source, e.derivative) for e in fate.edits] == [("district", "country")]
    assert _flags(r) == (0, 0)
    two = ({**DATED[0], "outlet": "Elbe News"}, {**DATED[1], "outlet": "Elbe Post"})
    assert _flags(_drift([*SOURCE[:6], DRIFT, *SOURCE[7:10]], *two)) == (0, 1)
    assert _flags(_pair(QUOTE, ALTERED, src_kw=two[0], der_kw=two[1])[0]) == (1, 0)


def test_no_drift_away_from_text_taken_from_the_speaker() -> None:
    """The same claim, in a directed pair, at the end of the derivative after sentences of its
    own: no reused words of Brandt's are in or beside it (it may be the derivative's own
    reporting), so it is not words put in his mouth."""
    r = _drift([*SOURCE[:3], *SOURCE[7:10], *UNRELATED[:2], DRIFT], *DATED)
    assert _accusable(r)
    assert r.attribution_drift == [] and _flags(r) == (0, 0)

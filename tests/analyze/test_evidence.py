# ruff: noqa: E501
"""Relations that mean what they say: only prose one of the texts wrote is evidence of reuse."""

from __future__ import annotations

import hashlib

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from newstrace.align import Alignment, align, analyse_text
from newstrace.analyze import MIN_SHARE_WORDS, compare, explain_relation, relation_of
from newstrace.analyze.evidence import (
    DIGEST_WORDS,
    SAME_FIGURES_MANY,
    SHORT_ITEM_WORDS,
    Commonness,
    ReuseEvidence,
    SharedMeaning,
    figure_values,
    restated_figures,
    reuse_evidence,
    spelling_variant,
    title_frequencies,
)
from newstrace.clean.text import words
from newstrace.detect import DetectParams, common_forms, corpus_commonness
from newstrace.index.minhash import sample_fingerprints
from newstrace.index.shingles import form_words, shingle_hashes
from newstrace.models import Document, Passage

STATEMENT = (
    "We will rebuild every bridge that the water took, we will reopen every road that it closed, "
    "and we will not rest until the families who lost their homes have a roof over their heads again, "
    "because that is what we owe them and that is what I promised them when I took this office."
)
NARRATION_A = [
    "Floodwater receded from the centre of Dresden on Thursday, leaving streets covered in mud and debris.",
    "Engineers began inspecting the old stone bridge, which was closed to traffic on Monday night.",
    "The regional governor visited a shelter in a school gym in the afternoon.",
]
NARRATION_B = [
    "Residents of the Saxon capital started cleaning their shops as the river fell back to its usual level.",
    "Army trucks brought drinking water to the eastern districts, where the supply had failed.",
    "Speaking outside the town hall, the governor promised help.",
]
LEDE = (
    "Regional officials in Saxony quietly shelved a plan to raise the river dykes by a metre in 2019, "
    "according to internal minutes seen by this newspaper, after a consultant's report warned that the "
    "work would cost more than 200 million euros and take a decade to finish."
)


def doc(i: str, paras: list[str], **kw: object) -> Document:
    return Document(id=i, text="\n\n".join(paras), **kw)  # type: ignore[arg-type]


def test_shared_third_party_statement_is_related_however_long() -> None:
    a = doc("a", [*NARRATION_A, f'"{STATEMENT}" the governor said.'])
    b = doc("b", [*NARRATION_B, f'She added: "{STATEMENT}"'])
    r = compare(a, b)
    assert r.relation == "related"
    assert r.evidence is not None and r.evidence.third_party_words >= 50 and r.evidence.words < 10


def test_a_statement_one_report_quotes_and_the_other_reprints_is_third_party() -> None:
    # One first-person word in 32 (3 %): a politician's statement, not an outlet's narration.
    said = ("For some time the campaign has been asked for greater specificity on the courts, and today "
            "it provided that, releasing a strong list of potential nominees that I can support without doubt.")
    a = doc("a", [*NARRATION_A, f'"{said}" the senator wrote on Facebook.'])
    b = doc("b", [*NARRATION_B, "The senator posted a statement on Facebook on Friday.", said])
    r = compare(a, b)
    assert r.relation == "related"
    assert r.evidence is not None and r.evidence.third_party_words >= 25


def test_a_tweet_shared_by_two_reports_is_third_party() -> None:
    tweet = "The water is falling but our work has just begun. Thank you to every volunteer out there tonight, you are heroes, every one of you, and the whole city owes you."
    sig = "— Governor Keller (@GovKeller) June 4, 2024"
    r = compare(doc("a", [*NARRATION_A, tweet, sig]), doc("b", [*NARRATION_B, tweet, sig]))
    assert r.relation == "related"


def test_prose_quoted_by_another_outlet_is_an_excerpt() -> None:
    """Quoted in one text, the other's own narration: one outlet reusing another's reporting."""
    src = doc("src", [LEDE, *NARRATION_A], outlet="Elbe Courier")
    der = doc("der", [*NARRATION_B, f'As the Elbe Courier reports: "{LEDE}"', "What a scandal."], outlet="Blog")
    r = compare(src, der)
    assert r.relation == "partial" and r.source.id == "src"
    assert r.evidence is not None and r.evidence.prose_words >= 40


def test_one_lifted_paragraph_in_a_long_article_is_partial() -> None:
    filler = [f"Paragraph {i} of a long feature about the history of the city's bridges and their builders, unrelated to the flood." for i in range(40)]
    r = compare(doc("src", [LEDE, *NARRATION_A]), doc("der", [*filler[:20], LEDE, *filler[20:]]))
    assert r.relation == "partial"
    assert r.coverage["derivative"]["total"] < 0.1


def test_a_quotation_copied_with_the_sources_editorial_insertion_is_still_a_quotation() -> None:
    said = "He [Keller] asked many questions about the dykes and I answered them as best I could, because that is my job and I know the subject well after thirty years on the river."
    a = doc("a", [*NARRATION_A, f'"{said}" the engineer said.'])
    b = doc("b", [*NARRATION_B, f'"{said}" he told reporters.'])
    r = compare(a, b)
    ev = r.evidence
    # The insertion is reported (one may have taken the quotation from the other), but sharing a
    # quotation is not reuse of prose: on real news, every such pair was read as quote-only.
    assert ev is not None and ev.copied_insertions == ["[Keller]"]
    assert ev.prose_words < 10 and ev.third_party_words >= 30
    assert r.relation == "related"
    explained = explain_relation(r.to_dict())
    assert explained is not None and "[Keller]" in explained and "not counted" in explained


def test_a_template_with_other_figures_is_not_reuse_but_a_table_sent_twice_is() -> None:
    def notice(city: str, co: str, amount: str, pay: str, rec: str) -> Document:
        return doc(co, [f"{city}, March 2 - {co} Corp said its board declared a quarterly dividend of {amount} cts a share, payable {pay} to holders of record {rec}, unchanged from the prior quarter, the company said in a statement."])

    other = compare(notice("CHICAGO", "Alpha", "25", "April 1", "March 15"), notice("DALLAS", "Beta", "12", "May 5", "April 20"))
    assert other.relation == "related" and other.evidence is not None and other.evidence.is_template
    again = compare(notice("CHICAGO", "Alpha", "25", "April 1", "March 15"), notice("CHICAGO", "Alpha", "25", "April 1", "March 15"))
    assert again.relation == "duplicate"


def test_reworded_sentences_count_with_copied_prose_by_how_much_of_the_derivative_is_shared() -> None:
    """Two reworded background sentences and a 14-word stock phrase in a 300-word story are no
    excerpt; the same in an 80-word item, most of which they are, are its first version
    reworded; beside the source's quotations they are a rewrite of the story (the seed blog)."""
    from newstrace.analyze.evidence import REWRITE_ANCHOR_WORDS

    def ev(prose: int, derivative: int, third: int = 0, anchor: int | None = None) -> ReuseEvidence:
        return ReuseEvidence(prose_words=prose, rewrite_words=32, rewrite_sentences=2, rewrite_runs=2,
                             third_party_words=third, derivative_words=derivative,
                             anchor_words=prose if anchor is None else anchor)  # fmt: skip

    assert ev(14, 300).words == 14
    assert ev(REWRITE_ANCHOR_WORDS, 300).words == REWRITE_ANCHOR_WORDS + 32
    # The same words in stock phrases of fewer than 12 words each ("cut their trade surpluses
    # with the United States") carry nothing in a longer story.
    assert ev(REWRITE_ANCHOR_WORDS, 300, anchor=0).words == REWRITE_ANCHOR_WORDS
    assert ev(14, 80, anchor=0).words == 46  # in a short item reworded, a phrase is enough
    assert ev(14, 80).words == 46
    assert ev(14, 300, third=150).words == 46
    assert ev(11, 80).words == 11  # a phrase shorter than 12 words never carries them


def test_two_short_items_whose_titles_name_other_subjects_are_not_reuse() -> None:
    """Two companies' dividend notices say the same words, and only their titles say whose they
    are: with the corpus's title frequencies (as ``detect`` has them), the same form about
    something else is ``related``; the same notice sent again under a reworded title that keeps
    the company's name is a copy; ``compare`` without the corpus says nothing of titles."""
    notice = "NEW YORK, March 18 - Qtly div 42 cts vs 42 cts prior\n\nPay April 7\n\nRecord March 20 Reuter"
    titles = [f"COMPANY{k} INC <C{k}> SETS QUARTERLY PAYOUT" for k in range(300)] + [
        "CHUBB CORP <CB> SETS QUARTERLY", "THE CHUBB CORP <CB> SETS QTRLY PAYOUT",
        "ERIE TECHNOLOGICAL <ERIE> SETS PAYOUT", "COMMERCIAL NATIONAL <CNCL> QUARTERLY DIVIDEND",
    ]
    params = DetectParams()
    common = corpus_commonness([np.zeros(0, np.uint64)] * len(titles), ["Reuters"] * len(titles), params, titles)
    assert common.titles == len(titles) and common.title_df is not None and common.title_df["chubb"] == 2

    def item(i: str, title: str) -> Document:
        return Document(id=i, text=notice, title=title, outlet="Reuters", published=f"1987-03-18T1{i}:00:00+00:00")

    other = compare(item("1", "ERIE TECHNOLOGICAL <ERIE> SETS PAYOUT"), item("2", "COMMERCIAL NATIONAL <CNCL> QUARTERLY DIVIDEND"), commonness=common)
    assert other.evidence is not None and other.evidence.other_subject
    assert other.relation == "related"
    explained = explain_relation(other.to_dict())
    assert explained is not None and "other subjects" in explained
    again = compare(item("1", "CHUBB CORP <CB> SETS QUARTERLY"), item("2", "THE CHUBB CORP <CB> SETS QTRLY PAYOUT"), commonness=common)
    assert again.evidence is not None and not again.evidence.other_subject
    assert again.relation == "duplicate"
    alone = compare(item("1", "ERIE TECHNOLOGICAL <ERIE> SETS PAYOUT"), item("2", "COMMERCIAL NATIONAL <CNCL> QUARTERLY DIVIDEND"))
    assert alone.relation == "duplicate"


def _wire_titles(form: str, named: list[str]) -> Commonness:
    """What ``detect`` knows of a wire corpus's titles: 300 of one form (``form`` with ``{k}``)
    and the ``named`` ones."""
    titles = [form.format(k=k) for k in range(300)] + named
    return corpus_commonness([np.zeros(0, np.uint64)] * len(titles), ["Reuters"] * len(titles), DetectParams(), titles)


def _wire(i: str, title: str, text: str, day: int) -> Document:
    """A wire item of March ``day``, 1987, sent at 1i:00."""
    return Document(id=i, text=text, title=title, outlet="Reuters", published=f"1987-03-{day}T1{i}:00:00+00:00")


def test_two_items_each_about_a_subject_the_other_never_mentions_are_not_reuse() -> None:
    """Two oil companies raise their crude postings to the same prices in the same words
    (Reuters-21578): each title names its company, each text names it and never the other's.
    The same form about something else, though longer than a short item and with titles that
    share words; the same company's posting sent again is a copy, and a story that takes the
    first company's item into its own names what it took."""
    body = ("{} said it raised the contract prices it will pay for all grades of crude oil by 50 cts a "
            "barrel, effective today. The increase brings the posted price for West Texas Intermediate to "
            "18.50 dlrs a barrel and West Texas Sour to 17.50 dlrs. The price of Light Louisiana Sweet, "
            "the benchmark grade for the Gulf Coast, was raised to 18.85 dlrs a barrel. The company last "
            "changed its crude postings on March 4, when it cut them by 50 cts. Reuter")  # fmt: skip
    titles = ["UNOCAL <UCL> RAISES CRUDE OIL POSTINGS", "SOUTHLAND <SLC> UNIT RAISES CRUDE POSTINGS",
              "UNOCAL <UCL> UPS CRUDE POSTINGS 50 CTS", "SUN <SUN> FOLLOWS OTHERS, RAISES CRUDE POSTINGS"]
    common = _wire_titles("COMPANY{k} INC <C{k}> RAISES CRUDE POSTINGS", titles)

    unocal = _wire("1", titles[0], "LOS ANGELES, March 18 - " + body.format("Unocal Corp"), 18)
    southland = _wire("2", titles[1], "DALLAS, March 18 - " + body.format("Southland Corp's Citgo unit"), 18)
    assert len(unocal.text.split()) > SHORT_ITEM_WORDS  # past the titles-only rule's reach
    other = compare(unocal, southland, commonness=common)
    assert other.evidence is not None and other.evidence.other_subject
    assert other.relation == "related"
    explained = explain_relation(other.to_dict())
    assert explained is not None and "other subjects" in explained
    again = compare(unocal, _wire("3", titles[2], "NEW YORK, March 18 - " + body.format("Unocal Corp"), 18), commonness=common)
    assert again.evidence is not None and not again.evidence.other_subject
    assert again.relation in {"duplicate", "derived"}
    # Sun's item tells Unocal's posting in Unocal's words: it names the company it took it from.
    taken = "NEW YORK, March 18 - Sun Co said it raised its crude postings. Earlier, " + body.format("Unocal Corp")
    follows = compare(unocal, _wire("4", titles[3], taken, 18), commonness=common)
    assert follows.evidence is not None and not follows.evidence.other_subject
    assert follows.relation in {"duplicate", "derived"}
    # Without the corpus's titles nothing is said of subjects.
    assert compare(unocal, southland).relation != "related"


def test_a_story_that_retells_most_of_a_results_table_reuses_it() -> None:
    """A company's results table, and its outlook story of the same hour that gives the table's
    figures again in its own words (Reuters-21578): no run of words is shared, the figures are
    the table's content, so the story is ``partial``; so is the table sent again as operating
    figures, a table itself. A story that gives a figure or two of a table in passing, another
    company's story with the same figures, two texts compared without the corpus's titles, or
    two issues of a recurring price table, are not."""
    table = ("AKRON, Ohio, March 16 - Shr 77 cts vs 84 cts\n\nNet 17.2 mln vs 19.4 mln\n\n"
             "Sales 650.3 mln vs 614.8 mln Reuter")  # fmt: skip
    story = ("AKRON, Ohio, March 16 - The company said its first quarter earnings from operations rose "
             "four pct as sales increased to 650.3 mln dlrs from 614.8 mln a year earlier. However, net "
             "income declined to 17.2 mln dlrs, or 77 cts a share, from 19.4 mln dlrs, or 84 cts, as "
             "last year's gains on the sale of assets were not repeated. Lower operating profits for the "
             "tire and plastics segments were offset by higher wallcovering results. Reuter")  # fmt: skip
    passing = ("AKRON, Ohio, March 16 - The company said it won a contract to build an incinerator at an "
               "oil site near Chicago, to be completed by the end of the year at a price of 4.5 mln dlrs. "
               "The unit expects to build two more such systems this year. It earned 17.2 mln dlrs in "
               "the quarter. Reuter")  # fmt: skip
    titles = ["GENCORP <GY> 1ST QTR FEB 28 NET", "GENCORP <GY> 1ST QTR OPERATING EARNINGS ROSE",
              "GENCORP <GY> BUILDS INCINERATOR", "ACME TIRE <ACM> 1ST QTR OPERATING EARNINGS ROSE"]
    common = _wire_titles("COMPANY{k} INC <C{k}> 1ST QTR NET", titles)

    results = _wire("1", titles[0], table, 16)
    retold = compare(results, _wire("2", titles[1], story, 16), commonness=common)
    assert retold.evidence is not None
    assert retold.evidence.restated_figures == ["77", "84", "17.2", "19.4", "650.3", "614.8"]
    assert retold.relation == "partial" and retold.source.id == "1"
    explained = explain_relation(retold.to_dict())
    assert explained is not None and "6 figures of a short table" in explained and "17.2, 19.4" in explained
    in_passing = compare(results, _wire("3", titles[2], passing, 16), commonness=common)
    assert in_passing.evidence is not None and in_passing.evidence.restated_figures == []
    assert in_passing.relation == "related"
    other = compare(results, _wire("4", titles[3], story, 16), commonness=common)
    assert other.evidence is not None and other.evidence.restated_figures == [] and other.relation == "related"
    assert compare(results, _wire("2", titles[1], story, 16)).relation == "related"
    # The table sent again as operating figures: this quarter's figures again, the year
    # before's others, under other labels. A table too, it retells the first all the same.
    operating = ("AKRON, Ohio, March 16 - Oper shr 77 cts vs 61 cts\n\nOper net 17.2 mln vs 14.1 mln\n\n"
                 "Sales 650.3 mln vs 614.8 mln\n\nAvg shrs 22.3 mln vs 23.1 mln Reuter")  # fmt: skip
    # (A wire corpus holds the table's form everywhere: its shared words are common text.)
    every = [f"COMPANY{k} INC <C{k}> 1ST QTR NET" for k in range(300)] + titles
    forms = [sample_fingerprints(shingle_hashes(form_words(words(t))), 1) for t in (table, operating)]
    wire = Commonness(np.unique(np.concatenate(forms)), 5, modulus=1, title_df=title_frequencies(every), titles=len(every))
    again = compare(results, _wire("5", titles[0], operating, 16), commonness=wire)
    assert again.evidence is not None and again.evidence.restated_figures == ["77", "17.2", "650.3", "614.8"]
    assert again.evidence.words == 0 and again.relation == "partial"
    # Two issues of a recurring price table (09:23 and 12:31 of one day) repeat the rows nobody
    # traded in between: no table retells the other. (What their rows share word for word is
    # read as copied text still; with the semantic layer, one table aligned with the other as
    # a paraphrase would be restated figures alone.)
    rows = ("Aug --- 147.00 148.00 --- --- --- Sep --- 146.50 151.00 --- --- --- Oct --- 145.00 --- --- --- "
            "--- Nov --- 145.00 --- --- --- --- Dec --- 144.50 --- --- --- --- Jan --- 144.00 --- --- --- --- "
            "Feb --- 143.50 --- --- --- --- Mar --- 143.00 --- --- --- --- Apr --- 142.50 --- --- --- --- "
            "May --- 142.00 --- --- --- --- Jun --- 141.50 --- --- --- --- Jul --- 141.00 --- --- --- ---")  # fmt: skip
    morning = _wire("6", "LONDON GASOIL CALL COMPLETE 0923 - APR 7", f"Apr 148.00 148.25 148.50 147.75 38 May 146.75 147.00 146.25 29 Jun 146.00 146.50 146.00 8 {rows} TOTAL SALES 75", 16)
    noon = _wire("7", "LONDON GASOIL CALL COMPLETE 1231 - APR 7", f"Apr 149.00 149.25 149.50 147.75 987 May 146.75 147.00 146.25 29 Jun 146.00 146.50 146.00 8 {rows} TOTAL SALES 1024", 16)
    gasoil = [*every, morning.title or "", noon.title or ""]
    calls = Commonness(np.zeros(0, np.uint64), title_df=title_frequencies(gasoil), titles=len(gasoil))
    assert len(analyse_text(morning.text).words) >= SHORT_ITEM_WORDS  # past the short items' rule
    assert restated_figures(analyse_text(noon.text), analyse_text(morning.text))  # most figures again
    r = compare(morning, noon, commonness=calls)
    assert r.evidence is not None and r.evidence.restated_figures == []


def test_two_issues_of_a_recurring_report_are_not_reuse() -> None:
    """A market snapshot sent every ten minutes (Reuters-21578, files 014-015): titled by its
    time, its words the same, a price or two changed. Two issues of it are not one copied from
    the other; the same issue sent again under another time (every figure alike) is, and so is
    a snapshot sent again under the same title with a price corrected."""

    def snapshot(time: str, may: str, jul: str) -> Document:
        text = (f"MINNEAPOLIS WHEAT MAY7 {may} UP 1 3/4 JUL7 {jul} UP 1/4 SEP7 277 UP 1 DEC7 -- -- "
                "MAR8 -- -- CORN MAY7 158 1/2 UP 1/2 JUL7 161 3/4 UP 1/4")  # fmt: skip
        return Document(id=time, text=text, title=f"MIDWEST GRAIN FUTURES {time} EDT", outlet="Reuters")

    issues = compare(snapshot("11:20", "285 1/4", "281"), snapshot("11:31", "286", "281 1/2"))
    assert issues.evidence is not None and issues.evidence.number_substitutions >= 1
    assert issues.evidence.other_issue and issues.relation == "related"
    explained = explain_relation(issues.to_dict())
    assert explained is not None and "recurring report" in explained
    again = compare(snapshot("11:00", "285 1/4", "281"), snapshot("11:01", "285 1/4", "281"))
    assert again.evidence is not None and not again.evidence.other_issue
    assert again.relation == "duplicate"
    corrected = compare(snapshot("11:20", "285 1/4", "281"), snapshot("11:20", "286", "281 1/2"))
    assert corrected.evidence is not None and not corrected.evidence.other_issue
    assert corrected.relation == "derived"
    # Changed figures the comparison reads as one kept ("3/4"), others put in before it and
    # left out after it ("281 3/4 UP 1" against "281 1/2 UP 3/4") are changed figures too.
    row = "MAR8 -- -- MINNEAPOLIS WHEAT MAY7 284 3/4 UP 1 1/4 JUL7 {} SEP7 277 1/2 UP 1 1/2 DEC7 -- -- MAR8 -- --"
    shifted = compare(
        Document(id="a", text=row.format("281 3/4 UP 1"), title="MIDWEST GRAIN FUTURES 12:40 EDT", outlet="Reuters"),
        Document(id="b", text=row.format("281 1/2 UP 3/4"), title="MIDWEST GRAIN FUTURES 12:50 EDT", outlet="Reuters"),
    )
    assert shifted.evidence is not None and shifted.evidence.number_substitutions >= 1
    assert shifted.evidence.other_issue and shifted.relation == "related"


def test_reports_from_two_places_are_not_reuse() -> None:
    """Two hog markets' openings, each title naming the place its text is datelined from: the
    same words and the same prices, reports of two markets. The same market's report sent again
    is one report, and so is an item sent again from another bureau (its title names no
    place)."""
    text = "{}, April 7 - Hog prices were up 1.00 dlr in active trade, private sources said. Top 51.50 dlrs per cwt."

    def report(i: str, place: str, title: str) -> Document:
        return doc(i, [text.format(place)], title=title, outlet="Reuters", published=f"1987-04-07T10:1{i}:00+00:00")

    omaha = report("1", "Omaha", "OMAHA HOGS OPEN UP 1.00 DLR - PRIVATE SOURCES")
    joliet = compare(omaha, report("2", "Joliet", "JOLIET HOGS UP 1.00 DLR - PRIVATE SOURCES"))
    assert joliet.relation == "related"
    assert joliet.evidence is not None and joliet.evidence.other_place
    explained = explain_relation(joliet.to_dict())
    assert explained is not None and "reports from two places" in explained
    again = compare(omaha, report("3", "OMAHA", "OMAHA HOGS OPEN UP 1.00 DLR"))
    assert again.relation == "duplicate" and again.evidence is not None and not again.evidence.other_place
    bureau = compare(report("4", "CHICAGO", "HOG PRICES UP 1.00 DLR"), report("5", "Omaha", "HOG PRICES UP 1.00 DLR"))
    assert bureau.relation == "duplicate"


def test_a_short_item_a_digest_holds_whole_is_reuse() -> None:
    """A digest of a dozen items reproduces a producer's price notice whole (Reuters-21578,
    files 014-015): a small part of the digest, all of the notice, so ``partial``, though the
    digest's title names none of its items (two short items' titles tell other subjects apart,
    a digest's does not). A digest that holds only the notice's first clause does not hold it."""
    notice = ("NEW YORK, April 7 - Magma Copper Co, a subsidiary of Newmont Mining Corp, said it is lowering "
              "its copper cathode price by 0.50 cent to 65.50 cents a lb, effective immediately. Reuter")  # fmt: skip
    others = [
        "CHICAGO - The rally in soybean prices may prompt farmers to plant more soybean acres than the department projected in last week's acreage report, traders and analysts said.",
        "LONDON - Brazil is likely to adopt a conservative coffee sales policy given the absence of export quotas, at least until October this year, according to the monthly report of a London trade house.",
        "LONDON - Delegates to this week's quarterly session of the International Tin Council expect Indonesia to vote for an extension of the sixth tin agreement.",
        "HAVANA - Cuban president Fidel Castro told a congress of young communists that the production of crude sugar during the harvest still in progress is 800,000 tonnes behind schedule.",
    ]
    whole = "NEW YORK - Magma Copper Co, a subsidiary of Newmont Mining Corp, said it is lowering its copper cathode price by 0.50 cent to 65.50 cents a lb, effective immediately."
    clause = "NEW YORK - Magma Copper Co, a subsidiary of Newmont Mining Corp, cut prices again."
    titles = [f"COMPANY{k} INC SETS QUARTERLY PAYOUT" for k in range(300)] + [
        "MAGMA LOWERS COPPER PRICE 0.50 CT TO 65.50 CTS", "REUTER COMMODITY HIGHLIGHTS 2100 GMT APRIL 7",
    ]
    common = corpus_commonness([np.zeros(0, np.uint64)] * len(titles), ["Reuters"] * len(titles), params=DetectParams(), titles=titles)
    item = Document(id="a", text=notice, title=titles[-2], outlet="Reuters", published="1987-04-07T10:00:00+00:00")

    def digest(held: str) -> Document:
        text = "\n\n".join([*others[:2], held, *others[2:]]) + " Reuter"
        return Document(id="b", text=text, title=titles[-1], outlet="Reuters", published="1987-04-07T21:00:00+00:00")

    held = compare(item, digest(whole), commonness=common)
    assert held.evidence is not None and not held.evidence.other_subject
    assert held.evidence.words >= 0.8 * held.evidence.source_words
    assert held.evidence.words < 0.3 * held.evidence.derivative_words and held.relation == "partial"
    assert compare(item, digest(clause), commonness=common).relation == "related"
    # Evidence made by hand that does not say how long the source is holds nothing whole.
    cov = {"total": 0.1, "verbatim": 0.1, "near_verbatim": 0.0}
    hand = ReuseEvidence(prose_words=29, anchor_words=29, derivative_words=290)
    assert relation_of(cov, cov, hand, topic_similarity=0.1, shared_quotes=0) == "related"
    hand.source_words = 33
    assert relation_of(cov, cov, hand, topic_similarity=0.1, shared_quotes=0) == "partial"


def test_two_issuers_bonds_on_the_same_terms_are_a_template_not_reuse() -> None:
    """The same announcement for another issuer, figures and managers alike: only the issuer's
    names change (Reuters-21578: two euroyen bonds five days apart), so it is a form filled in
    again; the same bond announced twice is not."""

    def bond(issuer: str, short: str, guarantor: str) -> Document:
        return doc(issuer, [
            f"LONDON, March 6 - {issuer} is issuing a 10 billion yen eurobond due April 7, 1994 paying five pct and priced at 102-3/8 pct, Yamaichi International (Europe) Ltd said as joint book runner for the deal.",
            f"The bonds of {short}, guaranteed by {guarantor}, are available in denominations of one mln yen and will be listed in Luxembourg.",
            "Fees comprise 1-1/4 pct selling concession and 5/8 pct for management and underwriting combined.",
        ])

    other = compare(bond("Caisse Centrale Desjardins", "Desjardins", "Quebec"), bond("DNC International Finance", "DNC", "Norway"))
    assert other.evidence is not None and other.evidence.number_substitutions == 0
    assert other.evidence.fact_substitutions >= 3 and other.evidence.is_template
    assert other.relation == "related"
    again = compare(bond("Caisse Centrale Desjardins", "Desjardins", "Quebec"), bond("Caisse Centrale Desjardins", "Desjardins", "Quebec"))
    assert again.relation == "duplicate"


def test_a_long_report_reproduced_with_a_few_figures_updated_is_reuse_not_a_template() -> None:
    """Two outlets reproduce one 200-word report, one with three counts updated: figures change
    once in dozens of words, so it is the same report, not a form filled in again."""

    def report(pages: str, batches: str, offices: str) -> Document:
        return doc(pages, [
            "A federal judge on Tuesday ordered the State Department to search again for records the agency said it had already reviewed in full in 2015.",
            f"The agency has so far released {pages} pages of the records to the watchdog group that sued for them, and the group says many more remain.",
            "The order came in a lawsuit brought by the group, which has pressed for the release of the documents since last spring and filed 3 motions.",
            f"Lawyers for the department told the court that the earlier search, in {batches} batches, had been thorough and that more work would delay other requests.",
            f"The judge disagreed and wrote that the agency had not explained why {offices} offices were left out of the search it described to the court.",
            "The group said the ruling showed that the department had tried to run out the clock before the election on November 8.",
            "A spokesman for the department said the agency would comply with the order and declined to comment further on the case.",
        ])

    r = compare(report("1,200", "14", "six"), report("1,450", "16", "seven"))
    assert r.evidence is not None and r.evidence.fact_substitutions >= 2
    assert not r.evidence.is_template
    assert r.relation in ("duplicate", "derived")


def test_a_daily_report_reworded_around_new_figures_is_a_template() -> None:
    def report(day: str, avg: str, opened: str, then: str) -> Document:
        return doc(day, [
            "The Federal Reserve is expected to enter the U.S. Government securities market to add temporary reserves, economists said.",
            "They expect it to supply the reserves indirectly by arranging customer repurchase agreements.",
            f"Federal funds, which averaged {avg} pct {day}, opened at {opened} pct and {then}.",
            f"Dealers said the rate could ease to {avg} pct later in the session if the Fed acts as expected.",
        ])

    # The last sentences are reworded around other figures: the same report on another day.
    other = compare(report("on Friday", "6.02", "6-1/8", "traded between there and 6-1/16 pct"),
                    report("yesterday", "6.18", "6-3/16", "stayed there in early trading"))
    assert other.evidence is not None and other.evidence.is_template
    assert other.relation == "related"
    # The same report sent twice is still a copy.
    again = compare(report("on Friday", "6.02", "6-1/8", "traded between there and 6-1/16 pct"),
                    report("on Friday", "6.02", "6-1/8", "traded between there and 6-1/16 pct"))
    assert again.relation == "duplicate"


def test_two_short_notices_sharing_a_formula_are_not_copies() -> None:
    a = doc("a", ["CANTON, Mass., March 4 - Qtly div three cts vs three cts prior", "Pay April 2"])
    b = doc("b", ["ENCINO, Calif., March 4 - Qtly div three cts vs three cts", "Pay March 27"])
    r = compare(a, b)
    assert r.relation == "related"
    assert r.evidence is not None and r.evidence.words < MIN_SHARE_WORDS
    # One notice sent twice is.
    assert compare(a, doc("c", [a.text])).relation == "duplicate"


def test_a_notice_sent_again_is_a_copy_though_its_form_is_the_corpus_s() -> None:
    """A dividend notice is all form: the corpus holds its words many times, and another
    company's notice of the same figures is no copy of it. The same company's notice sent again
    (its title keeps the company's rare name, its figures all the same, "Qtrly" written for
    "Qtly", "prior" added) is one notice sent twice, though it shares fewer than
    ``MIN_SHARE_WORDS``."""
    first = "NEW YORK, March 12 - Qtly div 34 cts vs 34 cts"
    again = "NEW YORK, March 12 - Qtrly div 34 cts vs 34 cts prior"
    other = "NEW YORK, March 12 - Qtly div 34 cts vs 34 cts prior"
    titles = [f"COMPANY{k} INC <C{k}> SETS QUARTERLY PAYOUT" for k in range(300)] + [
        "COLGATE-PALMOLIVE CO <CL> SETS PAYOUT", "COLGATE-PALMOLIVE CO <CL> SETS QUARTERLY",
        "WITCO CORP <WIT> SETS QUARTERLY",
    ]
    fps = sample_fingerprints(shingle_hashes(form_words(words(first))), 1)
    common = Commonness(np.unique(fps), 5, modulus=1, title_df=title_frequencies(titles), titles=len(titles))

    def item(i: str, text: str, title: str) -> Document:
        return Document(id=i, text=text, title=title, outlet="Reuters", published=f"1987-03-12T1{i}:00:00+00:00")

    a = item("1", first, "COLGATE-PALMOLIVE CO <CL> SETS PAYOUT")
    sent_again = compare(a, item("2", again, "COLGATE-PALMOLIVE CO <CL> SETS QUARTERLY"), commonness=common)
    assert sent_again.evidence is not None and sent_again.evidence.same_notice
    assert sent_again.evidence.fact_substitutions == 0  # "Qtrly" is "Qtly" written another way
    assert sent_again.relation in ("duplicate", "derived")
    explained = explain_relation(sent_again.to_dict())
    assert explained is not None and "one notice sent twice" in explained
    # Sent again with its label corrected ("Shr" for "Qtly div"): still the same notice.
    relabelled = compare(a, item("5", again.replace("Qtrly div", "Shr"), "COLGATE-PALMOLIVE CO <CL> SETS QUARTERLY"), commonness=common)
    assert relabelled.evidence is not None and relabelled.evidence.same_notice
    assert relabelled.relation in ("duplicate", "derived")
    another = compare(a, item("3", other, "WITCO CORP <WIT> SETS QUARTERLY"), commonness=common)
    assert another.evidence is not None and not another.evidence.same_notice
    assert another.relation == "related"
    # The same company's notice with other figures is another notice.
    later = compare(a, item("4", first.replace("34 cts vs 34", "36 cts vs 34"), "COLGATE-PALMOLIVE CO <CL> SETS QUARTERLY"), commonness=common)
    assert later.evidence is not None and not later.evidence.same_notice
    assert later.relation == "related"


def test_a_filing_notice_sent_again_is_a_copy_though_longer_than_a_short_item() -> None:
    """An offering filing of 70 words is a form the corpus holds many times ("filed with the
    Securities and Exchange Commission a registration statement covering a proposed public
    offering of ..."), so its words are common text. Sent again reworded by the same company
    (its rare name in both titles, its figures all alike), it is one notice sent twice, as a
    dividend notice of ten words is: up to :data:`DIGEST_WORDS`, where a text becomes a story
    whose title names only what it leads with."""
    first = (
        "NEW YORK, April 8 - Avnet Inc said it filed with the Securities and Exchange Commission "
        "a registration statement for a proposed public offering of 150 mln dlrs of convertible "
        "subordinated debentures due 2012. Avnet said it will use the net proceeds for general "
        "working capital purposes and the anticipated domestic and foreign expansion of its "
        "distribution, assembly and manufacturing businesses. The company said an investment "
        "banking group managed by Dillon Read and Co Inc will handle the offering."
    )
    again = (
        "NEW YORK, April 8 - Avnet Inc said it filed with the Securities and Exchange Commission "
        "a registration statement covering a 150 mln dlr issue of convertible subordinated "
        "debentures due 2012. Proceeds will be used for general working capital and the "
        "anticipated domestic and foreign expansion of Avnet's businesses, the company said. "
        "Avnet named Dillon Read and Co Inc as manager of the offering."
    )
    titles = [f"COMPANY{k} INC <C{k}> FILES FOR OFFERING" for k in range(300)] + [
        "AVNET INC <AVT> FILES FOR DEBENTURE OFFERING", "AVNET <AVT> FILES CONVERTIBLE DEBT OFFERING",
        "WITCO CORP <WIT> FILES FOR OFFERING",
    ]
    # Both wordings are the corpus's forms: many filings say the same in either.
    fps = [sample_fingerprints(shingle_hashes(form_words(words(t))), 1) for t in (first, again)]
    common = Commonness(np.unique(np.concatenate(fps)), 5, modulus=1, title_df=title_frequencies(titles), titles=len(titles))

    def item(i: str, text: str, title: str) -> Document:
        return Document(id=i, text=text, title=title, outlet="Reuters", published=f"1987-04-08T1{i}:00:00+00:00")

    assert 60 < len(first.split()) < DIGEST_WORDS
    a = item("1", first, "AVNET INC <AVT> FILES FOR DEBENTURE OFFERING")
    sent_again = compare(a, item("2", again, "AVNET <AVT> FILES CONVERTIBLE DEBT OFFERING"), commonness=common)
    assert sent_again.evidence is not None and sent_again.evidence.same_notice
    assert sent_again.relation in ("duplicate", "derived")
    # Another company's filing in the same form is no copy of it.
    other = first.replace("Avnet Inc", "Witco Corp")
    another = compare(a, item("3", other, "WITCO CORP <WIT> FILES FOR OFFERING"), commonness=common)
    assert another.evidence is not None and not another.evidence.same_notice
    assert another.relation == "related"


def test_a_figure_the_tokenizer_splits_is_one_figure() -> None:
    """Two funds' notices of one formula, "3.6 cts" and "7.3 cts": the "3" both hold is no
    figure alike, and the notices are no copies of each other, even with nothing known of the
    corpus. "17.5" and "17-1/2", "12.1 mln" and "12,141,000" are one figure written two ways."""
    a = doc("a", ["SAN MATEO, Calif., March 2 - Mthly div 3.6 cts vs 3.6 cts prior"])
    b = doc("b", ["SAN MATEO, Calif., March 2 - Mthly div 7.3 cts vs 7.3 cts prior"])
    r = compare(a, b)
    assert r.relation == "related"
    assert r.evidence is not None and r.evidence.number_substitutions == 2 and r.evidence.is_template
    again = compare(doc("c", ["SECAUCUS, N.J., March 12 - Qtrly div 17.5 cts vs 17.5 cts prior", "Pay April 20"]),
                    doc("d", ["SECAUCUS, N.J., March 12 - Qtly div 17-1/2 cts vs 17-1/2 cts prior", "Pay April 20"]))  # fmt: skip
    assert again.evidence is not None and again.evidence.number_substitutions == 0
    # The same, where the aligned text ends inside the figure ("16" of both matched, then
    # "1/2" against "5"): the figure is read whole on both sides.
    split = compare(doc("i", ["SHIREMANSTOWN, Pa., April 8 - Qtly div 16-1/2 cts vs 16-1/2 cts", "Pay April 27"]),
                    doc("j", ["SHIREMANSTOWN, Pa., April 8 - Qtly div 16.5 cts vs 16.5 cts", "Pay April 27"]))  # fmt: skip
    assert split.evidence is not None and split.evidence.number_substitutions == 0
    assert figure_values("Revs 12.1 mln vs 5,993,000") == [(12_100_000.0, -5), (5_993_000.0, 0)]
    table = "Shr 20 cts vs loss two cts\n\nRevs {} vs 5,993,000\n\nNet 1,234,000 vs 987,000"
    resent = compare(doc("e", [table.format("12.1 mln")]), doc("f", [table.format("12,141,000")]))
    assert resent.evidence is not None and resent.evidence.number_substitutions == 0
    other = compare(doc("g", [table.format("12.1 mln")]), doc("h", [table.format("12.4 mln")]))
    assert other.evidence is not None and other.evidence.number_substitutions == 1


def test_spelling_variants_are_one_name() -> None:
    """Names written two ways are no other names, in a lexical gap or a slot alike: the Chubb
    notice sent again from another bureau writes "Qtrly" for "Qtly div" and "7" for "Seven"."""
    a = doc("a", ["NEW YORK, March 6 - Qtly div 42 cts vs 42 cts prior", "Pay April Seven"])
    b = doc("b", ["WARREN, N.J., March 6 - Qtrly 42 cts vs 42 cts prior", "Pay April 7"])
    r = compare(a, b)
    assert r.evidence is not None and r.evidence.fact_substitutions == 0 and not r.evidence.is_template
    assert spelling_variant("qtly", "qtrly") and spelling_variant("maimi", "miami")
    assert spelling_variant("baird", "baird's") and spelling_variant("corp", "corporation")
    assert spelling_variant("dec", "december") and not spelling_variant("dec", "deck")
    assert not spelling_variant("chubb", "colgate") and not spelling_variant("sun", "sunoco")
    assert not spelling_variant("unocal", "unicorp") and not spelling_variant("boston", "bedford")


def _table(dateline: str, net: str, prior: str = "1,363,000") -> Document:
    return doc(dateline, [
        f"{dateline} - Oper shr 26 cts vs 18 cts",
        f"Oper net 2,877,000 vs {prior}",
        "Revs 44.3 mln vs 40.8 mln",
        f"Nine mths oper net {net} vs 4,108,000",
    ])


def _formula_commonness(*texts: str) -> Commonness:
    fps = [sample_fingerprints(shingle_hashes(form_words(words(t))), 1) for t in texts]
    return Commonness(np.unique(np.concatenate(fps)), 5, modulus=1)


def test_a_results_table_sent_again_from_another_bureau_is_the_same_report() -> None:
    # The table's form is common in a wire corpus; its figures are this company's alone.
    common = _formula_commonness(_table("NEW YORK, March 3", "7,914,000").text)
    first = _table("SAN BERNARDINO, Calif., March 3", "7,914,000")
    again = _table("LOS ANGELES, March 3", "7,914,000")
    r = compare(first, again, commonness=common)
    assert r.evidence is not None and r.evidence.common_words == 0 and not r.evidence.is_template
    assert r.relation in ("duplicate", "derived")
    # Sent again with a figure corrected (one of many): still the same report.
    corrected = _table("LOS ANGELES, March 3", "7,914,000", prior="1,838,000")
    r = compare(first, corrected, commonness=common)
    assert r.evidence is not None and r.evidence.common_words == 0
    assert r.relation in ("duplicate", "derived")
    # Sent again with a line's label reworded ("Sales" for "Revs", a first word read as a
    # name): one word other among many figures alike is still the same report.
    relabelled = doc("relabelled", [_table("LOS ANGELES, March 3", "7,914,000").text.replace("Revs", "Sales")])
    r = compare(first, relabelled, commonness=common)
    assert r.evidence is not None and r.evidence.fact_substitutions - r.evidence.number_substitutions == 1
    assert r.evidence.common_words == 0 and r.relation in ("duplicate", "derived")
    # Two banks' prime-rate stories, prose, give the same rates in two sentences each, one name
    # apart in the same place: their figures alike are the form's, not one report's.
    citibank = doc("citibank", [
        "NEW YORK, April 1 - Citibank said it has raised its prime lending rate to 7-3/4 pct from 7-1/2, effective immediately.",
        "The move is the latest in a series of similar actions by leading money center banks over the last 24 hours.",
        "Ameritrust of Ohio also raised its prime lending rate to 7-3/4 pct from 7-1/2, effective tomorrow.",
    ])  # fmt: skip
    chemical = doc("chemical", [
        "NEW YORK, April 1 - Chemical Bank and Marine Midland said they were raising the prime lending rate to 7-3/4 pct from 7-1/2 pct, effective immediately.",
        "In St Louis, Mercantile Bancorp said its bank was also raising its prime rate to 7-3/4 pct from 7-1/2 pct, effective immediately.",
        "The changes follow similar increases yesterday by two other banks.",
    ])  # fmt: skip
    chase = "NEW YORK, April 2 - Chase said it has raised its prime lending rate to 7-3/4 pct from 7-1/2, effective immediately."
    r = compare(citibank, chemical, commonness=_formula_commonness(citibank.text, chemical.text, chase))
    assert r.evidence is not None and r.evidence.fact_matches >= SAME_FIGURES_MANY
    assert r.evidence.fact_substitutions - r.evidence.number_substitutions == 1
    assert r.evidence.common_words > 0 and r.relation == "related"
    # Another company's table in the same form: its figures are others, a template.
    other = doc("other", [_table("DALLAS, March 3", "1,1").text.replace("2,877,000", "912,000").replace("44.3", "17.2").replace("26 cts", "9 cts")])
    r = compare(first, other, commonness=common)
    assert r.relation == "related"


def test_a_dateline_is_not_prose_unless_both_have_it() -> None:
    a = doc("a", ["LITTLE ROCK, Ark., Feb 26 - Qtly div three cts vs three cts prior"])
    b = doc("b", ["NEW YORK, Feb 26 - Qtly div three cts vs three cts prior"])
    r = compare(a, b)
    assert r.evidence is not None and r.evidence.words == 10  # "Feb 26" and the formula
    assert r.relation == "related"


def test_another_days_report_with_other_figures_stays_a_template() -> None:
    def bank(day: str, amount: str, band1: str, band2: str) -> Document:
        return doc(day, [
            f"LONDON, March {day} - The Bank of England said it had provided the money market with {amount} mln stg assistance in the morning session.",
            f"The central bank purchased bank bills outright comprising {band1} mln stg in band one at 10-7/8 pct and {band2} mln stg in band two at 10-13/16 pct.",
        ])

    r = compare(bank("2", "37", "four", "33"), bank("3", "437", "120", "315"))
    assert r.evidence is not None and r.evidence.is_template and r.relation == "related"
    # The same day's report sent twice is a copy.
    assert compare(bank("2", "37", "four", "33"), bank("2", "37", "four", "33")).relation == "duplicate"


def test_an_item_sent_again_with_its_figures_written_another_way_is_not_a_template() -> None:
    """A re-sent item writes "1.0" as "one", "0.50" as "1/2", "303.9" as "304" and "United
    States" as "U.S.": the same figures and names, so the same report, not a form filled in
    again; other figures in the same places still make a template."""

    def assay(first: str, second: str, gold: str, platinum: str, country: str, total: str) -> Document:
        return doc(gold, [
            f"VANCOUVER, March 9 - Carolin Mines Ltd said recent assays of tailings at its Hope mine ranged from {first} to {second} ounces of gold per ton.",
            "There were only trace amounts of platinum and palladium, the company said.",
            f"Carolin said the results sharply disagreed with an earlier assay performed by a {country} company which showed {gold} ounce of gold per ton and {platinum} ounce of platinum per ton.",
            f"The company said it had spent {total} mln dlrs on the tailings project and expects the results of further tests within two to three weeks.",
        ])

    again = compare(assay("0.50", "0.64", "1.0", "0.50", "United States", "303.9"), assay("0.50", "0.64", "one", "1/2", "U.S.", "304"))
    assert again.evidence is not None and not again.evidence.is_template
    assert again.evidence.number_substitutions == 0 and again.evidence.fact_substitutions == 0
    assert again.relation in ("duplicate", "derived")
    other = compare(assay("0.50", "0.64", "1.0", "0.50", "United States", "303.9"), assay("0.21", "0.37", "two", "3/4", "Canadian", "17"))
    assert other.evidence is not None and other.evidence.number_substitutions >= 4 and other.evidence.is_template
    assert other.relation == "related"


def test_a_reworded_notice_about_another_borrower_is_a_template() -> None:
    """Two loan notices of one arranger, reworded sentence by sentence: the borrowers' names,
    which neither text mentions anywhere else, make them two reports in one form; the same
    borrower's notice reworded is the same report."""

    def first(borrower: str) -> Document:
        return doc(borrower, [
            f"BRUSSELS, March 13 - {borrower} of the Netherlands has signed a 3.1 billion yen bullet loan agreement, arranger Mizuho Capital (Europe) SA said.",
            "The five-year term loan carries an interest rate of the Japanese long term prime rate flat. It features a swap agreement but a Mizuho spokesman declined to give further details.",
            "The lenders are Mizuho Capital Ltd and one other Japanese financial institution which the spokesman declined to name.",
            "Mizuho said the loan was believed to be the first the borrower has raised in yen.",
        ])

    def second(borrower: str) -> Document:
        return doc(borrower + "2", [
            f"BRUSSELS, March 13 - {borrower} of the Netherlands has signed a 3.1 billion yen bullet loan agreement, arranger Mizuho Capital (Europe) SA said.",
            "The interest rate on the five-year loan is the Japanese long term prime rate flat. The loan has a swap agreement but a bank spokesman declined to give further details.",
            "The lenders are Mizuho Capital Ltd and another Japanese financial institution which the spokesman declined to name.",
        ])

    other = compare(first("Zuiderbank Investeringen NV"), second("NV Polderstroom Gasunie"))
    assert other.evidence is not None and other.evidence.is_template and other.relation == "related"
    assert other.evidence.fact_substitutions - other.evidence.number_substitutions >= 2  # the names
    again = compare(first("Zuiderbank Investeringen NV"), second("Zuiderbank Investeringen NV"))
    assert again.evidence is not None and not again.evidence.is_template
    assert again.relation in ("duplicate", "derived")


def test_a_form_whose_longer_slots_hold_other_figures_is_a_template() -> None:
    """Two export-bonus notices of one agency: the same sentences around slots of a dozen words
    that each fills in its own words (what was sold, to whom, for how much). The slots' figures
    differ: the same form about another sale. The same notice sent again with its slots reworded
    around the same figures is the same report."""

    def notice(i: str, sale: str, shipment: str, bonus: str, left: str) -> Document:
        return doc(i, [
            f"WASHINGTON, March 16 - The Commodity Credit Corporation has accepted a bid for an export bonus to cover the sale of {sale}, the U.S. Agriculture Department said.",
            f"The {shipment}.",
            f"The bonus of {bonus} and will be paid in the form of commodities from the CCC inventory, it said.",
            f"An additional {left} under the Export Enhancement Program initiative announced October 30, 1986, it said.",
        ])

    wheat = notice("w", "15,000 tonnes of U.S. wheat to West African countries",
                   "dark northern spring wheat is for shipment May 15-June 15, 1987",
                   "40.05 dlrs per tonne was made to Peavey Company",
                   "315,500 tonnes of wheat are still available to West African countries")  # fmt: skip
    cattle = notice("c", "380 head of dairy cattle to Kuwait",
                    "dairy cattle are for shipment on or before May 31, 1987, it said",
                    "1,465.00 dlrs per head was made to American Marketing Services, Inc,",
                    "761 head of dairy cattle are still available to Gulf countries")  # fmt: skip
    other = compare(wheat, cattle)
    assert other.evidence is not None and other.evidence.number_substitutions >= 3
    assert other.evidence.is_template and other.relation == "related"
    reworded = notice("w2", "15,000 tonnes of wheat of the United States to countries of West Africa",
                      "wheat, dark northern spring, is to be shipped between May 15 and June 15, 1987",
                      "40.05 dlrs a tonne went to Peavey Co",
                      "315,500 tonnes of wheat remain available to countries of West Africa")  # fmt: skip
    again = compare(wheat, reworded)
    assert again.evidence is not None and again.evidence.number_substitutions == 0
    assert not again.evidence.is_template and again.relation in ("duplicate", "derived")


def test_common_text_of_the_corpus_is_not_evidence() -> None:
    footer = "The views expressed in this opinion article are solely those of their author and are not necessarily either shared or endorsed by the publisher of this site, which takes no responsibility for them."
    a, b = doc("a", [*NARRATION_A, footer]), doc("b", [*NARRATION_B, footer])
    fps = sample_fingerprints(shingle_hashes(form_words(words(footer))))
    common = Commonness(np.sort(fps), 5)
    assert compare(a, b).relation == "partial"  # two files alone: nothing says it is a footer
    r = compare(a, b, commonness=common)
    assert r.relation == "related" and r.evidence is not None and r.evidence.common_words > 20


def test_common_forms_per_outlet_and_across() -> None:
    values = np.array([1, 1, 1, 2, 2, 2, 2], dtype=np.uint64)
    outlets = np.array([0, 0, 0, 0, 1, 2, 3])
    assert common_forms(values, outlets, 3, 10).tolist() == [1]  # three of one outlet
    assert common_forms(values, outlets, 3, 4).tolist() == [1, 2]  # or four of any
    params = DetectParams(common_docs=2, common_docs_any=99)
    fp = np.array([5, 6], dtype=np.uint64)
    got = corpus_commonness([fp, fp, fp], ["X", "Y", "Z"], params)
    assert got.common.tolist() == []  # a story spread over three outlets is not chrome
    assert corpus_commonness([fp, fp], ["X", "X"], params).common.tolist() == [5, 6]


def test_evidence_is_word_by_word() -> None:
    """A quotation shared with only its speech tag is third-party words; shared with the
    reporting around it, the passage is the other's prose, quotation and all."""
    tagged = f'"{STATEMENT}" the governor said.'
    ev = reuse_evidence(align(f"{tagged}\n\n" + " ".join(NARRATION_A), f"Intro.\n\n{tagged}"))
    assert ev.prose_words < 8 and ev.third_party_words >= 50
    shared = f'{LEDE} "{STATEMENT}" the governor said.'
    ev = reuse_evidence(align(f"{shared}\n\n" + " ".join(NARRATION_A), f"Intro.\n\n{shared}"))
    assert ev.prose_words >= 100 and ev.third_party_words == 0


def _paraphrase_run(src: list[str], der: list[str], run: range, before: str = "") -> ReuseEvidence:
    """The evidence of one paraphrase passage over ``der``'s sentences ``run`` (matched to the
    same sentences of ``src``), as the aligner leaves neighbouring paraphrased sentences merged."""
    a_text, b_text = " ".join(src), before + " ".join(der)
    a0 = a_text.index(src[run.start])
    a1 = a_text.index(src[run.stop - 1]) + len(src[run.stop - 1])
    b0 = b_text.index(der[run.start])
    b1 = b_text.index(der[run.stop - 1]) + len(der[run.stop - 1])
    al = Alignment([Passage("paraphrase", a0, a1, b0, b1, 0.8)], analyse_text(a_text), analyse_text(b_text), True)
    return reuse_evidence(al)


REWORDED = [
    "Officials in Saxony set aside a plan to lift the river dykes by one metre back in 2019.",
    "A consultant had found that the project would cost over 200 million euros.",
    "The same report said that finishing it would take about ten years.",
    "Internal minutes obtained by this paper describe the decision in detail.",
]
PLAIN = [
    "Regional officials in Saxony quietly shelved a plan to raise the river dykes by a metre in 2019.",
    "A consultant's report warned that the work would cost more than 200 million euros.",
    "It also warned that the work would take a decade to finish.",
    "That is according to internal minutes seen by this newspaper.",
]


def test_a_thorough_rewrite_counts_though_its_sentences_make_one_passage() -> None:
    """Paraphrased sentences in the source's order are reuse when there are three of them: the
    aligner merges neighbouring ones into one passage, so they are counted as sentences."""
    ev = _paraphrase_run(PLAIN, REWORDED, range(0, 4))
    assert ev.words == ev.rewrite_words > 40
    assert (ev.rewrite_sentences, ev.rewrite_runs) == (4, 1)
    # Two sentences are not enough; nor three that make a small part of a long article (two
    # reports of one statement, each in its own words), unless they are three separate passages.
    assert _paraphrase_run(PLAIN, REWORDED, range(0, 2)).words == 0
    long_intro = " ".join(NARRATION_B * 6) + " "
    small = _paraphrase_run(PLAIN, REWORDED, range(0, 3), before=long_intro)
    assert small.rewrite_sentences == 3 and small.words == 0


def test_sentences_matched_around_one_quotation_count_no_more_narration_than_both_have() -> None:
    """Two reports of a veto message: the paraphrase layer matches the sentences that give its
    one quotation; one has a speech tag around it, the other a clause of its own: no reworded
    narration there, and the passage is the quotation."""
    q = "would neither protect Americans from terrorist attacks nor improve the effectiveness of our response to such attacks."
    src = [f"But he added that the legislation \u201c{q}\u201d"]
    der = [f"But he maintained the bill would seriously hurt US security interests and alliances, saying it \"{q}\""]
    ev = _paraphrase_run(src, der, range(0, 1))
    assert ev.passages[0].counted == 6  # 'But he added that the legislation': under 8, not prose
    # Where the narration around the quotation is the other's, it still counts.
    shared = "But he added that the legislation, which passed the Senate without objection in May,"
    ev = _paraphrase_run([f"{shared} \u201c{q}\u201d"], [f"{shared} saying it \"{q}\""], range(0, 1))
    assert ev.passages[0].counted >= 15


def test_a_near_verbatim_passage_around_a_quotation_counts_the_narration_both_share() -> None:
    """Two reports of one tweet: the lexical layer merges the quotation with the different
    sentences that introduce it; only their shared words are shared narration."""
    tweet = '"If I had a bowl of skittles and I told you just three would kill you. Would you take a handful?"'
    src = f"The tweet, which consisted of a photo of a bowl full of the candy that said: {tweet} It drew anger."
    der = f"Donald Trump Jr. posted a picture of Skittles with a caption that reads, {tweet} Many were angry."
    a0, b0 = 0, 0
    a1, b1 = src.index(" It drew"), der.index(" Many were")
    al = Alignment([Passage("near_verbatim", a0, a1, b0, b1, 0.8)], analyse_text(src), analyse_text(der), False)
    ev = reuse_evidence(al)
    assert ev.passages[0].counted < 8 and ev.prose_words < 8  # 'a ... of ... that'
    # The same quotation introduced by the same sentence: the other's reporting, counted whole.
    intro = "The eldest Trump son posted a photo of a bowl of Skittles and a caption that reads,"
    src2, der2 = f"{intro} {tweet} It drew anger.", f"{intro} {tweet} Many were angry."
    a1, b1 = src2.index(" It drew"), der2.index(" Many were")
    al = Alignment([Passage("near_verbatim", 0, a1, 0, b1, 0.8)], analyse_text(src2), analyse_text(der2), False)
    assert reuse_evidence(al).prose_words >= 30


def test_two_reports_naming_a_statements_speaker_alike_share_no_narration() -> None:
    """Two reports of one statement name its speaker the same way: the speech tag between the
    quotations is not the other's reporting; a sentence of narration shared with it is."""
    q1 = '"After talks with community leaders, we have decided to postpone the trip,"'
    q2 = '"She will visit next Sunday."'
    src = f"The visit was called off. {q1} Clinton communications director Jennifer Palmieri wrote in a statement. {q2} It drew praise."
    der = f"Plans changed again. {q1} Clinton communications director Jennifer Palmieri said in a statement. {q2} Many were relieved."

    def passage(a_text: str, b_text: str) -> ReuseEvidence:
        a0, b0 = a_text.index(q1), b_text.index(q1)
        a1, b1 = a_text.index(q2) + len(q2), b_text.index(q2) + len(q2)
        al = Alignment([Passage("near_verbatim", a0, a1, b0, b1, 0.8)], analyse_text(a_text), analyse_text(b_text), False)
        return reuse_evidence(al)

    ev = passage(src, der)
    assert ev.prose_words <= 8 and ev.third_party_words >= 15  # the quotations do not count
    # Narration of its own between the quotations, shared too: the other's reporting.
    told = "Palmieri said the campaign had spoken with the mayor and the police chief before deciding to delay the trip by a week."
    ev = passage(f"The visit was called off. {q1} {told} {q2} It drew praise.", f"Plans changed again. {q1} {told} {q2} Many were relieved.")
    assert ev.prose_words >= 35  # the passage, quotations and all


def test_reworded_sentences_with_other_figures_are_another_report() -> None:
    """Two stories citing two polls in the same words: a rewrite keeps the figures it rewrites."""
    poll_a = [
        "In last week's national poll, Clinton edged Trump among likely voters asked who would handle terrorism better, 47 percent to 46 percent.",
        "Among registered voters the poll found Clinton ahead on the economy by 52 percent to 41 percent.",
        "The same survey put her lead on foreign policy at 55 percent to 38 percent.",
    ]  # fmt: skip
    poll_b = [
        "A national poll released on Wednesday had Clinton ahead among likely voters on who would handle terrorism better, 49 percent to 45 percent.",
        "Among registered voters the survey found Clinton leading on the economy by 50 percent to 44 percent.",
        "It also put her lead on foreign policy at 57 percent to 35 percent.",
    ]  # fmt: skip
    intro = " ".join(NARRATION_B * 2) + " "  # the rest of the story: no template
    ev = _paraphrase_run(poll_a, poll_b, range(0, 3), before=intro)
    assert ev.passages[0].counted == 0 and ev.passages[0].why == "other figures: another report of the same kind"
    # The same figures reworded: a rewrite of that report.
    same = [s.replace("49 percent to 45", "47 percent to 46").replace("50 percent to 44", "52 percent to 41")
            .replace("57 percent to 35", "55 percent to 38") for s in poll_b]  # fmt: skip
    ev = _paraphrase_run(poll_a, same, range(0, 3), before=intro)
    assert ev.rewrite_sentences == 3 and ev.passages[0].counted > 40 and ev.passages[0].why is None


def test_a_copied_sentence_whose_figures_are_all_others_is_a_form() -> None:
    """Two stories of one negotiation share a rule's sentence with other figures in it (80 pct
    in one, 75 in the other) and a phrase: the sentence is a form both fill in, and what is left
    is too little to be an excerpt. With the same figures, the sentence is one's prose."""
    rule = ("The negotiators agreed that governments accounting for {x} pct of world exports and {x} pct of "
            "world imports must approve or ratify the pact before it becomes operational.")
    phrase = "The conference chairman said the final text would be sent to member governments for signature next month."
    a = doc("a", [*NARRATION_A, rule.format(x=80), LEDE, phrase])
    more = [*NARRATION_B, phrase, "Delegates from the producing countries left the talks early to attend a "
            "regional summit, and consumers asked for a review of the buffer stock's price range in a year."]
    b = doc("b", [NARRATION_B[0], rule.format(x=75), *more])
    r = compare(a, b)
    assert r.relation == "related"
    assert r.evidence is not None and not r.evidence.is_template  # the rest of the stories differs
    assert any(p.why and "other figures" in p.why for p in r.evidence.passages)
    same = compare(a, doc("c", [NARRATION_B[0], rule.format(x=80), *more]))
    assert same.relation in ("partial", "derived")


def test_a_reworded_sentence_moving_its_numbers_about_changes_no_figure() -> None:
    from newstrace.analyze.evidence import _facts

    a = analyse_text("Sales rose to 15 million cars in 2016 from 12 million in 2015, the company said.")
    b = analyse_text("The company sold 12 million cars in 2015 and 15 million in 2016, it said.")
    na, nb = len(a.tokens), len(b.tokens)
    # Read as a reworded passage: the same four numbers, none replaced, no names counted.
    assert _facts(a, 0, na, b, 0, nb, names=False) == (4, 0, 0)
    # Read word by word, as copied text is, the moved numbers would pass for other figures.
    assert _facts(a, 0, na, b, 0, nb)[1] >= 2
    c = analyse_text("The company sold 11 million cars in 2015 and 15 million in 2017, it said.")
    assert _facts(a, 0, na, c, 0, len(c.tokens), names=False) == (2, 2, 0)


def test_figures_written_in_words_are_figures_of_a_template() -> None:
    # Reuters writes small dividends in words: two companies' notices differ only in them.
    a = doc("a", ["NEW YORK, March 2 - Qtly div four cts vs four cts prior", "Pay April 1", "Record March 16"])
    b = doc("b", ["NEW YORK, March 4 - Qtly div five cts vs five cts prior", "Pay April 15", "Record March 31"])
    r = compare(a, b)
    assert r.relation == "related"
    assert r.evidence is not None and r.evidence.number_substitutions >= 2


class _Vectors:
    """A stand-in encoder: given vectors for some texts, a fixed random one for any other."""

    name = "stand-in"

    def __init__(self, known: dict[str, np.ndarray]) -> None:
        self.known = known

    def encode(self, sentences: list[str]) -> np.ndarray:
        rows = []
        for s in sentences:
            v = self.known.get(s)
            if v is None:
                seed = int.from_bytes(hashlib.sha256(s.encode()).digest()[:4], "big")
                v = np.random.default_rng(seed).standard_normal(8)
            rows.append(v / np.linalg.norm(v))
        return np.vstack(rows).astype(np.float32)


def _around(holders: dict[str, float], copies: frozenset[str] = frozenset()) -> tuple[ReuseEvidence, ReuseEvidence]:
    """The evidence of the thorough rewrite of PLAIN, alone and with documents around the pair
    whose one sentence is at the given cosine to the source's passage (which is at 0.8 to the
    rewrite's)."""
    e1, e2, e3 = np.eye(8)[:3]
    a_text, b_text = " ".join(PLAIN), " ".join(REWORDED)
    known = {a_text: e1, b_text: 0.8 * e1 + 0.6 * e2}
    texts = {"src": a_text, "der": b_text}
    for name, cos in holders.items():
        sentence = f"The report {name} describes the shelved dyke plan."
        known[sentence] = cos * e1 + float(np.sqrt(1 - cos * cos)) * e3
        texts[name] = sentence
    meaning = SharedMeaning(
        neighbours={"src": frozenset(holders) | {"der"}, "der": frozenset({"src"})},
        copies={"src": frozenset(copies)},
        texts=texts,
        encoder=_Vectors(known),
    )
    al = Alignment(
        [Passage("paraphrase", 0, len(a_text), 0, len(b_text), 0.8)], analyse_text(a_text), analyse_text(b_text), True
    )
    common = Commonness(np.zeros(0, dtype=np.uint64), meaning=meaning)
    return reuse_evidence(al, commonness=common), reuse_evidence(al, commonness=common, ids=("src", "der"))


def test_a_paraphrase_three_other_documents_say_as_closely_is_the_storys_common_content() -> None:
    alone, around = _around({"c1": 0.8, "c2": 0.78, "c3": 0.9})
    assert alone.words == alone.rewrite_words > 40  # a thorough rewrite, weighed alone
    assert around.words == 0 and around.common_words == alone.rewrite_words
    (p,) = around.passages
    assert p.counted == 0 and p.why == "common content of the story: 3 other documents say it as closely"


def test_a_paraphrase_few_others_say_or_only_copies_say_is_still_a_rewrite() -> None:
    # Two documents are not enough; nor are sentences much further off (0.8 - 0.05 is the floor).
    assert _around({"c1": 0.8, "c2": 0.8})[1].words > 40
    assert _around({"c1": 0.8, "c2": 0.8, "c3": 0.7})[1].words > 40
    # Copies of the source say what it says: they are the same report, not other ones (an
    # article republished by many sites keeps its rewrites).
    assert _around({"c1": 0.8, "c2": 0.8, "c3": 0.99}, copies=frozenset({"c3"}))[1].words > 40
    assert _around({"c1": 0.8, "c2": 0.8, "c3": 0.99})[1].words == 0


_FIGURES = st.lists(st.integers(10, 99_999).filter(lambda f: not 1900 <= f <= 2099), min_size=3, max_size=12, unique=True)
"""A table's figures (years aside: they are not counted)."""


@given(_FIGURES, st.data())
def test_restated_figures_lists_only_a_table_s_figures_that_a_story_gives_again(
    figures: list[int], data: st.DataObject
) -> None:
    """Whatever figures a table holds and however many of them a story gives again: the list
    holds the table's own distinct figures that the story gives, each once; none when fewer than
    half of them are; the story here is prose, no table, so the two ways round never both list
    figures."""
    table = analyse_text("NEW YORK, March 3 - " + " ".join(f"Net {f:,}" for f in figures) + " Reuter")
    given_again = data.draw(st.lists(st.sampled_from(figures), unique=True, max_size=len(figures)))
    filler = " ".join(["the company said its results reflected higher sales of its main lines"] * 3)
    story = analyse_text(
        "NEW YORK, March 3 - " + filler + ". " + ", ".join(f"it earned {f:,} dlrs" for f in given_again) + "."
    )
    found = restated_figures(table, story)
    assert set(found) <= {str(f) for f in given_again} and len(found) == len(set(found))
    assert not found or len(found) >= 0.5 * len(figures)
    if 2 * len(given_again) >= len(figures):
        assert sorted(found) == sorted(str(f) for f in given_again)
    assert not found or restated_figures(story, table) == []

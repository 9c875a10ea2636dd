# ruff: noqa: E501
"""A wire service sends a story and, within a day or two, reactions and follow-ups that restate
its paragraph word for word: four of its documents hold that paragraph, as four hold a formula.
The formula recurs all through the corpus; the story's paragraph only in the days the story ran.
So the paragraph is a story's spread (evidence of reuse), the formula the outlet's common text
(:func:`newstrace.detect.common_forms`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newstrace.detect import DetectParams, common_forms, corpus_commonness, detect
from newstrace.errors import ConfigError
from newstrace.pipeline import ingest
from newstrace.store import Store

STORY = (
    "Finance Minister Kiichi Miyazawa told the same parliamentary committee that the six nations "
    "had intervened aggressively in the currency markets since the dollar fell below the level "
    "agreed in Paris last month, and that they would keep doing so until exchange rates settled "
    "within the ranges their deputies had discussed at the meeting."
)
FORMULA = (
    "The company said the offering will be made through an underwriting group managed by "
    "Shearson Lehman Brothers Inc and Salomon Brothers Inc, and that it will use the net proceeds "
    "to repay bank borrowings, to fund working capital and for other general corporate purposes, "
    "including possible acquisitions."
)
STORIES = [
    ("story-1", "1987-03-30T01:03:00+00:00", "G-6 WANTS DOLLAR HELD ABOVE 150 YEN - NAKASONE",
     ["TOKYO, March 30 - Prime Minister Yasuhiro Nakasone told a Lower House budget committee that the group of six industrial nations wants to hold the dollar above 150 yen.", STORY,
      "Nakasone also said Japan would present a package of measures to expand domestic demand before his visit to Washington at the end of April, including public works spending and tax cuts for households.",
      "Nakasone did not say how long the agreement would stay in force, and officials declined to elaborate on his remarks. Reuter"]),
    ("story-2", "1987-03-30T08:10:00+00:00", "HONG KONG DEALERS CALL NAKASONE REMARKS TOO LATE",
     ["HONG KONG, March 30 - Foreign exchange dealers here said the comments came too late to stop the yen's rise, which had already carried it through several technical barriers overnight.",
      "Bankers said exporters had sold dollars heavily in the last days of the fiscal year and that the selling would probably ease in April, when Japanese life insurers usually start buying foreign bonds again.",
      "Dealers said Asian central banks stayed out of the market during the morning session.", STORY,
      "One trader at a European bank said most clients had already hedged their exposure for the quarter. Reuter"]),
    ("story-3", "1987-03-30T11:40:00+00:00", "LONDON DEALERS DOUBT G-6 RESOLVE ON DOLLAR",
     ["LONDON, March 30 - Currency dealers in London questioned whether the major nations could defend the dollar without a change in interest rate policy.", STORY,
      "Sterling rose against a weak dollar but lost ground to the mark, and the pound's trade-weighted index ended slightly lower as oil prices eased on reports of rising production in the Gulf.",
      "The dollar closed at 146.20 yen in late London trading, dealers said, after touching a low of 145.80 earlier in the day. Reuter"]),
    ("story-4", "1987-03-31T02:20:00+00:00", "ANALYSTS SAY JAPAN MAY CUT DISCOUNT RATE",
     ["TOKYO, March 31 - Several economists at Tokyo securities houses said the Bank of Japan might lower its discount rate again before the summit in Venice.",
      "The economists said the yen's rise would cut the profits of exporters such as car and electronics makers in the business year that starts in April, and that capital spending would stay weak.",
      "They said domestic demand remained sluggish despite two earlier packages.", STORY,
      "A central bank spokesman said no decision had been taken. Reuter"]),
]
OFFERS = [
    ("offer-1", "1987-03-20T14:00:00+00:00", "ACME TOOL <ACT> FILES FOR STOCK OFFERING",
     ["CHICAGO, March 20 - Acme Tool Corp said it filed with the Securities and Exchange Commission for a public offering of two mln common shares.", FORMULA,
      "Acme said it had 12.4 mln shares outstanding before the offering and that its chairman would not sell any of his holdings, which amount to about 18 pct of the company.",
      "Acme makes machine tools for the automobile industry. Reuter"]),
    ("offer-2", "1987-03-24T15:30:00+00:00", "BAYVIEW SAVINGS <BAYV> PLANS DEBT SALE",
     ["SAN FRANCISCO, March 24 - Bayview Savings said it filed to sell 75 mln dlrs of subordinated debentures due 1997.", FORMULA,
      "Bayview said its earnings fell last year because of losses on real estate loans in Texas, and that it expects to return to profit in the second half of this year.",
      "The savings bank has assets of 2.1 billion dlrs and operates branches in northern California. Reuter"]),
    ("offer-3", "1987-03-27T16:45:00+00:00", "CORONET FOODS <CFD> TO OFFER PREFERRED",
     ["DALLAS, March 27 - Coronet Foods Inc said it will offer one mln shares of convertible preferred stock at 25 dlrs a share.",
      "Coronet said the preferred would be convertible into common stock at a premium to the market price and would pay a dividend of about seven pct a year, quarterly.", FORMULA,
      "Coronet had sales of 410 mln dlrs last year. Reuter"]),
    ("offer-4", "1987-03-31T13:15:00+00:00", "DELTA MINING <DMC> FILES FOR NOTES OFFERING",
     ["DENVER, March 31 - Delta Mining Co said it filed for an offering of 50 mln dlrs of senior notes due 1994.", "The company owns gold properties in Nevada.", FORMULA,
      "Delta said production at its Nevada mine rose 20 pct last year to 95,000 ounces of gold and that it plans to double output by 1989 with a new mill now under construction.",
      "Delta also operates a copper mine in Arizona. Reuter"]),
]
NAMES = "Allied Baxter Carlton Dunmore Everett Fulton Granger Hollis Ingram Jarvis".split()
KINDS = "Bancorp Industries Resources Holdings Mills".split()


def _items() -> list[dict[str, str]]:
    """The wire's everyday items all month (a long line its chrome learner would take for a
    footer must recur in one of its items in twenty: these make the paragraphs a few)."""
    rows = []
    for k in range(100):
        name = f"{NAMES[k % 10]} {KINDS[k // 20]}"
        day = 1 + k % 31
        rows.append({
            "id": f"item-{k}", "outlet": "Wire", "date": f"1987-03-{day:02d}T12:00:00+00:00",
            "title": f"{name.upper()} SETS QUARTERLY DIVIDEND {k}",
            "text": f"{name} said its board declared a quarterly dividend of {k + 3} cts a share, "
                    f"payable April {1 + k % 28} to holders of record March {day}. Reuter",
        })  # fmt: skip
    return rows


def _corpus(path: Path) -> Path:
    rows = [
        {"id": i, "outlet": "Wire", "title": t, "text": "\n\n".join(paras), "date": d}
        for i, d, t, paras in (*STORIES, *OFFERS)
    ] + _items()
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _relations(tmp_path: Path, params: DetectParams) -> dict[frozenset[str], str]:
    with Store(tmp_path / f"s{params.story_docs}.db") as store:
        ingest([_corpus(tmp_path / "wire.jsonl")], store)
        detect(store, params)
        ids = {r["id"]: r["input_id"] for r in store.conn.execute("SELECT id, input_id FROM documents")}
        return {
            frozenset((ids[r["a"]], ids[r["b"]])): r["relation"]
            for r in store.conn.execute("SELECT a, b, relation FROM pairs")
        }


def test_a_story_restated_within_days_is_reuse_a_formula_all_month_is_not(tmp_path: Path) -> None:
    got = _relations(tmp_path, DetectParams(workers=1))
    stories = [frozenset((a[0], b[0])) for k, a in enumerate(STORIES) for b in STORIES[k + 1 :]]
    offers = [frozenset((a[0], b[0])) for k, a in enumerate(OFFERS) for b in OFFERS[k + 1 :]]
    assert all(got.get(p) in ("partial", "derived") for p in stories), got
    assert all(got.get(p) == "related" for p in offers), got
    # Counting every holder (the rule off), the story's paragraph is common text too.
    off = _relations(tmp_path, DetectParams(workers=1, story_docs=0))
    assert all(off.get(p) == "related" for p in stories), off


def test_common_forms_tells_a_story_from_a_formula() -> None:
    values = np.array([7, 7, 7, 7, 9, 9, 9, 9], np.uint64)
    outlets = np.zeros(8, np.int64)
    days = np.array([10.0, 10, 11, 12, 1, 5, 9, 12])  # 7: three days running; 9: all month
    assert common_forms(values, outlets, 4, 99).tolist() == [7, 9]  # not dated: both count
    assert common_forms(values, outlets, 4, 99, days).tolist() == [9]
    assert common_forms(values, outlets, 4, 99, days, story_days=1).tolist() == [7, 9]
    assert common_forms(values, outlets, 4, 99, days, story_docs=3).tolist() == [7, 9]  # too many
    assert common_forms(values, outlets, 4, 4, days).tolist() == [7, 9]  # across outlets: as before
    undated = days.copy()
    undated[0] = np.nan
    assert common_forms(values, outlets, 4, 99, undated).tolist() == [7, 9]  # a holder undated
    # An outlet whose documents all fall within the story's days: nothing tells them apart.
    short = np.array([10.0, 10, 11, 12, 10, 11, 11, 12])
    assert common_forms(values, outlets, 4, 99, short).tolist() == [7, 9]


def test_corpus_commonness_reads_the_dates() -> None:
    from datetime import date

    fp, other = np.array([5, 6], np.uint64), np.array([8], np.uint64)
    forms = [fp, fp, fp, fp, other]
    dates = [date(1987, 3, 30), date(1987, 3, 30), date(1987, 3, 31), date(1987, 3, 31), date(1987, 3, 10)]
    params = DetectParams(common_docs=4)
    assert corpus_commonness(forms, ["W"] * 5, params).common.tolist() == [5, 6]
    assert corpus_commonness(forms, ["W"] * 5, params, dates=dates).common.tolist() == []
    with pytest.raises(ConfigError):
        DetectParams(story_days=-1)

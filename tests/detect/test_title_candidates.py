# ruff: noqa: E501
"""A short item sent again in other words shares almost no shingle with its first version, but
its title still names its subject: rare title words two short items share propose the pair."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from newstrace.detect import REUSE, DetectParams, detect
from newstrace.pipeline import ingest
from newstrace.store import Store

FIRST = (
    "NEW YORK, March 11 - Robert Halmi Inc said it has received a commitment for a five mln dlr "
    "revolving credit line from Wells Fargo and Co.\n\n"
    "It said it will use funds for the development and production of television programming. Reuter"
)
AGAIN = (
    "NEW YORK, March 11 - Robert Halmi Inc said it obtained a five mln dlr line of revolving credit "
    "from Wells Fargo Bank available through February 29, 1988.\n\n"
    "Halmi said the funds will be used for the development and production of television "
    "programming and for regular company business.\n\n"
    "Halmi said it reported earnings of 2,800,000 dlrs in fiscal year 1986 ended May, 1986, on "
    "sales of 17.2 mln dlrs. Reuter"
)
OTHERS = [
    ("ACME TOOL <ACT> SETS QUARTERLY DIVIDEND", "CHICAGO, March 11 - Acme Tool Corp said its board declared a quarterly dividend of 12 cts a share, payable April 1 to holders of record March 20. Reuter"),
    ("BAYVIEW SAVINGS <BAYV> SETS QUARTERLY DIVIDEND", "SAN FRANCISCO, March 11 - Bayview Savings said it will pay a quarterly dividend of eight cts a share on April 15 to holders of record March 31. Reuter"),
    ("CORONET FOODS <CFD> NAMES NEW PRESIDENT", "DALLAS, March 11 - Coronet Foods Inc said it named John Smith president and chief operating officer, succeeding Paul Brown, who retired. Reuter"),
    ("DELTA MINING <DMC> RAISES GOLD RESERVE ESTIMATE", "DENVER, March 11 - Delta Mining Co said proven reserves at its Nevada property rose to 1.2 mln ounces of gold from 800,000 ounces a year earlier. Reuter"),
    ("EASTLAND PAPER <EPC> TO CLOSE MILL", "PORTLAND, Maine, March 11 - Eastland Paper Co said it will close its Rumford mill in June, eliminating 300 jobs, because of weak demand for coated paper. Reuter"),
    ("WORKERS WALK OUT AT MAINE MILL", "RUMFORD, Maine, March 11 - About 1,200 workers walked out at a paper mill here after talks on a new contract broke down, a union spokesman said. Reuter"),
    ("FAIRWAY STORES <FWS> FEBRUARY SALES RISE", "ATLANTA, March 11 - Fairway Stores Inc said its February sales rose 7.5 pct to 41.2 mln dlrs from 38.3 mln dlrs a year earlier. Reuter"),
]


def _corpus(path: Path) -> Path:
    rows = [
        {"id": "halmi-1", "title": "ROBERT HALMI <RHI> GETS FIVE MLN DLR CREDIT LINE", "text": FIRST, "date": "1987-03-11T10:46:07+00:00"},
        {"id": "halmi-2", "title": "ROBERT HALMI INC <RHI> OBTAINS REVOLVING CREDIT", "text": AGAIN, "date": "1987-03-11T14:20:31+00:00"},
        *({"id": f"other-{k}", "title": t, "text": x, "date": "1987-03-11T09:00:00+00:00"} for k, (t, x) in enumerate(OTHERS)),
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _pairs(db: Path, corpus: Path, params: DetectParams) -> dict[frozenset[str], tuple[str, str]]:
    with Store(db) as store:
        ingest([corpus], store)
        detect(store, params)
        ids = {r["id"]: r["input_id"] for r in store.conn.execute("SELECT id, input_id FROM documents")}
        return {
            frozenset((ids[r["a"]], ids[r["b"]])): (r["relation"], r["candidate"])
            for r in store.conn.execute("SELECT a, b, relation, candidate FROM pairs")
        }


def test_an_item_sent_again_reworded_is_proposed_by_its_title(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "items.jsonl")
    # In a corpus of eight items its rare words and its few shared shingles (the dateline, one
    # phrase) would propose it too; in a wire service's day, which hundreds of items share, they
    # do not: the other generators are turned off here.
    alone = DetectParams(workers=1, terms=False, min_shared=99, threshold=1.0)
    found = _pairs(tmp_path / "on.db", corpus, alone)
    relation, why = found[frozenset(("halmi-1", "halmi-2"))]
    assert why == "title" and relation in REUSE
    # Rare title words propose; the texts decide: two companies' dividend notices ("SETS QUARTERLY
    # DIVIDEND", rare words among eight titles) are proposed, and are no reuse.
    assert found[frozenset(("other-0", "other-1"))] == ("related", "title")
    # One rare word alone ("MILL") is as often a word of two stories of one kind: not proposed.
    assert frozenset(("other-4", "other-5")) not in found
    without = _pairs(tmp_path / "off.db", corpus, replace(alone, title_df=0))
    assert frozenset(("halmi-1", "halmi-2")) not in without

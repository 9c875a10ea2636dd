# ruff: noqa: E501
"""A wire sends its news first as a headline flash (a title, no body) and the story follows
within minutes. newstrace stores the flash, proposes it with the texts of its hour, and reads it
by the news it gives: its figures, its subject's names, most of its words."""

from __future__ import annotations

import json
from pathlib import Path

from newstrace.analyze import compare, explain_relation
from newstrace.detect import REUSE, DetectParams, detect
from newstrace.models import Document
from newstrace.pipeline import ingest
from newstrace.store import Store

FLASH = "ALLIED BANCSHARES 3RD QTR NET LOSS 104.2 MLN VS LOSS 46.4 MLN"
TABLE = (
    "HOUSTON, Oct 20 - Shr loss 2.51 dlrs vs loss 1.12 dlrs\n\nNet loss 104.2 mln vs loss 46.4 mln\n\n"
    "Nine mths\n\nShr loss 5.80 dlrs vs loss 52 cts\n\nNet loss 240.9 mln vs loss 21.7 mln\n\n"
    "NOTE: 1987 qtr includes loss 123.6 mln dlrs for loan-loss allowance provision. Reuter"
)
SALES = "FEDERATED DEPARTMENT STORES MARCH SALES UP 4.9 PCT"
SALES_STORY = (
    "CINCINNATI, April 9 - Federated Department Stores Inc said its March sales rose 4.9 pct to "
    "812.3 mln dlrs from 774.3 mln dlrs a year earlier, on a comparable store basis. Reuter"
)
OTHERS = [
    ("ACME TOOL <ACT> SETS QUARTERLY DIVIDEND", "CHICAGO, Oct 20 - Acme Tool Corp said its board declared a quarterly dividend of 12 cts a share, payable Nov 1 to holders of record Oct 30. Reuter"),
    ("CORONET FOODS <CFD> NAMES NEW PRESIDENT", "DALLAS, Oct 20 - Coronet Foods Inc said it named John Smith president and chief operating officer, succeeding Paul Brown, who retired. Reuter"),
    ("DELTA MINING <DMC> RAISES GOLD RESERVE ESTIMATE", "DENVER, Oct 20 - Delta Mining Co said proven reserves at its Nevada property rose to 1.2 mln ounces of gold from 800,000 ounces a year earlier. Reuter"),
    ("EASTLAND PAPER <EPC> TO CLOSE MILL", "PORTLAND, Maine, Oct 20 - Eastland Paper Co said it will close its Rumford mill in June, eliminating 300 jobs, because of weak demand for coated paper. Reuter"),
]


def _corpus(path: Path) -> Path:
    def item(i: str, title: str, text: str, at: str) -> dict[str, str]:
        return {"id": i, "outlet": "Reuters", "title": title, "text": text, "date": at}

    rows = [
        item("flash", FLASH, FLASH, "1987-10-20T15:28:49+00:00"),
        item("again", FLASH, FLASH, "1987-10-20T15:29:30+00:00"),  # the flash sent twice
        item("table", "ALLIED BANCSHARES INC <ALBN.O> 3RD QTR LOSS", TABLE, "1987-10-20T15:38:56+00:00"),
        item("next-day", FLASH, FLASH, "1987-10-21T15:30:00+00:00"),  # the same words a day later
        # One bank's prime-rate flash and another's: the same words of two banks.
        item("chemical", "CHEMICAL CUTS PRIME RATE TO 9-1/4 PCT", "CHEMICAL CUTS PRIME RATE TO 9-1/4 PCT", "1987-10-20T16:00:00+00:00"),
        item("marine", "MARINE MIDLAND CUTS PRIME RATE TO 9-1/4 PCT", "MARINE MIDLAND CUTS PRIME RATE TO 9-1/4 PCT", "1987-10-20T16:05:00+00:00"),
        # A story four hours after its flash gives its news: not its story, and not proposed.
        item("sales", SALES, SALES, "1987-10-20T10:00:00+00:00"),
        item("sales-story", "FEDERATED <FDS> MARCH SALES RISE", SALES_STORY, "1987-10-20T14:00:00+00:00"),
        *(item(f"other-{k}", t, x, "1987-10-20T15:00:00+00:00") for k, (t, x) in enumerate(OTHERS)),
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _detected(tmp_path: Path) -> tuple[dict[frozenset[str], dict[str, str]], int]:
    with Store(tmp_path / "s.db") as store:
        report = ingest([_corpus(tmp_path / "items.jsonl")], store)
        detect(store, DetectParams(workers=1))
        ids = {r["id"]: r["input_id"] for r in store.conn.execute("SELECT id, input_id FROM documents")}
        pairs = {
            frozenset((ids[r["a"]], ids[r["b"]])): {
                "relation": r["relation"], "candidate": r["candidate"], "source": ids[r["source"]],
                "report": r["report"],
            }
            for r in store.conn.execute("SELECT a, b, relation, candidate, source, report FROM pairs")
        }
        return pairs, report.added


def test_a_headline_flash_is_stored_and_read_by_the_news_it_gives(tmp_path: Path) -> None:
    pairs, added = _detected(tmp_path)
    assert added == 12  # every flash stored, none skipped as "a headline only"
    story = pairs[frozenset(("flash", "table"))]
    assert (story["candidate"], story["relation"], story["source"]) == ("flash", "partial", "flash")
    held = json.loads(story["report"])["evidence"]["held_flash"]
    assert {"allied", "bancshares", "loss"} <= set(held)
    again = pairs[frozenset(("flash", "again"))]
    assert again["candidate"] == "flash" and again["relation"] in REUSE
    # The same words a day later, and another bank's flash of the same form, are not reuse; a
    # story four hours after its flash is not proposed with it.
    assert pairs.get(frozenset(("flash", "next-day")), {}).get("relation") not in REUSE
    assert pairs.get(frozenset(("chemical", "marine")), {}).get("relation") not in REUSE
    assert frozenset(("sales", "sales-story")) not in pairs
    assert all(p["relation"] not in REUSE for k, p in pairs.items() if k & {f"other-{n}" for n in range(4)})


def test_a_flash_compared_without_the_corpus_is_said_less_of(tmp_path: Path) -> None:
    """Without the corpus's title frequencies what names the flash's subject is not known:
    ``compare`` of two files does not call a flash reused (when unsure, say less)."""
    flash = Document(id="f", text=FLASH, title=FLASH, published="1987-10-20T15:28:49+00:00")
    table = Document(id="t", text=TABLE, title="ALLIED BANCSHARES INC <ALBN.O> 3RD QTR LOSS", published="1987-10-20T15:38:56+00:00")
    r = compare(flash, table)
    assert r.evidence is not None and r.evidence.flash and r.evidence.held_flash == []
    assert r.relation not in REUSE
    assert "headline flash whose news the other text does not give" in (explain_relation(r.to_dict()) or "")


def test_a_flash_is_held_by_a_text_of_its_hour_only() -> None:
    import numpy as np

    from newstrace.analyze import Commonness

    df = {"allied": 3, "bancshares": 3, "qtr": 90, "loss": 50, "net": 80}
    corpus = Commonness(np.zeros(0, np.uint64), title_df=df, titles=1000)
    flash = Document(id="f", text=FLASH, title=FLASH, published="1987-10-20T15:28:49+00:00")
    title = "ALLIED BANCSHARES INC <ALBN.O> 3RD QTR LOSS"
    soon = Document(id="t", text=TABLE, title=title, published="1987-10-20T15:38:56+00:00")
    later = Document(id="t", text=TABLE, title=title, published="1987-10-20T18:38:56+00:00")
    other = Document(id="o", text=TABLE.replace("104.2", "101.2"), title=title, published="1987-10-20T15:38:56+00:00")
    assert compare(flash, soon, commonness=corpus).relation == "partial"
    assert compare(flash, later, commonness=corpus).relation not in REUSE
    assert compare(flash, other, commonness=corpus).relation not in REUSE  # a figure of the flash missing
    # A text a few minutes before the flash is its story; half an hour before, it expected it.
    just_before = Document(id="t", text=TABLE, title=title, published="1987-10-20T15:24:00+00:00")
    well_before = Document(id="t", text=TABLE, title=title, published="1987-10-20T14:58:00+00:00")
    assert compare(flash, just_before, commonness=corpus).relation == "partial"
    assert compare(flash, well_before, commonness=corpus).relation not in REUSE

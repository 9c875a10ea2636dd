"""detect --semantic weighs paraphrased passages against the documents around a pair: what
three other reports of the story say as closely is the story's common content, not reuse
(:class:`newstrace.analyze.evidence.SharedMeaning`). Real BuzzFeed-Webis 2016 articles (the
bundled corpus): ten on the Bridgegate trial's opening day and its neighbours."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import DetectParams, detect
from newstrace.models import Document

pytestmark = pytest.mark.semantic
CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz"
# Every document paired with 0012 or 0251 when the whole corpus is detected with --semantic.
TRIAL = ("0012", "0125", "0251", "0259", "0305", "0480", "0510", "0864", "0966", "1258")
EVERY = ("duplicate", "derived", "partial", "related", "unrelated")


def _docs(ids: tuple[str, ...]) -> list[Document]:
    wanted = {f"buzzfeed-webis/{i}" for i in ids}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        rows = [d for d in map(json.loads, fh) if d["id"] in wanted]
    return [Document(id=d["id"].split("/")[1], text=d["text"], outlet=d.get("outlet"), title=d.get("title"),
                     language="en", language_source="detected") for d in rows]  # fmt: skip


def _verdicts(store: Any) -> dict[tuple[str, str], str]:
    return {(r["a"], r["b"]): r["relation"] for r in store.pairs(relations=EVERY)}


def test_two_reports_of_one_opening_statement_are_not_reuse(store: Any) -> None:
    store.add_documents(_docs(TRIAL))
    stages: list[str] = []
    detect(store, DetectParams(semantic=True, workers=1), on_progress=lambda s, d, t: stages.append(s))
    verdicts = _verdicts(store)
    # ABC's and CNN's reports of the prosecutor's opening statement ("Wildstein will testify
    # that he told Christie about the plan ... while it was causing traffic problems"), each in
    # its own words, as the other reports of that day say it: labelled quote-only by a reader.
    assert verdicts[("0012", "0251")] == "related"
    report = store.pair_report("0012", "0251")
    whys = [p["why"] for p in report["evidence"]["passages"] if p["kind"] == "paraphrase"]
    assert any(w and w.startswith("common content of the story") for w in whys), whys
    assert "verify common paraphrases" in stages
    # The CNN article that recycles 0251's own background paragraphs is still an excerpt.
    assert verdicts[("0251", "0510")] == "partial"


def test_an_incremental_run_weighs_the_pairs_of_new_neighbours_again(store: Any, tmp_path: Path) -> None:
    """Documents added later may say what a pair verified earlier shares: the pair is weighed
    again, and the store ends as a fresh run leaves it."""
    from newstrace.store import Store

    first = ("0012", "0251", "0510", "0259")
    store.add_documents(_docs(first))
    detect(store, DetectParams(semantic=True, workers=1))
    # Alone with two others, the two reports' shared paraphrase is taken for reuse.
    assert _verdicts(store)[("0012", "0251")] == "partial"
    store.add_documents(_docs(tuple(i for i in TRIAL if i not in first)))
    detect(store, DetectParams(semantic=True, workers=1))
    with Store(tmp_path / "fresh.db") as fresh:
        fresh.add_documents(_docs(TRIAL))
        detect(fresh, DetectParams(semantic=True, workers=1))
        assert _verdicts(store) == _verdicts(fresh)
    assert _verdicts(store)[("0012", "0251")] == "related"

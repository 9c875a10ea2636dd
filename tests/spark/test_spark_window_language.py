"""The Spark job on input without a ``language`` column, with ``window_days`` and the semantic
layer: languages detected as local ingest detects them, and the window applied to the
semantic (translation) candidates as well as the lexical ones, the results equal to local."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.detect import DetectParams, detect
from newstrace.export import export_tables, read_table
from newstrace.pipeline import ingest
from newstrace.store import Store

pytestmark = [pytest.mark.semantic, pytest.mark.slow]
WMT = Path(__file__).resolve().parents[2] / "eval" / "multilingual" / "data" / "wmt-multilingual.jsonl.gz"
# Beverly Press (en), its German translation two days later, its Spanish first half 19 days later.
DATED = {"wmtml/0196": "2021-03-01", "wmtml/0104": "2021-03-03", "wmtml/0203": "2021-03-20"}


def test_no_language_column_and_window_days_equal_local(tmp_path: Path, spark: Any) -> None:
    from newstrace.spark import run_job

    with gzip.open(WMT, "rt", encoding="utf-8") as fh:
        rows = [
            {"id": d["id"].replace("/", "-"), "text": d["text"], "published": DATED[d["id"]]}
            for d in map(json.loads, fh)
            if d["id"] in DATED
        ]
    src = tmp_path / "input.jsonl"  # id, text, published: no language
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    # Vectors of two languages through the LSH index, as in a corpus too big for exact search
    # (test_spark_semantic covers the exact search).
    params = DetectParams(semantic=True, workers=1, window_days=7, exact_row_pairs=0)
    with Store(tmp_path / "local.db") as store:
        ingest([src], store)
        report = detect(store, params)
        local = export_tables(store)
        name = {r["id"]: r["input_id"] for r in store.conn.execute("SELECT id, input_id FROM documents")}
    # Local ingest names documents by their text; the job keeps the input's ids.
    pairs = {(name[p["source"]], name[p["derivative"]]): p["candidate"] for p in local["pairs"]}
    # The German translation is two days off: a translation candidate; the Spanish, 19 days
    # off, is not a candidate of any kind.
    assert pairs == {("wmtml-0196", "wmtml-0104"): "translation"}, pairs
    languages = {name[d["id"]]: d["language"] for d in local["documents"]}
    assert languages == {
        "wmtml-0196": "en", "wmtml-0104": "de", "wmtml-0203": "es"
    }  # fmt: skip
    counts = run_job(spark, str(src), str(tmp_path / "spark"), params)
    assert counts["candidates"] == report.candidates == 1
    remote = read_table(tmp_path / "spark" / "pairs")
    assert {(p["source"], p["derivative"]): p["candidate"] for p in remote} == pairs
    assert [p["relation"] for p in remote] == [p["relation"] for p in local["pairs"]]
    docs = read_table(tmp_path / "spark" / "documents")
    assert {d["id"]: d["language"] for d in docs} == languages


def test_second_round_pairs_respect_the_window(spark: Any) -> None:
    """The Spark job's second round (``_shared_passage_pivots``): the pairs of documents of two
    languages holding the same passage of a hub, with their pivots, those published further
    apart than the window dropped, as local ``detect`` drops them (``hub_pivots`` and
    ``within_window``)."""
    from newstrace.clean.dates import to_date
    from newstrace.detect import hub_pairs, hub_pivots, within_window
    from newstrace.models import Document
    from newstrace.spark.job import _shared_passage_pivots

    docs = [Document(id="hub", text="x", language="en", published="2021-03-01"),
            Document(id="cs", text="x", language="cs", published="2021-03-02"),
            Document(id="ru", text="x", language="ru", published="2021-03-30"),
            Document(id="de", text="x", language="de", published=None),
            Document(id="es", text="x", language="es", published="2021-03-02")]  # fmt: skip
    passage = [("translation", 0.9, 0, 900, 0, 800)]
    rows = [{"source": "hub", "derivative": d, "relation": "partial", "passages": passage} for d in ("cs", "ru", "de")]
    rows.append({"source": "hub", "derivative": "es", "relation": "related", "passages": passage})  # not reuse
    sc = spark.sparkContext
    every = {("cs", "ru"), ("cs", "de"), ("de", "ru")}
    held = [(d, lang, 0, 900, 0, 800) for d, lang in (("cs", "cs"), ("ru", "ru"), ("de", "de"))]
    assert set(hub_pairs(held)) == every
    when = {d.id: to_date(d.published) for d in docs}
    for window in (None, 7):
        params = DetectParams(window_days=window)
        got = dict(_shared_passage_pivots(sc.parallelize(rows, 2), sc.parallelize(docs, 2), params, 3).collect())
        expected = {p for p in every if within_window(when[p[0]], when[p[1]], window)}
        assert set(got) == expected
        assert all(got[p] == hub_pivots("hub", held)[p] for p in expected)
    assert expected == {("cs", "de"), ("de", "ru")}  # cs and ru are 28 days apart

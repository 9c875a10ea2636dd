"""Languages in the front ends: ``search --lang``, ``show``, ``list``, and the exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace import cli
from newstrace.export import document_from_row, export_tables, import_tables, write_tables
from newstrace.models import Document
from newstrace.store import Store

GERMAN = (
    "Die Regierung teilte am Montag mit, dass die Verhandlungen mit den Gewerkschaften in der "
    "kommenden Woche fortgesetzt werden, nachdem Streiks Schulen und Kliniken lahmgelegt hatten."
)
FRENCH = (
    "Le gouvernement a annoncé lundi que les négociations avec les syndicats reprendraient la "
    "semaine prochaine, après trois jours de grève qui ont fermé écoles et hôpitaux."
)
ENGLISH = (
    "The government said on Monday that the negotiations with the unions would continue next "
    "week, after three days of strikes closed schools and hospitals across the country."
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Three articles about one strike, in German, French and English, ingested as files (one
    states its language in a .meta.json)."""
    for name, text in (("de", GERMAN), ("fr", FRENCH), ("en", ENGLISH)):
        (tmp_path / f"{name}.txt").write_text(f"Strike {name}\n\n{text} Streik Macron.\n")
    (tmp_path / "en.meta.json").write_text(json.dumps({"language": "en-GB"}))
    path = tmp_path / "s.db"
    code, out = run("--db", str(path), "ingest", *(str(tmp_path / f"{n}.txt") for n in "de fr en".split()))
    assert code == 0, out
    return str(path)


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout + r.stderr


def search_titles(db: str, *args: str) -> list[str]:
    code, out = run("--db", db, "search", "Streik", "--json", *args)
    assert code == 0, out
    return sorted(h["title"] for h in json.loads(out))


def test_search_lang_filters(db: str) -> None:
    assert search_titles(db) == ["Strike de", "Strike en", "Strike fr"]
    assert search_titles(db, "--lang", "de") == ["Strike de"]
    assert search_titles(db, "--lang", "fr-FR") == ["Strike fr"]
    assert search_titles(db, "--lang", "eng") == ["Strike en"]
    assert search_titles(db, "--lang", "ru") == []
    code, out = run("--db", db, "search", "Streik", "--json")
    assert {h["title"]: h["language"] for h in json.loads(out)} == {
        "Strike de": "de", "Strike fr": "fr", "Strike en": "en"
    }  # fmt: skip
    code, out = run("--db", db, "search", "Streik", "--lang", "de")
    assert code == 0 and "Strike de" in out and "Strike fr" not in out and " de " in out


def test_search_with_a_bad_lang_says_how_to_fix_it(db: str) -> None:
    code, out = run("--db", db, "search", "Streik", "--lang", "german!")
    assert code == 2
    assert "language code such as en" in out


def test_show_and_list_give_the_language_and_where_it_came_from(db: str) -> None:
    code, out = run("--db", db, "list", "--json")
    rows = json.loads(out)
    assert {r["title"]: r["language"] for r in rows} == {
        "Strike de": "de", "Strike fr": "fr", "Strike en": "en"
    }  # fmt: skip
    ids = {r["title"]: r["id"] for r in rows}
    code, out = run("--db", db, "show", ids["Strike de"])
    assert code == 0 and "de (detected)" in out
    code, out = run("--db", db, "show", ids["Strike en"])
    assert "en (from user)" in out
    code, out = run("--db", db, "show", ids["Strike fr"], "--json")
    d = json.loads(out)
    assert (d["language"], d["language_source"]) == ("fr", "detected")
    code, out = run("--db", db, "list")
    assert code == 0 and "lang" in out


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_exports_carry_the_language_and_import_keeps_it(db: str, tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    with Store(db) as store:
        tables = export_tables(store)
    write_tables(tables, tmp_path / "out", fmt)
    path = tmp_path / "out" / f"documents.{fmt}"
    if fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text().splitlines()]
    elif fmt == "csv":
        with path.open(newline="") as f:
            rows = list(csv.DictReader(f))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
    assert {r["title"]: (r["language"], r["language_source"]) for r in rows} == {
        "Strike de": ("de", "detected"), "Strike fr": ("fr", "detected"),
        "Strike en": ("en", "user"),
    }  # fmt: skip
    if fmt != "csv":
        with Store(tmp_path / "imported.db") as store:
            import_tables(tmp_path / "out", store)
            got = {d.title: (d.language, d.language_source) for _, d in store.iter_documents()}
        assert got["Strike en"] == ("en", "user")


def test_rows_from_elsewhere_are_read_as_codes() -> None:
    d = document_from_row({"id": "x", "text": "t", "lang": "pt-BR"})
    assert (d.language, d.language_source) == ("pt", "record")
    d = document_from_row({"id": "x", "text": "t", "language": "", "language_source": ""})
    assert (d.language, d.language_source) == (None, None)  # not examined yet (a CSV's blanks)
    d = document_from_row({"id": "x", "text": "t", "language_source": "detected"})
    assert (d.language, d.language_source) == (None, "detected")  # examined: none found


def test_the_spark_job_detects_what_its_input_does_not_state() -> None:
    from newstrace.spark.job import _with_language

    found = _with_language(Document(id="x", text=GERMAN))
    assert (found.language, found.language_source) == ("de", "detected")
    stated = Document(id="y", text=GERMAN, language="fr", language_source="record")
    assert _with_language(stated) is stated


def test_show_says_when_a_language_is_not_examined_yet(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:  # written straight, as an upgraded store holds it
        store.add_documents([Document(id="a" * 16, text=GERMAN)])
    code, out = run("--db", str(path), "show", "a" * 16)
    assert code == 0 and "not examined yet" in out
    with Store(path) as store:
        store.fill_languages()
    code, out = run("--db", str(path), "show", "a" * 16)
    assert "de (detected)" in out

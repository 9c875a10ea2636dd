"""One verdict per pair: compare, trace, the web API, the pair report and the exports agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.cli import main
from newstrace.export import export_tables
from newstrace.store import Store


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout


@pytest.fixture(scope="module")
def detected(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    seeds_dir = Path(__file__).resolve().parent.parent / "examples" / "seeds"
    db = str(tmp_path_factory.mktemp("verdict") / "v.db")
    assert run("--db", db, "ingest", str(seeds_dir))[0] == 0
    assert run("--db", db, "detect", "--workers", "1")[0] == 0
    ids = [r["id"] for r in json.loads(run("--db", db, "list", "--json")[1])]
    return db, ids[0], ids[1]


def _key(report: dict) -> tuple:
    return (
        report["relation"],
        report["source"]["id"],
        report["derivative"]["id"],
        report["direction"]["confidence"],
        report["coverage"]["derivative"]["total"],
        report["coverage"]["source"]["total"],
        len(report["passages"]),
        len(report["added"]),
        len(report["omitted"]),
        len(report["quotes"]),
        report["semantic"],
    )


def test_compare_of_stored_ids_shows_the_stored_verdict(detected: tuple[str, str, str]) -> None:
    db, a, b = detected
    code, out = run("--db", db, "compare", a[:10], b[:10], "--json")
    shown = json.loads(out)
    assert code == 0 and shown["stored"] is True
    with Store(db, readonly=True) as store:
        stored = store.pair_report(a, b)
        tables = export_tables(store)
    assert stored is not None
    # Either argument order gives the one stored verdict, oriented as stored.
    again = json.loads(run("--db", db, "compare", b, a, "--json")[1])
    assert _key(shown) == _key(again)
    assert shown["relation"] == stored["relation"] and shown["semantic"] is stored["semantic"] is False
    assert shown["direction"]["confidence"] == stored["direction"]["confidence"]
    row = next(r for r in tables["pairs"] if {r["source"], r["derivative"]} == {a, b})
    assert (row["source"], row["derivative"]) == (shown["source"]["id"], shown["derivative"]["id"])
    assert row["relation"] == shown["relation"]
    assert row["coverage"] == pytest.approx(shown["coverage"]["derivative"]["total"])
    assert row["confidence"] == pytest.approx(shown["direction"]["confidence"])
    # The terminal view says which layers made it, and that it is the stored one.
    code, out = run("--db", db, "compare", a, b)
    assert "lexical layer only" in out and "stored verdict" in out


def test_the_web_api_shows_the_same_verdict(detected: tuple[str, str, str]) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newstrace.web import create_app

    db, a, b = detected
    cli = json.loads(run("--db", db, "compare", a, b, "--json")[1])
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        api = client.get("/api/compare", params={"a": a, "b": b}).json()
        page = client.get(f"/pairs/{a}/{b}").text
    assert _key(api) == _key(cli)
    assert "lexical layer only" in page


@pytest.mark.semantic
def test_recompute_uses_the_semantic_layer(detected: tuple[str, str, str]) -> None:
    """The stored verdict is lexical (plain ``detect``); ``--recompute`` compares afresh with
    the semantic layer (installed by make test) and says so."""
    db, a, b = detected
    fresh = json.loads(run("--db", db, "compare", a, b, "--json", "--recompute")[1])
    assert fresh["stored"] is False and fresh["semantic"] is True and fresh["encoder"]


def test_recompute_and_a_given_source_compare_afresh(detected: tuple[str, str, str]) -> None:
    db, a, b = detected
    fresh = json.loads(run("--db", db, "compare", a, b, "--json", "--recompute")[1])
    assert fresh["stored"] is False
    stored = json.loads(run("--db", db, "compare", a, b, "--json")[1])
    other = stored["derivative"]["id"]
    side = "A" if other == a else "B"
    forced = json.loads(run("--db", db, "compare", a, b, "--json", "--source", side)[1])
    assert forced["stored"] is False and forced["source"]["id"] == other
    assert "given by the user" in forced["direction"]["note"]
    assert "points the other way" in forced["direction"]["note"]


def test_outlet_flows_are_one_computation(detected: tuple[str, str, str]) -> None:
    """The outlet page, `outlets --json` and the exports give the same flows, to the character."""
    from newstrace.views import outlet_view

    db, _, _ = detected
    cli = json.loads(run("--db", db, "outlets", "--json")[1])["flows"]
    with Store(db, readonly=True) as store:
        exported = export_tables(store)["outlet_flows"]
        assert cli == exported and exported
        checked = 0
        for f in exported:
            for side, other, column in (
                ("source_outlet", "derivative_outlet", "copied_by"),
                ("derivative_outlet", "source_outlet", "takes_from"),
            ):
                if f[side] == "(unknown)":  # no page for documents without an outlet
                    continue
                page = outlet_view(store, f[side])
                other_name = None if f[other] == "(unknown)" else f[other]  # shown as unknown
                shown = next(x for x in page[column] if x["outlet"] == other_name)
                assert (shown["articles"], shown["characters"]) == (f["articles"], f["characters"])
                assert shown["characters"] > 0
                checked += 1
        assert checked

"""The CLI end to end through click's runner: exit codes, JSON output, messages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newstrace.cli import main


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_ingest_list_show_search(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "c.db")
    code, out, _ = run("--db", db, "ingest", str(seeds_dir))
    assert code == 0 and "2 added" in out
    code, out, _ = run("--db", db, "ingest", "--json", str(seeds_dir))
    assert code == 0 and json.loads(out)["unchanged"] == 2
    code, out, _ = run("--db", db, "list", "--json")
    rows = json.loads(out)
    assert len(rows) == 2
    gr = next(r for r in rows if r["outlet"] == "Global Research")
    code, out, _ = run("--db", db, "show", gr["id"][:8], "--json")
    shown = json.loads(out)
    for key in ("id", "outlet", "url", "title", "author", "published", "text", "attributions"):
        assert key in shown
    assert shown["published"] == "2017-07-09"
    code, out, _ = run("--db", db, "search", "Tillerson", "--json")
    assert [h["id"] for h in json.loads(out)] == [gr["id"]]
    code, out, _ = run("--db", db, "search", "Tillerson")
    assert code == 0 and "**Tillerson**" in out


def test_rejections_give_nonzero_exit_and_reason(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bad.json").write_text("{oops")
    (tmp_path / "in" / "good.txt").write_text(
        "A full sentence of article text is here for the test."
    )
    db = str(tmp_path / "c.db")
    code, out, err = run("--db", db, "ingest", str(tmp_path / "in"))
    assert code == 1
    assert "1 added" in out and "1 rejected" in out
    assert "bad.json" in err and "invalid JSON" in err
    code, out, _ = run("--db", db, "rejections")
    assert "bad.json" in out
    code, _, err = run("--db", db, "ingest", "--strict", str(tmp_path / "in"))
    assert code == 1 and "stopped (--strict)" in err


def test_friendly_errors(tmp_path: Path) -> None:
    code, _, err = run("--db", str(tmp_path / "none.db"), "list")
    assert code == 3 and "no store at" in err
    db = str(tmp_path / "c.db")
    (tmp_path / "a.txt").write_text("Some text of an article that is long enough.")
    run("--db", db, "ingest", str(tmp_path / "a.txt"))
    code, _, err = run("--db", db, "show", "ffff")
    assert code == 1 and "not found" in err
    code, _, err = run("--db", db, "ingest", "--map", "bogus=x", str(tmp_path / "a.txt"))
    assert code == 2 and "--map field must be one of" in err
    code, _, err = run("--db", db, "ingest", "--max-size", "lots", str(tmp_path / "a.txt"))
    assert code == 2 and "size must look like" in err


def test_detect_trace_families_outlets_export_import(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "c.db")
    assert run("--db", db, "ingest", str(seeds_dir))[0] == 0
    code, out, _ = run("--db", db, "detect", "--json", "--workers", "1")
    assert code == 0 and json.loads(out)["reused_pairs"] == 1
    assert json.loads(out)["by_relation"] == {"derived": 1}  # README: the seed pair is derived
    again = json.loads(run("--db", db, "detect", "--json", "--workers", "1")[1])
    assert again["indexed"] == 0 and again["verified"] == 0  # incremental: nothing new
    code, out, _ = run("--db", db, "detect", "--json", "--workers", "1", "--from-scratch")
    redo = json.loads(out)
    assert code == 0 and redo["indexed"] == 2 and redo["verified"] == 1
    assert redo["reused_pairs"] == 1 and redo["by_relation"] == {"derived": 1}
    code, out, _ = run("--db", db, "trace", str(seeds_dir / "000_b532a79fb36ebd07.txt"), "--json")
    tree = json.loads(out)
    origin = next(m for m in tree["members"] if m["derived_from"] is None)
    assert origin["outlet"] == "Global Research" and len(tree["members"]) == 2
    child = next(m for m in tree["members"] if m["derived_from"])
    assert "derived" in child["hop"] and "attribution drift" in child["hop"]
    code, out, _ = run("--db", db, "families", "--json")
    assert json.loads(out)[0]["size"] == 2
    code, out, _ = run("--db", db, "outlets", "--json")
    assert any(f["source_outlet"] == "Global Research" for f in json.loads(out)["flows"])
    code, out, _ = run("--db", db, "export", "--format", "parquet", "--out", str(tmp_path / "x"))
    assert code == 0
    db2 = str(tmp_path / "imported.db")
    code, out, _ = run("--db", db2, "import", str(tmp_path / "x"))
    assert code == 0 and "1 pairs" in out
    code, out, _ = run("--db", db2, "trace", origin["id"], "--json")
    assert len(json.loads(out)["members"]) == 2


def test_compare_files_json_and_html(tmp_path: Path, seeds_dir: Path) -> None:
    html = tmp_path / "pair.html"
    code, out, _ = run(
        "compare",
        str(seeds_dir / "000_b532a79fb36ebd07.txt"),
        str(seeds_dir / "001_56b3779ae79152f8.txt"),
        "--lexical",
        "--json",
        "--html",
        str(html),
    )
    d = json.loads(out)
    assert code == 0 and d["relation"] == "derived"  # README: the seed pair is derived
    for key in (
        "relation",
        "source",
        "derivative",
        "direction",
        "coverage",
        "passages",
        "added",
        "omitted",
        "quotes",
        "attribution_drift",
    ):
        assert key in d
    assert "lexical comparison only" in " ".join(d["notes"])
    assert html.read_text().startswith("<!doctype html>")

"""``newstrace search``: phrases, highlighting on a terminal, markers elsewhere, JSON spans."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from newstrace import cli
from newstrace.models import Document
from newstrace.store import Store


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "s.db"
    with Store(path) as s:
        s.add_documents(
            [
                Document(id="a" * 16, outlet="Wire", title="The Deep State [sic]",
                         text="Officials of the deep state met. [Trump] was not there."),
                Document(id="b" * 16, outlet="Wire", title="Calm seas",
                         text="The deep sea holds a state of calm."),
            ]
        )  # fmt: skip
    return str(path)


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli.main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout


def test_phrase_search_marks_matches_when_output_shows_no_style(db: str) -> None:
    code, out = run("--db", db, "search", '"Deep State"')
    assert code == 0
    assert "a" * 16 in out and "b" * 16 not in out
    assert "The **Deep State** [sic]" in out  # the title's match, its own brackets left alone
    assert "of the **deep state** met. [Trump] was" in out
    assert "\x1b[" not in out
    code, out = run("--db", db, "search", "deep", "state")  # words: both articles
    assert "a" * 16 in out and "b" * 16 in out


def test_json_gives_plain_snippets_and_match_offsets(db: str) -> None:
    code, out = run("--db", db, "search", '"Deep State"', "--json")
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == ["a" * 16]
    row = rows[0]
    assert row["snippet"] == "Officials of the deep state met. [Trump] was not there."
    assert [row["snippet"][s:e] for s, e in row["matches"]] == ["deep state"]
    assert [row["title"][s:e] for s, e in row["title_matches"]] == ["Deep State"]


def test_terminal_gets_styles_not_markers(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.StringIO()
    term = Console(file=buf, force_terminal=True, color_system="standard", width=200)
    monkeypatch.setattr(cli, "console", term)
    code, _ = run("--db", db, "search", '"deep state"')
    out = buf.getvalue()
    assert code == 0 and "**" not in out
    assert "\x1b[1;7mdeep state\x1b[0m" in out  # bold, reversed
    assert "\x1b[1;7mDeep State\x1b[0m" in out


def test_hostile_queries_are_words(db: str) -> None:
    for q in ('"unbalanced', "NEAR(deep", "dee*", "title:deep", "-", "\udcff"):
        code, out = run("--db", db, "search", "--", q)
        assert code == 0 and "No match." in out

"""``newstrace compare`` of two files in two languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newstrace.cli import main
from tests.align.test_crosslingual import EN, ES, SPIN

pytestmark = pytest.mark.semantic


def test_compare_a_spanish_translation_with_its_english_original(tmp_path: Path) -> None:
    (tmp_path / "es.txt").write_text(ES, "utf-8")
    (tmp_path / "en.txt").write_text(EN, "utf-8")
    args = ["--db", str(tmp_path / "none.db"), "compare", str(tmp_path / "es.txt"), str(tmp_path / "en.txt")]
    r = CliRunner().invoke(main, [*args, "--source", "B", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["relation"] == "derived" and d["languages"] == {"source": "en", "derivative": "es"}
    assert {p["kind"] for p in d["passages"]} == {"translation"}
    assert [a["text"] for a in d["added"]] == [SPIN]
    shown = CliRunner().invoke(main, [*args, "--source", "B"], catch_exceptions=False)
    assert shown.exit_code == 0
    assert "translated (en → es)" in shown.output and "translation" in shown.output
    html = tmp_path / "pair.html"
    r = CliRunner().invoke(main, [*args, "--source", "B", "--html", str(html)], catch_exceptions=False)
    page = html.read_text("utf-8")
    assert "language: en" in page and "language: es" in page  # each side says its language

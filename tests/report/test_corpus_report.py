"""The corpus report: self-contained, escaped, with the seed chain's pair view."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from newstrace.cli import main

EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_report_has_families_pairs_and_escapes(tmp_path: Path, seeds_dir: Path) -> None:
    extra = tmp_path / "evil.jsonl"
    text = Path(seeds_dir / "001_56b3779ae79152f8.txt").read_text()
    extra.write_text(
        json.dumps(
            {
                "id": "evil",
                "outlet": EVIL,
                "title": EVIL,
                "date": "2017-07-10",
                "text": text.split("The original source")[0] + "\n\n" + EVIL,
            }
        )
    )
    db = str(tmp_path / "r.db")
    runner = CliRunner()
    for args in (
        ["ingest", str(seeds_dir), str(extra)],
        ["detect", "--workers", "1"],
        ["report", "--out", str(tmp_path / "report.html")],
    ):
        r = runner.invoke(main, ["--db", db, *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
    html = (tmp_path / "report.html").read_text()
    assert "Story families (1)" in html
    assert "Global Research" in html and "Pair views (2)" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"(src|href)=[\"']?https?://", html)
    assert len(re.findall(r"<script>", html)) == 1

"""README, Quickstart: "`make demo` ingests the seed pair and the bundled corpus into
`out/demo.db`, runs `detect`, prints the seed pair's family tree and comparison, and writes
`out/seed-pair.html`, `out/report.html` and CSV exports", and says where the results are.

The Makefile target itself is run (``make demo OUT=<tmp>``), every step as a user's run takes
it; only where the outputs go, and the virtual environment (the one running these tests), are
given on the command line."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_SOURCE = "examples/seeds/001_56b3779ae79152f8.txt"  # Global Research (RT's article)
SEED_COPY = "examples/seeds/000_b532a79fb36ebd07.txt"  # the blog's rewrite
SOURCE_TITLE = "Putin: Trump Different than on TV, We Can Restore Relations with US"
COPY_TITLE = "Putin: Trump Very Different in Person"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_make_demo_writes_and_names_its_results(tmp_path: Path) -> None:
    make = shutil.which("make")
    venv = Path(sys.prefix)
    if make is None:
        pytest.skip("make is not installed")
    if not (venv / "bin" / "newstrace").exists():
        pytest.skip(f"the tests do not run in a virtual environment with newstrace installed ({venv})")
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    # This tree's code, also when the environment's editable install points at another checkout.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    args = [make, "--no-print-directory", "demo", f"OUT={out}", f"VENV={venv}"]
    # `demo` depends on `install`, which `make test` has just run. If the environment's install
    # stamp is not this tree's (installed from another checkout, or the Makefile edited since),
    # make would reinstall into the very environment running these tests: a stamp of our own is
    # given instead, so that the demo's own steps, and only they, run as a user's would.
    up_to_date = subprocess.run([make, "-q", "install", f"VENV={venv}"], cwd=ROOT, env=env, capture_output=True)
    if up_to_date.returncode != 0:
        stamp = tmp_path / "installed"
        stamp.touch()
        args.append(f"STAMP={stamp}")
    run = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    said = run.stdout

    # It ingested the seed pair and the corpus, detected, and printed the seed pair's family
    # tree and comparison.
    added = int(re.search(r"(\d+) added", said).group(1))  # type: ignore[union-attr]
    assert added > 1500  # the 1,604 BuzzFeed-Webis articles (less pages that are not articles) and the seeds
    assert "reuse pairs" in said and "families" in said
    assert "story family" in said and "Global Research" in said
    assert "DERIVED" in said

    # The last lines say where everything is, and it is all there.
    last = [line for line in said.splitlines() if line.strip()][-5:]
    labels = ["Store:", "Seed pair report:", "Corpus report:", "Exports (CSV):", "Web app:"]
    assert [line.split(":")[0] + ":" for line in last] == labels, last
    named = dict(zip(labels, last, strict=True))
    assert named["Store:"].split()[1] == f"{out}/demo.db"
    assert f"--db {out}/demo.db search" in named["Store:"]
    assert named["Seed pair report:"].split()[-1] == f"{out}/seed-pair.html"
    assert named["Corpus report:"].split()[-1] == f"{out}/report.html"
    assert named["Exports (CSV):"].split()[-1] == f"{out}/export/"
    assert f"--db {out}/demo.db serve" in named["Web app:"]
    assert (out / "demo.db").is_file()

    # The seed pair's view: both articles, the source's outlet and the credit the copy gives.
    pair_html = (out / "seed-pair.html").read_text(encoding="utf-8")
    for expected in (SOURCE_TITLE, COPY_TITLE, "Global Research", "Source: RT", "derived"):
        assert expected in pair_html, expected

    # The corpus report: one file, the seed family in it.
    report_html = (out / "report.html").read_text(encoding="utf-8")
    assert report_html.lstrip().lower().startswith("<!doctype html")
    assert SOURCE_TITLE in report_html and COPY_TITLE in report_html

    # The CSV exports: every table has rows, and they say what detect found of the seed pair.
    export = out / "export"
    tables = {p.stem: _rows(p) for p in export.glob("*.csv")}
    assert {"documents", "pairs", "passages", "families", "outlets", "outlet_flows"} <= set(tables)
    for name, rows in tables.items():
        assert rows, f"{name}.csv has no rows"
    assert len(tables["documents"]) == added
    by_input = {d["input_id"]: d for d in tables["documents"]}
    source, copy = by_input[SEED_SOURCE], by_input[SEED_COPY]
    assert source["outlet"] == "Global Research"
    assert copy["derived_from"] == source["id"] and copy["family"] == source["family"]
    assert any(
        p["source"] == source["id"] and p["derivative"] == copy["id"] and p["relation"] == "derived"
        for p in tables["pairs"]
    )
    (family,) = [f for f in tables["families"] if f["family"] == source["family"]]
    assert family["size"] == "2" and family["origin_outlet"] == "Global Research"
    assert set(family["members"].split()) == {source["id"], copy["id"]}

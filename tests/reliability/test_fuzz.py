"""Coverage-guided fuzzing (atheris) of every parser and the aligner, in a bounded CI mode.

Each target runs in its own process for a fixed number of inputs, seeded with the nasty-input
corpus and real articles; a crash, a hang over 10 s on one input, or memory over 2 GiB fails
the test and leaves the input under the test's temporary folder. ``make fuzz`` runs longer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("atheris")

ROOT = Path(__file__).resolve().parents[2]
NASTY = ROOT / "tests" / "nasty"
RUNS = int(os.environ.get("NEWSTRACE_FUZZ_RUNS", "1500"))
SEEDS = {
    "text": ["bom_utf8.txt", "bom_utf16le.txt", "mixed_encodings.txt", "nul_bytes.txt", "rtl_combining.txt"],
    "html": ["bom_utf16be_html.html", "only_chrome.html"],
    "warc": ["truncated.warc", "truncated.warc.gz", "not_really.warc"],
    "jsonl": ["broken.jsonl"],
    "json": ["broken.jsonl"],
    "csv": ["weird.csv"],
    "feed": ["billion_laughs.xml", "feed.rss", "feed_invalid_ipv6_link.rss"],
    "sitemap": ["billion_laughs.xml", "sitemap.xml", "sitemap_index.xml", "feed.rss",
                "feed_invalid_ipv6_link.rss"],
    "align": ["rtl_combining.txt"],
}  # fmt: skip
SEED_PAIR = sorted((ROOT / "examples" / "seeds").glob("*.txt"))


@pytest.mark.parametrize("target", sorted(SEEDS))
def test_fuzz_target(target: str, tmp_path: Path, figure: Callable[[str], None]) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in SEEDS[target]:
        shutil.copy(NASTY / name, seeds / name)
    if target in ("text", "align"):
        texts = [p.read_bytes()[:3000] for p in SEED_PAIR]
        (seeds / "pair").write_bytes(texts[0] + b"\x00" + texts[1])
    found = tmp_path / "corpus"
    found.mkdir()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fuzz" / "fuzz.py"), target, f"-runs={RUNS}",
         "-max_len=8192", "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1",
         f"-artifact_prefix={tmp_path}/", "-seed=1", str(found), str(seeds)],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
    )  # fmt: skip
    tail = proc.stderr[-4000:]
    assert proc.returncode == 0, f"fuzz target {target} failed:\n{tail}"
    runs = int(re.search(r"stat::number_of_executed_units: (\d+)", proc.stderr).group(1))
    peak = int(re.search(r"stat::peak_rss_mb:\s+(\d+)", proc.stderr).group(1))
    slowest = int(re.search(r"stat::slowest_unit_time_sec:\s+(\d+)", proc.stderr).group(1))
    new = len(list(found.iterdir()))
    figure(f"fuzz {target}: {runs} inputs, {new} new coverage inputs, 0 crashes, "
          f"slowest {slowest} s, peak {peak} MB")  # fmt: skip
    assert runs >= RUNS

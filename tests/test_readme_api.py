"""README, Ingest: the Python API snippet, taken from README.md and run as written.

The snippet reads ``scraped/`` into ``news.db``, both relative: it runs in a fresh interpreter
whose working directory holds a ``scraped/`` folder, so not a character of it is changed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Tram network to expand | The Valley Courier</title>
<meta property="og:site_name" content="The Valley Courier">
<link rel="canonical" href="https://valleycourier.example/news/tram">
<meta property="article:published_time" content="2021-03-02T09:30:00+01:00">
</head><body><article><h1>Tram network to expand</h1>
<p>The city council voted on Tuesday to expand the tram network to the northern suburbs. The
mayor said the project would be finished by 2030 and cost 400 million euros.</p>
<p>Opposition members criticised the cost, saying the money was needed for schools. A final
vote on the budget is expected next month, officials said.</p>
<p>This story first appeared on <a href="https://citywire.example/tram">City Wire</a>.</p>
</article></body></html>"""


def readme_snippet() -> str:
    blocks = re.findall(r"^```python\n(.*?)^```$", (ROOT / "README.md").read_text(), re.S | re.M)
    (snippet,) = [b for b in blocks if "ingest_paths" in b]
    return snippet


def test_the_readme_python_api_snippet_runs_as_written(tmp_path: Path) -> None:
    snippet = readme_snippet()
    assert "newstrace.Store(" in snippet and "store.get(" in snippet  # the API the README shows
    (tmp_path / "scraped" / "2021").mkdir(parents=True)
    (tmp_path / "scraped" / "2021" / "tram.html").write_text(PAGE)
    (tmp_path / "scraped" / "empty.txt").write_text("")  # something for report.rejected
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run(
        [sys.executable, "-c", snippet], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    added_line, doc_line = run.stdout.splitlines()
    # print(report.added, [str(r) for r in report.rejected])
    assert re.fullmatch(r"1 \['scraped/empty\.txt: [^']+'\]", added_line), added_line
    # print(doc.outlet, doc.published, [a.credited for a in doc.attributions])
    assert doc_line == "The Valley Courier 2021-03-02T09:30:00+01:00 ['City Wire', 'citywire.example']"
    assert (tmp_path / "news.db").is_file()

"""The watch scenario's articles, from the seed pair (RT's story and a blog's laundered rewrite)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"


def _plain(line: str) -> str:
    return re.sub(r"</?u>|\*\*", "", line).strip()


def origin_article() -> tuple[str, str]:
    """RT's article (title, body): the republished text of the seed, without the republisher's chrome."""
    lines = (SEEDS / "001_56b3779ae79152f8.txt").read_text("utf-8").splitlines()
    title = _plain(next(x for x in lines if x.strip()))
    start = next(i for i, x in enumerate(lines) if x.startswith("The **Donald Trump**"))
    end = next(i for i, x in enumerate(lines) if x.startswith("The original source"))
    body = [_plain(x) for x in lines[start:end] if _plain(x)]
    return title, "\n\n".join(body)


ALTERED_FROM = "I answered those questions as best I could."
ALTERED_TO = "I answered those questions and he accepted every answer."


def laundered_article() -> tuple[str, str]:
    """The blog's rewrite (title, body) with its "Source: RT" credit dropped and one quotation
    altered; it already puts a warning about "the Deep State" in a commentator's mouth."""
    lines = (SEEDS / "000_b532a79fb36ebd07.txt").read_text("utf-8").splitlines()
    title = lines[0].strip()
    end = next(i for i, x in enumerate(lines) if x.strip() == "Source: RT")
    body = "\n\n".join(x.strip() for x in lines[1:end] if x.strip())
    assert ALTERED_FROM in body
    return title, body.replace(ALTERED_FROM, ALTERED_TO)


def unrelated_articles(n: int) -> list[tuple[str, str]]:
    """Real, unrelated news articles (title, body) from the bundled corpus."""
    out = []
    with gzip.open(ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz", "rt") as f:
        for line in f:
            rec = json.loads(line)
            if len(rec.get("text", "").split()) >= 150:
                out.append((rec.get("title") or "Untitled", rec["text"]))
            if len(out) >= n:
                break
    return out

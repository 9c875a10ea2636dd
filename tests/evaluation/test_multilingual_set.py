"""The multilingual labelled set (eval/multilingual) is what its README says, and consistent.

Only the files are checked here (no newstrace run): every labelled pair names two documents of
the corpus, every family's members are labelled pairwise, and the readers of ``eval/real`` can
read the set as it is (``corpora.toml``, ``category``, ``corpus``, ``direction``).
"""

from __future__ import annotations

import gzip
import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

from newstrace.evaluation.real import load_manifest, load_pairs

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "eval" / "multilingual"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _docs() -> dict[str, dict[str, Any]]:
    with gzip.open(SET / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    docs = {d["id"]: d for d in rows}
    assert len(docs) == len(rows), "document ids are unique"
    return docs


def test_documents_are_articles_with_a_language() -> None:
    docs = _docs()
    assert 150 <= len(docs) <= 300
    langs = Counter(d["lang"] for d in docs.values())
    assert set(langs) == {"en", "ru", "de", "es", "zh", "uk", "cs", "fr"}
    for d in docs.values():
        assert d["text"].strip() and "\n\n\n" not in d["text"]
        assert set(d) <= {"id", "text", "lang", "outlet", "title", "url", "canary"}
    prov = {p["id"]: p for p in _jsonl(SET / "labels" / "documents.jsonl")}
    assert prov.keys() == docs.keys()
    # A translation carries no outlet (WMT does not say who published it); an excerpt variant
    # is its host article and carries the host's.
    for p in prov.values():
        if p["role"] == "translation" and p["variant"] != "excerpt":
            assert docs[p["id"]]["outlet"] == ""


def test_pairs_cover_every_family_pair_and_name_real_documents() -> None:
    docs = _docs()
    pairs = _jsonl(SET / "labels" / "pairs.jsonl")
    keys = {(min(p["a"], p["b"]), max(p["a"], p["b"])) for p in pairs}
    assert len(keys) == len(pairs), "each pair is labelled once"
    for p in pairs:
        assert p["a"] in docs and p["b"] in docs and p["a"] != p["b"]
        assert p["label"] in ("copy", "excerpt", "none") and p["category"] == p["label"]
        assert p["direction"] in ("a>b", "b>a", "common", "unknown")
        if p["kind"] == "translation":
            assert p["source"] == p["a"] and p["direction"] == "a>b"
            assert docs[p["a"]]["lang"] != docs[p["b"]]["lang"]
    families = _jsonl(SET / "labels" / "families.jsonl")
    for f in families:
        assert f["original"] == f["members"][0]
        langs = [docs[m]["lang"] for m in f["members"]]
        assert len(set(langs)) == len(langs), "one document per language in a family"
        for a, b in itertools.combinations(f["members"], 2):
            assert (min(a, b), max(a, b)) in keys
    kinds = Counter((p["kind"], p["label"]) for p in pairs)
    assert kinds[("translation", "copy")] >= 100 and kinds[("translation", "excerpt")] >= 10
    assert kinds[("nearest-topic", "none")] + kinds[("random", "none")] >= 150


def test_the_real_set_readers_read_it() -> None:
    specs = load_manifest(SET / "corpora.toml")
    assert [s.name for s in specs] == ["wmt"] and specs[0].path.exists()
    pairs = load_pairs(SET)
    assert {p["corpus"] for p in pairs} == {"wmt"}
    assert {p["category"] for p in pairs} == {"copy", "excerpt", "none"}

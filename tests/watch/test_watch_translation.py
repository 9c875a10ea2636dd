"""`newstrace watch` follows a watched origin across a language boundary.

A watched outlet publishes an English article (a real WMT news article); a day later another
site publishes its German translation (WMT's professional translation of it) with a sentence of
spin and no credit. With the semantic layer on, the watcher proposes the pair through the
document vectors, aligns it as a translation and raises an uncredited-copy alert.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newstrace.watch import Watcher, parse_config
from tests.watch.site import Page, Site, article_html, rfc822, rss

pytestmark = [pytest.mark.semantic, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "eval" / "multilingual"
T0 = 1499500000.0
SPIN = "Wie so oft verschweigen die großen Medien, wer von dieser Entwicklung wirklich profitiert."


def _family() -> tuple[dict, dict]:
    """The first family of the set with an English original and a German translation."""
    with gzip.open(SET / "data" / "wmt-multilingual.jsonl.gz", "rt", encoding="utf-8") as f:
        docs = {d["id"]: d for d in map(json.loads, f)}
    for line in (SET / "labels" / "families.jsonl").read_text("utf-8").splitlines():
        fam = json.loads(line)
        original = docs[fam["original"]]
        german = [docs[m] for m in fam["members"] if docs[m]["lang"] == "de" and m != fam["original"]]
        if original["lang"] == "en" and german and len(original["text"].split()) > 150:
            return original, german[0]
    raise AssertionError("no en -> de family in the set")


@pytest.fixture()
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


def test_a_translated_uncredited_copy_of_a_watched_origin_raises_an_alert(
    tmp_path: Path, site: Site
) -> None:
    en, de = _family()
    site.pages["/wire/story"] = Page(
        article_html("Story", en["text"], outlet="Wire Service", date="2017-07-08")
    )
    site.pages["/wire/feed.xml"] = Page(
        rss("Wire Service", [("Story", site.url("/wire/story"), rfc822(T0))]), "application/rss+xml"
    )
    site.pages["/blog/feed.xml"] = Page(rss("Der Blog", []), "application/rss+xml")
    cfg = parse_config(
        {
            "db": "watch.db",
            "interval": 0,
            "origins": ["Wire Service"],
            "fetch": {"timeout": 2.0, "retries": 1, "backoff": 0.05, "per_host_interval": 0.0,
                      "allow_private": [site.allow]},
            "alerts": {"jsonl": "alerts.jsonl", "base_url": "http://127.0.0.1:8765"},
            "detect": {"workers": 1, "semantic": True},
            "sources": [{"feed": site.url(f"/{n}/feed.xml"), "name": n} for n in ("wire", "blog")],
        },
        base=tmp_path,
    )
    with Watcher(cfg) as w:
        assert w.cycle().alerts == []
    site.pages["/blog/story"] = Page(
        article_html("Geschichte", de["text"] + "\n\n" + SPIN, outlet="Der Blog", date="2017-07-09")
    )
    site.pages["/blog/feed.xml"] = Page(
        rss("Der Blog", [("Geschichte", site.url("/blog/story"), rfc822(T0 + 86400))]),
        "application/rss+xml",
    )
    with Watcher(cfg) as w:
        r2 = w.cycle()
    assert len(r2.alerts) == 1, r2
    alert = r2.alerts[0]
    assert alert["origin"]["outlet"] == "Wire Service" and alert["article"]["outlet"] == "Der Blog"
    assert alert["relation"] in ("duplicate", "derived") and "no_credit" in alert["flags"]
    assert any(SPIN[:40] in a for a in alert["mutations"]["added"])
    from newstrace.store import Store

    with Store(tmp_path / "watch.db", readonly=True) as store:
        report = store.pair_report(alert["origin"]["id"], alert["article"]["id"])
    assert report is not None
    kinds = [p["kind"] for p in report["passages"]]
    assert kinds.count("translation") > len(kinds) / 2  # (names and figures may match as words)
    assert report["coverage"]["derivative"]["translation"] > 0.6
    assert report["coverage"]["derivative"]["total"] > 0.8

"""`newstrace watch` end to end against a real local site that changes between cycles.

Cycle 1: RT publishes; an unrelated site publishes; sources that are slow, broken (500) and
malformed fail; a feed links a page robots.txt forbids and a page that is not an article.
Cycle 2: a mirror republishes RT's story with credit; a blog republishes it with spin, no
credit, an altered quote and words put in a commentator's mouth.
Cycle 3, after a restart: nothing new, no duplicate alert, unchanged feeds answer 304.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newstrace.store import Store
from newstrace.watch import Watcher, parse_config
from tests.watch.scenario import ALTERED_TO, laundered_article, origin_article, unrelated_articles
from tests.watch.site import Page, Site, article_html, rfc822, rss

DAY = 86400.0
T0 = 1499500000.0  # 2017-07-08


@pytest.fixture()
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


def publish_cycle1(site: Site) -> None:
    title, body = origin_article()
    site.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /other/private/\n", "text/plain")
    site.pages["/rt/putin"] = Page(article_html(title, body, outlet="RT", date="2017-07-08"))
    site.pages["/rt/feed.xml"] = Page(
        rss("RT - Daily news", [(title, site.url("/rt/putin"), rfc822(T0))]), "application/rss+xml"
    )
    (u_title, u_body), (v_title, v_body) = unrelated_articles(2)
    site.pages["/other/debates"] = Page(article_html(u_title, u_body, outlet="Other Times", date="2017-07-09"))
    site.pages["/other/private/secret"] = Page(article_html(v_title, v_body, outlet="Other Times", date="2017-07-09"))
    site.pages["/other/gallery"] = Page(b"<html><body><nav><a href='/'>home</a></nav></body></html>")
    site.pages["/other/feed.xml"] = Page(
        rss("Other Times", [
            (u_title, site.url("/other/debates"), rfc822(T0 + DAY)),
            (v_title, site.url("/other/private/secret"), rfc822(T0 + DAY)),
            ("Photo gallery", site.url("/other/gallery"), rfc822(T0 + DAY)),
        ]),
        "application/rss+xml",
    )  # fmt: skip
    site.pages["/blog/feed.xml"] = Page(rss("Patriot Blog", []), "application/rss+xml")
    site.pages["/mirror/feed.xml"] = Page(rss("Mirror News", []), "application/rss+xml")
    # Never answers while the site is up: the fetch always times out, however busy the machine.
    site.pages["/slow/feed.xml"] = Page(rss("Slow", []), "application/rss+xml", delay=math.inf)
    site.pages["/broken/feed.xml"] = Page(b"oops", "text/plain", status=500)
    site.pages["/malformed/feed.xml"] = Page(b"<rss><channel><item><title>unclosed", "application/rss+xml")


def publish_cycle2(site: Site) -> None:
    title, body = laundered_article()
    site.pages["/blog/putin-truth"] = Page(
        article_html(title, body, outlet="Patriot Blog", date="2017-07-10")
    )
    site.pages["/blog/feed.xml"] = Page(
        rss("Patriot Blog", [(title, site.url("/blog/putin-truth"), rfc822(T0 + 2 * DAY))]),
        "application/rss+xml",
    )
    o_title, o_body = origin_article()
    site.pages["/mirror/putin"] = Page(
        article_html(o_title, o_body + "\n\nSource: RT", outlet="Mirror News", date="2017-07-09")
    )
    site.pages["/mirror/feed.xml"] = Page(
        rss("Mirror News", [(o_title, site.url("/mirror/putin"), rfc822(T0 + DAY))]),
        "application/rss+xml",
    )


def config(tmp_path: Path, site: Site, hook: Site) -> dict[str, object]:
    return {
        "db": "watch.db",
        "interval": 0,
        "origins": ["RT"],
        "fetch": {"timeout": 1.0, "retries": 1, "backoff": 0.05, "per_host_interval": 0.0,
                  "user_agent": "newstrace-test/1 (+mailto:test@example.org)",
                  "allow_private": [site.allow]},
        "alerts": {"jsonl": "alerts.jsonl", "webhook": hook.url("/hook"),
                   "base_url": "http://127.0.0.1:8765"},
        "detect": {"workers": 1},
        "sources": [
            {"feed": site.url(f"/{name}/feed.xml"), "name": name}
            for name in ("rt", "other", "blog", "mirror", "slow", "broken", "malformed")
        ],
    }  # fmt: skip


def test_watch_cycles_alert_once_per_laundered_copy(
    tmp_path: Path, site: Site, figure: Callable[[str], None]
) -> None:
    hook = Site()
    hook.post_status = [503]  # the first delivery fails: it must be retried, not lost
    try:
        cfg = parse_config(config(tmp_path, site, hook), base=tmp_path)
        publish_cycle1(site)
        with Watcher(cfg) as w:
            r1 = w.cycle()
        failed = {name for name, _ in r1.source_errors}
        assert failed == {"slow", "broken", "malformed"}, r1.source_errors
        assert r1.added == 2  # RT's article and the unrelated one; not the gallery, not /private/
        assert r1.alerts == []
        assert site.hits("/other/private/secret") == []  # robots.txt respected
        errors = dict(r1.item_errors)
        assert "robots" in errors[site.url("/other/private/secret")]
        assert "not an article" in errors[site.url("/other/gallery")]
        assert all(h["user-agent"].startswith("newstrace-test/1") for h in site.hits("/rt/putin"))

        publish_cycle2(site)
        t_published = time.time()
        with Watcher(cfg) as w:
            r2 = w.cycle()
        delay = time.time() - t_published
        figure(f"watch: cycle 2 took {r2.seconds:.2f} s; publication to alert {delay:.2f} s")
        assert {name for name, _ in r2.source_errors} == {"slow", "broken", "malformed"}
        assert len(r2.alerts) == 2
        by_outlet = {a["article"]["outlet"]: a for a in r2.alerts}
        assert set(by_outlet) == {"Patriot Blog", "Mirror News"}
        blog, mirror = by_outlet["Patriot Blog"], by_outlet["Mirror News"]
        assert blog["origin"]["outlet"] == "RT" and mirror["origin"]["outlet"] == "RT"
        assert blog["flags"] == ["no_credit", "altered_quotes", "attribution_drift"]
        assert blog["credit"]["status"] == "uncredited"
        assert blog["relation"] == "derived" and blog["coverage"]["article"] > 0.3
        altered = blog["mutations"]["altered_quotes"]
        assert len(altered) == 1 and "he accepted every answer" in altered[0]["article"]
        assert ALTERED_TO.rstrip(".") in altered[0]["article"]
        assert any("Deep State" in d["article"] for d in blog["mutations"]["attribution_drift"])
        assert blog["link"].startswith("http://127.0.0.1:8765/pairs/")
        assert mirror["credit"]["status"] == "credited" and "no_credit" not in mirror["flags"]
        assert r2.webhook_failed == 1 and r2.webhook_sent == 1

        # A restart: a fresh watcher on the same store and config.
        with Watcher(cfg) as w:
            r3 = w.cycle()
        assert r3.alerts == [] and r3.added == 0 and r3.new_items <= 2  # only the retried pages
        assert r3.webhook_sent == 1 and r3.webhook_failed == 0
        lines = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
        assert sorted(a["id"] for a in lines) == sorted(a["id"] for a in r2.alerts)
        received = hook.received()
        assert len(received) == 3  # one refused, then both delivered exactly once
        assert sorted(a["id"] for a in received[1:]) == sorted(a["id"] for a in r2.alerts)
        # Unchanged feeds were asked conditionally and answered 304; pages were fetched once.
        assert site.hits("/rt/feed.xml")[-1].get("if-none-match")
        assert r3.not_modified >= 4
        for path in ("/rt/putin", "/other/debates", "/blog/putin-truth", "/mirror/putin"):
            assert len(site.hits(path)) == 1, path
        with Store(cfg.db, readonly=True) as store:
            assert store.count_alerts() == 2
            assert store.integrity_check() == "ok"
            assert {r.path for r in store.rejections()} >= {site.url("/broken/feed.xml")}
    finally:
        hook.close()


def test_failed_page_is_retried_then_given_up(tmp_path: Path, site: Site) -> None:
    hook = Site()
    try:
        cfg = parse_config(config(tmp_path, site, hook), base=tmp_path)
        publish_cycle1(site)
        with Watcher(cfg) as w:
            for _ in range(cfg.fetch.max_attempts + 2):
                w.cycle()
        # The gallery is not an article: tried max_attempts times over the cycles, then left.
        assert len(site.hits("/other/gallery")) == cfg.fetch.max_attempts
        # The forbidden page is refused once and never asked for.
        assert site.hits("/other/private/secret") == []
        # robots.txt is read once an hour, not per request.
        assert len(site.hits("/robots.txt")) == 1
    finally:
        hook.close()

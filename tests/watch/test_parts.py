"""The watcher's parts: configuration, fetching manners, feed and sitemap listing, drop folders."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.cli import main
from newstrace.errors import ConfigError, FetchError, MalformedInputError
from newstrace.watch import FetchConfig, Watcher, load_config, parse_config
from newstrace.watch.alerts import OriginMatcher
from newstrace.watch.fetch import Fetcher
from newstrace.watch.sources import feed_items, sitemap_urls
from tests.watch.scenario import laundered_article, origin_article
from tests.watch.site import Page, Site, article_html, rss

SOURCE = {"feed": "https://example.org/feed.xml"}


@pytest.fixture()
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


# -- configuration ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sources": [SOURCE]}, "origins is empty"),
        ({"origins": ["RT"]}, "no [[sources]]"),
        ({"origins": ["RT"], "sources": [{"feed": "ftp://x/y"}]}, "http(s) URL"),
        ({"origins": ["RT"], "sources": [{"feed": "https://a/b", "folder": "x"}]}, "exactly one"),
        ({"origins": ["RT"], "sources": [SOURCE], "fetch": {"timout": 3}}, "timout"),
        ({"origins": ["RT"], "sources": [SOURCE], "fetch": {"timeout": "3"}}, "fetch.timeout"),
        ({"origins": ["RT"], "sources": [SOURCE, SOURCE]}, "two sources"),
        ({"origins": ["RT"], "sources": [SOURCE], "interval": -1}, "interval"),
        ({"origins": ["RT"], "sources": [SOURCE], "polling": 3}, "unknown key"),
    ],
)
def test_config_errors_name_the_key(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        parse_config(data)


def test_config_file_paths_are_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "w.toml").write_text(
        'db = "w.db"\norigins = ["RT", "rt.com"]\n[alerts]\njsonl = "out/a.jsonl"\n'
        '[[sources]]\nfolder = "drop"\nsettle = 0\n'
    )
    cfg = load_config(tmp_path / "w.toml")
    assert cfg.db == str(tmp_path / "w.db")
    assert cfg.alerts.jsonl == str(tmp_path / "out" / "a.jsonl")
    assert cfg.sources[0].location == str((tmp_path / "drop").resolve())
    with pytest.raises(ConfigError, match="not a readable TOML"):
        (tmp_path / "bad.toml").write_text("origins = [")
        load_config(tmp_path / "bad.toml")
    with pytest.raises(ConfigError, match="no watch configuration"):
        load_config(tmp_path / "missing.toml")


def test_origin_matcher_by_outlet_and_host() -> None:
    m = OriginMatcher(["RT", "sputniknews.com"])
    assert m("RT", None) and m("rt", "example.org")
    assert m(None, "www.sputniknews.com") and m(None, None, "https://de.sputniknews.com/a")
    assert not m("RTL", "rtl.de") and not m(None, "notsputniknews.com")


# -- fetching -------------------------------------------------------------------------------------
def test_fetch_is_conditional_rate_limited_and_capped(site: Site) -> None:
    site.pages["/a"] = Page(b"x" * 100)
    site.pages["/big"] = Page(b"x" * 5000)
    with Fetcher(FetchConfig(per_host_interval=0.3, robots=False, max_bytes=1000, allow_private=(site.allow,))) as f:
        t0 = time.monotonic()
        r1 = f.get(site.url("/a"))
        r2 = f.get(site.url("/a"), etag=r1.etag)
        r3 = f.get(site.url("/a"))
        elapsed = time.monotonic() - t0
        with pytest.raises(FetchError, match="larger than 1000 bytes") as exc:
            f.get(site.url("/big"))
        assert exc.value.retry is False
        with pytest.raises(FetchError, match="HTTP 404"):
            f.get(site.url("/missing"))
    assert r1.content == b"x" * 100 and r1.etag
    assert r2.not_modified and r2.content == b""
    assert r3.content == r1.content
    assert elapsed >= 0.6  # three requests to one host, 0.3 s apart
    assert site.hits("/a")[1]["if-none-match"] == r1.etag


def test_fetch_retries_with_backoff_and_retry_after(site: Site) -> None:
    site.pages["/busy"] = Page(b"busy", status=503, headers={"Retry-After": "1"})
    with Fetcher(FetchConfig(per_host_interval=0, robots=False, retries=2, backoff=0.01,
                             allow_private=(site.allow,))) as f:
        t0 = time.monotonic()
        with pytest.raises(FetchError, match=r"HTTP 503 \(after 3 tries\)") as exc:
            f.get(site.url("/busy"))
        elapsed = time.monotonic() - t0
    assert exc.value.retry is True
    assert len(site.hits("/busy")) == 3
    assert elapsed >= 2.0  # Retry-After: 1 honoured twice, not the 0.01 s backoff


def test_robots_disallow_and_unreachable_robots(site: Site) -> None:
    site.pages["/robots.txt"] = Page(b"User-agent: newstrace-test\nDisallow: /x/\n", "text/plain")
    site.pages["/x/page"] = Page(b"secret")
    site.pages["/y/page"] = Page(b"public")
    cfg = FetchConfig(per_host_interval=0, user_agent="newstrace-test/1", allow_private=(site.allow,))
    with Fetcher(cfg) as f:
        with pytest.raises(FetchError, match=r"robots\.txt") as exc:
            f.get(site.url("/x/page"))
        assert exc.value.retry is False
        assert f.get(site.url("/y/page")).content == b"public"
    assert site.hits("/x/page") == []
    site.pages["/robots.txt"] = Page(b"down", status=503)
    with Fetcher(cfg) as f, pytest.raises(FetchError, match="treated as closed"):
        f.get(site.url("/y/page"))


# -- listings -------------------------------------------------------------------------------------
def test_sitemap_and_index() -> None:
    urlset = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://a.org/1</loc><lastmod>2017-07-08</lastmod></url>"
        b"<url><loc>javascript:alert(1)</loc></url><url><loc>https://a.org/2</loc></url></urlset>"
    )
    items, children = sitemap_urls(urlset)
    assert [(i.url, i.published) for i in items] == [
        ("https://a.org/1", "2017-07-08"),
        ("https://a.org/2", None),
    ]
    assert children == []
    index = b"<sitemapindex><sitemap><loc>https://a.org/s1.xml</loc></sitemap></sitemapindex>"
    assert sitemap_urls(index) == ([], ["https://a.org/s1.xml"])
    xxe = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><urlset><url><loc>https://a.org/&x;</loc></url></urlset>'
    assert all("root:" not in i.url for i in sitemap_urls(xxe)[0])
    with pytest.raises(MalformedInputError, match="not a sitemap"):
        sitemap_urls(b"<html><body>hi</body></html>")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_listings_raise_only_documented_errors(data: bytes) -> None:
    for parse in (lambda d: sitemap_urls(d), lambda d: feed_items(d, "https://a.org/feed")):
        with contextlib.suppress(MalformedInputError):
            parse(data)


def test_feed_relative_links_and_duplicates() -> None:
    data = rss("F", [("A", "/a", ""), ("A again", "/a", ""), ("B", "https://b.org/b", ""),
                     ("Bad host", "https://a.examp]le/x", ""), ("Bad port", "https://a.org:99999/", "")])
    assert [i.url for i in feed_items(data, "https://f.org/feed.xml")] == [
        "https://f.org/a",
        "https://b.org/b",
    ]
    assert feed_items(rss("Empty", []), "https://f.org/feed.xml") == []


# -- drop folders, the CLI and the web app --------------------------------------------------------
def test_drop_folder_cli_once_alerts_and_web(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    o_title, o_body = origin_article()
    (drop / "rt.html").write_bytes(article_html(o_title, o_body, outlet="RT", date="2017-07-08"))
    (drop / "broken.warc.gz").write_bytes(b"\x1f\x8b garbage")
    (tmp_path / "watch.toml").write_text(
        'db = "w.db"\ninterval = 0\norigins = ["RT"]\n[detect]\nworkers = 1\n'
        '[[sources]]\nfolder = "drop"\nsettle = 0\n'
    )
    runner = CliRunner()
    args = ["watch", "--config", str(tmp_path / "watch.toml"), "--once", "--json"]
    r1 = runner.invoke(main, args)
    assert r1.exit_code == 0, r1.output
    c1 = json.loads(r1.stdout)
    assert c1["files"] == 2 and c1["added"] == 1 and c1["alerts"] == []
    assert any("broken.warc.gz" in e["url"] for e in c1["item_errors"])
    l_title, l_body = laundered_article()
    (drop / "blog.html").write_bytes(
        article_html(l_title, l_body, outlet="Patriot Blog", date="2017-07-10")
    )
    c2 = json.loads(runner.invoke(main, args).stdout)
    assert c2["files"] == 1 and len(c2["alerts"]) == 1  # the old files are not read again
    c3 = json.loads(runner.invoke(main, args).stdout)
    assert c3["files"] == 0 and c3["alerts"] == []
    listed = runner.invoke(main, ["--db", str(tmp_path / "w.db"), "alerts", "--json"])
    alerts = json.loads(listed.stdout)
    assert len(alerts) == 1 and alerts[0]["flags"][0] == "no_credit"
    assert (tmp_path / "alerts.jsonl").read_text().count("\n") == 1

    from fastapi.testclient import TestClient

    from newstrace.web import create_app

    client = TestClient(create_app(tmp_path / "w.db"), base_url="http://127.0.0.1")
    api = client.get("/api/alerts").json()
    assert [a["id"] for a in api] == [alerts[0]["id"]]
    assert client.get("/api/alerts?flag=altered_quotes").json()[0]["id"] == alerts[0]["id"]
    assert client.get("/api/alerts?flag=bogus").status_code == 422
    page = client.get("/alerts")
    assert page.status_code == 200 and "Patriot Blog" in page.text and "no credit" in page.text
    # An altered quotation is shown with its edits read source -> article.
    edits = alerts[0]["mutations"]["altered_quotes"][0]["edits"]
    assert edits and ("replaced “" in page.text or "inserted “" in page.text)
    pair = client.get(api[0]["pair_path"])
    assert pair.status_code == 200 and "Deep State" in pair.text


def test_watcher_rejects_unknown_detect_parameter(tmp_path: Path) -> None:
    cfg = parse_config(
        {"origins": ["RT"], "sources": [SOURCE], "detect": {"treshold": 0.5}}, base=tmp_path
    )
    with pytest.raises(ConfigError, match="treshold"):
        Watcher(cfg)


def test_sitemap_index_warc_drop_and_many_pages(tmp_path: Path, site: Site) -> None:
    """A sitemap index with a child sitemap, a WARC drop folder, and a feed of 60 pages (enough
    to extract in worker processes)."""
    import gzip
    import threading

    from tests.nasty.make_nasty import STORY, _warc_record
    from tests.watch.scenario import unrelated_articles

    arts = unrelated_articles(62)
    for i, (title, body) in enumerate(arts[:60]):
        site.pages[f"/many/{i}"] = Page(article_html(title, body, outlet="Many", date="2017-07-09"))
    site.pages["/many/feed.xml"] = Page(
        rss("Many", [(t, site.url(f"/many/{i}"), "") for i, (t, _) in enumerate(arts[:60])]),
        "application/rss+xml",
    )
    site.pages["/s/a"] = Page(article_html(arts[60][0], arts[60][1], outlet="Maps", date="2017-07-09"))
    site.pages["/s/child.xml"] = Page(
        f"<urlset><url><loc>{site.url('/s/a')}</loc></url></urlset>".encode(), "application/xml"
    )
    site.pages["/s/index.xml"] = Page(
        f"<sitemapindex><sitemap><loc>{site.url('/s/child.xml')}</loc></sitemap></sitemapindex>".encode(),
        "application/xml",
    )
    drops = tmp_path / "warcs"
    drops.mkdir()
    html = f"<html><body><article><h1>Floods</h1><p>{STORY * 4}</p></article></body></html>".encode()
    (drops / "crawl.warc.gz").write_bytes(gzip.compress(_warc_record("http://w.example/1", html)))
    (drops / "notes.txt").write_text("not a WARC: ignored in a warc_dir")
    cfg = parse_config(
        {"origins": ["RT"], "interval": 3600, "fetch": {"per_host_interval": 0.0, "allow_private": [site.allow]},
         "detect": {"workers": 2},
         "sources": [{"feed": site.url("/many/feed.xml")}, {"sitemap": site.url("/s/index.xml")},
                     {"warc_dir": "warcs", "settle": 0}]},
        base=tmp_path,
    )  # fmt: skip
    with Watcher(cfg) as w:
        r1 = w.cycle()
        assert r1.item_errors == [] and r1.source_errors == []
        assert r1.added == 60 + 1 + 1 and r1.files == 1
        assert w.due() == []  # polled: nothing due for an hour
        assert 3500 < w.next_due_in() <= 3600
        r2 = w.cycle(force=True)
        # The feed and the child sitemap answer 304; an index is read in full (children change).
        assert r2.added == 0 and r2.not_modified == 2
        assert len(site.hits("/s/index.xml")) == 2 and "if-none-match" not in site.hits("/s/index.xml")[1]
        assert site.hits("/s/child.xml")[1].get("if-none-match")
    # The continuous loop: one cycle, then it waits until stopped.
    stop = threading.Event()
    seen: list[object] = []
    with Watcher(cfg) as w:
        t = threading.Thread(target=w.run, args=(stop,), kwargs={"on_cycle": lambda r: (seen.append(r), stop.set())})
        t.start()
        t.join(timeout=60)
    assert not t.is_alive() and len(seen) == 1


def test_alert_rules_credit_by_link_self_copies_and_flagged_only(tmp_path: Path) -> None:
    from newstrace.detect import DetectParams, detect
    from newstrace.models import Document, Link
    from newstrace.store import Store
    from newstrace.watch.alerts import find_alerts
    from newstrace.watch.config import AlertConfig

    _, body = origin_article()
    docs = [
        Document(id="o" * 16, text=body, outlet="RT", url="https://www.rt.com/news/1", published="2017-07-08"),
        Document(id="s" * 16, text=body + "\n\nMore from us.", outlet="RT", url="https://www.rt.com/news/2",
                 published="2017-07-09"),  # the origin republishing itself: not an alert
        Document(id="l" * 16, text=body + "\n\nRead more.", outlet="Linker", url="https://linker.example/a",
                 published="2017-07-09", links=(Link("https://www.rt.com/news/1", "the original"),)),
    ]  # fmt: skip
    with Store(tmp_path / "a.db") as store:
        store.add_documents(docs)
        detect(store, DetectParams(workers=1))
        alerts = find_alerts(store, OriginMatcher(["rt.com"]), AlertConfig())
        # One alert per (article, origin article): RT's article and RT's own republication of it.
        assert sorted((a["article"]["id"], a["origin"]["id"]) for a in alerts) == [
            ("l" * 16, "o" * 16), ("l" * 16, "s" * 16)]
        for a in alerts:  # a link to the origin's site is a credit
            assert a["credit"] == {"status": "credited", "evidence": "link to https://www.rt.com/news/1"}
            assert a["flags"] == []
        assert find_alerts(store, OriginMatcher(["rt.com"]), AlertConfig(flagged_only=True)) == []
        assert find_alerts(store, OriginMatcher(["rt.com"]), AlertConfig(min_coverage=1.01)) == []
        store.add_alerts(alerts)
        assert store.add_alerts(alerts) == 0  # one alert per (article, origin article)
        assert find_alerts(store, OriginMatcher(["rt.com"]), AlertConfig()) == []


def test_failing_source_backs_off_up_to_its_interval(tmp_path: Path, site: Site) -> None:
    site.pages["/down.xml"] = Page(b"down", status=503)
    cfg = parse_config(
        {"origins": ["RT"], "interval": 600, "fetch": {"retries": 0, "robots": False,
                                            "allow_private": [site.allow]},
         "sources": [{"feed": site.url("/down.xml"), "name": "down"}]},
        base=tmp_path,
    )  # fmt: skip
    with Watcher(cfg) as w:

        def waits_exactly(seconds: float) -> bool:
            """Due exactly ``seconds`` after the recorded poll, not a moment before: read from
            the store's own time of the poll, so a busy machine cannot shift it."""
            polled = w.store.watch_sources()["down"]["last_poll"]
            return w.due(polled + seconds - 0.001) == [] and [s.name for s in w.due(polled + seconds)] == ["down"]

        assert [s.name for s in w.due()] == ["down"]  # never polled
        r = w.cycle()
        assert r.source_errors and "HTTP 503" in r.source_errors[0][1]
        assert waits_exactly(30)  # first retry after 30 s
        w.cycle(force=True)
        assert waits_exactly(60)  # then 60 s
        for _ in range(6):
            w.cycle(force=True)
        assert waits_exactly(600)  # capped at the interval
        site.pages["/down.xml"] = Page(rss("Back", []), "application/rss+xml")
        assert w.cycle(force=True).source_errors == []
        assert waits_exactly(600)  # healthy again: the normal interval


def test_a_feed_items_date_beats_a_year_in_the_page_text() -> None:
    """The blog page of the found bug: no date in its metadata, 'the 2016 presidential election'
    in its text, 10 July 2017 in the feed item. Stored as the feed says, and saying so."""
    from newstrace.watch.loop import extract_article
    from newstrace.watch.sources import Item

    body = "".join(
        f"<p>During the 2016 presidential election, {w} commentators said the deep state would resist.</p>"
        for w in ("many", "some", "several", "a few", "two")
    )
    page = f"<html><head><title>Blog</title></head><body><article>{body}</article></body></html>".encode()
    item = Item("https://blog.example/putin-trump", "Putin and Trump", "2017-07-10T00:00:00+00:00")
    source = parse_config(
        {"origins": ["RT"], "sources": [{"folder": ".", "name": "blog"}]}, base=Path(".")
    ).sources[0]
    got = extract_article((item, source, page, item.url))
    assert got.doc is not None, got.error
    assert (got.doc.published, got.doc.published_source) == ("2017-07-10T00:00:00+00:00", "feed")

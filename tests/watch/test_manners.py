"""The fetcher's manners and limits, as the README states them, against a real HTTP site on
127.0.0.1 (``tests/watch/site.py``): robots.txt's Crawl-delay between any two requests to a
host, redirects followed hop by hop within a limit (a loop or a longer chain reported),
conditional polls (``If-None-Match`` and ``If-Modified-Since``, a 304 read as unchanged), and
the webhook's give-up after ten failed tries.

Timing is read from the server's own arrival times, never from sleeps in the test.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from newstrace.errors import FetchError
from newstrace.store import Store
from newstrace.watch import FetchConfig, Watcher, parse_config
from newstrace.watch.alerts import MAX_WEBHOOK_ATTEMPTS, deliver_webhook
from newstrace.watch.fetch import MAX_REDIRECTS, Fetcher
from tests.watch.scenario import unrelated_articles
from tests.watch.site import Page, Site, article_html, rfc822, rss

UA = "newstrace-test/1 (+mailto:test@example.org)"
JITTER = 0.1
"""The server stamps a request when its handler thread starts, a scheduling delay after the
client sent it: on a busy machine two arrivals can stand that much closer than the sends."""


@pytest.fixture()
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


def _redirect(to: str, status: int = 302) -> Page:
    return Page(b"", status=status, headers={"Location": to})


# -- Crawl-delay ------------------------------------------------------------------------------------
def test_crawl_delay_spaces_every_request_to_the_host(tmp_path: Path, site: Site) -> None:
    """robots.txt asks for 1 s between requests; our own spacing is 0 and the watcher fetches
    8 pages at once. Every two requests the server receives (robots.txt, the feed, the pages)
    arrive at least the crawl delay apart."""
    delay = 1
    site.pages["/robots.txt"] = Page(f"User-agent: *\nCrawl-delay: {delay}\n".encode(), "text/plain")
    arts = unrelated_articles(3)
    for i, (title, body) in enumerate(arts):
        site.pages[f"/a/{i}"] = Page(article_html(title, body, outlet="Slow Site", date="2017-07-09"))
    site.pages["/feed.xml"] = Page(
        rss("Slow Site", [(t, site.url(f"/a/{i}"), rfc822(1499500000.0)) for i, (t, _) in enumerate(arts)]),
        "application/rss+xml",
    )
    cfg = parse_config(
        {"origins": ["RT"], "interval": 0, "detect": {"workers": 1},
         "fetch": {"per_host_interval": 0.0, "concurrency": 8, "user_agent": UA,
                   "allow_private": [site.allow]},
         "sources": [{"feed": site.url("/feed.xml"), "name": "slow"}]},
        base=tmp_path,
    )  # fmt: skip
    with Watcher(cfg) as w:
        report = w.cycle()
    assert report.added == 3, (report.item_errors, report.source_errors)
    got = site.requests()
    paths = [p for _, p in got]
    assert sorted(paths) == sorted(["/robots.txt", "/feed.xml", "/a/0", "/a/1", "/a/2"]), paths
    assert paths[0] == "/robots.txt"
    gaps = [round(b - a, 3) for (a, _), (b, _) in itertools.pairwise(got)]
    assert min(gaps) >= delay - JITTER, list(zip(paths[1:], gaps, strict=True))


def test_crawl_delay_for_our_agent_wins_over_a_shorter_interval(site: Site) -> None:
    """The group naming our user agent applies (not ``*``'s), and the longer of Crawl-delay
    and ``per_host_interval`` is kept."""
    site.pages["/robots.txt"] = Page(
        b"User-agent: *\nCrawl-delay: 30\n\nUser-agent: newstrace-test\nCrawl-delay: 1\n", "text/plain"
    )
    site.pages["/x"] = Page(b"x")
    site.pages["/y"] = Page(b"y")
    with Fetcher(FetchConfig(per_host_interval=0.2, user_agent=UA, allow_private=(site.allow,))) as f:
        f.get(site.url("/x"))
        f.get(site.url("/y"))
    (t0, p0), (t1, p1), (t2, p2) = site.requests()
    assert (p0, p1, p2) == ("/robots.txt", "/x", "/y")
    assert t1 - t0 >= 1 - JITTER and t2 - t1 >= 1 - JITTER
    assert t2 - t0 < 10  # not the 30 s meant for other agents


# -- redirects ---------------------------------------------------------------------------------------
def test_redirects_are_followed_hop_by_hop_within_the_limit(site: Site) -> None:
    site.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.pages["/final"] = Page(b"the story")
    site.pages["/private/page"] = Page(b"secret")
    # MAX_REDIRECTS hops, every redirect status, relative and absolute Locations: followed.
    chain = [f"/c{i}" for i in range(MAX_REDIRECTS)] + ["/final"]
    for i, (here, there) in enumerate(itertools.pairwise(chain)):
        status = (301, 302, 303, 307, 308)[i % 5]
        site.pages[here] = _redirect(there if i % 2 else site.url(there), status)
    # One hop more than the limit: reported, and the last hop never asked.
    site.pages["/long0"] = _redirect("/c0")
    # A loop, and a redirect into a path robots.txt forbids.
    site.pages["/loop/a"] = _redirect("/loop/b")
    site.pages["/loop/b"] = _redirect(site.url("/loop/a"))
    site.pages["/to-private"] = _redirect("/private/page")
    cfg = FetchConfig(per_host_interval=0, retries=2, backoff=0.01, user_agent=UA,
                      allow_private=(site.allow,))  # fmt: skip
    with Fetcher(cfg) as f:
        r = f.get(site.url("/c0"))
        assert (r.status, r.content, r.url) == (200, b"the story", site.url("/final"))
        assert [p for _, p in site.requests()] == ["/robots.txt", *chain]
        before = len(site.hits("/final"))

        with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects") as exc:
            f.get(site.url("/long0"))
        assert len(site.hits("/final")) == before  # the hop past the limit is not asked

        with pytest.raises(FetchError, match="redirect loop") as loop:
            f.get(site.url("/loop/a"))
        # Reported once, not re-followed by the retries meant for 5xx and timeouts.
        assert len(site.hits("/loop/a")) == len(site.hits("/loop/b")) == 1
        assert site.url("/loop/b") in loop.value.reason

        with pytest.raises(FetchError, match="robots") as robots:
            f.get(site.url("/to-private"))
        assert robots.value.retry is False
    assert site.hits("/private/page") == []
    assert exc.value.retry is True  # a later cycle may find the site mended


def test_each_hop_waits_for_its_own_hosts_turn(site: Site) -> None:
    """A redirect to another host (here: the same server by another name, ``localhost``)
    waits for that host's Crawl-delay: a redirect is no way around it."""
    site.pages["/robots.txt"] = Page(b"User-agent: *\nCrawl-delay: 1\n", "text/plain")
    site.pages["/first"] = Page(b"first")
    site.pages["/story"] = Page(b"the story")
    other = f"http://localhost:{site.port}"
    site.pages["/hop"] = _redirect(f"{other}/story")
    cfg = FetchConfig(per_host_interval=0, user_agent=UA,
                      allow_private=(site.allow, f"localhost:{site.port}"))  # fmt: skip
    with Fetcher(cfg) as f:
        assert f.get(site.url("/first")).content == b"first"  # 127.0.0.1: robots.txt, /first
        assert f.get(f"{other}/story").content == b"the story"  # localhost: robots.txt, /story
        # 127.0.0.1's turn has come, localhost's not yet: /hop goes, its hop waits.
        assert f.get(site.url("/hop")).content == b"the story"
    got = site.requests()
    assert [p for _, p in got] == ["/robots.txt", "/first", "/robots.txt", "/story", "/hop", "/story"]
    assert got[5][0] - got[3][0] >= 1 - JITTER  # localhost's two pages, a Crawl-delay apart


# -- conditional polls --------------------------------------------------------------------------------
@pytest.mark.parametrize("etag", [True, False], ids=["etag-and-date", "date-only"])
def test_polls_are_conditional_and_a_304_is_unchanged(tmp_path: Path, site: Site, etag: bool) -> None:
    """The second poll of a feed sends the validators of the first answer (``If-None-Match``
    and ``If-Modified-Since``; a server that gives only ``Last-Modified`` gets the date alone),
    the 304 counts as not modified, the feed is not re-read and no page is fetched again; a
    changed feed is read again."""
    lm = rfc822(1499500000.0)
    (t1, b1), (t2, b2) = unrelated_articles(2)
    site.pages["/a/1"] = Page(article_html(t1, b1, outlet="Cond", date="2017-07-09"))
    site.pages["/feed.xml"] = Page(
        rss("Cond", [(t1, site.url("/a/1"), lm)]), "application/rss+xml", etag=etag, last_modified=lm
    )
    cfg = parse_config(
        {"origins": ["RT"], "interval": 0, "detect": {"workers": 1},
         "fetch": {"per_host_interval": 0.0, "robots": False, "allow_private": [site.allow]},
         "sources": [{"feed": site.url("/feed.xml"), "name": "cond"}]},
        base=tmp_path,
    )  # fmt: skip
    with Watcher(cfg) as w:
        r1 = w.cycle()
    with Watcher(cfg) as w:  # a restart: the validators come from the store
        r2 = w.cycle()
        polls = site.hits("/feed.xml")
        assert "if-none-match" not in polls[0] and "if-modified-since" not in polls[0]
        assert polls[1]["if-modified-since"] == lm
        assert ("if-none-match" in polls[1]) is etag
        assert (r1.added, r1.not_modified) == (1, 0)
        assert (r2.added, r2.not_modified, r2.new_items, r2.source_errors) == (0, 1, 0, [])
        assert len(site.hits("/a/1")) == 1
        # The feed changes (a new item, a later date): read again, the new page fetched.
        lm2 = rfc822(1499600000.0)
        site.pages["/a/2"] = Page(article_html(t2, b2, outlet="Cond", date="2017-07-10"))
        site.pages["/feed.xml"] = Page(
            rss("Cond", [(t1, site.url("/a/1"), lm), (t2, site.url("/a/2"), lm2)]),
            "application/rss+xml", etag=etag, last_modified=lm2,
        )  # fmt: skip
        r3 = w.cycle(force=True)
        assert (r3.added, r3.not_modified) == (1, 0)
        r4 = w.cycle(force=True)  # and the new validators are the ones sent next
        assert r4.not_modified == 1 and site.hits("/feed.xml")[-1]["if-modified-since"] == lm2
    assert len(site.hits("/a/1")) == 1 and len(site.hits("/a/2")) == 1


# -- the webhook's give-up ------------------------------------------------------------------------------
def _alert(i: int) -> dict[str, object]:
    return {
        "id": f"{i:016x}", "created": f"2017-07-1{i}T00:00:00+00:00", "relation": "derived",
        "article": {"id": f"art{i}"}, "origin": {"id": "origin"}, "flags": [],
    }  # fmt: skip


def test_webhook_gives_up_after_ten_failed_tries_and_records_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A receiver that always fails: each cycle tries once more, ten tries in all, then the
    watcher stops, says so, and records it (``newstrace rejections``); a later alert is still
    delivered, even when the given-up ones would fill a cycle's batch. Every POST carries its
    alert's id as ``Idempotency-Key``."""
    import newstrace.watch.alerts as alerts_mod

    hook = Site()
    hook.post_status = [500] * 1000
    url = hook.url("/hook")
    try:
        with Store(tmp_path / "w.db") as store:
            store.add_alerts([_alert(1)])
            with caplog.at_level(logging.WARNING, logger="newstrace.watch"):
                results = [deliver_webhook(store, url, user_agent=UA) for _ in range(MAX_WEBHOOK_ATTEMPTS + 3)]
            assert len(hook.received()) == MAX_WEBHOOK_ATTEMPTS == 10
            assert results == [(0, 1)] * MAX_WEBHOOK_ATTEMPTS + [(0, 0)] * 3
            row = store.conn.execute("SELECT webhook_done, webhook_attempts FROM alerts").fetchone()
            assert tuple(row) == (0, MAX_WEBHOOK_ATTEMPTS)
            gave_up = [r for r in store.rejections() if "gave up" in r.reason]
            assert len(gave_up) == 1 and str(_alert(1)["id"]) in gave_up[0].reason
            assert "HTTP 500" in gave_up[0].reason and gave_up[0].path == url
            assert sum("gave up" in m for m in caplog.messages) == 1
            assert sum("will retry" in m for m in caplog.messages) == MAX_WEBHOOK_ATTEMPTS - 1

            # A new alert behind the given-up one, a batch of one: still delivered.
            monkeypatch.setattr(alerts_mod, "WEBHOOK_BATCH", 1)
            store.add_alerts([_alert(2)])
            hook.post_status = []
            assert deliver_webhook(store, url, user_agent=UA) == (1, 0)
            assert hook.received()[-1]["id"] == _alert(2)["id"]
            assert len(hook.received()) == MAX_WEBHOOK_ATTEMPTS + 1
            # Each POST carries its alert's id as Idempotency-Key, for the receiver to drop repeats.
            keys = [h.get("idempotency-key") for m, _, h in hook.log if m == "POST"]
            assert keys == [_alert(1)["id"]] * MAX_WEBHOOK_ATTEMPTS + [_alert(2)["id"]]
    finally:
        hook.close()

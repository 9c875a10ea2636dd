"""The fetcher's manners and limits, as the README states them, against a real HTTP site on
127.0.0.1 (``tests/watch/site.py``): robots.txt's Crawl-delay between any two requests to a
host.

Timing is read from the server's own arrival times, never from sleeps in the test.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from newstrace.watch import FetchConfig, Watcher, parse_config
from newstrace.watch.fetch import Fetcher
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

"""Dates you can trust: explicit beats guessed, a year is never 1 January, each date says where
it came from."""

from __future__ import annotations

import pytest

from newstrace.clean import build_document
from newstrace.clean.dates import date_from_url, spelled_out
from newstrace.ingest.html import read_html
from newstrace.models import RawDocument

BODY = "".join(
    f"<p>During the 2016 presidential election campaign, the council met {w} times to debate "
    "the plan, and members said the vote would come after the summer recess.</p>"
    for w in ("three", "four", "five", "six")
)


def _page(head: str = "", body: str = BODY) -> str:
    return f"<html><head><title>Plan</title>{head}</head><body><article><h1>Plan</h1>{body}</article></body></html>"


def _doc(html: str, url: str | None = None, **kw: str) -> tuple[str | None, str | None]:
    raw = read_html(html, "p.html", url=url, **kw)[0]  # type: ignore[arg-type]
    d = build_document(raw)
    return d.published, d.published_source


def test_year_in_body_text_is_not_a_date() -> None:
    assert _doc(_page(), url="https://blog.example/post") == (None, None)


def test_feed_date_beats_any_guess_from_the_body() -> None:
    """The watch case: the feed says 10 July 2017, the page has only '2016' in its text."""
    got = _doc(_page(), url="https://blog.example/post", fallback_date="2017-07-10T08:00:00+00:00",
               fallback_source="feed")  # fmt: skip
    assert got == ("2017-07-10T08:00:00+00:00", "feed")


def test_page_metadata_date_is_explicit() -> None:
    head = '<meta property="article:published_time" content="2017-07-09T10:00:00+00:00">'
    published, source = _doc(_page(head), url="https://blog.example/2017/07/11/post",
                             fallback_date="2017-07-12", fallback_source="crawl")  # fmt: skip
    assert published is not None and published.startswith("2017-07-09") and source == "metadata"


def test_bare_year_in_metadata_never_becomes_first_of_january() -> None:
    assert _doc(_page('<meta name="date" content="2016">'), url="https://x.example/a") == (None, None)
    head = '<meta name="date" content="2016-01-01">'
    assert _doc(_page(head, BODY + "<p>Posted January 1, 2016.</p>"))[0] == "2016-01-01"


def test_url_date_when_the_page_has_none_and_crawl_time_last() -> None:
    assert _doc(_page(), url="https://cnn.example/2016/09/22/politics/x/index.html",
                fallback_date="2016-10-01T00:00:00+00:00") == ("2016-09-22", "url")  # fmt: skip
    assert _doc(_page(), url="https://x.example/a", fallback_date="2016-10-01T00:00:00+00:00") == (
        "2016-10-01T00:00:00+00:00",
        "crawl",
    )


@pytest.mark.parametrize(
    ("url", "want"),
    [
        ("https://edition.cnn.com/2016/09/22/politics/x/index.html", "2016-09-22"),
        ("https://www.example.org/news/2017-07-09-putin-trump", "2017-07-09"),
        ("https://example.org/20170709/story", "2017-07-09"),
        ("https://example.org/2016/09/story", None),
        ("https://example.org/2016/13/45/story", None),
        ("https://example.org/story?date=2016/09/22", None),
        ("https://2016.example.org/09/22", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, want: str | None) -> None:
    assert date_from_url(url) == want


def test_priority_of_sources() -> None:
    text = "Headline\n\nBy Jane Doe, July 9, 2017\n\nThe body of the story, in full, with details."
    raw = RawDocument(text, "a.txt", "text", url="https://x.example/2017/07/01/a")
    assert (build_document(raw).published, build_document(raw).published_source) == ("2017-07-09", "byline")
    d = build_document(raw, published="2017-07-20")
    assert (d.published, d.published_source) == ("2017-07-20", "user")
    rec = RawDocument("The body of the story, in full.", "r.jsonl:1", "jsonl", published="2017-07-02",
                      prechopped=True)  # fmt: skip
    assert build_document(rec).published_source == "record"


def test_spelled_out() -> None:
    assert spelled_out("2016-01-01", "Posted on 1 January 2016 by staff")
    assert spelled_out("2016-01-01", "updated 01/01/2016")
    assert not spelled_out("2016-01-01", "the 2016 presidential election")

"""The web app's search filters (README, See it): outlet and dates on the search page and in
/api/search apply before the limit, not to the best hits only; a date bound takes in the whole
day, times and zones included, and leaves undated articles out."""

from __future__ import annotations

import re

import pytest

from newstrace.models import Document
from newstrace.store import Store

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from newstrace.web import create_app


def _doc(i: int, text: str, outlet: str, published: str | None) -> Document:
    return Document(id=f"{i:016x}", text=text, outlet=outlet, published=published, title=f"Story {i}")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """60 Wire articles that rank above every other one (the page shows 50 hits), two Other
    articles that mention the leak once, on 3 August (a time in the evening, another zone)
    and undated, and a Herald one on 2 August."""
    db = tmp_path_factory.mktemp("search") / "s.db"
    with Store(db) as store:
        store.add_documents(
            [_doc(i, "leak leak leak: the leak report", "Wire", f"2017-07-{i % 28 + 1:02d}") for i in range(60)]
            + [
                _doc(100, "a long article about many other things that mentions a leak once", "Other",
                     "2017-08-03T23:30:00-05:00"),
                _doc(101, "an undated piece on budgets, a leak, and much else besides", "Other", None),
                _doc(102, "the harbour budget, and a leak in the roof of the fish market", "Herald",
                     "2017-08-02"),
            ]
        )  # fmt: skip
    return TestClient(create_app(db), base_url="http://127.0.0.1")


def page_ids(client: TestClient, **params: str) -> list[str]:
    r = client.get("/search", params={"q": "leak", **params})
    assert r.status_code == 200
    return sorted(re.findall(r'href="/documents/([0-9a-f]{16})"', r.text))


def api_ids(client: TestClient, **params: str) -> list[str]:
    r = client.get("/api/search", params={"q": "leak", **params})
    assert r.status_code == 200
    return sorted(h["id"] for h in r.json())


OTHER = [f"{100:016x}", f"{101:016x}"]
DATED_OTHER, HERALD = f"{100:016x}", f"{102:016x}"


def test_the_search_page_filters_before_its_limit(client: TestClient) -> None:
    unfiltered = page_ids(client)
    assert len(unfiltered) == 50 and not set(OTHER) & set(unfiltered)  # the best 50 are Wire's
    assert page_ids(client, outlet="Other") == OTHER
    assert page_ids(client, **{"from": "2017-08-01"}) == sorted([HERALD, DATED_OTHER])
    assert page_ids(client, **{"from": "2017-08-03", "to": "2017-08-03"}) == [DATED_OTHER]
    assert page_ids(client, outlet="Other", **{"to": "2017-08-02"}) == []  # undated: out
    # The form shows the filters it applied.
    html = client.get("/search", params={"q": "leak", "outlet": "Other", "from": "2017-08-01"}).text
    assert '<option value="Other" selected>' in html and 'name="from" type="date" value="2017-08-01"' in html


def test_the_api_filters_before_its_limit(client: TestClient) -> None:
    assert api_ids(client, outlet="Other", limit="1") in ([OTHER[0]], [OTHER[1]])
    assert api_ids(client, outlet="Other") == OTHER
    assert api_ids(client, **{"from": "2017-08-02", "limit": "2"}) == sorted([HERALD, DATED_OTHER])
    assert api_ids(client, **{"from": "2017-08-03", "to": "2017-08-03"}) == [DATED_OTHER]
    assert api_ids(client, **{"to": "2017-07-01"}) == [f"{i:016x}" for i in (0, 28, 56)]
    assert api_ids(client, outlet="Nobody") == []

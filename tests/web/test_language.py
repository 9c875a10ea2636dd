"""The search page filters by language, and the article page says which, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import Server

TEXTS = {
    "de": "Die Regierung teilte am Montag mit, dass die Verhandlungen mit den Gewerkschaften "
    "fortgesetzt werden, nachdem Streiks Schulen und Kliniken lahmgelegt hatten.",
    "uk": "Уряд у понеділок заявив, що переговори з профспілками продовжаться наступного "
    "тижня, після того як страйки закрили школи та лікарні.",
    "en": "The government said on Monday that the negotiations with the unions would continue "
    "next week, after strikes closed schools and hospitals.",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three articles on one strike (each naming it "Streik"), ingested: the Ukrainian one
    states its language in its page, the others are detected."""
    from newstrace.pipeline import ingest
    from newstrace.store import Store

    d = tmp_path_factory.mktemp("lang")
    for code, text in TEXTS.items():
        lang_attr = ' lang="uk-UA"' if code == "uk" else ""
        (d / f"{code}.html").write_text(
            f"<!doctype html><html{lang_attr}><head><title>Streik {code}</title></head><body>"
            f"<article><h1>Streik {code}</h1><p>{text} Streik.</p><p>{text}</p></article>"
            "</body></html>"
        )
    path = d / "s.db"
    with Store(path) as store:
        ingest([d], store)
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[Server]:
    from newstrace.web import create_app

    with Server(create_app(db)) as s:
        yield s


def test_search_page_filters_by_language(browser: Any, server: Server) -> None:
    page = browser.new_page()
    page.goto(server.url + "/search?q=Streik")
    assert page.locator(".hit").count() == 3
    options = page.eval_on_selector_all(
        "select[name=lang] option", "os => os.map(o => [o.value, o.textContent])"
    )
    assert options[0] == ["", "any language"]
    assert sorted(options[1:]) == [
        ["de", "German (de)"], ["en", "English (en)"], ["uk", "Ukrainian (uk)"]
    ]  # fmt: skip
    page.select_option("select[name=lang]", "uk")
    page.click("#searchform button[type=submit]")
    page.wait_for_url("**/search?*lang=uk*")
    hits = page.locator(".hit")
    assert hits.count() == 1
    assert "Streik uk" in hits.first.inner_text()
    assert hits.first.locator(".lang").inner_text() == "uk"
    # The choice stays selected on the results page.
    assert page.eval_on_selector("select[name=lang]", "s => s.value") == "uk"
    # A language nobody wrote in: no hits, no error.
    page.goto(server.url + "/search?q=Streik&lang=fr")
    assert page.locator(".hit").count() == 0
    page.close()


def test_document_page_shows_the_language(browser: Any, server: Server) -> None:
    page = browser.new_page()
    page.goto(server.url + "/search?q=Streik&lang=de")
    page.click(".hit > a")
    page.wait_for_url("**/documents/*")
    cell = page.locator("td.language")
    assert cell.inner_text() == "German (de) (detected)"
    page.goto(server.url + "/search?q=Streik&lang=uk")
    page.click(".hit > a")
    page.wait_for_url("**/documents/*")
    assert page.locator("td.language").inner_text() == "Ukrainian (uk) (from metadata)"
    page.close()


def test_api_search_filters_by_language_and_refuses_a_bad_one(server: Server) -> None:
    r = httpx.get(server.url + "/api/search", params={"q": "Streik", "lang": "en"})
    assert r.status_code == 200
    assert [(h["title"], h["language"]) for h in r.json()] == [("Streik en", "en")]
    r = httpx.get(server.url + "/api/search", params={"q": "Streik", "lang": "no language!"})
    assert r.status_code == 400
    assert "language code such as en" in r.json()["detail"]

"""The web app in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import Server


def _page(browser, requests: list[str]):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return page, dialogs


def test_overview_to_seed_pair_view(browser, server: Server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page, _ = _page(browser, requests)
    page.goto(server.url + "/")
    assert "Corpus overview" in page.inner_text("h1")
    page.click("#origins a >> text=Putin: Trump Different than on TV")
    page.wait_for_selector("table.copies")
    page.click("table.copies a.pairlink")
    page.wait_for_selector(".verdict")
    assert "derived" in page.inner_text(".verdict .rel")
    src_marks = page.locator('#source [data-side="s"].psg')
    der_marks = page.locator('#derivative [data-side="d"].psg')
    assert src_marks.count() >= 5 and der_marks.count() >= 5
    assert page.locator("#derivative .added").count() >= 2
    assert page.locator("#source .omitted").count() >= 2
    assert page.locator("#derivative .drift").count() == 1
    # Linked: hovering a derivative passage lights up its counterpart in the source.
    first = der_marks.first
    pid = first.get_attribute("data-p")
    first.hover()
    assert "active" in (
        page.locator(f'#source [data-p="{pid}"]').first.get_attribute("class") or ""
    )
    page.screenshot(path=str(tmp_path / "pair.png"), full_page=False)
    assert (tmp_path / "pair.png").stat().st_size > 10_000
    assert all(u.startswith(server.url) for u in requests), "no request may leave the machine"


def test_family_outlet_and_search_pages(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page, _ = _page(browser, requests)
    page.goto(server.url + "/search?q=Tillerson")
    assert page.locator(".hit").count() == 1
    page.click(".hit a")
    page.click('a[href^="/families/"]')
    page.wait_for_selector("svg.graph")
    assert page.locator("svg.graph path.edge").count() == 1 and page.locator("svg.timeline").count() == 1
    page.goto(server.url + "/outlets/Global%20Research")
    assert "Copied by" in page.content()
    assert all(u.startswith(server.url) for u in requests)


def test_hostile_article_executes_nothing(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page, dialogs = _page(browser, requests)
    page.goto(server.url + "/search?q=Attack")
    page.click(".hit a")
    page.wait_for_selector("h1")
    assert "<script>" in page.inner_text("h1")  # shown as text
    for link in page.locator("a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    page.mouse.move(10, 10)
    page.goto(server.url + "/")
    page.goto(server.url + "/api/search?q=Attack")
    page.go_back()
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    assert all(u.startswith(server.url) for u in requests)


def test_token_enforced_off_loopback(web_store: Path) -> None:
    import httpx
    import pytest

    from newstrace.errors import ConfigError
    from newstrace.web import check_binding, create_app

    with pytest.raises(ConfigError, match="access token"):
        check_binding("0.0.0.0", None)
    check_binding("127.0.0.1", None)
    with Server(create_app(web_store, token="s3cret"), host="0.0.0.0") as s:
        assert httpx.get(s.url + "/").status_code == 401
        assert httpx.get(s.url + "/api/documents").status_code == 401
        assert (
            httpx.get(
                s.url + "/api/documents", headers={"Authorization": "Bearer wrong"}
            ).status_code
            == 401
        )
        assert (
            httpx.get(
                s.url + "/api/documents", headers={"Authorization": "Bearer s3cret"}
            ).status_code
            == 200
        )
        with httpx.Client(base_url=s.url, follow_redirects=True) as c:
            assert c.get("/?token=s3cret").status_code == 200
            assert c.get("/families/fc1141d68d46f8ab").status_code in (200, 404)
        assert (
            httpx.post(
                s.url + "/api/documents", headers={"Authorization": "Bearer s3cret"}
            ).status_code
            == 405
        )

"""No dead ends, narrow screens and the keyboard, in a real headless Chromium: the pair view's
links, the families and outlets indexes (listed, sorted, paged), the header on every page, the
unknown outlet never linked, nothing wider than a 390 px phone, and the pair view's passages
reached with Tab and linked with Enter."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import Server

SECTIONS = [
    ("/", "Overview"),
    ("/families", "Families"),
    ("/outlets", "Outlets"),
    ("/search", "Search"),
    ("/alerts", "Alerts"),
]
NAMES = {  # the families of build_families_store, by name
    "joyous": "A Joyous Trump Cheers About NYC Bombing",
    "clinton": "Bill Clinton: 'Natural' for foundation donors to seek favors",
    "putin": "Putin: Trump Different than on TV, We Can Restore Relations with US. There is an Understanding",
    "zebra": "Zebra copy: the IT guy asked Reddit",
}


@pytest.fixture(scope="module")
def ids(families_store: Path) -> dict[str, Any]:
    """Ids in the families store: each family by its short name, the seed pair, an outlet."""
    from newstrace.store import Store

    with Store(families_store, readonly=True) as s:
        by_input = {
            r["input_id"].rsplit("/", 1)[-1]: r["id"]
            for r in s.conn.execute("SELECT input_id, id FROM documents")
        }
        fams = {r["doc_id"]: r["family"] for r in s.families()}
    seed_origin = by_input["001_56b3779ae79152f8.txt"]
    seed_copy = by_input["000_b532a79fb36ebd07.txt"]
    return {
        "families": {
            "joyous": fams[by_input["f3-origin"]],
            "clinton": fams[by_input["f1-origin"]],
            "putin": fams[seed_origin],
            "zebra": fams[by_input["f2-origin"]],
        },
        "seed_pair": (seed_origin, seed_copy),
        "clinton_pair": (by_input["f1-origin"], by_input["f1-copy1"]),
        "single": by_input["single"],
    }


@pytest.fixture
def page(browser: Any, families_server: Server) -> Iterator[Any]:
    p = browser.new_page()
    requests: list[str] = []
    p.on("request", lambda r: requests.append(r.url))
    yield p
    p.close()
    assert all(u.startswith(families_server.url) for u in requests), (
        "no request may leave the machine"
    )


def _hrefs(page: Any, selector: str) -> list[str]:
    return [a.get_attribute("href") for a in page.locator(selector).all()]


def _status(server: Server, href: str) -> int:
    return httpx.get(server.url + href).status_code


# -- 1. no dead ends ---------------------------------------------------------------------------
def test_pair_view_links_both_articles_family_and_outlets(
    page: Any, families_server: Server, ids: dict[str, Any]
) -> None:
    a, b = ids["clinton_pair"]
    page.goto(f"{families_server.url}/pairs/{a}/{b}")
    links = page.locator("nav.pairlinks")
    articles = _hrefs(page, "nav.pairlinks a.article")
    outlets = _hrefs(page, "nav.pairlinks a.outlet")
    families = _hrefs(page, "nav.pairlinks a.family")
    assert sorted(articles) == sorted([f"/documents/{a}", f"/documents/{b}"])
    assert outlets == ["/outlets/CNN", "/outlets/Mirror%20One"]
    assert families == [f"/families/{ids['families']['clinton']}"]
    assert links.locator("a.family").inner_text() == NAMES["clinton"]
    for href in articles + outlets + families:
        assert _status(families_server, href) == 200, href
    links.locator("a.family").click()
    assert page.inner_text("h1") == f"Story family: {NAMES['clinton']}"
    page.go_back()
    links.locator("a.outlet").first.click()
    assert page.inner_text("h1") == "CNN"


def test_seed_pair_view_names_the_unknown_outlet_without_linking_it(
    page: Any, families_server: Server, ids: dict[str, Any]
) -> None:
    a, b = ids["seed_pair"]
    page.goto(f"{families_server.url}/pairs/{a}/{b}")
    derivative = page.locator("nav.pairlinks .derivative-links")
    assert derivative.locator(".unknown-outlet").inner_text() == "unknown outlet"
    assert derivative.locator("a.outlet").count() == 0
    assert _hrefs(page, "nav.pairlinks a.outlet") == ["/outlets/Global%20Research"]
    assert page.locator("nav.pairlinks a.family").inner_text() == NAMES["putin"]


def _rows(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#families a.family").all_inner_texts()]


def test_families_index_lists_sorts_and_pages(
    page: Any, families_server: Server, ids: dict[str, Any]
) -> None:
    page.goto(families_server.url + "/families")
    assert page.inner_text("h1") == "Story families"
    n = NAMES
    # Largest first, ties by id: the Clinton family (3) leads.
    assert _rows(page)[0] == n["clinton"] and sorted(_rows(page)) == sorted(n.values())
    clinton = page.locator("#families tr.family-row").first
    assert clinton.locator("td.num").inner_text() == "3"
    assert clinton.locator("td.span").inner_text() == "2016-09-20 – 2016-09-22"
    assert clinton.locator("a.outlet").all_inner_texts() == ["CNN", "Mirror One", "Mirror Two"]
    _sort(page, "#families th >> text=family")
    assert _rows(page) == [n["joyous"], n["clinton"], n["putin"], n["zebra"]]
    assert page.get_attribute("#families th[aria-sort]", "aria-sort") == "ascending"
    _sort(page, "#families th >> text=family")
    assert _rows(page) == [n["zebra"], n["putin"], n["clinton"], n["joyous"]]
    _sort(page, "#families th >> text=published")  # newest first, the undated family last
    assert _rows(page) == [n["putin"], n["zebra"], n["clinton"], n["joyous"]]
    _sort(page, "#families th >> text=published")
    assert _rows(page) == [n["clinton"], n["zebra"], n["putin"], n["joyous"]]
    assert page.locator("#families tr.family-row").last.locator("td.span").inner_text() == "undated"
    # Every family link resolves, to a page named like the index names it.
    for href in _hrefs(page, "#families a.family") + _hrefs(page, "#families a.outlet"):
        assert _status(families_server, href) == 200, href
    # Paged: two at a time, the pager keeps the order and the page size.
    page.goto(families_server.url + "/families?sort=name&order=asc&limit=2")
    assert _rows(page) == [n["joyous"], n["clinton"]] and "1–2 of 4" in page.inner_text(".pager")
    assert page.locator(".pager a[rel=prev]").count() == 0
    page.click(".pager a[rel=next]")
    assert _rows(page) == [n["putin"], n["zebra"]] and "3–4 of 4" in page.inner_text(".pager")
    assert page.locator(".pager a[rel=next]").count() == 0
    page.click(".pager a[rel=prev]")
    assert _rows(page) == [n["joyous"], n["clinton"]]
    assert httpx.get(families_server.url + "/families?sort=colour").status_code == 422


def test_api_families_carries_the_name(families_server: Server, ids: dict[str, Any]) -> None:
    rows = httpx.get(families_server.url + "/api/families?sort=name&order=desc").json()
    assert [r["name"] for r in rows] == [NAMES[k] for k in ("zebra", "putin", "clinton", "joyous")]
    zebra = rows[0]
    assert zebra["family"] == ids["families"]["zebra"] and zebra["origin_title"] is None
    assert zebra["outlets"] == ["Eagle Rising", "Mirror One"] and zebra["size"] == 2
    one = httpx.get(f"{families_server.url}/api/families/{ids['families']['zebra']}").json()
    assert one["name"] == NAMES["zebra"]


def test_outlets_index_lists_and_sorts(page: Any, families_server: Server) -> None:
    page.goto(families_server.url + "/outlets")
    assert page.inner_text("h1") == "Outlets"
    rows = page.locator("#outlets tr.outlet-row")
    assert rows.count() == 8  # 7 named outlets and the articles without one
    table = {
        r.locator("td").first.inner_text(): [c for c in r.locator("td.num").all_inner_texts()]
        for r in rows.all()
    }
    assert table["Mirror One"] == ["2", "1", "50%", "1"]  # articles, takes, share, copied
    assert table["CNN"] == [
        "1",
        "0",
        "0%",
        "1",
    ]  # the first Clinton copy (the second takes from it)
    assert table["unknown outlet"] == ["2", "2", "100%", "0"]
    assert rows.first.locator("td").first.inner_text() in (
        "Mirror One",
        "unknown outlet",
    )  # most articles
    _sort(page, "#outlets th >> text=copied")
    copied = [r.locator("td.num").last.inner_text() for r in rows.all()]
    assert copied == ["1"] * 4 + ["0"] * 4
    assert [r.locator("td").first.inner_text() for r in rows.all()][:4] == [
        "CNN", "Global Research", "Mirror One", "Occupy Democrats"]  # ties by name  # fmt: skip
    _sort(page, "#outlets th >> text=outlet")
    names = [r.locator("td").first.inner_text() for r in rows.all()]
    assert names[:3] == ["CNN", "Eagle Rising", "Global Research"] and names[-1] == "unknown outlet"
    for href in _hrefs(page, "#outlets a.outlet"):
        assert _status(families_server, href) == 200, href
    assert len(_hrefs(page, "#outlets a.outlet")) == 7
    api = httpx.get(families_server.url + "/api/outlets?sort=copied").json()
    assert [(o["outlet"], o["copied"]) for o in api[:2]] == [("CNN", 1), ("Global Research", 1)]


def _sort(page: Any, header: str) -> None:
    """Click a sortable column's header and wait for the page it links to (reading the rows
    while the old page is still up read none of them once, in a clean-clone run)."""
    with page.expect_navigation():
        page.click(header)


def _pages(ids: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Every kind of page, with the header section it belongs to."""
    a, b = ids["seed_pair"]
    return [
        ("/", "/"),
        ("/families", "/families"),
        ("/families?sort=name", "/families"),
        (f"/families/{ids['families']['putin']}", "/families"),
        ("/outlets", "/outlets"),
        ("/outlets/Global%20Research", "/outlets"),
        ("/search", "/search"),
        ("/search?q=Putin", "/search"),
        ("/alerts", "/alerts"),
        (f"/documents/{b}", None),
        (f"/pairs/{a}/{b}", None),
        ("/documents/nosuchdocument", None),  # the error page too
    ]


def test_header_links_every_section_on_every_page(
    page: Any, families_server: Server, ids: dict[str, Any]
) -> None:
    for path, section in _pages(ids):
        page.goto(families_server.url + path)
        nav = page.locator("header.top nav.sections a")
        assert [(a.get_attribute("href"), a.inner_text()) for a in nav.all()] == SECTIONS, path
        current = [(a.get_attribute("href"), a.get_attribute("aria-current")) for a in nav.all()]
        marked = [(h, c) for h, c in current if c]
        if section is None:
            assert marked == [], path
        else:
            exact = path.split("?")[0] == section
            assert marked == [(section, "page" if exact else "true")], path
        style = page.evaluate(
            "getComputedStyle(document.querySelector('nav.sections a[aria-current]') || document.body)"
            ".borderBottomWidth"
        )
        assert section is None or style == "3px", (path, style)


def test_unknown_outlet_is_named_never_linked(
    page: Any, families_server: Server, ids: dict[str, Any]
) -> None:
    a, b = ids["seed_pair"]
    seen = 0
    for path in ("/", "/families", "/outlets", f"/pairs/{a}/{b}", f"/documents/{b}",
                 f"/families/{ids['families']['putin']}", f"/families/{ids['families']['joyous']}",
                 "/outlets/Global%20Research", "/outlets/Occupy%20Democrats"):  # fmt: skip
        page.goto(families_server.url + path)
        for href in _hrefs(page, "a[href^='/outlets']"):
            assert href not in ("/outlets/", "/outlets/None") and "unknown" not in href, (
                path,
                href,
            )
            assert href == "/outlets" or _status(families_server, href) == 200, (path, href)
        unknown = page.locator(".unknown-outlet")
        seen += unknown.count()
        for el in unknown.all():
            assert el.inner_text() == "unknown outlet"
            assert el.evaluate("e => e.closest('a') === null"), path
        cells = page.locator("main td, main a, nav.pairlinks div").all_text_contents()
        cells += page.locator("svg text").all_text_contents()
        assert not [c for c in cells if "None" in c or "(unknown)" in c], path
    assert seen >= 8
    assert httpx.get(families_server.url + "/outlets/None").status_code == 404


# -- 2. narrow screens and the keyboard ----------------------------------------------------------
@pytest.fixture
def phone(browser: Any, families_server: Server) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    p = ctx.new_page()
    yield p
    ctx.close()


def test_nothing_wider_than_a_phone(
    phone: Any, families_server: Server, ids: dict[str, Any]
) -> None:
    for path, _ in [
        *_pages(ids),
        (f"/pairs/{ids['clinton_pair'][0]}/{ids['clinton_pair'][1]}", None),
    ]:
        phone.goto(families_server.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    # The pair view's texts are stacked, each inside the screen, both in view at once.
    a, b = ids["seed_pair"]
    phone.goto(f"{families_server.url}/pairs/{a}/{b}")
    src = phone.locator("#source").bounding_box()
    der = phone.locator("#derivative").bounding_box()
    assert src["x"] >= 0 and src["x"] + src["width"] <= 390
    assert der["x"] >= 0 and der["x"] + der["width"] <= 390
    assert der["y"] >= src["y"] + src["height"]  # stacked, source above
    assert src["height"] + der["height"] < 844  # both fit on the screen together


def test_stacked_texts_scroll_together(
    phone: Any, families_server: Server, ids: dict[str, Any]
) -> None:
    a, b = ids["seed_pair"]
    phone.goto(f"{families_server.url}/pairs/{a}/{b}")
    assert phone.is_checked("#linkscroll")
    der = phone.locator("#derivative")
    # Scroll the source to its fourth passage: the derivative follows to that passage's counterpart.
    pid = phone.locator('#source .psg[data-side="s"][tabindex="0"]').nth(3).get_attribute("data-p")
    phone.evaluate(
        """p => { const pane = document.getElementById('source');
                  const el = pane.querySelector('[data-side="s"][data-p="' + p + '"]');
                  pane.scrollTop += el.getBoundingClientRect().top - pane.getBoundingClientRect().top; }""",
        pid,
    )
    # Polled from here: the page's policy forbids eval, which wait_for_function's polling needs
    # in the page (it passed only when the first check already held).
    deadline = time.monotonic() + 5
    while not phone.evaluate("() => document.getElementById('derivative').scrollTop > 0"):
        assert time.monotonic() < deadline, "the derivative pane did not follow the source's scroll"
        phone.wait_for_timeout(50)
    box = der.bounding_box()
    counterpart = phone.locator(f'#derivative [data-side="d"][data-p="{pid}"]').first.bounding_box()
    assert box["y"] - 5 <= counterpart["y"] <= box["y"] + box["height"] / 2, (box, counterpart)
    # Unlinked: scrolling one text leaves the other where it is.
    phone.uncheck("#linkscroll")
    before = der.evaluate("e => e.scrollTop")
    phone.evaluate("document.getElementById('source').scrollTop = 0")
    phone.wait_for_timeout(200)
    assert der.evaluate("e => e.scrollTop") == before


def _focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
                   return {cls: e.className, side: e.dataset.side || null, p: e.dataset.p || null,
                           outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                           pane: e.closest('.doc') ? e.closest('.doc').id : null}; }"""
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_passages_reached_with_tab_and_linked_with_enter(
    browser: Any, families_server: Server, ids: dict[str, Any], width: int
) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 844 if width == 390 else 900})
    page = ctx.new_page()
    a, b = ids["seed_pair"]
    page.goto(f"{families_server.url}/pairs/{a}/{b}")
    for _ in range(60):
        page.keyboard.press("Tab")
        f = _focused(page)
        if f["side"]:
            break
    assert f["side"] == "s" and f["pane"] == "source", f
    assert "psg" in f["cls"] and f["outline"] != "none" and f["width"] >= 2, (
        f
    )  # a visible focus ring
    first = f["p"]
    page.keyboard.press("Tab")  # the next passage, one tab stop each
    f = _focused(page)
    assert f["side"] == "s" and f["p"] != first
    second = f["p"]
    page.keyboard.press("Enter")
    g = _focused(page)
    assert g["side"] == "d" and g["p"] == second and g["pane"] == "derivative", g
    assert "linked" in g["cls"] and g["outline"] != "none" and g["width"] >= 2, g
    # The counterpart is in view, inside its pane's visible part.
    pane = page.locator("#derivative").bounding_box()
    target = page.locator(f'#derivative [data-side="d"][data-p="{second}"]').first.bounding_box()
    assert pane["y"] <= target["y"] + target["height"] and target["y"] <= pane["y"] + pane["height"]
    assert 0 <= target["y"] <= page.viewport_size["height"]
    assert "linked" in (page.get_attribute(f'#source [data-p="{second}"]', "class") or "")
    page.keyboard.press("Enter")  # and back again
    h = _focused(page)
    assert h["side"] == "s" and h["p"] == second
    ctx.close()

"""The web pair view marks word changes in place, visibly and not by colour alone (Chromium)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.web.conftest import Server


def _seed_pair_path(server: Server) -> str:
    pairs = httpx.get(server.url + "/api/pairs?relation=derived").json()
    for p in pairs:
        doc = httpx.get(server.url + f"/api/documents/{p['source']}").json()
        if doc.get("outlet") == "Global Research":
            return f"/pairs/{p['source']}/{p['derivative']}"
    raise AssertionError(f"no seed pair among {pairs}")


def _style(page, selector: str, prop: str, pseudo: str | None = None) -> str:  # type: ignore[no-untyped-def]
    return str(
        page.eval_on_selector(
            selector,
            "(el, [prop, pseudo]) => getComputedStyle(el, pseudo).getPropertyValue(prop)",
            [prop, pseudo],
        )
    )


def test_word_changes_are_visible_in_the_pair_view(browser, server: Server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + _seed_pair_path(server))
    page.wait_for_selector(".verdict")
    # The blog's "in Syria to maintain" for RT's "for maintaining", inside their passages.
    new = page.locator('#derivative .psg ins.wd-sub:text-is("in Syria to maintain")')
    old = page.locator('#source .psg del.wd-sub:text-is("for maintaining")')
    assert new.count() == 1 and old.count() == 1
    new.scroll_into_view_if_needed()
    assert new.is_visible()
    old.scroll_into_view_if_needed()
    assert old.is_visible()
    assert new.get_attribute("title") == "replaces: for maintaining"
    assert page.locator("#derivative ins.wd-ins").count() >= 1
    assert page.locator("#source del.wd-del").count() >= 1
    sel_new = '#derivative ins.wd-sub[title="replaces: for maintaining"]'
    sel_old = '#source del.wd-sub[title="replaced by: in Syria to maintain"]'
    # Not colour alone: a line style for each kind, and words a screen reader reads out.
    assert "underline" in _style(page, sel_new, "text-decoration-line")
    assert "double" in _style(page, sel_new, "text-decoration-style")
    assert "line-through" in _style(page, sel_old, "text-decoration-line")
    assert "line-through" in _style(page, "#source del.wd-del", "text-decoration-line")
    assert "underline" in _style(page, "#derivative ins.wd-ins", "text-decoration-line")
    assert _style(page, sel_new, "content", "::after") == '" (replacement)"'
    assert _style(page, "#source del.wd-del", "content", "::after") == '" (deleted)"'
    # ... and visually hidden: the words take no room on the page.
    assert _style(page, sel_new, "clip-path", "::after") == "inset(100%)"
    assert _style(page, sel_new, "position", "::after") == "absolute"
    # The legend explains the marks with the marks themselves.
    legend = page.locator(".legend .wd-legend")
    assert legend.is_visible()
    assert legend.locator("del.wd-del").count() == 1 and legend.locator("ins.wd-ins").count() == 1
    # Hovering a passage still lights up its counterpart, edits and all.
    new.hover()
    pid = page.eval_on_selector(sel_new, "el => el.closest('.psg').dataset.p")
    assert "active" in (page.locator(f'#source [data-p="{pid}"]').first.get_attribute("class") or "")
    page.screenshot(path=str(tmp_path / "diff.png"))
    assert all(u.startswith(server.url) for u in requests), "no request may leave the machine"

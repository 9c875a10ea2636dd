"""Phrase search with highlighted matches, and a 30-article family graph and timeline people can
read, measured in Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from newstrace.models import Document
from newstrace.store import Store
from tests.graph.test_layout import generated_family
from tests.web.conftest import Server

FAMILY = "f" * 16
HEADLINES = [
    "Putin: Trump Different than on TV, We Can Restore Relations with US",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW MMMMMMMMMMMMMMMMMMMMMMMM",
    "普京：特朗普与电视上不同，我们可以恢复与美国的关系，双方存在理解",
    "Короткий заголовок о встрече в Гамбурге и её последствиях для всех",
    "<script>window.__xss=1</script> & <b>friends</b> of the summit",
    "Short",
    "",
]
OUTLETS = ["Global Research", "RT", "Zero Hedge", "The Daily Sheeple Extraordinary Network",
           "Infowars", "新华社", None]  # fmt: skip


def _id(name: str) -> str:
    return FAMILY if name == "n00" else f"{int(name[1:]):016x}"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Articles for phrase search (with and without the phrase, outlets, dates) and one story
    family of 30 articles (the layout tests' generated family: same-day copies, undated
    copies, long and wide headlines), written straight into a store."""
    path = tmp_path_factory.mktemp("searchfam") / "s.db"
    nodes, edges = generated_family(0)
    parent = {t: s for s, t in edges}
    depth = {"n00": 0}
    for s, t in sorted(edges, key=lambda e: int(e[1][1:])):
        depth[t] = depth[s] + 1
    docs = [
        Document(id="d1" + "0" * 14, outlet="Wire", published="2017-07-09", title="The Deep State",
                 text="Officials say the deep state met on Monday. [Trump] did not attend."),
        Document(id="d2" + "0" * 14, outlet="Other", published="2017-07-20",
                 text="Critics of the <b>Deep\nState</b> gathered; the deep state did not."),
        Document(id="d3" + "0" * 14, outlet="Wire", published="2017-07-10",
                 text="A deep dive into the state budget, deep and long."),
        Document(id="d4" + "0" * 14, outlet="Wire", text="The state of the deep sea."),
    ]  # fmt: skip
    for i, (name, day) in enumerate(sorted(nodes)):
        docs.append(
            Document(
                id=_id(name),
                outlet=OUTLETS[i % len(OUTLETS)],
                title=HEADLINES[i % len(HEADLINES)] or None,
                published=day.isoformat() if day else None,
                text=f"Family article {name} about the summit.",
            )
        )
    with Store(path) as s:
        s.add_documents(docs)
        s.put_families(
            (_id(n), FAMILY, _id(parent[n]) if n in parent else None, depth[n]) for n, _ in nodes
        )
        s.put_pairs(
            {
                "a": min(_id(a), _id(b)), "b": max(_id(a), _id(b)), "source": _id(a),
                "derivative": _id(b), "relation": "derived" if k % 3 else "partial",
                "confidence": 0.9, "coverage_source": 0.5, "coverage_derivative": 0.7,
                "candidate": "test", "report": json.dumps({}), "hash_a": "", "hash_b": "",
                "passages": [],
            }
            for k, (a, b) in enumerate(edges)
        )  # fmt: skip
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[Server]:
    from newstrace.web import create_app

    with Server(create_app(db)) as s:
        yield s


def test_phrase_search_returns_phrase_matches_highlighted(browser: Any, server: Server) -> None:
    page = browser.new_page()
    page.goto(server.url + "/search?q=%22Deep+State%22")
    hits = page.locator(".hit")
    assert hits.count() == 2  # d1 and d2; d3 and d4 hold both words, apart
    ids = {a.get_attribute("href") for a in page.locator(".hit > a").all()}
    assert ids == {"/documents/d1" + "0" * 14, "/documents/d2" + "0" * 14}
    marks = page.eval_on_selector_all(".snippet mark", "ms => ms.map(m => m.textContent)")
    assert marks and all(" ".join(m.lower().split()) == "deep state" for m in marks)
    assert len(marks) == 3  # d1 once; d2 twice, across its own markup and a line break
    assert page.eval_on_selector_all(".hit b mark", "ms => ms.map(m => m.textContent)") == [
        "Deep State"
    ]
    snippets = page.eval_on_selector_all(".snippet", "ss => ss.map(s => s.textContent)")
    assert any("<b>" in s for s in snippets)  # the article's own markup, shown as text
    assert any("[Trump]" in s for s in snippets)  # the article's own brackets, not a marker
    assert page.locator(".snippet b").count() == 0
    assert not any("\ufdd0" in s or "\ufdd1" in s for s in snippets)
    # Without quotes, both words anywhere.
    page.goto(server.url + "/search?q=deep+state")
    assert page.locator(".hit").count() == 4
    # Hostile input is words, never an error.
    for q in ["%22unbalanced", "NEAR%28deep", "deep+OR+sea", "-state", "title%3Adeep", "%2A"]:
        resp = page.goto(server.url + "/search?q=" + q)
        assert resp is not None and resp.status == 200, q
    page.close()


def test_search_filters(server: Server) -> None:
    def ids(**params: str) -> list[str]:
        r = httpx.get(server.url + "/api/search", params={"q": "deep state", **params})
        assert r.status_code == 200
        return sorted(h["id"][:2] for h in r.json())

    assert ids() == ["d1", "d2", "d3", "d4"]
    assert ids(outlet="Wire") == ["d1", "d3", "d4"]
    assert ids(outlet="Wire", limit="1") in (["d1"], ["d3"], ["d4"])
    assert ids(**{"from": "2017-07-10"}) == ["d2", "d3"]  # undated d4 left out
    assert ids(**{"to": "2017-07-10"}) == ["d1", "d3"]
    assert ids(outlet="Wire", **{"from": "2017-07-10", "to": "2017-07-31"}) == ["d3"]
    hit = httpx.get(
        server.url + "/api/search", params={"q": '"deep state"', "outlet": "Wire"}
    ).json()
    assert [h["snippet"][s:e] for h in hit for s, e in h["matches"]] == ["deep state"]


_GEOMETRY = """svg => {
  const r = svg.getBoundingClientRect();
  const box = e => { const b = e.getBoundingClientRect();
                     return [b.left, b.top, b.right, b.bottom]; };
  return {
    svg: [r.left, r.top, r.right, r.bottom],
    articles: [...svg.querySelectorAll('g.article')].map(g => ({
      rect: box(g.querySelector('rect.node')),
      texts: [...g.querySelectorAll('text')].map(box),
      dated: !g.querySelector('rect.node').classList.contains('undated'),
      x: parseFloat(g.querySelector('rect.node').getAttribute('x')),
      day: g.querySelectorAll('text')[2].textContent.slice(0, 10),
    })),
    texts: [...svg.querySelectorAll('text')].map(box),
    edges: svg.querySelectorAll('path.edge').length,
  };
}"""


def _inside(inner: list[float], outer: list[float], slack: float = 0.5) -> bool:
    return (
        inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack
    )  # fmt: skip


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_family_of_thirty_is_readable(browser: Any, server: Server, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + f"/families/{FAMILY}")
    g = page.eval_on_selector("svg.graph", _GEOMETRY)
    arts = g["articles"]
    assert len(arts) == 30 and g["edges"] == 29
    rects = [a["rect"] for a in arts]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    for text in g["texts"]:
        assert _inside(text, g["svg"]), text
    for a in arts:
        for text in a["texts"]:  # each label inside its own box, long and wide headlines too
            assert _inside(text, a["rect"]), (a, text)
    # Time runs left to right; undated articles sit below every dated one.
    dated = [a for a in arts if a["dated"]]
    undated = [a for a in arts if not a["dated"]]
    assert dated and undated
    for a in dated:
        for b in dated:
            if a["day"] < b["day"]:
                assert a["x"] < b["x"]
    assert max(a["rect"][3] for a in dated) < min(a["rect"][1] for a in undated)
    assert all(a["day"].startswith("undated") for a in undated)
    # The graph keeps its size and scrolls sideways in its box; the page does not widen.
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('.graphbox').scrollWidth,"
        " document.querySelector('.graphbox').clientWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] > widths[3], widths
    page.screenshot(path=str(tmp_path / "family.png"), full_page=True)
    assert all(u.startswith(server.url) for u in requests)
    page.close()


def test_timeline_labels_are_not_clipped(browser: Any, server: Server) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + f"/families/{FAMILY}")
    g = page.eval_on_selector("svg.timeline", _GEOMETRY)
    assert len(g["texts"]) >= 5
    for text in g["texts"]:
        assert _inside(text, g["svg"]), (text, g["svg"])
    labels = page.eval_on_selector_all(
        "svg.timeline text.outlet",
        "ts => ts.map(t => { const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; })",
    )
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    page.close()


def test_timeline_edges_and_one_day(browser: Any, tmp_path: Path) -> None:
    """Labels at both ends of the axis, and a family published in one day, stay inside."""
    from newstrace.web.charts import timeline_svg

    d = date(2017, 7, 9)
    members = [
        {"id": f"{i}", "outlet": o, "published": (d + timedelta(days=k)).isoformat(),
         "derived_from": None if i == 0 else "0"}
        for i, (o, k) in enumerate([("The Daily Sheeple Extraordinary Network", 0),
                                    ("新华社新华社新华社", 0), ("Zero Hedge", 40),
                                    ("WWWWWWWWWWWWWWWWWWWWWWWW", 40), ("RT", 20)])
    ]  # fmt: skip
    from newstrace.report.pair_html import CSS
    from newstrace.web import HERE

    css = CSS + (HERE / "static" / "app.css").read_text("utf-8")
    page = browser.new_page()
    for fam in (members, [dict(m, published=d.isoformat()) for m in members]):
        page.set_content(
            f"<html><style>{css}</style><body>{timeline_svg({'members': fam})}</body></html>"
        )
        g = page.eval_on_selector("svg.timeline", _GEOMETRY)
        for text in g["texts"]:
            assert _inside(text, g["svg"]), (text, g["svg"])
    page.close()

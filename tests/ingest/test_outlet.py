# ruff: noqa: E501
"""The outlet of an HTML page without metadata, found in the site's own chrome: a host its
chrome names, and the capitalised name that spells that host (README, Ingest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.ingest import read_path
from newstrace.pipeline import ingest
from newstrace.store import Store


def page(headline: str, paragraphs: list[str], before: str, after: str) -> str:
    """An article page with no site name anywhere in its metadata (no og:site_name, no
    publisher, a <title> that is the headline alone) and no URL."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{headline}</title></head>'
        f"<body>{before}<article><h1>{headline}</h1>{body}</article>{after}</body></html>"
    )


FERRY = [
    "The only ferry linking the mainland to the three outer islands will sail twice a week instead of daily from November, the operator said on Thursday.",
    "The company blamed rising fuel costs and a shortage of qualified crew, and said the reduced timetable would run until the end of March.",
    "Islanders said the cut would make it harder to reach the hospital and the secondary school, both of which are on the mainland.",
    "The council has asked the regional government for an emergency subsidy to keep a daily crossing for school pupils and patients.",
]
LIBRARY = [
    "The town library will open on Sunday afternoons from next month after more than two thousand residents signed a petition asking for longer hours.",
    "The library board voted five to two on Tuesday evening to extend the opening hours on a trial basis for six months.",
    "Volunteers from the reading club have offered to help staff the desk, which the board said would keep the extra cost low.",
    "The head librarian said Sunday was the only free day for many working parents who want to bring their children.",
]
STORM = [
    "Dozens of trawlers returned to port a day early on Sunday as forecasters warned of gale force winds across the northern waters.",
    "The coastguard said all vessels had been accounted for by nightfall and no crew members were injured.",
    "Skippers said the early return would cost them several days of catch at the height of the mackerel season.",
    "Harbour authorities closed the outer pier to the public as a precaution until Tuesday morning.",
]

SITES = {
    # A newsletter prompt names the site; a copyright footer gives its host.
    "gazette": (
        page(
            "Ferry service to the islands cut for winter",
            FERRY,
            '<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>',
            "<aside><p>Get the Harbour Gazette newsletter in your inbox every morning. Sign up now.</p></aside>"
            "<footer><p>© 2023 harbourgazette.com. All rights reserved. No part of this site may be reproduced without permission.</p></footer>",
        ),
        "Harbour Gazette",
        "harbourgazette.com",
    ),
    # A membership plea above the story names the site; a contact e-mail gives its host.
    "times": (
        page(
            "Library to open on Sundays after petition",
            LIBRARY,
            '<div class="top">Support independent local journalism: become a member of Pine Valley Times today.</div>',
            '<div class="bottom"><p>Have a story tip? Contact us at newsdesk@pinevalleytimes.org</p></div>',
        ),
        "Pine Valley Times",
        "pinevalleytimes.org",
    ),
    # One legal notice names both, the host under a country's second level (co.uk).
    "daily": (
        page(
            "Fishing fleet returns early as storm closes in",
            STORM,
            '<div id="masthead">Menu | Search | Subscribe</div>',
            '<div class="legal"><p>Copyright © North Star Daily Ltd. Reproduction of material from www.northstardaily.co.uk without written permission is strictly prohibited.</p></div>',
        ),
        "North Star Daily",
        "northstardaily.co.uk",
    ),
}


@pytest.mark.parametrize("site", sorted(SITES))
def test_the_outlet_is_the_name_a_sites_own_chrome_gives(
    site: str, tmp_path: Path, store: Store
) -> None:
    html, outlet, host = SITES[site]
    path = tmp_path / f"{site}.html"
    path.write_text(html, encoding="utf-8")
    (raw,) = read_path(path)
    assert raw.outlet is None and raw.url is None  # nothing in the metadata names the site
    report = ingest([path], store)
    assert report.added == 1 and not report.rejected
    doc = store.get(report.ids[0])
    assert (doc.outlet, doc.host) == (outlet, host)
    assert outlet not in doc.text  # the chrome that named it is not article text


def test_a_canonical_url_is_no_site_name(tmp_path: Path, store: Store) -> None:
    """trafilatura names a site without a name by its canonical URL's host; the chrome's name
    is still found (and the host is the page's own)."""
    html, outlet, host = SITES["gazette"]
    html = html.replace("</title>", '</title><link rel="canonical" href="https://www.harbourgazette.com/2023/ferry">')
    (tmp_path / "p.html").write_text(html, encoding="utf-8")
    report = ingest([tmp_path / "p.html"], store)
    doc = store.get(report.ids[0])
    assert (doc.outlet, doc.host) == (outlet, host)


def test_a_host_no_capitalised_name_spells_is_the_outlet(tmp_path: Path, store: Store) -> None:
    html = page(
        "Ferry service to the islands cut for winter",
        FERRY,
        "",
        "<footer><p>© 2023 islandferrynews.net. All rights reserved.</p></footer>",
    )
    (tmp_path / "p.html").write_text(html, encoding="utf-8")
    report = ingest([tmp_path / "p.html"], store)
    doc = store.get(report.ids[0])
    assert (doc.outlet, doc.host) == ("islandferrynews.net", "islandferrynews.net")

"""Every input format, good and broken, through the library and its rejections."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from newstrace.errors import InputError
from newstrace.ingest import detect_format, read_path
from newstrace.models import RawDocument
from newstrace.pipeline import ingest
from newstrace.store import Store

BODY = (
    "The city council voted on Tuesday to expand the tram network to the northern suburbs. "
    "The mayor said the project would be finished by 2030 and cost 400 million euros.\n\n"
    "Opposition members criticised the cost, saying the money was needed for schools. "
    "A final vote on the budget is expected next month, officials said."
)

HTML = f"""<!doctype html><html><head><meta charset="utf-8">
<title>Tram network to expand | The Valley Courier</title>
<meta property="og:site_name" content="The Valley Courier">
<link rel="canonical" href="https://valleycourier.example/news/tram">
<meta name="author" content="Ana Ruiz">
<meta property="article:published_time" content="2021-03-02T09:30:00+01:00">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Tram network to expand</h1>
{"".join(f"<p>{p}</p>" for p in BODY.split(chr(10) + chr(10)))}
<p>This story first appeared on <a href="https://citywire.example/tram">City Wire</a>.</p>
</article>
<footer><p>Share on Facebook</p><p>© 2021 The Valley Courier. All rights reserved.</p></footer>
</body></html>"""


def _docs(path: Path, **kw: object) -> tuple[list[RawDocument], list[InputError]]:
    docs: list[RawDocument] = []
    errs: list[InputError] = []
    for item in read_path(path, **kw):  # type: ignore[arg-type]
        (errs if isinstance(item, InputError) else docs).append(item)  # type: ignore[arg-type]
    return docs, errs


def _warc_bytes(pages: list[tuple[str, str]], *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, html in pages:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        rec = writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
        )
        writer.write_record(rec)
    return buf.getvalue()


def test_text_file_with_title_byline_and_dateline(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "story.txt"
    p.write_text(
        f"Tram network to expand\n\nBy Ana Ruiz | March 2, 2021\n\n{BODY}\n\nShare this:\nTwitter\nFacebook\n"
    )
    ingest([p], store)
    (doc,) = [d for _, d in store.iter_documents()]
    assert doc.title == "Tram network to expand"
    assert doc.author == "Ana Ruiz"
    assert doc.published == "2021-03-02"
    assert doc.text == BODY
    assert doc.language == "en"


def test_markdown_heading_is_title(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "story.md"
    p.write_text(f"# Tram network to expand\n\n{BODY}\n")
    ingest([p], store)
    (doc,) = [d for _, d in store.iter_documents()]
    assert doc.title == "Tram network to expand"
    assert doc.text == BODY


def test_html_metadata_links_and_credit(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "page.html"
    p.write_text(HTML)
    ingest([p], store)
    (doc,) = [d for _, d in store.iter_documents()]
    assert doc.title == "Tram network to expand"
    assert doc.outlet == "The Valley Courier"
    assert doc.author == "Ana Ruiz"
    assert doc.published == "2021-03-02T09:30:00+01:00"
    assert doc.url == "https://valleycourier.example/news/tram"
    assert "The city council voted on Tuesday" in doc.text
    assert "Share on Facebook" not in doc.text and "All rights reserved" not in doc.text
    assert any(link.url == "https://citywire.example/tram" for link in doc.links)
    credited = {a.credited for a in doc.attributions}
    assert "City Wire" in credited or "citywire.example" in credited
    for a in doc.attributions:
        if a.start >= 0:
            assert doc.raw[a.start : a.end] == a.evidence


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_plain_and_gz(tmp_path: Path, gz: bool) -> None:
    data = _warc_bytes([("https://a.example/1", HTML), ("https://a.example/2", HTML)], gz=gz)
    p = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    p.write_bytes(data[:-300])
    docs, errs = _docs(p)
    assert [d.url for d in docs] == ["https://a.example/1"]
    assert "record 2" in str(errs[0])


@pytest.mark.parametrize("gz", [False, True])
def test_warc_records(tmp_path: Path, gz: bool) -> None:
    p = tmp_path / ("a.warc.gz" if gz else "a.warc")
    p.write_bytes(
        _warc_bytes(
            [
                ("https://valleycourier.example/news/tram", HTML),
                ("https://valleycourier.example/news/tram2", HTML.replace("Tuesday", "Monday")),
            ],
            gz=gz,
        )
    )
    docs, errs = _docs(p)
    assert not errs
    assert [d.url for d in docs] == [
        "https://valleycourier.example/news/tram",
        "https://valleycourier.example/news/tram2",
    ]
    assert all(d.format == "warc" for d in docs)


def test_truncated_warc_keeps_earlier_records(tmp_path: Path) -> None:
    data = _warc_bytes([("https://a.example/1", HTML), ("https://a.example/2", HTML)], gz=True)
    p = tmp_path / "cut.warc.gz"
    p.write_bytes(data[: len(data) - 300])
    docs, errs = _docs(p)
    assert len(docs) == 1
    assert len(errs) == 1 and "truncated" in str(errs[0])


def test_jsonl_with_bad_lines(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "a.jsonl"
    good = {
        "id": "x1",
        "url": "https://n.example/1",
        "outlet": "N",
        "title": "T",
        "author": "A",
        "date": "2020-05-01",
        "text": BODY,
    }
    p.write_text(
        "\n".join(
            [
                json.dumps(good),
                "{not json",
                json.dumps({"id": "x2"}),
                '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
                json.dumps(
                    {**good, "id": "x3", "url": "https://n.example/3", "text": BODY + " More."}
                ),
            ]
        )
    )
    report = ingest([p], store)
    assert report.added == 2
    reasons = sorted(r.reason for r in report.rejected)
    assert len(reasons) == 3
    assert any("line 2: invalid JSON" in r for r in reasons)
    assert any("line 3: record has no text field" in r for r in reasons)
    assert any("line 4: JSON nested too deeply" in r for r in reasons)  # and line 5 is read
    assert {d.input_id for _, d in store.iter_documents()} == {"x1", "x3"}


def test_json_array_and_csv_with_mapping(tmp_path: Path, store: Store) -> None:
    pj = tmp_path / "a.json"
    pj.write_text(json.dumps({"articles": [{"headline": "H", "body": BODY, "site": "Wire"}]}))
    pc = tmp_path / "b.csv"
    pc.write_text('uid,story,when,pub\nc1,"' + BODY.replace('"', '""') + '",2019-01-02,Gazette\n')
    report = ingest([pj], store)
    assert report.added == 1, report.rejected
    report = ingest(
        [pc], store, field_map={"id": "uid", "text": "story", "date": "when", "outlet": "pub"}
    )
    assert report.added == 1, report.rejected
    docs = {d.format: d for _, d in store.iter_documents()}
    assert docs["json"].title == "H" and docs["json"].outlet == "Wire"
    assert docs["csv"].input_id == "c1" and docs["csv"].published == "2019-01-02"
    assert docs["csv"].outlet == "Gazette"


def test_rss_and_atom(tmp_path: Path, store: Store) -> None:
    rss = tmp_path / "feed.rss"
    rss.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>
    <item><title>Tram</title><link>https://c.example/tram</link><pubDate>Tue, 02 Mar 2021 08:30:00 GMT</pubDate>
    <description><![CDATA[<p>{BODY}</p>]]></description></item></channel></rss>""")
    atom = tmp_path / "feed.xml"
    atom.write_text(f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
    <title>Atom Times</title><entry><title>Bus</title><link href="https://a.example/bus"/><id>urn:1</id>
    <updated>2021-03-03T10:00:00Z</updated><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>""")
    report = ingest([rss, atom], store)
    assert report.added == 2, report.rejected
    docs = {d.title: d for _, d in store.iter_documents()}
    assert (
        docs["Tram"].outlet == "Courier" and docs["Tram"].published == "2021-03-02T08:30:00+00:00"
    )
    assert docs["Bus"].outlet == "Atom Times" and docs["Bus"].url == "https://a.example/bus"
    assert "The city council voted" in docs["Bus"].text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"   \n\n  ", "empty file"),
        ("binary.txt", bytes(range(256)) * 20, "binary"),
        ("broken.json", b'{"a": [1, 2', "invalid JSON"),
        ("cut.txt.gz", gzip.compress(BODY.encode())[:-12], "truncated gzip"),
        (
            "feed.rss",
            b"<?xml version='1.0'?><rss><channel><title>x</title>",
            "not a readable RSS/Atom feed",
        ),
        ("only-chrome.txt", b"Share this\n\nLeave a Reply\n", "no article text"),
        ("nohead.csv", b"", "empty file"),
    ],
)
def test_bad_inputs_are_rejected_with_reason(
    tmp_path: Path, store: Store, name: str, data: bytes, reason: str
) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text(BODY)
    report = ingest([p, good], store)
    assert report.added == 1, "a bad file must not stop the batch"
    assert len(report.rejected) == 1
    assert reason in report.rejected[0].reason
    assert report.rejected[0].path.startswith(str(p))
    assert store.rejections()[0].reason == report.rejected[0].reason


def test_size_limit(tmp_path: Path, store: Store) -> None:
    from newstrace.settings import Settings

    p = tmp_path / "big.txt"
    p.write_text(BODY * 50)
    report = ingest([p], store, settings=Settings(max_file_bytes=1000))
    assert report.added == 0
    assert "over the" in report.rejected[0].reason and "limit" in report.rejected[0].reason


def test_gzip_bomb_is_refused(tmp_path: Path, store: Store) -> None:
    from newstrace.settings import Settings

    p = tmp_path / "bomb.txt.gz"
    p.write_bytes(gzip.compress(b"a " * 5_000_000))
    report = ingest([p], store, settings=Settings(max_file_bytes=100_000))
    assert report.added == 0 and "decompresses to over" in report.rejected[0].reason


def test_mixed_and_legacy_encodings(tmp_path: Path, store: Store) -> None:
    p1 = tmp_path / "latin.txt"
    p1.write_bytes(
        (
            "Le président a déclaré que les négociations étaient un succès pour les deux "
            "parties et que la réunion se poursuivrait."
        ).encode("cp1252")
    )
    p2 = tmp_path / "mixed.txt"
    p2.write_bytes(
        "Café culture is “booming”, said the owner of the shop.\n".encode()
        + "The naïve café on the corner is closed, he added.\n".encode("cp1252")
    )
    report = ingest([p1, p2], store)
    assert report.added == 2, report.rejected
    texts = {Path(d.source_path or "").name: d.text for _, d in store.iter_documents()}
    assert "président a déclaré" in texts["latin.txt"]
    assert "“booming”" in texts["mixed.txt"] and "naïve café" in texts["mixed.txt"]


def test_strict_stops_at_first_rejection(tmp_path: Path, store: Store) -> None:
    from newstrace.pipeline import StrictModeStop

    (tmp_path / "a_bad.txt").write_bytes(b"")
    (tmp_path / "b_good.txt").write_text(BODY)
    with pytest.raises(StrictModeStop):
        ingest([tmp_path], store, strict=True)
    assert store.count() == 0


def test_format_override_and_detection(tmp_path: Path) -> None:
    p = tmp_path / "page.data"
    p.write_text(HTML)
    assert detect_format(str(p), p.read_bytes()[:100]) == "html"
    docs, errs = _docs(p, fmt="text")
    assert not errs and docs[0].format == "text"
    assert detect_format("x.jsonl", b"") == "jsonl"
    assert (
        detect_format("x.xml", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>")
        == "feed"
    )


def test_same_url_new_content_is_a_version(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"url": "https://n.example/1", "text": BODY}))
    ingest([p], store)
    p.write_text(
        json.dumps(
            {"url": "https://n.example/1", "text": BODY + " Correction: the cost is 450 million."}
        )
    )
    report = ingest([p], store)
    assert report.versions == 1
    docs = sorted((d for _, d in store.iter_documents()), key=lambda d: d.version)
    assert [d.version for d in docs] == [1, 2]
    assert docs[1].supersedes == docs[0].id
    assert "Correction" not in docs[0].text


STRIKE = [
    "Dock workers at the port of Klaipeda walked out on Monday in a dispute over night-shift pay,"
    " halting the loading of grain ships bound for North Africa.",
    "The union said its members had not had a pay rise in four years while the volume of cargo"
    " handled at the port had nearly doubled.",
    "Port managers offered a one-off bonus of 300 euros, which the union rejected as an insult to"
    " workers who had kept the terminals open through the pandemic.",
]
MIRRORED = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Port strike halts grain ships</title>'
    '<link rel="canonical" href="{canonical}"></head><body><article>'
    "<h1>Port strike halts grain ships</h1>" + "".join(f"<p>{p}</p>" for p in STRIKE) + "</article></body></html>"
)
ORIGIN_URL = "https://www.balticwire.example/2022/04/port-strike"
MIRROR_URL = "https://worldaffairsforum.example/port-strike"


@pytest.mark.parametrize("known_by", ["--url", "sidecar", "warc"])
def test_a_canonical_url_on_another_host_is_a_credit(tmp_path: Path, store: Store, known_by: str) -> None:
    """A page whose canonical URL is another site's article credits that site (README,
    Ingest: attributions), however the page's own URL is known; direction follows it."""
    from newstrace.analyze import compare
    from newstrace.models import Document

    html = MIRRORED.format(canonical=ORIGIN_URL)
    if known_by == "warc":
        path = tmp_path / "crawl.warc"
        path.write_bytes(_warc_bytes([(MIRROR_URL, html)], gz=False))
        ingest([path], store)
    else:
        path = tmp_path / "mirror.html"
        path.write_text(html, encoding="utf-8")
        if known_by == "sidecar":
            (tmp_path / "mirror.meta.json").write_text(json.dumps({"url": MIRROR_URL}))
        ingest([path], store, url=MIRROR_URL if known_by == "--url" else None)
    (doc,) = [d for _, d in store.iter_documents()]
    assert (doc.url, doc.canonical_url) == (MIRROR_URL, ORIGIN_URL)
    assert doc.outlet == "worldaffairsforum.example"  # its own host, not the credited one's
    credits = [(a.credited, a.kind, a.url) for a in doc.attributions]
    assert credits == [("balticwire.example", "link", ORIGIN_URL)]
    assert doc.attributions[0].evidence == f'<link rel="canonical" href="{ORIGIN_URL}">'
    origin = Document(id="origin", text=doc.text, outlet="Baltic Wire", url=ORIGIN_URL)
    r = compare(doc, origin)
    assert r.source.id == "origin" and r.direction.kind == "directed"
    assert [(e.name, e.favours) for e in r.direction.evidence if e.favours] == [("attribution", "b")]


@pytest.mark.parametrize(
    ("canonical", "url"),
    [
        (MIRROR_URL + "?page=1", MIRROR_URL),  # its own host
        (ORIGIN_URL, None),  # the page's own URL unknown: the canonical one is taken for it
    ],
)
def test_a_canonical_url_that_credits_nobody(tmp_path: Path, store: Store, canonical: str, url: str | None) -> None:
    path = tmp_path / "page.html"
    path.write_text(MIRRORED.format(canonical=canonical), encoding="utf-8")
    ingest([path], store, url=url)
    (doc,) = [d for _, d in store.iter_documents()]
    assert doc.attributions == ()


def test_meta_json_sidecars_supply_outlet_url_and_date(tmp_path: Path) -> None:
    """``NAME.meta.json`` beside an input gives its outlet, URL and date (README, Ingest): the
    user's word, above a page's own metadata; the sidecar is no input itself; flags beat it."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("Ferry service cut\n\n" + BODY)
    (folder / "story.meta.json").write_text(json.dumps(
        {"outlet": "Harbour Gazette", "url": "https://harbourgazette.example/2023/ferry", "date": "2023-10-05"}
    ))  # fmt: skip
    (folder / "page.html").write_text(HTML)  # og:site_name, a canonical URL and a date of its own
    (folder / "page.meta.json").write_text(json.dumps({"outlet": "Courier Mirror", "date": "5 March 2021"}))
    (folder / "plain.txt").write_text("No sidecar here\n\n" + BODY.replace("Tuesday", "Friday"))
    with Store(tmp_path / "s.db") as store:
        report = ingest([folder], store)
        assert (report.added, report.files, report.rejected, report.skipped) == (3, 3, [], [])
        docs = {Path(d.source_path or "").name: d for _, d in store.iter_documents()}
    story, page, plain = docs["story.txt"], docs["page.html"], docs["plain.txt"]
    assert (story.outlet, story.url, story.published, story.published_source) == (
        "Harbour Gazette", "https://harbourgazette.example/2023/ferry", "2023-10-05", "user"
    )
    assert (page.outlet, page.published, page.published_source) == ("Courier Mirror", "2021-03-05", "user")
    assert page.url == "https://valleycourier.example/news/tram"  # the sidecar gave none: the page's
    assert (plain.outlet, plain.published) == (None, None)
    # A flag beats the sidecar.
    with Store(tmp_path / "flags.db") as store:
        ingest([folder / "story.txt"], store, outlet="Given Outlet", date="2024-01-02")
        (doc,) = [d for _, d in store.iter_documents()]
    assert (doc.outlet, doc.published) == ("Given Outlet", "2024-01-02")
    assert doc.url == "https://harbourgazette.example/2023/ferry"

"""Build the nasty-input corpus: the small files are committed beside this script; the large ones
(a 50 MB single line, 100,000 nested HTML elements) are written at test time by ``large()``.

    python tests/nasty/make_nasty.py        # rewrites the committed small files
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORY = (
    "Floods closed the river road on Monday after three days of heavy rain, police said. "
    "The mayor said the town would reopen the bridge once engineers had inspected it. "
)
ARTICLE = "A headline about the floods\n\n" + "\n\n".join([STORY] * 6) + "\n"


def _warc_record(uri: str, html: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: 2017-07-09T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{len(uri):08d}-0000-0000-0000-000000000000>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def small() -> dict[str, bytes]:
    html = f"<html><body><article><h1>Floods</h1><p>{STORY * 4}</p></article></body></html>".encode()
    warc = _warc_record("http://a.example/1", html) + _warc_record("http://a.example/2", html)
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0) as f:
        f.write(warc)
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", compresslevel=9, mtime=0) as f:
        for _ in range(256):
            f.write(b"\0" * (1 << 20))  # 256 MiB of zeros in ~250 KiB
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        + ']><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
        "<description>&lol9;</description></item></channel></rss>"
    ).encode()
    return {
        "bom_utf8.txt": b"\xef\xbb\xbf" + ARTICLE.encode(),
        "bom_utf16le.txt": b"\xff\xfe" + ARTICLE.encode("utf-16-le"),
        "bom_utf16be_html.html": b"\xfe\xff" + html.decode().encode("utf-16-be"),
        "mixed_encodings.txt": ARTICLE.encode()
        + "Caf\u00e9 cr\u00e8me, na\u00efve \u2013 \u201cquoted\u201d.\n".encode("cp1252")
        + "Stra\u00dfe und \u00dcbel.\n".encode("latin-1")
        + "\u65b0\u95fb\u62a5\u9053\u3002\n".encode(),
        "nul_bytes.txt": ARTICLE.encode().replace(b" the ", b" the\x00", 3),
        "mostly_nul.bin": b"\x00" * 4096 + ARTICLE.encode(),
        "rtl_combining.txt": (
            "\u05d7\u05d3\u05e9\u05d5\u05ea \u05de\u05d4\u05e9\u05d8\u05d7\n\n"
            + "\u202e\u0627\u0644\u0623\u062e\u0628\u0627\u0631 \u0627\u0644\u064a\u0648\u0645\u202c "
            + "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e"
            + "\u0349\u035a\u032f\u031e\u0320\u034da\u0357\u0369\u0302lgo "
            + "e\u0301 vs \u00e9, \ufb01 ligature, \u200b zero\u200dwidth \U0001f600 "
            + STORY * 3 + "\n\nSource: \u202eTR\u202c\n"
        ).encode(),
        "truncated.warc.gz": gz.getvalue()[: len(gz.getvalue()) * 2 // 3],
        "truncated.warc": warc[: len(warc) - 200],
        "gzip_bomb.txt.gz": bomb.getvalue(),
        "billion_laughs.xml": laughs,
        "broken.jsonl": b'{"id": "ok", "text": "' + STORY.encode() * 3 + b'"}\n{"id": "bad", "text": \n[1,2,3]\n'
        + b'{"id": "num", "text": 1e999999}\n{"id": "deep", "text": ' + b"[" * 50000 + b"]" * 50000 + b"}\n"
        + json.dumps({"id": "huge-key", "x" * 100000: 1, "text": STORY * 2}).encode() + b"\n",
        "weird.csv": b'id,text\n1,"' + STORY.encode() * 2
        + b'"\n2,"unterminated\n3,\x00\x00\n"4",' + b"a" * 200000 + b"\n",
        "empty.html": b"",
        "only_chrome.html": b"<html><body><nav><a href='/'>Home</a></nav>"
        b"<footer>Share on Facebook</footer></body></html>",
        "not_really.warc": b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999999\r\n\r\nshort",
        "binary.jpg.txt": bytes(range(256)) * 64,
        "sitemap.xml": b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://a.example/1</loc><lastmod>2017-07-08</lastmod></url>"
        b"<url><loc>https://a.example/2</loc></url></urlset>",
        "sitemap_index.xml": b"<sitemapindex><sitemap><loc>https://a.example/s.xml</loc></sitemap>"
        b"<sitemap><loc>javascript:x</loc></sitemap></sitemapindex>",
        "feed.rss": b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        b"<item><title>A</title><link>https://a.example/1</link><pubDate>Sun, 09 Jul 2017 10:00:00 GMT"
        b"</pubDate><description>" + STORY.encode() + b"</description></item></channel></rss>",
    }


def large(folder: Path) -> list[Path]:
    """The large nasty inputs, written into ``folder``: a 50 MB single line, deep HTML."""
    folder.mkdir(parents=True, exist_ok=True)
    line = folder / "single_line_50mb.txt"
    word = b"word "
    with line.open("wb") as f:
        f.write(b"A headline\n\n")
        chunk = word * (1 << 18)
        for _ in range(50 * (1 << 20) // len(chunk)):
            f.write(chunk)
    deep = folder / "deeply_nested.html"
    body = b"<div>" * 100_000 + STORY.encode() * 5 + b"</div>" * 100_000
    deep.write_bytes(b"<html><body>" + body + b"</body></html>")
    return [line, deep]


if __name__ == "__main__":
    for name, data in small().items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(small())} files to {HERE}")

"""A real HTTP site on 127.0.0.1 whose pages change between watch cycles, and a webhook receiver.

Used by the watch tests and by ``benchmarks/watch.py``. Pages answer with an ETag and honour
``If-None-Match`` (304), and with ``Last-Modified`` and ``If-Modified-Since`` when given a
``last_modified`` date; a page may be slow, fail with a status, redirect, or be garbage. Every
request is logged (path, headers) with the server's own arrival time (``site.times``), so tests
can check what the watcher asked for, how, and how far apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import math
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Page:
    """A page of the site; ``delay`` seconds before it answers (``math.inf``: it never does
    while the site is up, so a client's timeout always fires, however busy the machine)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True
    """Send an ETag (and answer ``If-None-Match``); False: a server that only knows dates."""
    last_modified: str | None = None
    """An HTTP date: sent as ``Last-Modified``; ``If-Modified-Since`` at or after it is a 304."""


class Site:
    """``site.pages[path] = Page(...)``; ``site.url(path)``; ``site.hits(path)``."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.log: list[tuple[str, str, dict[str, str]]] = []
        self.times: list[float] = []
        """``time.monotonic()`` when each request of ``log`` reached its handler."""
        self.lock = threading.Lock()
        self.stop = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                arrived = time.monotonic()
                with site.lock:
                    site.log.append(("GET", self.path, {k.lower(): v for k, v in self.headers.items()}))
                    site.times.append(arrived)
                    page = site.pages.get(self.path.split("?")[0])
                if page is None:
                    return self._send(404, b"not found", "text/plain")
                if page.delay == math.inf:
                    site.stop.wait()
                    return None
                if page.delay:
                    time.sleep(page.delay)
                validators = {}
                if page.status == 200 and page.etag:
                    validators["ETag"] = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
                if page.status == 200 and page.last_modified:
                    validators["Last-Modified"] = page.last_modified
                if page.status == 200 and _not_modified(self.headers, validators):
                    return self._send(304, b"", None, validators)
                self._send(page.status, page.body, page.content_type, {**validators, **page.headers})

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                with site.lock:
                    site.log.append(("POST", self.path, {k.lower(): v for k, v in self.headers.items()}))
                    site.times.append(time.monotonic())
                    site.posts.append(body)
                    status = site.post_status.pop(0) if site.post_status else 200
                self._send(status, b"{}", "application/json")

            def _send(
                self, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(body)

        self.posts: list[bytes] = []
        self.post_status: list[int] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def allow(self) -> str:
        """This site as an ``allow_private`` entry: the watcher refuses loopback otherwise."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for m, p, h in self.log if m == "GET" and p.split("?")[0] == path]

    def requests(self) -> list[tuple[float, str]]:
        """(arrival time, path) of every GET, in the order they arrived."""
        with self.lock:
            return [(t, p) for t, (m, p, _) in zip(self.times, self.log, strict=True) if m == "GET"]

    def received(self) -> list[dict[str, Any]]:
        """Webhook bodies received (every POST, successful or not)."""
        with self.lock:
            return [json.loads(b) for b in self.posts]

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def _not_modified(headers: Any, validators: dict[str, str]) -> bool:
    """RFC 9110's rule: ``If-None-Match`` when sent decides; else ``If-Modified-Since``."""
    match = headers.get("If-None-Match")
    if match is not None:
        return "ETag" in validators and match == validators["ETag"]
    since, modified = headers.get("If-Modified-Since"), validators.get("Last-Modified")
    if since is None or modified is None:
        return False
    try:
        return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def article_html(title: str, body: str, *, outlet: str, date: str, extra: str = "") -> bytes:
    """An article page with site chrome around it (navigation, share buttons, footer)."""
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p.strip())
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta property="og:site_name" content="{html.escape(outlet)}">
<meta property="article:published_time" content="{date}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/news">News</a></nav></header>
<article><h1>{html.escape(title)}</h1>{paras}{extra}</article>
<aside>Share on Facebook · Share on Twitter · Subscribe to our newsletter</aside>
<footer>© {html.escape(outlet)} 2017. All rights reserved.</footer></body></html>""".encode()


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed; items are (title, link, RFC 822 date)."""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
        f"<guid>{html.escape(link)}</guid><pubDate>{d}</pubDate>"
        f"<description>{html.escape(t)}</description></item>"
        for t, link, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{html.escape(title)}'
        f"</title><link>http://example.org/</link><description>x</description>{entries}</channel></rss>"
    ).encode()


def rfc822(ts: float) -> str:
    from datetime import UTC, datetime

    return format_datetime(datetime.fromtimestamp(ts, UTC), usegmt=True)

"""README, Watch: "No proxy is taken from the environment": a proxy would connect on the
watcher's behalf to addresses the watcher never checked. With every proxy variable pointing at a
listening proxy on this machine, fetches (robots.txt, a page, a redirect hop, an https URL) go
straight to the site, and the proxy is never even connected to."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest

from newstrace.errors import FetchError
from newstrace.watch.config import FetchConfig
from newstrace.watch.fetch import Fetcher
from tests.watch.hostile import Server, article, page, redirect

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


class FakeProxy:
    """A proxy on 127.0.0.1 that records every connection made to it (before it answers, so a
    request sent through it is recorded before its client has an answer), then answers 502."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed
                return
            with conn:
                conn.settimeout(10)
                try:
                    first = conn.recv(4096)
                except OSError:
                    first = b""
                with self.lock:
                    self.connections.append(first)
                with contextlib.suppress(OSError):
                    conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def seen(self) -> list[bytes]:
        with self.lock:
            return list(self.connections)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProxy]:
    p = FakeProxy()
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, f"http://127.0.0.1:{p.port}")
    for name in ("NO_PROXY", "no_proxy"):  # nothing exempt: a proxy would be used for 127.0.0.1
        monkeypatch.delenv(name, raising=False)
    yield p
    p.close()


@pytest.fixture
def site() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def test_fetches_go_direct_and_the_environments_proxy_sees_nothing(proxy: FakeProxy, site: Server) -> None:
    site.routes["/robots.txt"] = page(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.routes["/story"] = page(article("Direct, not proxied"))
    site.routes["/moved"] = redirect(site.url("/story"))
    cfg = FetchConfig(per_host_interval=0.0, robots=True, retries=0, timeout=10.0, deadline=60.0,
                      allow_private=(site.allow,))  # fmt: skip
    with Fetcher(cfg) as f:
        got = f.get(site.url("/story"))
        assert got.status == 200 and b"Direct, not proxied" in got.content
        assert b"Direct, not proxied" in f.get(site.url("/moved")).content
        # https to the same address: a TLS handshake straight to the site (which speaks plain
        # HTTP, so it fails), never a CONNECT through the proxy
        with pytest.raises(FetchError):
            f.get(f"https://127.0.0.1:{site.port}/story")
    assert proxy.seen() == []
    assert site.hits("/robots.txt") == ["/robots.txt"]
    assert site.hits("/story") == ["/story", "/story"] and site.hits("/moved") == ["/moved"]

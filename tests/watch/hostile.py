"""Hostile HTTP servers on 127.0.0.1, as the sites newstrace watches could run them.

Each :class:`Server` answers from a table of routes, ``path -> handler(request)``; a handler
writes whatever it likes (a body that never ends, a byte every second, a bomb). Every request
is logged, so a test can say that a server was never asked.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[[BaseHTTPRequestHandler], None]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up on a bomb or a trickle are the point, not an error


class Server:
    """``server.routes[path] = handler``; ``server.url(path)``; ``server.hits(path)``."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.log: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        server = self

        class Request(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with server.lock:
                    server.log.append(path)
                    route = server.routes.get(path)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
                    if route is None:
                        send(self, 404, b"not found", "text/plain")
                    else:
                        route(self)

            do_POST = do_GET

        self.server = _QuietServer(("127.0.0.1", 0), Request)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def allow(self) -> str:
        """This server as an ``allow_private`` entry."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str | None = None) -> list[str]:
        with self.lock:
            return [p for p in self.log if path is None or p == path]

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def send(
    h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str | None = "text/html",
    headers: dict[str, str] | None = None,
) -> None:  # fmt: skip
    h.send_response(status)
    if ctype:
        h.send_header("Content-Type", ctype)
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def page(body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
         headers: dict[str, str] | None = None) -> Handler:  # fmt: skip
    """A plain answer."""
    return lambda h: send(h, status, body, ctype, headers)


def redirect(to: str) -> Handler:
    return lambda h: send(h, 302, b"", None, {"Location": to})


def endless(chunk: bytes, stop: threading.Event, ctype: str = "text/plain") -> Handler:
    """A chunked body that never ends (until the server closes)."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while not stop.is_set():
            h.wfile.write(frame)

    return handler


def trickle(every: float, stop: threading.Event, *, bytes_: int | None = None) -> Handler:
    """A page that sends one byte every ``every`` seconds, for ever, or ``bytes_`` of them and
    then ends (so that a client without a deadline gets the page, late, instead of hanging)."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.wfile.write(b"f\r\n<html><body><p>\r\n")
        h.wfile.flush()
        sent = 0
        while (bytes_ is None or sent < bytes_) and not stop.wait(every):
            h.wfile.write(b"1\r\nx\r\n")
            h.wfile.flush()
            sent += 1
        if bytes_ is not None:
            h.wfile.write(b"0\r\n\r\n")
            h.wfile.flush()

    return handler


@cache
def gzip_bomb(size: int = 1 << 30) -> bytes:
    """``size`` zero bytes, gzipped (1 GiB -> about 1 MB), made without holding them."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    parts = [z.compress(block) for _ in range(size >> 20)]
    parts.append(z.flush())
    return b"".join(parts)


def rss(title: str, links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{link.replace('&', '&amp;')}</link>"
        f"<pubDate>Mon, 10 Jul 2017 12:00:00 GMT</pubDate></item>"
        for i, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{items}</channel></rss>"
    ).encode()


ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    + "".join(
        f"<p>{s}</p>"
        for s in (
            "The regional council voted on Tuesday to close the old river bridge to heavy "
            "traffic after engineers found deep cracks in two of its supporting piers.",
            "Drivers of lorries will have to take a detour of about forty kilometres through "
            "the hills until a temporary crossing is built next spring, officials said.",
            "Shop owners in the market town warned that the closure would cost them a third "
            "of their trade, and asked the council for help with the lost income.",
        )
    )
    + "<p>{marker}</p></article></body></html>"
)


def article(title: str, marker: str = "") -> bytes:
    return ARTICLE.format(title=title, marker=marker).encode()


@contextlib.contextmanager
def servers(n: int) -> Iterator[list[Server]]:
    made = [Server() for _ in range(n)]
    try:
        yield made
    finally:
        for s in made:
            s.close()


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Poll ``predicate`` until it holds (True) or ``timeout`` passes (False)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()

"""Web security: stored XSS through every field on every page, path traversal on every route
that takes a name, no write of any kind (CSRF), the token on every route, request size limits,
no request leaving the machine, and hostile requests (a rebound Host, non-ASCII tokens, off-site
redirects, out-of-range numbers). Pages are checked in a real Chromium."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import Server


def evil(field: str) -> str:
    """A payload that would set ``window.__xss`` to ``field`` if it ever ran."""
    return (
        f"\"'><script>window.__xss='{field}'</script><img src=x onerror=\"window.__xss='{field}'\">"
        f"<svg onload=\"window.__xss='{field}'\"></svg>{{{{7*7}}}}"
    )


STORY = (
    "Floods closed the river road on Monday after three days of heavy rain, police said. "
    "The mayor said the town would reopen the bridge once engineers had inspected it. "
    "Residents were told to boil water until further notice, the utility said in a statement. "
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A store whose every field carries a payload: documents (JSONL and HTML), a reuse pair,
    a family, an outlet, attributions, and an alert."""
    from newstrace.detect import DetectParams, detect
    from newstrace.pipeline import ingest
    from newstrace.store import Store
    from newstrace.watch.alerts import OriginMatcher, find_alerts
    from newstrace.watch.config import AlertConfig

    d = tmp_path_factory.mktemp("hostile")
    origin_outlet = evil("outlet")
    text = f"{STORY * 3}\n\n“{evil('quote')} is what he said,” the mayor said.\n\nSource: {evil('credit')}"
    records = [
        {"id": evil("id"), "url": "javascript:window.__xss='url'", "outlet": origin_outlet,
         "title": evil("title"), "author": evil("author"), "date": "2017-07-08", "text": text},
        {"id": "copy", "url": f"https://blog.example/{evil('url2')}", "outlet": evil("outlet2"),
         "title": evil("title2"), "author": evil("author2"), "date": "2017-07-10",
         "text": text.replace("Source:", "Ironically,") + f"\n\n{evil('added')}"},
    ]  # fmt: skip
    (d / "evil.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    page = (
        f"<html><head><title>{evil('html-title')}</title><meta property='og:site_name' "
        f"content=\"{evil('site')}\"></head><body><article><h1>x</h1><p>{STORY * 4}</p>"
        f"<p>Source: <a href=\"javascript:window.__xss='link'\">{evil('link')}</a></p></article></body></html>"
    )  # fmt: skip
    (d / "evil.html").write_text(page)
    db = d / "hostile.db"
    with Store(db) as store:
        rep = ingest([d / "evil.jsonl", d / "evil.html"], store)
        assert rep.added == 3, rep.to_dict()
        detect(store, DetectParams(workers=1))
        pair = store.pairs()[0]
        alerts = find_alerts(store, OriginMatcher([origin_outlet]), AlertConfig())
        assert alerts
        store.add_alerts(alerts)
        ids = [doc.id for _, doc in store.iter_documents()]
        family = store.families()[0]["family"]
    return {"db": db, "pair": (pair["a"], pair["b"]), "ids": ids, "family": family,
            "outlet": origin_outlet}  # fmt: skip


@pytest.fixture(scope="module")
def hostile_server(hostile: dict[str, Any]) -> Iterator[Server]:
    from newstrace.web import create_app

    with Server(create_app(hostile["db"])) as s:
        yield s


def _paths(h: dict[str, Any]) -> list[str]:
    from urllib.parse import quote

    a, b = h["pair"]
    return [
        "/", "/alerts", "/search?q=Floods", "/search?q=" + quote("<script>"),
        *(f"/documents/{quote(i, safe='')}" for i in h["ids"]),
        f"/pairs/{quote(a, safe='')}/{quote(b, safe='')}", f"/families/{quote(h['family'], safe='')}",
        f"/outlets/{quote(h['outlet'], safe='')}", "/families", "/families?sort=name", "/outlets",
        "/outlets?sort=name",
    ]  # fmt: skip


def test_stored_xss_in_every_field_runs_nowhere(browser: Any, hostile_server: Server, hostile: dict[str, Any]) -> None:
    page = browser.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda dlg: (dialogs.append(dlg.message), dlg.dismiss()))
    seen = 0
    for path in _paths(hostile):
        resp = page.goto(hostile_server.url + path)
        assert resp is not None and resp.status == 200, (path, resp and resp.status)
        assert "script-src 'self'" in (resp.headers.get("content-security-policy") or "")
        injected = page.evaluate(
            "() => [document.querySelectorAll('script:not([src=\"/assets/app.js\"])').length,"
            " document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length,"
            " [...document.querySelectorAll('[href],[src],[action]')].filter(e => /^\\s*(javascript|data"
            "|vbscript):/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')"
            " || '')).length]"
        )
        assert injected == [0, 0, 0], (path, injected)
        body = page.inner_text("body")
        seen += body.count("window.__xss=")  # the payloads are shown, as text
        # No template injection: "{{7*7}}" is shown as written, never as 49 (times such as an
        # alert's "22:49" are left out of the check: one made at minute 49 failed it).
        shown = re.sub(r"\b\d{1,2}:\d{2}(?::\d{2})?\b", "", body.replace("{{7*7}}", ""))
        assert "49" not in re.findall(r"\b49\b", shown), path
        page.mouse.move(5, 5)
        page.mouse.move(300, 300)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    assert seen > 10
    assert requests and all(u.startswith(hostile_server.url) for u in requests), [
        u for u in requests if not u.startswith(hostile_server.url)
    ]


def test_report_file_is_inert(browser: Any, hostile: dict[str, Any], tmp_path: Path) -> None:
    from newstrace.report.corpus_html import corpus_report
    from newstrace.store import Store

    with Store(hostile["db"], readonly=True) as store:
        html = corpus_report(store)
    out = tmp_path / "r.html"
    out.write_text(html)
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    page.mouse.move(200, 200)
    assert page.evaluate("window.__xss") is None
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests), requests


TRAVERSALS = [
    "../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "....//....//etc/passwd", "%2Fetc%2Fpasswd", "..%5C..%5Cwindows%5Cwin.ini", "%00", "x%00.db",
    "..%252F..%252Fetc%252Fpasswd", "%C0%AE%C0%AE%2F",
]  # fmt: skip
NAMED = [
    "/documents/{x}", "/pairs/{x}/{x}", "/families/{x}", "/outlets/{x}", "/api/documents/{x}",
    "/api/families/{x}", "/api/outlets/{x}", "/api/compare?a={x}&b={x}", "/assets/{x}",
    "/alerts?flag={x}", "/api/alerts?flag={x}", "/search?q={x}&outlet={x}",
]  # fmt: skip


def test_path_traversal_on_every_named_route(hostile_server: Server, figure: Callable[[str], None]) -> None:
    tried = 0
    with httpx.Client(base_url=hostile_server.url) as c:
        for route in NAMED:
            for x in TRAVERSALS:
                r = c.get(route.replace("{x}", x))
                tried += 1
                assert r.status_code in (200, 307, 400, 404, 405, 422), (route, x, r.status_code)
                if r.status_code == 307:  # a trailing slash dropped: same site, same route
                    loc = r.headers["location"]
                    assert loc.startswith((hostile_server.url + "/", "/")) and not loc.startswith("//"), loc
                assert "root:" not in r.text and "[fonts]" not in r.text, (route, x)
                if r.status_code == 200:  # search and filters answer, with nothing leaked
                    assert route.startswith(("/search", "/alerts", "/api/alerts")), (route, x)
    figure(f"web: {tried} traversal attempts over {len(NAMED)} routes, none escaped")


def _routes(app: Any) -> list[tuple[str, set[str]]]:
    return [(r.path, set(r.methods or ())) for r in app.routes if hasattr(r, "methods")]


def test_nothing_writes_no_cors_and_size_limits(hostile_server: Server, hostile: dict[str, Any]) -> None:
    from newstrace.web import create_app

    app = create_app(hostile["db"])
    routes = _routes(app)
    assert all(methods <= {"GET", "HEAD"} for _, methods in routes), routes
    a, b = hostile["pair"]
    with httpx.Client(base_url=hostile_server.url) as c:
        for path, _ in routes:
            concrete = re.sub(r"\{[^}]+\}", "x", path)
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                r = c.request(method, concrete, headers={"Origin": "http://evil.example"}, content=b"{}")
                assert r.status_code == 405, (method, path, r.status_code)
        r = c.get("/api/overview", headers={"Origin": "http://evil.example"})
        assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
        big = c.post("/api/documents", content=b"x" * (64 * 1024 + 1))
        assert big.status_code == 413
        assert c.request("GET", "/", content=b"x" * (200 * 1024)).status_code == 413
        long_q = c.get("/search", params={"q": "floods " * 9000})
        assert long_q.status_code == 422  # over MAX_QUERY characters: refused, never searched
        assert c.get(f"/pairs/{a}/{b}").headers["x-frame-options"] == "DENY"


def test_a_long_search_sent_in_pieces_gets_the_apps_answer(hostile_server: Server) -> None:
    """A 63 KB request line that reaches the server in pieces (as on a slow network) is read
    whole (MAX_REQUEST_HEAD) and refused by the app with its 422, not by the HTTP parser with a
    bare 400 (h11's 16 KiB default did that, so the answer depended on how the bytes came)."""
    import socket
    import time
    from urllib.parse import urlsplit

    url = urlsplit(hostile_server.url)
    line = "GET /search?q=" + "floods+" * 9000 + " HTTP/1.1"
    head = f"{line}\r\nHost: {url.hostname}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection((url.hostname, url.port), timeout=20) as sock:
        for k in range(0, len(head), 4096):
            sock.sendall(head[k : k + 4096])
            time.sleep(0.002)
        status = sock.recv(64).split(b"\r\n")[0]
    assert status.split()[1] == b"422", status


def test_a_pasted_9000_word_search_is_refused_and_a_long_one_capped_and_quick(web_store: Path) -> None:
    """The bug: a pasted 9,000-word search took over 5 s. Now a query over MAX_QUERY (2,000)
    characters is refused (422) on both search routes, and one within it is searched for its
    first MAX_QUERY_TERMS (32) words only, in about the time of a 2-word query."""
    from newstrace.store import Store
    from newstrace.web import MAX_QUERY, create_app
    from tests.store.test_search import _best_of, pasted_query

    assert MAX_QUERY == 2000  # the README's cap
    with Store(web_store, readonly=True) as s:
        rt = next(d for _, d in s.iter_documents() if d.outlet == "Global Research")
    _, pasted = pasted_query(rt.text, 9000)
    present, _ = pasted_query(rt.text, 33)
    # Within MAX_QUERY: the 32 words of the article, then as many absent words as fit.
    fitting, n = " ".join(present), 0
    while len(f"{fitting} zq{n:x}") <= MAX_QUERY:
        fitting, n = f"{fitting} zq{n:x}", n + 1
    assert n > 100 and len(fitting) <= MAX_QUERY < len(pasted)
    with Server(create_app(web_store)) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        for route in ("/search", "/api/search"):
            assert c.get(route, params={"q": pasted}).status_code == 422, route
        long_s, long_r = _best_of(5, lambda: c.get("/api/search", params={"q": fitting}))
        short_s, short_r = _best_of(5, lambda: c.get("/api/search", params={"q": " ".join(present[:2])}))
        assert c.get("/search", params={"q": fitting}).status_code == 200
    assert long_r.status_code == short_r.status_code == 200  # type: ignore[attr-defined]
    # Capped: the absent words after the 32nd are not searched, so the article is found.
    assert rt.id in [h["id"] for h in long_r.json()]  # type: ignore[attr-defined]
    assert long_s < 20 * short_s and long_s < 5.0, f"long query {long_s:.3f} s, 2 words {short_s:.3f} s"


def test_token_required_on_every_route(hostile: dict[str, Any]) -> None:
    from newstrace.web import create_app

    app = create_app(hostile["db"], token="s3cret")
    a, b = hostile["pair"]
    values = {"doc_id": "copy", "a": a, "b": b, "family": hostile["family"], "outlet": "x"}
    with Server(app, host="0.0.0.0") as s, httpx.Client(base_url=s.url) as c:
        checked = 0
        for path, methods in _routes(app):
            if "GET" not in methods:
                continue
            concrete = re.sub(r"\{([^}]+)\}", lambda m: values.get(m.group(1), "x"), path)
            if "compare" in concrete:
                concrete += f"?a={a}&b={b}"
            if concrete.startswith("/api/search"):
                concrete += "?q=floods"
            assert c.get(concrete).status_code == 401, concrete
            assert c.get(concrete, headers={"Authorization": "Bearer nope"}).status_code == 401
            ok = c.get(concrete, headers={"Authorization": "Bearer s3cret"})
            assert ok.status_code in (200, 404), (concrete, ok.status_code)
            checked += 1
    assert checked >= 15


# -- hostile requests (issue "Hostile sources") ---------------------------------------------------


def test_dns_rebinding_host_header_is_checked(hostile: dict[str, Any]) -> None:
    """A page at http://evil.example:PORT whose name is rebound to 127.0.0.1 reaches the server
    with ``Host: evil.example:PORT``: refused before anything else, token or not."""
    from newstrace.web import create_app

    with Server(create_app(hostile["db"])) as s, httpx.Client(base_url=s.url) as c:
        p = s.port
        for host in ("evil.example", f"evil.example:{p}", "Evil.Example.", f"127.0.0.1.evil.example:{p}",
                     "localhost.evil.example", "[::2]", f"[::1]x:{p}", ""):  # fmt: skip
            r = c.get("/api/overview", headers={"Host": host})
            assert r.status_code == 400, (host, r.status_code)
            assert "is not one this server answers; start it with --allow-host" in r.text, r.text
        r = c.get("/", headers={"Host": f"evil.example:{p}"})
        assert r.text == (
            "Host header 'evil.example' is not one this server answers; "
            "start it with --allow-host evil.example to allow it"
        )
        assert r.headers["content-type"].startswith("text/plain")
        assert r.headers["x-content-type-options"] == "nosniff"
        for host in ("127.0.0.1", f"127.0.0.1:{p}", "localhost", f"localhost:{p}", "LOCALHOST",
                     "[::1]", f"[::1]:{p}", "[0:0:0:0:0:0:0:1]"):  # fmt: skip
            assert c.get("/api/overview", headers={"Host": host}).status_code == 200, host

    # Off loopback: the bound address and the names given, and nothing else.
    app = create_app(hostile["db"], token="s3cret", allowed_hosts=["192.0.2.7", "News.Example", "2001:db8::1"])
    auth = {"Authorization": "Bearer s3cret"}
    with Server(app) as s, httpx.Client(base_url=s.url) as c:
        for host in ("192.0.2.7", f"192.0.2.7:{s.port}", "news.example", f"NEWS.example:{s.port}",
                     "[2001:db8::1]", f"[2001:db8:0::1]:{s.port}", f"localhost:{s.port}"):  # fmt: skip
            assert c.get("/api/overview", headers={"Host": host, **auth}).status_code == 200, host
            assert c.get("/api/overview", headers={"Host": host}).status_code == 401, host
        r = c.get("/api/overview", headers={"Host": "evil.example", **auth})
        assert r.status_code == 400 and "--allow-host evil.example" in r.text


def test_serve_allow_host_option(hostile: dict[str, Any]) -> None:
    """``newstrace serve --allow-host NAME`` (repeatable), run as a real process: off loopback it
    answers the bound address and the names given."""
    import os
    import subprocess
    import sys
    import time

    from tests.web.conftest import free_port

    port = free_port()
    args = [sys.executable, "-c", "from newstrace.cli import main; main()", "--db", str(hostile["db"]),
            "serve", "--host", "0.0.0.0", "--port", str(port), "--token", "s3cret",
            "--allow-host", "news.example", "--allow-host", "Other.Example"]  # fmt: skip
    proc = subprocess.Popen(args, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        auth = {"Authorization": "Bearer s3cret"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=auth) as c:
            deadline = time.time() + 60
            while True:
                try:
                    c.get("/api/overview")
                    break
                except httpx.TransportError:
                    assert proc.poll() is None and time.time() < deadline, proc.stdout and proc.stdout.read()
                    time.sleep(0.2)
            for host in ("news.example", f"other.example:{port}", f"0.0.0.0:{port}", f"127.0.0.1:{port}"):
                assert c.get("/api/overview", headers={"Host": host}).status_code == 200, host
            r = c.get("/api/overview", headers={"Host": f"evil.example:{port}"})
            assert r.status_code == 400 and "--allow-host evil.example" in r.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_non_ascii_token_is_401_not_500(hostile: dict[str, Any]) -> None:
    """A non-ASCII token, Authorization header, cookie or ?token= is compared as UTF-8 bytes."""
    from newstrace.web import create_app

    for token in ("s3cret", "sécret-ü"):
        with Server(create_app(hostile["db"], token=token)) as s, httpx.Client(base_url=s.url) as c:
            for wrong in ("nöpe", "s3cret-ü", "sécret-ü" if token == "s3cret" else "s3cret"):
                bearer = b"Bearer " + wrong.encode()
                assert c.get("/api/overview", headers={"Authorization": bearer}).status_code == 401
                assert c.get("/api/overview", params={"token": wrong}).status_code == 401, wrong
                cookie = b"newstrace_session=" + wrong.encode()
                assert c.get("/api/overview", headers={"Cookie": cookie}).status_code == 401
            good = {"Authorization": b"Bearer " + token.encode()}
            assert c.get("/api/overview", headers=good).status_code == 200
            r = c.get("/api/overview", params={"token": token})
            assert r.status_code == 303 and "newstrace_session" in r.cookies
            assert c.get("/api/overview").status_code == 200  # the session cookie


def _get(c: httpx.Client, raw_path: bytes, headers: dict[str, Any] | None = None) -> httpx.Response:
    """GET exactly ``raw_path`` (httpx would read ``//host/x`` as another site)."""
    url = c.base_url.copy_with(raw_path=raw_path)
    return c.send(c.build_request("GET", url, headers=headers))


def test_token_redirect_stays_on_site(hostile: dict[str, Any]) -> None:
    """After ``?token=`` the redirect goes to a path of this server, never to another site."""
    from urllib.parse import urlsplit

    from newstrace.web import create_app

    tries = [b"//evil.example/x", b"///evil.example/x", b"/%2F%2Fevil.example/x", b"/%2F/evil.example",
             b"/\\evil.example/x", b"/%5Cevil.example/x", b"/%5C%5Cevil.example", b"/%09/evil.example",
             b"/http://evil.example/", b"/%0D%0ALocation:%20http://evil.example/"]  # fmt: skip
    with Server(create_app(hostile["db"], token="s3cret")) as s, httpx.Client(base_url=s.url) as c:
        for raw in tries:
            c.cookies.clear()  # no session: each try goes through ?token=
            r = _get(c, raw + b"?token=s3cret")
            assert r.status_code == 303, (raw, r.status_code)
            loc = r.headers["location"]
            assert loc.startswith("/") and loc[1:2] not in ("/", "\\"), (raw, loc)
            assert not any(ch in loc for ch in "\\\t\r\n") and not urlsplit(loc).netloc, (raw, loc)
            assert httpx.URL(s.url).join(loc).host == "127.0.0.1", (raw, loc)
        c.cookies.clear()
        r = _get(c, b"/search?q=Floods&token=s3cret")
        assert r.status_code == 303 and r.headers["location"] == "/search?q=Floods"
        c.cookies.clear()
        r = _get(c, b"/outlets/a%20b?token=s3cret")
        assert r.status_code == 303 and r.headers["location"] == "/outlets/a%20b"


def test_every_int_query_parameter_is_bounded(hostile_server: Server, hostile: dict[str, Any]) -> None:
    """No integer a client sends reaches SQLite unchecked: out of range is 422, never 500."""
    from fastapi.routing import APIRoute

    from newstrace.web import create_app

    ints: list[tuple[str, str]] = []
    for route in create_app(hostile["db"]).routes:
        if isinstance(route, APIRoute):
            for field in route.dependant.query_params:
                if field.field_info.annotation is int:
                    ints.append((route.path, field.alias))
    assert {("/api/documents", "offset"), ("/api/pairs", "offset"), ("/api/families", "offset")} <= set(ints)
    required = {"/api/search": {"q": "floods"}}
    with httpx.Client(base_url=hostile_server.url) as c:
        for path, name in ints:
            base = required.get(path, {})
            top = (500 if path == "/api/search" else 1000) if name == "limit" else 2**62
            low = 1 if name == "limit" else 0
            for bad in (10**30, 2**63, top + 1, low - 1, -(10**30), "1e400", "x"):
                r = c.get(path, params={**base, name: str(bad)})
                assert r.status_code == 422, (path, name, bad, r.status_code)
            for good in (low, top):
                r = c.get(path, params={**base, name: str(good)})
                assert r.status_code == 200, (path, name, good, r.status_code)

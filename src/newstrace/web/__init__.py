"""Web stage: ``newstrace serve``, a FastAPI app over the same library calls as the CLI.

Server-rendered pages (Jinja2, autoescaped), one small script and one stylesheet served by the
app itself, a JSON API with its OpenAPI document. Article text is untrusted: everything is
escaped, a strict Content-Security-Policy forbids inline scripts and any request off the
machine, and an access token is required whenever the server listens beyond loopback.

Requests are hostile too. The rules, checked in this order by the app's one middleware:

* ``Host``: a request is answered only when its ``Host`` header (port aside, case aside) names
  this server: ``127.0.0.1``, ``localhost`` or ``[::1]`` always, plus the address it is bound to
  and every name given with ``newstrace serve --allow-host NAME`` (``create_app(...,
  allowed_hosts=...)``). Anything else is refused with 400 and a plain message, so a page whose
  name an attacker rebinds to this machine (DNS rebinding) reads nothing.
* Size and method: bodies over 64 KiB are 413, anything but GET and HEAD is 405.
* Token: compared as bytes (UTF-8; a header's own bytes), in constant time; a wrong token, ASCII
  or not, is 401. After ``?token=`` the redirect goes to the same path on this server (leading
  slashes collapsed, the other query parameters kept), never to another site.
* Numbers: every integer query parameter has bounds (``offset`` 0 to 2**62, ``limit`` 1 to
  1000, or 500 for search); out of bounds is 422, as for any malformed parameter.

Needs the ``web`` extra (``pip install 'newstrace[web]'``).
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from newstrace.errors import ConfigError, NewstraceError, NotFoundError

try:
    from fastapi import FastAPI, Query, Request
    from fastapi.responses import (
        HTMLResponse,
        JSONResponse,
        PlainTextResponse,
        RedirectResponse,
        Response,
    )
    from fastapi.templating import Jinja2Templates
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ConfigError("the web app needs the web extra: pip install 'newstrace[web]'") from exc

HERE = Path(__file__).resolve().parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
MAX_BODY = 64 * 1024
MAX_QUERY = 2000
MAX_REQUEST_HEAD = 256 * 1024
"""Bytes of a request's line and headers the server reads before refusing it. h11's default
(16 KiB) refused a pasted search of thousands of words with a bare 400 when its request line
arrived in pieces, and let it through to the app's clear 422 (``MAX_QUERY``) when it came in
one: the answer depended on the network. Now it always reaches the app."""


def server_options() -> dict[str, Any]:
    """The options ``serve`` runs uvicorn with (and the tests' servers too)."""
    return {"log_level": "warning", "h11_max_incomplete_event_size": MAX_REQUEST_HEAD}
FLAG = "^(no_credit|altered_quotes|attribution_drift)$"
MAX_LIMIT = 1000
MAX_SEARCH_LIMIT = 500
MAX_OFFSET = 2**62  # SQLite integers are signed 64-bit: offset + limit must stay below 2**63
FAMILY_SORT = "^(size|date|name)$"
OUTLET_SORT = "^(articles|derived|copied|share|name)$"
ORDER = "^(asc|desc)$"
PAGE_SIZE = 50
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def is_loopback(host: str) -> bool:
    """True for loopback addresses and ``localhost``."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(value: str) -> str:
    """The name in a ``Host`` header or an ``--allow-host`` value, in one spelling.

    Lower case, without the port or a trailing dot; an IPv6 address in brackets, compressed
    (``[::1]``). A value that is not a well-formed host comes back lowered but otherwise as it
    is, so it matches nothing it should not.
    """
    v = value.strip().lower()
    if v.startswith("["):
        end = v.find("]")
        if end < 0 or not re.fullmatch(r"(:\d*)?", v[end + 1 :]):
            return v
        try:
            return f"[{ipaddress.IPv6Address(v[1:end]).compressed}]"
        except ValueError:
            return v
    try:
        return f"[{ipaddress.IPv6Address(v).compressed}]"  # a bare IPv6 address, as in --allow-host ::1
    except ValueError:
        pass
    name, colon, port = v.rpartition(":")
    if colon and (port.isdigit() or not port):
        v = name
    return v.rstrip(".")


def check_binding(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without an access token."""
    if not is_loopback(host) and not token:
        raise ConfigError(
            f"binding to {host} exposes the app beyond this machine: give an access token "
            "(--token or NEWSTRACE_TOKEN), or bind to 127.0.0.1"
        )


def same_secret(given: bytes, expected: bytes) -> bool:
    """True when ``given`` is ``expected``, compared in constant time (bytes: any characters)."""
    return bool(given) and hmac.compare_digest(given, expected)


def header_bytes(value: str) -> bytes:
    """The bytes a client sent for a header value (Starlette decodes them as Latin-1)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:  # pragma: no cover - not from a real request
        return value.encode("utf-8")


def same_site_target(path: str, query: str = "") -> str:
    """Where to redirect a request for ``path``: that path on this server, never another site.

    The path is percent-quoted (no backslash, space or control character is left for a browser
    to read as a slash), leading slashes are collapsed to one (``//evil.example/x`` is
    ``/evil.example/x`` here), and whatever still has a scheme or a host becomes ``/``.
    """
    quoted = quote(path, safe="/:@!$&'()*+,;=-._~")
    target = "/" + quoted.lstrip("/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return f"{target}?{query}" if query else target


def create_app(
    db: str | Path, *, token: str | None = None, allowed_hosts: Iterable[str] = ()
) -> Any:
    """The FastAPI application serving the store at ``db`` (read-only).

    Args:
        db: the store.
        token: when set, every page and API call needs it (``Authorization: Bearer TOKEN``, or a
            session cookie set by visiting any page once with ``?token=TOKEN``).
        allowed_hosts: the names and addresses a request's ``Host`` header may give besides
            ``127.0.0.1``, ``localhost`` and ``[::1]`` (see the module's rules): the address
            the server is bound to, and the names it is reached by.
    """
    from newstrace import views
    from newstrace.report.pair_html import pair_section
    from newstrace.store import Store

    db_path = Path(db)
    if not db_path.exists():
        raise ConfigError(
            f"no store at {db_path} (run `newstrace ingest` and `newstrace detect` first)"
        )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["pair_section"] = pair_section
    app = FastAPI(
        title="newstrace",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        description="Reuse, families and outlets of a newstrace store.",
    )
    from newstrace.report import pair_html

    app_css = pair_html.CSS + (HERE / "static" / "app.css").read_text("utf-8")

    @app.get("/assets/app.css", include_in_schema=False)
    def css() -> Response:
        return Response(app_css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    app_js = pair_html.JS + (HERE / "static" / "app.js").read_text("utf-8")

    @app.get("/assets/app.js", include_in_schema=False)
    def js() -> Response:
        return Response(
            app_js, media_type="text/javascript", headers={"Cache-Control": "max-age=3600"}
        )

    session = secrets.token_urlsafe(24)
    token_bytes = token.encode("utf-8") if token else b""
    session_bytes = session.encode("utf-8")
    hosts = frozenset(host_name(h) for h in (*LOOPBACK_NAMES, *allowed_hosts))

    @contextmanager
    def store() -> Iterator[Store]:
        s = Store(db_path, readonly=True)
        try:
            yield s
        finally:
            s.close()

    def secured(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        name = host_name(request.headers.get("host", ""))
        if name not in hosts:
            shown = name[:100] or "(none)"
            return secured(
                PlainTextResponse(
                    f"Host header '{shown}' is not one this server answers; "
                    f"start it with --allow-host {shown} to allow it",
                    status_code=400,
                )
            )
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            return secured(JSONResponse({"detail": "request too large"}, status_code=413))
        if request.method not in ("GET", "HEAD"):
            return secured(JSONResponse({"detail": "this app is read-only"}, status_code=405))
        if token:
            authorization = header_bytes(request.headers.get("authorization", ""))
            given = authorization.removeprefix(b"Bearer ").strip()
            cookie = request.cookies.get("newstrace_session", "").encode("utf-8")
            ok = same_secret(given, token_bytes) or same_secret(cookie, session_bytes)
            q = request.query_params.get("token", "").encode("utf-8")
            if not ok and same_secret(q, token_bytes):
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = same_site_target(request.url.path, urlencode(rest))
                resp: Response = RedirectResponse(target, status_code=303)
                resp.set_cookie("newstrace_session", session, httponly=True, samesite="strict")
                return secured(resp)
            if not ok:
                return secured(JSONResponse({"detail": "access token required"}, status_code=401))
        return secured(await call_next(request))

    @app.exception_handler(NewstraceError)
    async def errors(request: Request, exc: NewstraceError) -> Response:
        code = 404 if isinstance(exc, NotFoundError) else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=code)
        return templates.TemplateResponse(
            request, "error.html", {"message": str(exc)}, status_code=code
        )

    def page(request: Request, name: str, **ctx: Any) -> Response:
        return templates.TemplateResponse(request, name, ctx)

    # -- pages ----------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        with store() as s:
            return page(
                request, "overview.html", o=views.overview(s), outlets=views.outlets_page(s)[:30]
            )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: str = Query("", max_length=MAX_QUERY),
        outlet: str | None = None,
        date_from: str | None = Query(None, alias="from"),
        date_to: str | None = Query(None, alias="to"),
        lang: str | None = Query(None, max_length=35),
    ) -> Response:
        with store() as s:
            hits = (
                views.search_view(
                    s,
                    q,
                    outlet=outlet or None,
                    date_from=date_from or None,
                    date_to=date_to or None,
                    language=lang or None,
                )
                if q.strip()
                else []
            )
            outlets = [o["outlet"] for o in views.outlets_page(s) if o["outlet"]]
            languages = views.languages_page(s)
        return page(
            request,
            "search.html",
            q=q,
            hits=hits,
            outlet=outlet or "",
            outlets=outlets,
            date_from=date_from or "",
            date_to=date_to or "",
            lang=lang or "",
            languages=languages,
        )

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> Response:
        with store() as s:
            return page(request, "document.html", d=views.document_view(s, doc_id))

    @app.get("/pairs/{a}/{b}", response_class=HTMLResponse, include_in_schema=False)
    def pair_page(request: Request, a: str, b: str) -> Response:
        with store() as s:
            rep, src, der = views.pair_view(s, a, b)
            links = views.pair_links(s, rep["source"]["id"], rep["derivative"]["id"])
        return page(request, "pair.html", r=rep, src=src, der=der, links=links)

    @app.get("/families", response_class=HTMLResponse, include_in_schema=False)
    def families_index(
        request: Request,
        sort: str = Query("size", pattern=FAMILY_SORT),
        order: str | None = Query(None, pattern=ORDER),
        limit: int = Query(PAGE_SIZE, ge=1, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ) -> Response:
        with store() as s:
            rows = views.families_page(
                s, sort=sort, descending=_descending(order), limit=limit, offset=offset
            )
            total = views.families_count(s)
        return page(
            request,
            "families.html",
            families=rows,
            total=total,
            sort=sort,
            order=order or ("asc" if sort == "name" else "desc"),
            offset=offset,
            page_size=limit,
        )

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_index(
        request: Request,
        sort: str = Query("articles", pattern=OUTLET_SORT),
        order: str | None = Query(None, pattern=ORDER),
    ) -> Response:
        with store() as s:
            rows = views.outlets_page(s, sort=sort, descending=_descending(order))
        return page(
            request,
            "outlets.html",
            outlets=rows,
            sort=sort,
            order=order or ("asc" if sort == "name" else "desc"),
        )

    @app.get("/families/{family}", response_class=HTMLResponse, include_in_schema=False)
    def family_page(request: Request, family: str) -> Response:
        from newstrace.web.charts import family_graph_svg, timeline_svg

        with store() as s:
            f = views.family_view(s, family)
        return page(
            request, "family.html", f=f, graph=family_graph_svg(f), timeline=timeline_svg(f)
        )

    @app.get("/outlets/{outlet:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, outlet: str) -> Response:
        from newstrace.web.charts import bars_svg

        with store() as s:
            o = views.outlet_view(s, outlet)
            recent = views.documents_page(s, outlet=outlet, limit=20)
        return page(
            request,
            "outlet.html",
            o=o,
            recent=recent,
            takes=bars_svg(o["takes_from"]),
            gives=bars_svg(o["copied_by"]),
        )

    @app.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
    def alerts_page(request: Request, flag: str | None = Query(None, pattern=FLAG)) -> Response:
        with store() as s:
            rows = views.alerts_page(s, flag=flag)
        return page(request, "alerts.html", alerts=rows, flag=flag)

    # -- JSON API ---------------------------------------------------------------------------------
    @app.get("/api/overview")
    def api_overview() -> dict[str, Any]:
        with store() as s:
            return views.overview(s)

    @app.get("/api/documents")
    def api_documents(
        outlet: str | None = None,
        limit: int = Query(50, ge=1, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ) -> list[dict[str, Any]]:
        with store() as s:
            return views.documents_page(s, outlet=outlet, limit=limit, offset=offset)

    @app.get("/api/documents/{doc_id}")
    def api_document(doc_id: str) -> dict[str, Any]:
        with store() as s:
            return views.document_view(s, doc_id)

    @app.get("/api/pairs")
    def api_pairs(
        relation: str | None = None,
        limit: int = Query(50, ge=1, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ) -> list[dict[str, Any]]:
        with store() as s:
            return views.pairs_page(s, relation=relation, limit=limit, offset=offset)

    @app.get("/api/families")
    def api_families(
        sort: str = Query("size", pattern=FAMILY_SORT),
        order: str | None = Query(None, pattern=ORDER),
        limit: int = Query(50, ge=1, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ) -> list[dict[str, Any]]:
        """Story families with their names: ``sort`` by size, date (first publication) or name;
        ``order`` asc or desc (by default largest, newest, A-Z first)."""
        with store() as s:
            return views.families_page(
                s, sort=sort, descending=_descending(order), limit=limit, offset=offset
            )

    @app.get("/api/families/{family}")
    def api_family(family: str) -> dict[str, Any]:
        with store() as s:
            return views.family_view(s, family)

    @app.get("/api/outlets")
    def api_outlets(
        sort: str = Query("articles", pattern=OUTLET_SORT),
        order: str | None = Query(None, pattern=ORDER),
    ) -> list[dict[str, Any]]:
        """Outlets with their articles, reuse in (``derived``) and out (``copied``)."""
        with store() as s:
            return views.outlets_page(s, sort=sort, descending=_descending(order))

    @app.get("/api/outlets/{outlet:path}")
    def api_outlet(outlet: str) -> dict[str, Any]:
        with store() as s:
            return views.outlet_view(s, outlet)

    @app.get("/api/compare")
    def api_compare(a: str, b: str) -> dict[str, Any]:
        with store() as s:
            rep, _, _ = views.pair_view(s, a, b)
            return rep

    @app.get("/api/alerts")
    def api_alerts(
        flag: str | None = Query(None, pattern=FLAG), limit: int = Query(100, ge=1, le=MAX_LIMIT)
    ) -> list[dict[str, Any]]:
        """Alerts raised by ``newstrace watch``, newest first."""
        with store() as s:
            return views.alerts_page(s, flag=flag, limit=limit)

    @app.get("/api/search")
    def api_search(
        q: str = Query(..., max_length=MAX_QUERY),
        outlet: str | None = None,
        date_from: str | None = Query(None, alias="from"),
        date_to: str | None = Query(None, alias="to"),
        lang: str | None = Query(None, max_length=35),
        limit: int = Query(50, ge=1, le=MAX_SEARCH_LIMIT),
    ) -> list[dict[str, Any]]:
        with store() as s:
            return views.search_view(
                s,
                q,
                outlet=outlet,
                date_from=date_from,
                date_to=date_to,
                language=lang or None,
                limit=limit,
            )

    return app


def _descending(order: str | None) -> bool | None:
    """``?order=`` as the views take it: None keeps each sort's own default direction."""
    return None if order is None else order == "desc"


def serve(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    allow_hosts: Iterable[str] = (),
) -> None:
    """Run the app with uvicorn (blocking).

    It answers requests whose ``Host`` is a loopback name, ``host`` itself, or one of
    ``allow_hosts`` (``--allow-host``).
    """
    check_binding(host, token)
    import uvicorn

    app = create_app(db, token=token, allowed_hosts=(host, *allow_hosts))
    uvicorn.run(app, host=host, port=port, **server_options())

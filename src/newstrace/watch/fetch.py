"""Polite and guarded HTTP fetching: timeouts, conditional requests, per-host rate limits,
robots.txt, retries with backoff and a clear user agent; and, since feeds are written by the
sites they list, guards: connections only to public addresses (:mod:`newstrace.watch.guard`),
every byte read or decompressed counted while it streams, and a deadline on each fetch.
Thread-safe: one :class:`Fetcher` is shared by the watcher's worker threads.
"""

from __future__ import annotations

import email.utils
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from newstrace.errors import (
    ConfigError,
    FetchDeferred,
    FetchError,
    FetchRefused,
    InputError,
    TooLargeError,
)
from newstrace.ingest.decode import GZIP, inflate
from newstrace.watch.config import FetchConfig
from newstrace.watch.guard import AddressPolicy, AddressRefused, Resolver, Unresolved

try:
    import httpcore
    import httpx
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ConfigError("watching needs the watch extra: pip install 'newstrace[watch]'") from exc

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
ROBOTS_TTL = 3600.0
ROBOTS_MAX_BYTES = 512_000
"""robots.txt is read up to this size (RFC 9309 asks crawlers to parse at least 500 KiB);
the rest is ignored."""
_PORTS = {"http": 80, "https": 443}
MAX_HOST_PAUSE = 3600.0
"""The longest a host's ``Retry-After`` keeps the watcher away from it."""
MAX_REDIRECTS = 5
"""Redirect hops followed from one URL; a longer chain (or a loop) is a fetch error."""
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only where the address policy allows: the name
    is resolved once, the address checked, and the socket opened to that same address (the
    TLS layer still checks the certificate against the name in the URL)."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None, socket_options: Any = None,
    ) -> httpcore.NetworkStream:  # fmt: skip
        try:
            address = self.policy.resolve(host, port)
        except Unresolved as exc:  # as httpx reports a name it cannot resolve: tried again
            raise httpcore.ConnectError(str(exc)) from exc
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def _guarded_transport(policy: AddressPolicy, connections: int) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through :class:`_GuardedBackend`, with no
    proxy from the environment (a proxy would connect on our behalf, unchecked)."""
    transport = httpx.HTTPTransport(trust_env=False)
    if not isinstance(getattr(transport, "_pool", None), httpcore.ConnectionPool):
        raise ConfigError(  # pragma: no cover - guards against an httpx that changed inside
            f"httpx {httpx.__version__} keeps its connection pool elsewhere: the watcher cannot "
            "check the addresses it connects to; install httpx<0.29"
        )
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=max(10, connections * 2),
        network_backend=_GuardedBackend(policy),
    )
    return transport


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched resource. ``not_modified`` is True (and ``content`` empty) on a 304;
    ``location`` is set on a redirect the fetcher has yet to follow."""

    url: str
    status: int
    content: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    retry_after: str | None = None
    location: str | None = None


@dataclass(slots=True)
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_at: float = -1.0
    robots_blocked: str | None = None


@dataclass(slots=True)
class FetchStats:
    """What a fetcher did (requests sent, 304s, retries, refusals by robots.txt)."""

    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    robots_refused: int = 0
    address_refused: int = 0
    deadline_missed: int = 0
    deferred: int = 0


class Fetcher:
    """Fetch URLs the way a site operator would accept.

    Example:
        >>> f = Fetcher(FetchConfig(robots=False))
        >>> f.close()
    """

    def __init__(self, cfg: FetchConfig | None = None, *, resolver: Resolver | None = None) -> None:
        """``resolver`` replaces the system's DNS (``(host, port) -> addresses``)."""
        self.cfg = cfg or FetchConfig()
        try:
            self.policy = AddressPolicy.from_config(
                self.cfg.allow_private, resolver=resolver, dns_timeout=self.cfg.timeout
            )
        except ValueError as exc:
            raise ConfigError(f"fetch: {exc}") from exc
        self.client = httpx.Client(
            transport=_guarded_transport(self.policy, self.cfg.concurrency),
            timeout=httpx.Timeout(self.cfg.timeout),
            headers={"User-Agent": self.cfg.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,  # pages: hop by hop in get(), each hop checked
            max_redirects=MAX_REDIRECTS,  # robots.txt: followed by httpx (RFC 9309 asks for 5)
            trust_env=False,
        )
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()
        self.stats = FetchStats()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- manners ------------------------------------------------------------------------------
    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        with self._lock:
            return self._hosts.setdefault(key, _Host())

    def _wait_turn(self, host: _Host, delay: float, url: str, until: float) -> None:
        """Block until this host may be asked again and book the next slot; a slot after the
        deadline is not booked (the fetch is put off to a later cycle instead)."""
        with host.lock:
            now = time.monotonic()
            at = max(now, host.next_at)
            if at > until:
                with self._lock:
                    self.stats.deferred += 1
                raise FetchDeferred(
                    url, f"the host may not be asked again for {at - now:.0f} s (its "
                    "Crawl-delay, Retry-After or our interval): put off to a later cycle",
                )  # fmt: skip
            host.next_at = at + delay
        if at > now:
            time.sleep(at - now)

    def _robots(
        self, url: str, host: _Host, until: float
    ) -> urllib.robotparser.RobotFileParser | None:
        """The host's robots.txt rules (None: everything allowed), cached for an hour."""
        with host.robots_lock:  # one thread reads it; the others wait for its answer
            now = time.monotonic()
            if host.robots_at >= 0 and now - host.robots_at < ROBOTS_TTL:
                return host.robots
            return self._read_robots(url, host, now, until)

    def _read_robots(
        self, url: str, host: _Host, now: float, until: float
    ) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        self._wait_turn(host, self.cfg.per_host_interval, url, until)
        rules: urllib.robotparser.RobotFileParser | None = None
        blocked = None
        asked = time.monotonic()
        try:
            r = self._once(
                robots_url, {}, until, limit=ROBOTS_MAX_BYTES, truncate=True, follow=True
            )
        except FetchDeferred:
            raise
        except FetchError as exc:
            if exc.status is None or exc.status >= 500:  # 4xx: no rules, everything allowed
                blocked = f"robots.txt could not be fetched ({exc.reason})"
        except httpx.HTTPError as exc:
            blocked = f"robots.txt could not be fetched ({type(exc).__name__})"
        else:
            if r.status >= 500:
                blocked = f"robots.txt answered HTTP {r.status}: the site is treated as closed"
            else:
                rules = urllib.robotparser.RobotFileParser(robots_url)
                rules.parse(r.content.decode("utf-8", "replace").splitlines())
                crawl = rules.crawl_delay(self.cfg.user_agent)
                if crawl:  # the request for robots.txt itself counts: the next waits too
                    with host.lock:
                        host.next_at = max(host.next_at, asked + float(crawl))
        host.robots, host.robots_at, host.robots_blocked = rules, now, blocked
        if blocked:  # an unreachable robots.txt is asked again on the next cycle, not in an hour
            host.robots_at = now - ROBOTS_TTL + 1
        return rules

    def allowed(self, url: str, *, until: float | None = None) -> bool:
        """Whether robots.txt lets this user agent fetch ``url``.

        Raises:
            FetchError: when robots.txt cannot be asked by ``until`` (a monotonic time), or
                its host is refused by the address policy.
        """
        if not self.cfg.robots or urlsplit(url).path == "/robots.txt":
            return True
        host = self._host(url)
        rules = self._robots(url, host, until or time.monotonic() + self.cfg.deadline)
        if host.robots_blocked:
            return False
        return rules is None or rules.can_fetch(self.cfg.user_agent, url)

    def _delay(self, url: str, host: _Host) -> float:
        if self.cfg.robots and host.robots is not None:
            crawl = host.robots.crawl_delay(self.cfg.user_agent)
            if crawl:
                return max(self.cfg.per_host_interval, float(crawl))
        return self.cfg.per_host_interval

    # -- fetching -----------------------------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        until: float | None = None,
    ) -> Response:
        """Fetch ``url`` (conditionally when validators are given).

        The whole fetch (robots.txt, waiting for the host's turn, every try, every hop, every
        byte) ends by the config's ``deadline`` or by ``until`` (a :func:`time.monotonic`
        time: a cycle's budget), whichever comes first, give or take one read timeout.

        Redirects are followed here, up to :data:`MAX_REDIRECTS` hops, and each hop is asked
        as the first URL was: its address checked, its robots.txt obeyed, its host's turn
        (spacing, Crawl-delay) awaited. The response's ``url`` is the last hop's.

        Raises:
            FetchError: refused (an address that is not public, robots.txt), HTTP 4xx, too
                large, past the deadline, a redirect loop or more than :data:`MAX_REDIRECTS`
                hops, or still failing after the retries (``retry`` tells whether a later try
                may help).
        """
        own = time.monotonic() + self.cfg.deadline
        until = own if until is None else min(own, until)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hops = [url]
        for _ in range(MAX_REDIRECTS + 1):
            resp = self._get_hop(hops[-1], headers, until)
            if resp.location is None:
                return resp
            try:
                target = urljoin(resp.url, resp.location.strip()).split("#", 1)[0]
            except ValueError:
                raise FetchError(url, f"redirect to a malformed URL {resp.location!r}",
                                 retry=False) from None  # fmt: skip
            if target in hops:
                loop = " -> ".join([*hops[hops.index(target) :], target])
                raise FetchError(url, f"redirect loop: {loop}", retry=True)
            hops.append(target)
        raise FetchError(
            url, f"more than {MAX_REDIRECTS} redirects ({hops[0]} -> ... -> {hops[-1]})",
            retry=True,
        )  # fmt: skip

    def _get_hop(self, url: str, headers: dict[str, str], until: float) -> Response:
        """One URL: checked, robots.txt asked, fetched with retries; a redirect is returned
        (``location`` set), not followed."""
        try:
            parts = urlsplit(url)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname) and (
                parts.port is None or parts.port > 0
            )
            httpx.URL(url)
        except (ValueError, httpx.InvalidURL, UnicodeError):
            valid = False
        if not valid:
            raise FetchError(url, "not a well-formed http(s) URL", retry=False)
        try:  # before anything is sent, robots.txt included (the connection is checked again)
            self.policy.resolve(parts.hostname or "", parts.port or _PORTS[parts.scheme])
        except AddressRefused as exc:
            with self._lock:
                self.stats.address_refused += 1
            raise FetchRefused(url, str(exc)) from exc
        except Unresolved as exc:
            raise FetchError(url, str(exc), retry=True) from exc
        host = self._host(url)
        if not self.allowed(url, until=until):
            with self._lock:
                self.stats.robots_refused += 1
            why = host.robots_blocked or "disallowed by robots.txt"
            raise FetchError(url, why, retry=bool(host.robots_blocked))
        last = ""
        for attempt in range(self.cfg.retries + 1):
            self._wait_turn(host, self._delay(url, host), url, until)
            wait = self.cfg.backoff * (2**attempt)
            try:
                resp = self._once(url, headers, until)
            except FetchError:
                raise
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if resp.status not in RETRY_STATUS:
                    return resp
                last = f"HTTP {resp.status}"
                retry_after = _retry_after(resp.retry_after)
                if retry_after is not None:
                    wait = retry_after
                    with host.lock:  # the whole host asked for a pause, not just this page
                        host.next_at = max(
                            host.next_at, time.monotonic() + min(retry_after, MAX_HOST_PAUSE)
                        )
                    if time.monotonic() + retry_after > until:
                        raise FetchDeferred(
                            url, f"{last} with Retry-After {retry_after:.0f} s: put off to a "
                            "later cycle",
                        )  # fmt: skip
            if attempt < self.cfg.retries:
                if time.monotonic() + wait > until:
                    break
                with self._lock:
                    self.stats.retries += 1
                time.sleep(wait)
        raise FetchError(url, f"{last} (after {attempt + 1} tries)", retry=True)

    def _missed(self, url: str) -> FetchError:
        with self._lock:
            self.stats.deadline_missed += 1
        return FetchError(
            url, f"not done within the {self.cfg.deadline:g} s deadline (or the cycle's "
            "budget): tried again next cycle", retry=True,
        )  # fmt: skip

    def _once(
        self,
        url: str,
        headers: dict[str, str],
        until: float,
        *,
        limit: int | None = None,
        truncate: bool = False,
        follow: bool = False,
    ) -> Response:
        """One request; the body read up to ``limit`` bytes (decompressed), or cut there when
        ``truncate``. A redirect is answered with its ``location`` unless ``follow``."""
        left = until - time.monotonic()
        if left <= 0:
            raise FetchDeferred(url, "no time left in the deadline or the cycle's budget")
        with self._lock:
            self.stats.requests += 1
        timeout = httpx.Timeout(min(self.cfg.timeout, left))
        try:
            with self.client.stream(
                "GET", url, headers=headers, timeout=timeout, follow_redirects=follow
            ) as r:
                if r.status_code == 304:
                    with self._lock:
                        self.stats.not_modified += 1
                    return Response(str(r.url), 304, not_modified=True,
                                    etag=r.headers.get("etag"),
                                    last_modified=r.headers.get("last-modified"))  # fmt: skip
                if r.status_code in RETRY_STATUS:
                    return Response(
                        str(r.url), r.status_code, retry_after=r.headers.get("retry-after")
                    )
                if r.status_code in REDIRECT_STATUS and r.headers.get("location"):
                    return Response(str(r.url), r.status_code, location=r.headers["location"])
                if r.status_code >= 400:
                    raise FetchError(url, f"HTTP {r.status_code}", status=r.status_code,
                                     retry=r.status_code in (408, 425))  # fmt: skip
                body = self._read_body(r, url, until, limit or self.cfg.max_bytes, truncate)
                return Response(
                    str(r.url),
                    r.status_code,
                    body,
                    etag=r.headers.get("etag"),
                    last_modified=r.headers.get("last-modified"),
                )
        except AddressRefused as exc:
            with self._lock:
                self.stats.address_refused += 1
            raise FetchRefused(url, str(exc)) from exc

    def _read_body(
        self, r: httpx.Response, url: str, until: float, limit: int, truncate: bool
    ) -> bytes:
        """The body, decompressed here (not by httpx, which inflates a whole network chunk at
        once) and counted as it streams: past ``limit`` it is refused (or cut), past ``until``
        abandoned."""
        declared = r.headers.get("content-length")
        if not truncate and declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"larger than {limit} bytes", retry=False)
        encoding = r.headers.get("content-encoding", "").strip().lower()
        raw = self._raw_chunks(r, url, until, limit, truncate)
        chunks: Iterator[bytes]
        if encoding in ("", "identity"):
            chunks = raw
        elif encoding in ("gzip", "x-gzip"):
            chunks = inflate(raw, limit=limit, wbits=GZIP)
        elif encoding == "deflate":
            chunks = _inflate_deflate(raw, limit)
        else:
            raise FetchError(url, f"unsupported Content-Encoding {encoding!r}", retry=False)
        out: list[bytes] = []
        size = 0
        try:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    if truncate:
                        out.append(chunk[: len(chunk) - (size - limit)])
                        break
                    raise FetchError(url, f"larger than {limit} bytes", retry=False)
                out.append(chunk)
        except TooLargeError as exc:
            if not truncate:
                raise FetchError(url, f"larger than {limit} bytes once decompressed",
                                 retry=False) from exc  # fmt: skip
        except InputError as exc:
            raise FetchError(url, f"unreadable body: {exc}", retry=False) from exc
        return b"".join(out)[:limit]

    def _raw_chunks(
        self, r: httpx.Response, url: str, until: float, limit: int, truncate: bool
    ) -> Iterator[bytes]:
        size = 0
        for chunk in r.iter_raw():
            if time.monotonic() > until:
                raise self._missed(url)
            size += len(chunk)
            if size > limit:  # compressed bytes count too: they are read from the network
                yield chunk[: len(chunk) - (size - limit)]
                if truncate:
                    return
                raise FetchError(url, f"larger than {limit} bytes", retry=False)
            yield chunk


def _inflate_deflate(raw: Iterator[bytes], limit: int) -> Iterator[bytes]:
    """``Content-Encoding: deflate``: zlib data as the RFC says, or raw deflate as some servers
    send it (told apart by the zlib header)."""
    first = next(raw, b"")
    if not first:
        return
    zlib_header = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    wbits = zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS

    def again() -> Iterator[bytes]:
        yield first
        yield from raw

    yield from inflate(again(), limit=limit, wbits=wbits)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())

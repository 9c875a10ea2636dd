"""Polite HTTP fetching: timeouts, conditional requests, per-host rate limits, robots.txt,
retries with backoff, a size cap and a clear user agent. Thread-safe: one :class:`Fetcher` is
shared by the watcher's worker threads.
"""

from __future__ import annotations

import email.utils
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newstrace.errors import ConfigError, FetchError
from newstrace.watch.config import FetchConfig

try:
    import httpx
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ConfigError("watching needs the watch extra: pip install 'newstrace[watch]'") from exc

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
ROBOTS_TTL = 3600.0
MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched resource. ``not_modified`` is True (and ``content`` empty) on a 304."""

    url: str
    status: int
    content: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    retry_after: str | None = None


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


class Fetcher:
    """Fetch URLs the way a site operator would accept.

    Example:
        >>> f = Fetcher(FetchConfig(robots=False))
        >>> f.close()
    """

    def __init__(self, cfg: FetchConfig | None = None) -> None:
        self.cfg = cfg or FetchConfig()
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.cfg.timeout),
            headers={"User-Agent": self.cfg.user_agent, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=True,
            max_redirects=5,
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

    def _wait_turn(self, host: _Host, delay: float) -> None:
        """Block until this host may be asked again; book the next slot."""
        with host.lock:
            now = time.monotonic()
            at = max(now, host.next_at)
            host.next_at = at + delay
        if at > now:
            time.sleep(at - now)

    def _robots(self, url: str, host: _Host) -> urllib.robotparser.RobotFileParser | None:
        """The host's robots.txt rules (None: everything allowed), cached for an hour."""
        with host.robots_lock:  # one thread reads it; the others wait for its answer
            now = time.monotonic()
            if host.robots_at >= 0 and now - host.robots_at < ROBOTS_TTL:
                return host.robots
            return self._read_robots(url, host, now)

    def _read_robots(
        self, url: str, host: _Host, now: float
    ) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        self._wait_turn(host, self.cfg.per_host_interval)
        rules: urllib.robotparser.RobotFileParser | None = None
        blocked = None
        try:
            r = self.client.get(robots_url)
            with self._lock:
                self.stats.requests += 1
            if r.status_code >= 500:
                blocked = f"robots.txt answered HTTP {r.status_code}: the site is treated as closed"
            elif r.status_code < 400:
                rules = urllib.robotparser.RobotFileParser(robots_url)
                rules.parse(r.text.splitlines())
        except httpx.HTTPError as exc:
            blocked = f"robots.txt could not be fetched ({type(exc).__name__})"
        host.robots, host.robots_at, host.robots_blocked = rules, now, blocked
        if blocked:  # an unreachable robots.txt is asked again on the next cycle, not in an hour
            host.robots_at = now - ROBOTS_TTL + 1
        return rules

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this user agent fetch ``url``."""
        if not self.cfg.robots or urlsplit(url).path == "/robots.txt":
            return True
        host = self._host(url)
        rules = self._robots(url, host)
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
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """Fetch ``url`` (conditionally when validators are given).

        Raises:
            FetchError: refused by robots.txt, HTTP 4xx, too large, or still failing after the
                retries (``retry`` tells whether a later try may help).
        """
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
        host = self._host(url)
        if not self.allowed(url):
            with self._lock:
                self.stats.robots_refused += 1
            why = host.robots_blocked or "disallowed by robots.txt"
            raise FetchError(url, why, retry=bool(host.robots_blocked))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        last = ""
        for attempt in range(self.cfg.retries + 1):
            self._wait_turn(host, self._delay(url, host))
            wait = self.cfg.backoff * (2**attempt)
            try:
                resp = self._once(url, headers)
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
                    wait = min(retry_after, MAX_RETRY_AFTER)
            if attempt < self.cfg.retries:
                with self._lock:
                    self.stats.retries += 1
                time.sleep(wait)
        raise FetchError(url, f"{last} (after {self.cfg.retries + 1} tries)", retry=True)

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        with self._lock:
            self.stats.requests += 1
        with self.client.stream("GET", url, headers=headers) as r:
            if r.status_code == 304:
                with self._lock:
                    self.stats.not_modified += 1
                return Response(str(r.url), 304, not_modified=True,
                                etag=r.headers.get("etag"),
                                last_modified=r.headers.get("last-modified"))  # fmt: skip
            if r.status_code in RETRY_STATUS:
                return Response(str(r.url), r.status_code, retry_after=r.headers.get("retry-after"))
            if r.status_code >= 400:
                raise FetchError(url, f"HTTP {r.status_code}", retry=r.status_code in (408, 425))
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.cfg.max_bytes:
                raise FetchError(url, f"larger than {self.cfg.max_bytes} bytes", retry=False)
            chunks: list[bytes] = []
            size = 0
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > self.cfg.max_bytes:
                    raise FetchError(url, f"larger than {self.cfg.max_bytes} bytes", retry=False)
                chunks.append(chunk)
            return Response(
                str(r.url),
                r.status_code,
                b"".join(chunks),
                etag=r.headers.get("etag"),
                last_modified=r.headers.get("last-modified"),
            )


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

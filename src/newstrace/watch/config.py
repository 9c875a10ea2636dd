"""The watcher's configuration: one TOML file naming sources, origins, fetching manners and sinks.

Example ``watch.toml``::

    db = "watch.db"              # the store (default: newstrace.db)
    interval = 300               # seconds between polls of a source
    origins = ["RT", "rt.com"]   # watched outlets (by name) or hosts

    [fetch]
    user_agent = "newstrace-watch/0.1 (+mailto:desk@example.org)"
    timeout = 10
    per_host_interval = 1.0      # seconds between two requests to one host
    retries = 2
    backoff = 1.0
    robots = true
    deadline = 60                # seconds one fetch may take in all (reads, retries, waits)
    cycle_budget = 600           # seconds a cycle may spend fetching; the rest waits a cycle
    allow_private = []           # e.g. ["127.0.0.1:8080", "intranet.local"]: opened despite
                                 # the refusal of loopback/private/link-local addresses

    [alerts]
    jsonl = "alerts.jsonl"
    webhook = "https://hooks.example.org/newstrace"
    base_url = "http://127.0.0.1:8765"   # where `newstrace serve` runs: alerts link to pair views

    [[sources]]
    feed = "https://www.rt.com/rss/news/"
    outlet = "RT"

    [[sources]]
    sitemap = "https://blog.example.com/sitemap.xml"

    [[sources]]
    folder = "/data/incoming"     # files dropped here are ingested once

    [[sources]]
    warc_dir = "/data/crawls"     # finished WARC files dropped here are ingested once
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from newstrace import __version__
from newstrace.errors import ConfigError

KINDS = ("feed", "sitemap", "folder", "warc_dir")
DEFAULT_USER_AGENT = f"newstrace-watch/{__version__} (+https://github.com/newstrace/newstrace)"


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How the watcher fetches: the manners a site operator would accept.

    Attributes:
        user_agent: sent with every request (name a contact in it).
        timeout: seconds for connect and for each read.
        per_host_interval: at least this many seconds between two requests to one host.
        retries: further tries after a timeout, a connection error, 429 or 5xx.
        backoff: seconds before the first retry; doubles each time (``Retry-After`` wins).
        robots: obey robots.txt (Disallow and Crawl-delay for this user agent).
        max_bytes: the largest response body read (counted after decompression, while
            reading: a body is never held whole before it is measured).
        concurrency: requests in flight at once (over different hosts).
        max_attempts: tries of one article page, over cycles, before it is given up.
        deadline: seconds one fetch may take in all (waiting its turn, connecting, reading,
            retries and ``Retry-After`` waits); a fetch past it is tried again next cycle.
        cycle_budget: seconds one cycle may spend polling and fetching; pages not started by
            then wait for the next cycle, and the cycle goes on to detect and alert.
        allow_private: hosts or addresses (optionally ``:port``) fetched although they are
            loopback, private, link-local or otherwise not public; everything else of that
            kind is refused (see :mod:`newstrace.watch.guard`).
    """

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 10.0
    per_host_interval: float = 1.0
    retries: int = 2
    backoff: float = 1.0
    robots: bool = True
    max_bytes: int = 5_000_000
    concurrency: int = 8
    max_attempts: int = 5
    deadline: float = 60.0
    cycle_budget: float = 600.0
    allow_private: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """One thing the watcher polls.

    Attributes:
        kind: ``feed`` (RSS/Atom URL), ``sitemap`` (URL), ``folder`` or ``warc_dir`` (paths).
        location: the URL or folder.
        name: how logs and state name it (default: the location).
        outlet: outlet name for every article it gives (default: inferred per article).
        interval: seconds between polls (default: the config's ``interval``).
        full_content: take a feed entry's own text instead of fetching its page.
        settle: seconds a dropped file must be left unchanged before it is read.
    """

    kind: str
    location: str
    name: str
    outlet: str | None = None
    interval: float = 300.0
    full_content: bool = False
    settle: float = 5.0


@dataclass(frozen=True, slots=True)
class AlertConfig:
    """Where alerts go and which ones are raised.

    Attributes:
        jsonl: the JSONL file every alert is appended to.
        webhook: URL each alert is POSTed to as JSON (optional).
        base_url: where ``newstrace serve`` answers; alerts link to its pair view.
        flagged_only: raise only alerts with a flag (no credit, altered quotes, drift).
        min_coverage: share of the derivative that must come from the origin.
    """

    jsonl: str = "alerts.jsonl"
    webhook: str | None = None
    base_url: str = "http://127.0.0.1:8765"
    flagged_only: bool = False
    min_coverage: float = 0.0


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """A whole watch configuration (see the module docstring for the file format)."""

    sources: tuple[Source, ...]
    origins: tuple[str, ...]
    db: str = "newstrace.db"
    interval: float = 300.0
    fetch: FetchConfig = field(default_factory=FetchConfig)
    alerts: AlertConfig = field(default_factory=AlertConfig)
    detect: dict[str, Any] = field(default_factory=dict)


def _section(cls: type, data: Any, where: str) -> Any:
    if data is None:
        return cls()
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: [{where}] must be a table")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}")
    out: dict[str, Any] = {}
    for key, value in data.items():
        default = getattr(cls(), key)
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}.{key} must be a list of strings; got {value!r}")
            value = tuple(value)
        elif default is not None and not isinstance(value, type(default)):
            if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            else:
                raise ConfigError(
                    f"{where}.{key} must be a {type(default).__name__}; got {value!r}"
                )
        out[key] = value
    return cls(**out)


def parse_config(data: dict[str, Any], *, base: Path | None = None) -> WatchConfig:
    """A :class:`WatchConfig` from parsed TOML; relative paths are taken from ``base``.

    Raises:
        ConfigError: naming the key that is wrong.
    """
    base = base or Path.cwd()
    allowed = {"db", "interval", "origins", "fetch", "alerts", "sources", "detect"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(allowed))}")
    interval = data.get("interval", 300)
    if not isinstance(interval, int | float) or isinstance(interval, bool) or interval < 0:
        raise ConfigError(f"interval must be a number of seconds >= 0; got {interval!r}")
    origins = data.get("origins", [])
    if not isinstance(origins, list) or not all(isinstance(o, str) and o for o in origins):
        raise ConfigError("origins must be a list of outlet names or hosts")
    if not origins:
        raise ConfigError("origins is empty: name the outlets or hosts to watch")
    fetch = _section(FetchConfig, data.get("fetch"), "fetch")
    if fetch.timeout <= 0 or fetch.per_host_interval < 0 or fetch.retries < 0 or fetch.concurrency < 1:
        raise ConfigError("fetch: timeout must be > 0, per_host_interval and retries >= 0, "
                          "concurrency >= 1")  # fmt: skip
    if fetch.deadline <= 0 or fetch.cycle_budget <= 0 or fetch.max_bytes < 1:
        raise ConfigError("fetch: deadline, cycle_budget and max_bytes must be > 0")
    from newstrace.watch.guard import AddressPolicy

    try:
        AddressPolicy.from_config(fetch.allow_private)
    except ValueError as exc:
        raise ConfigError(f"fetch: {exc}") from exc
    alerts = _section(AlertConfig, data.get("alerts"), "alerts")
    alerts = AlertConfig(
        **{**{f.name: getattr(alerts, f.name) for f in fields(AlertConfig)},
           "jsonl": str(base / alerts.jsonl)}
    )  # fmt: skip
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError("no [[sources]]: name at least one feed, sitemap, folder or warc_dir")
    sources: list[Source] = []
    names: set[str] = set()
    for i, s in enumerate(raw_sources):
        where = f"sources[{i}]"
        if not isinstance(s, dict):
            raise ConfigError(f"{where} must be a table")
        kinds = [k for k in KINDS if k in s]
        if len(kinds) != 1:
            raise ConfigError(f"{where} needs exactly one of {', '.join(KINDS)}")
        kind = kinds[0]
        unknown = sorted(set(s) - {kind, "name", "outlet", "interval", "full_content", "settle"})
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
        location = s[kind]
        if not isinstance(location, str) or not location:
            raise ConfigError(f"{where}.{kind} must be a non-empty string")
        if kind in ("feed", "sitemap"):
            if not location.lower().startswith(("http://", "https://")):
                raise ConfigError(f"{where}.{kind} must be an http(s) URL; got {location!r}")
        else:
            location = str((base / location).resolve())
        name = str(s.get("name") or location)
        if name in names:
            raise ConfigError(f"{where}: two sources are named {name!r}")
        names.add(name)
        src_interval = s.get("interval", interval)
        if not isinstance(src_interval, int | float) or src_interval < 0:
            raise ConfigError(f"{where}.interval must be a number of seconds >= 0")
        sources.append(
            Source(
                kind=kind,
                location=location,
                name=name,
                outlet=s.get("outlet"),
                interval=float(src_interval),
                full_content=bool(s.get("full_content", False)),
                settle=float(s.get("settle", 5.0)),
            )
        )
    detect = data.get("detect", {})
    if not isinstance(detect, dict):
        raise ConfigError("[detect] must be a table of detect parameters")
    return WatchConfig(
        sources=tuple(sources),
        origins=tuple(origins),
        db=str(base / str(data.get("db", "newstrace.db"))),
        interval=float(interval),
        fetch=fetch,
        alerts=alerts,
        detect=dict(detect),
    )


def load_config(path: str | Path) -> WatchConfig:
    """Read a watch configuration file (TOML); relative paths in it are from its folder.

    Raises:
        ConfigError: when the file is missing, is not TOML, or a key is wrong.
    """
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"no watch configuration at {p}") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{p}: not a readable TOML file: {exc}") from exc
    try:
        return parse_config(data, base=p.resolve().parent)
    except ConfigError as exc:
        raise ConfigError(f"{p}: {exc}") from exc

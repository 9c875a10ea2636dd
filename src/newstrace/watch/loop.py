"""The watch cycle: poll due sources -> fetch new articles -> ingest -> incremental detect ->
alert rules -> sinks. Every step's state lives in the store, so a restart goes on where the
last run stopped and never alerts twice.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newstrace.clean import build_document
from newstrace.detect import DetectParams, DetectReport, detect
from newstrace.errors import (
    ConfigError,
    FetchDeferred,
    FetchError,
    InputError,
    NewstraceError,
    Rejection,
)
from newstrace.ingest import display_path
from newstrace.ingest.html import read_html
from newstrace.models import Document
from newstrace.pipeline import ingest
from newstrace.settings import Settings
from newstrace.store import Store
from newstrace.watch.alerts import (
    OriginMatcher,
    deliver_jsonl,
    deliver_webhook,
    find_alerts,
)
from newstrace.watch.config import Source, WatchConfig
from newstrace.watch.fetch import Fetcher
from newstrace.watch.sources import Item, feed_items, settled_files, sitemap_urls

__all__ = ["CycleReport", "Watcher"]

log = logging.getLogger("newstrace.watch")
MAX_CHILD_SITEMAPS = 20
RETRY_AFTER = 30.0
"""Seconds before a failing source is first tried again (doubling after each failure)."""
BATCH = 1000
"""Articles fetched, extracted and stored together (bounds the pages held in memory)."""


@dataclass(slots=True)
class CycleReport:
    """What one watch cycle did."""

    polled: int = 0
    not_modified: int = 0
    source_errors: list[tuple[str, str]] = field(default_factory=list)
    new_items: int = 0
    deferred: int = 0
    fetched: int = 0
    added: int = 0
    item_errors: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    detect: DetectReport | None = None
    alerts: list[dict[str, Any]] = field(default_factory=list)
    webhook_sent: int = 0
    webhook_failed: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "polled": self.polled,
            "not_modified": self.not_modified,
            "source_errors": [{"source": s, "reason": r} for s, r in self.source_errors],
            "new_items": self.new_items,
            "deferred": self.deferred,
            "fetched": self.fetched,
            "added": self.added,
            "item_errors": [{"url": u, "reason": r} for u, r in self.item_errors],
            "files": self.files,
            "detect": self.detect.to_dict() if self.detect else None,
            "alerts": [a["id"] for a in self.alerts],
            "webhook_sent": self.webhook_sent,
            "webhook_failed": self.webhook_failed,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class _Fetched:
    item: Item
    source: Source
    doc: Document | None = None
    error: str | None = None
    kind: str = ""
    retry: bool = False
    deferred: bool = False


@dataclass(slots=True)
class _Polled:
    source: Source
    items: list[Item] = field(default_factory=list)
    error: str | None = None
    deferred: bool = False
    not_modified: int = 0
    validators: list[tuple[str, str | None, str | None]] = field(default_factory=list)


def _name(doc: dict[str, Any]) -> str:
    """How a log line names an article: outlet (or host), then URL (or id)."""
    who = doc.get("outlet") or doc.get("host") or "?"
    return f"{who} <{doc.get('url') or doc['id']}>"


def extract_article(job: tuple[Item, Source, bytes, str]) -> _Fetched:
    """A fetched page (or a feed entry's own text) as a clean document, with the ingest code."""
    item, source, content, url = job
    try:
        if item.entry is not None:
            raw = item.entry
        else:
            raw = read_html(
                content, item.url, url=url, fallback_date=item.published, fallback_source="feed"
            )[0]
            if not raw.title and item.title:
                raw = replace(raw, title=item.title)
        return _Fetched(item, source, build_document(raw, outlet=source.outlet))
    except InputError as exc:
        return _Fetched(item, source, None, f"not an article: {exc}", type(exc).__name__, True)
    except Exception as exc:  # an extractor bug must not stop the cycle
        why = f"unexpected {type(exc).__name__}: {exc}"
        return _Fetched(item, source, None, why, "InputError", True)


class Watcher:
    """Runs watch cycles over one configuration and store.

    Example:
        >>> # w = Watcher(load_config("watch.toml")); w.cycle(); w.close()
    """

    def __init__(self, cfg: WatchConfig, *, store: Store | None = None) -> None:
        try:
            self.params = DetectParams(**cfg.detect)
        except TypeError as exc:
            raise ConfigError(f"[detect]: {exc}") from exc
        self.cfg = cfg
        self.origins = OriginMatcher(cfg.origins)
        self.store = store or Store(cfg.db)
        self._own_store = store is None
        self.fetcher = Fetcher(cfg.fetch)
        self._pool: Any = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
        self.fetcher.close()
        if self._own_store:
            self.store.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the cycle ----------------------------------------------------------------------------
    def _waits(self, now: float) -> list[tuple[Source, float]]:
        """Each source with the seconds until it is due (<= 0: due now). A failing source is
        tried again after 30 s, then 60, 120… but never later than its polling interval."""
        state = self.store.watch_sources()
        out = []
        for s in self.cfg.sources:
            row = state.get(s.name)
            if row is None:
                out.append((s, 0.0))
                continue
            every = s.interval
            if row["last_error"]:
                every = min(s.interval, RETRY_AFTER * 2 ** min(max(row["failures"] - 1, 0), 10))
            out.append((s, row["last_poll"] + every - now))
        return out

    def due(self, now: float | None = None) -> list[Source]:
        """Sources whose polling interval (or, for a failing one, its retry delay) has passed."""
        return [s for s, wait in self._waits(time.time() if now is None else now) if wait <= 0]

    def next_due_in(self) -> float:
        """Seconds until the next source is due."""
        waits = [w for _, w in self._waits(time.time())]
        return max(0.0, min(waits, default=self.cfg.interval))

    def cycle(self, *, force: bool = False) -> CycleReport:
        """One full cycle; ``force`` polls every source, due or not.

        Polling and fetching stop at the config's ``cycle_budget``: what was not fetched by
        then is put off to the next cycle, and this one goes on to detect and alert.
        """
        t0 = time.perf_counter()
        until = time.monotonic() + self.cfg.fetch.cycle_budget
        report = CycleReport()
        sources = list(self.cfg.sources) if force else self.due()
        url_sources = [s for s in sources if s.kind in ("feed", "sitemap")]
        validators = self.store.http_validators()
        with ThreadPoolExecutor(self.cfg.fetch.concurrency) as pool:
            polled = list(pool.map(lambda s: self._poll(s, validators, until), url_sources))
            for p in polled:
                self._record_poll(p, report)
            items = self._new_items(polled, report)
            for start in range(0, len(items), BATCH):
                batch = items[start : start + BATCH]
                fetched = list(pool.map(lambda x: self._fetch(x[0], x[1], until), batch))
                self._store_articles(self._extract(fetched), report)
        for s in sources:
            if s.kind in ("folder", "warc_dir"):
                self._ingest_folder(s, report)
        if report.added or report.files or self.store.meta_get("watch_detected") is None:
            report.detect = detect(self.store, self.params)
            self.store.meta_set("watch_detected", str(time.time()))
        self.alert(report, until=until)
        report.seconds = time.perf_counter() - t0
        return report

    def alert(self, report: CycleReport, *, until: float | None = None) -> None:
        """Raise alerts for reuse not alerted yet, and hand every pending one to the sinks."""
        fresh = find_alerts(self.store, self.origins, self.cfg.alerts)
        if fresh:
            self.store.add_alerts(fresh)
            for a in fresh:
                log.warning(
                    "ALERT %s: %s %s %s%s", a["id"], _name(a["article"]), a["relation"],
                    _name(a["origin"]), f" [{', '.join(a['flags'])}]" if a["flags"] else "",
                )  # fmt: skip
        report.alerts = fresh
        deliver_jsonl(self.store, self.cfg.alerts.jsonl)
        if self.cfg.alerts.webhook:
            report.webhook_sent, report.webhook_failed = deliver_webhook(
                self.store, self.cfg.alerts.webhook,
                user_agent=self.cfg.fetch.user_agent, timeout=self.cfg.fetch.timeout,
                until=None if until is None else max(until, time.monotonic() + 30.0),
            )  # fmt: skip

    def run(self, stop: threading.Event | None = None, *, on_cycle: Any = None) -> None:
        """Cycle until ``stop`` is set: each cycle, then a sleep until a source is due."""
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                report = self.cycle()
            except NewstraceError as exc:  # a cycle that fails is logged; the next one runs
                log.error("cycle failed: %s", exc)
                report = None
            if on_cycle and report is not None:
                on_cycle(report)
            stop.wait(max(1.0, self.next_due_in()))

    # -- steps --------------------------------------------------------------------------------
    def _poll(
        self, source: Source, validators: dict[str, tuple[str | None, str | None]], until: float
    ) -> _Polled:
        """Fetch a feed or sitemap (conditionally) and list its items. Runs in a worker thread:
        it reads nothing from the store (``validators`` were read before)."""
        out = _Polled(source)
        try:
            etag, modified = validators.get(source.location, (None, None))
            r = self.fetcher.get(source.location, etag=etag, last_modified=modified, until=until)
            if r.not_modified:
                out.not_modified += 1
                return out
            if source.kind == "feed":
                out.validators.append((source.location, r.etag, r.last_modified))
                out.items = feed_items(r.content, r.url, full_content=source.full_content)
            else:
                out.items, children = sitemap_urls(r.content)
                if not children:  # an index is read in full each time: its children may change
                    out.validators.append((source.location, r.etag, r.last_modified))
                for child in children[:MAX_CHILD_SITEMAPS]:
                    etag, modified = validators.get(child, (None, None))
                    c = self.fetcher.get(child, etag=etag, last_modified=modified, until=until)
                    if c.not_modified:
                        out.not_modified += 1
                        continue
                    out.validators.append((child, c.etag, c.last_modified))
                    out.items += sitemap_urls(c.content)[0]
        except FetchDeferred as exc:
            out.deferred, out.error = True, str(exc)
            out.items.clear()
            out.validators.clear()
        except (FetchError, InputError) as exc:
            out.error = str(exc) if isinstance(exc, FetchError) else f"{source.location}: {exc}"
            out.validators.clear()
        except Exception as exc:  # a source must never stop the others
            out.error = f"{source.location}: unexpected {type(exc).__name__}: {exc}"
            out.validators.clear()
        return out

    def _record_poll(self, p: _Polled, report: CycleReport) -> None:
        if p.deferred:  # not polled: still due, asked again next cycle
            log.info("source %s put off: %s", p.source.name, p.error)
            return
        report.polled += 1
        report.not_modified += p.not_modified
        if p.error:
            report.source_errors.append((p.source.name, p.error))
            log.warning("source %s failed: %s (will retry next cycle)", p.source.name, p.error)
            self.store.record_rejections([Rejection(p.source.location, p.error, "FetchError")])
            self.store.put_watch_source(p.source.name, time.time(), p.error)
            return
        # Validators are kept only once the items are known: a crash re-reads the feed.
        for url, etag, modified in p.validators:
            self.store.put_http_validators(url, etag, modified)
        self.store.put_watch_source(p.source.name, time.time(), None)

    def _new_items(self, polled: list[_Polled], report: CycleReport) -> list[tuple[Item, Source]]:
        listed: dict[str, tuple[Item, Source]] = {}
        for p in polled:
            for it in p.items:
                listed.setdefault(it.url, (it, p.source))
        known = self.store.watch_items(listed)
        out = []
        for url, (it, src) in listed.items():
            row = known.get(url)
            if row is None or (
                row["status"] == "failed" and row["attempts"] < self.cfg.fetch.max_attempts
            ):
                out.append((it, src))
        # Failed pages are tried again whether or not their feed changed (it may answer 304).
        by_name = {s.name: s for s in self.cfg.sources}
        queued = {it.url for it, _ in out}
        for row in self.store.watch_retries(self.cfg.fetch.max_attempts):
            owner = by_name.get(row["source"])
            if owner and owner.kind in ("feed", "sitemap") and row["url"] not in queued:
                out.append((Item(row["url"]), owner))
        report.new_items = len(out)
        return out

    def _fetch(
        self, item: Item, source: Source, until: float
    ) -> _Fetched | tuple[Item, Source, bytes, str]:
        """Fetch one article page (in a worker thread): the page, or what went wrong."""
        if item.entry is not None:
            return item, source, b"", item.url
        try:
            r = self.fetcher.get(item.url, until=until)
        except FetchDeferred as exc:
            return _Fetched(item, source, None, exc.reason, "FetchError", True, deferred=True)
        except FetchError as exc:
            return _Fetched(item, source, None, exc.reason, "FetchError", exc.retry)
        except Exception as exc:  # one page must never stop the cycle
            return _Fetched(item, source, None, f"unexpected {type(exc).__name__}", "FetchError", True)
        return item, source, r.content, r.url

    def _extract(self, fetched: list[_Fetched | tuple[Item, Source, bytes, str]]) -> list[_Fetched]:
        """Pages -> documents with the ingest code, in worker processes when there are many."""
        jobs = [(f[0], f[1], f[2], f[3]) for f in fetched if not isinstance(f, _Fetched)]
        if len(jobs) > 50 and self.params.workers > 1:
            if self._pool is None:
                ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
                self._pool = ctx.Pool(self.params.workers)
            done = iter(self._pool.map(extract_article, jobs, chunksize=8))
        else:
            done = iter([extract_article(j) for j in jobs])
        return [f if isinstance(f, _Fetched) else next(done) for f in fetched]

    def _store_articles(self, results: list[_Fetched], report: CycleReport) -> None:
        put_off = [f for f in results if f.deferred]
        if put_off:  # not tried: no attempt counted, listed again next cycle
            report.deferred += len(put_off)
            log.info("%d article(s) put off to the next cycle (%s)", len(put_off), put_off[0].error)
            results = [f for f in results if not f.deferred]
        good = [f for f in results if f.doc is not None]
        outcomes = self.store.add_documents(f.doc for f in good if f.doc is not None)
        report.fetched += len(results)
        report.added += sum(o.status != "unchanged" for o in outcomes)
        rows: list[tuple[str, str, str, str | None, str | None]] = [
            (f.item.url, f.source.name, "ok", o.id, None)
            for f, o in zip(good, outcomes, strict=True)
        ]
        rejections = []
        for f in results:
            if f.doc is not None or f.error is None:
                continue
            report.item_errors.append((f.item.url, f.error))
            log.warning("article %s: %s%s", f.item.url, f.error, " (will retry)" if f.retry else "")
            rows.append((f.item.url, f.source.name, "failed" if f.retry else "refused", None, f.error))
            rejections.append(Rejection(f.item.url, f.error, f.kind))
        self.store.put_watch_items(rows)
        self.store.record_rejections(rejections)
        if good:
            self.store.relearn_outlet_chrome(min_docs=Settings().outlet_chrome_min_docs)

    def _ingest_folder(self, source: Source, report: CycleReport) -> None:
        report.polled += 1
        def waiting(path: Path, age: float) -> None:
            log.info(
                "source %s: %s is waiting to settle (changed %.1f s ago; read once unchanged "
                "for %g s)", source.name, display_path(path), max(age, 0.0), source.settle,
            )  # fmt: skip

        try:
            files = list(
                settled_files(source.location, warc_only=source.kind == "warc_dir",
                              settle=source.settle, on_unsettled=waiting)
            )  # fmt: skip
        except InputError as exc:
            report.source_errors.append((source.name, str(exc)))
            log.warning("source %s failed: %s (will retry next cycle)", source.name, exc)
            self.store.put_watch_source(source.name, time.time(), str(exc))
            return
        known = self.store.watch_items(k for _, k in files)
        todo = [(p, k) for p, k in files if k not in known]
        if todo:
            r = ingest([p for p, _ in todo], self.store, outlet=source.outlet)
            report.files += len(todo)
            report.added += r.added + r.versions
            for rej in r.rejected:
                report.item_errors.append((rej.path, rej.reason))
            self.store.put_watch_items((k, source.name, "ok", None, None) for _, k in todo)
        self.store.put_watch_source(source.name, time.time(), None)

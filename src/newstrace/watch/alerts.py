"""Alert rules over detected reuse, and the sinks alerts go to (JSONL file, webhook).

The rule: an article that reuses a watched origin's article (relation ``duplicate``,
``derived`` or ``partial``, the origin's article being the source) raises one alert per
(article, origin article). The alert is flagged ``no_credit`` when the article names neither
the origin's outlet nor host and does not link to it, ``altered_quotes`` when a quotation was
changed, ``attribution_drift`` when words are put in a speaker's mouth.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newstrace.analyze.direction import credit_given, outlet_key
from newstrace.clean.attributions import host_of
from newstrace.detect import REUSE, hydrate_report
from newstrace.errors import Rejection
from newstrace.models import Document
from newstrace.store import Store
from newstrace.watch.config import AlertConfig

__all__ = ["FLAGS", "OriginMatcher", "deliver_jsonl", "deliver_webhook", "find_alerts"]

log = logging.getLogger("newstrace.watch")
FLAGS = ("no_credit", "altered_quotes", "attribution_drift")
MAX_WEBHOOK_ATTEMPTS = 10
"""Tries of one alert's webhook delivery (one per cycle) before it is given up."""
WEBHOOK_BATCH = 10_000
"""Alerts one cycle hands to the webhook at most (oldest first)."""


class OriginMatcher:
    """Whether a document belongs to a watched origin, named by outlet ("RT") or host
    ("rt.com", which also matches "www.rt.com" and "de.rt.com")."""

    def __init__(self, origins: Iterable[str]) -> None:
        self.names = {outlet_key(o) for o in origins if outlet_key(o)}
        self.hosts = {o.lower().strip().removeprefix("www.") for o in origins if "." in o}

    def __call__(self, outlet: str | None, host: str | None, url: str | None = None) -> bool:
        if outlet and outlet_key(outlet) in self.names:
            return True
        for h in (host, host_of(url)):
            h = (h or "").lower().removeprefix("www.")
            if h and any(h == x or h.endswith("." + x) for x in self.hosts):
                return True
        return False


def alert_id(derivative: str, origin: str) -> str:
    return hashlib.sha256(f"{derivative}|{origin}".encode()).hexdigest()[:16]


def build_alert(
    row: Any, report: dict[str, Any], origin: Document, article: Document, base_url: str
) -> dict[str, Any]:
    """The alert for one stored reuse pair (``report`` is the hydrated compare report)."""
    credit = credit_given(article, origin)
    altered = [q for q in report.get("quotes", []) if q.get("status") == "altered"]
    drift = report.get("attribution_drift", [])
    flags = [
        f
        for f, on in (("no_credit", credit is None), ("altered_quotes", bool(altered)),
                      ("attribution_drift", bool(drift)))
        if on
    ]  # fmt: skip
    a, b = sorted((origin.id, article.id))
    return {
        "id": alert_id(article.id, origin.id),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "relation": row["relation"],
        "confidence": row["confidence"],
        "coverage": {"origin": row["coverage_source"], "article": row["coverage_derivative"]},
        "origin": origin.summary() | {"host": origin.host},
        "article": article.summary() | {"host": article.host},
        "credit": {"status": "credited" if credit else "uncredited", "evidence": credit},
        "flags": flags,
        "mutations": {
            "altered_quotes": [
                {"article": q["derivative"]["text"], "origin": (q.get("source") or {}).get("text"),
                 "similarity": q.get("similarity"), "edits": q.get("edits", [])}
                for q in altered
            ],
            "attribution_drift": [
                {"speaker": d.get("speaker"), "article": d["derivative"]["text"],
                 "reason": d.get("reason")}
                for d in drift
            ],
            "added": [x.get("text", "") for x in report.get("added", [])[:10]],
            "omitted": [x.get("text", "") for x in report.get("omitted", [])[:10]],
        },
        "direction": {
            "confidence": report.get("direction", {}).get("confidence"),
            "evidence": [e.get("detail") for e in report.get("direction", {}).get("evidence", [])],
        },
        "link": f"{base_url.rstrip('/')}/pairs/{a}/{b}",
    }


def find_alerts(store: Store, origins: OriginMatcher, cfg: AlertConfig) -> list[dict[str, Any]]:
    """Alerts for every stored reuse pair from a watched origin that has none yet."""
    rows = store.conn.execute(
        "SELECT p.*, s.outlet AS s_outlet, s.host AS s_host, s.url AS s_url, "
        "d.outlet AS d_outlet, d.host AS d_host, d.url AS d_url FROM pairs p "
        "JOIN documents s ON s.id = p.source JOIN documents d ON d.id = p.derivative "
        f"WHERE p.relation IN ({', '.join('?' for _ in REUSE)}) ORDER BY p.a, p.b",
        REUSE,
    ).fetchall()
    done = store.alerted()
    todo = [
        r
        for r in rows
        if origins(r["s_outlet"], r["s_host"], r["s_url"])
        and not origins(r["d_outlet"], r["d_host"], r["d_url"])
        and (r["derivative"], r["source"]) not in done
        and r["coverage_derivative"] >= cfg.min_coverage
    ]
    docs = store.get_many(sorted({x for r in todo for x in (r["source"], r["derivative"])}))
    out = []
    for r in todo:
        origin, article = docs[r["source"]], docs[r["derivative"]]
        report = hydrate_report(json.loads(r["report"]), origin, article)
        alert = build_alert(r, report, origin, article, cfg.base_url)
        if cfg.flagged_only and not alert["flags"]:
            continue
        out.append(alert)
    return out


def _ids_at_end(path: Path, tail: int = 4_000_000) -> set[str]:
    """Alert ids in the last ``tail`` bytes of a JSONL file (what an interrupted delivery may
    have written before it could record that it had)."""
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - tail))
            lines = f.read().splitlines()
    except FileNotFoundError:
        return set()
    ids = set()
    for line in lines:
        try:
            value = json.loads(line).get("id")
        except (ValueError, AttributeError):
            continue
        if isinstance(value, str):
            ids.add(value)
    return ids


def deliver_jsonl(store: Store, path: str | os.PathLike[str]) -> int:
    """Append every alert the JSONL file has not received; returns how many were written.

    An alert already at the end of the file (written by a run killed before it recorded
    the delivery) is recorded, not written twice.
    """
    pending = store.alerts(pending="jsonl", limit=1_000_000)
    if not pending:
        return 0
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    there = _ids_at_end(p)
    todo = [a for a in pending if a["id"] not in there]
    with p.open("a", encoding="utf-8") as f:
        for a in todo:
            f.write(json.dumps(a, ensure_ascii=False, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())
    store.mark_alerts([a["id"] for a in pending], "jsonl")
    return len(todo)


def deliver_webhook(
    store: Store, url: str, *, user_agent: str, timeout: float = 10.0, until: float | None = None
) -> tuple[int, int]:
    """POST each alert the webhook has not accepted yet (2xx); returns (sent, failed).

    Each acceptance is recorded as soon as it is received, so a run killed mid-delivery
    sends again at most the one alert in flight (each carries its id, also in an
    ``Idempotency-Key`` header, for the receiver to drop a repeat). A failed delivery is tried
    again on later cycles, :data:`MAX_WEBHOOK_ATTEMPTS` tries in all; after the last it is
    given up, logged, and recorded with the rejections (``newstrace rejections``). Alerts
    left when ``until`` (a :func:`time.monotonic` time) passes wait for the next cycle.
    """
    import httpx

    pending = store.alerts(  # given-up alerts are left out: they never hold up new ones
        pending="webhook", limit=WEBHOOK_BATCH, max_attempts=MAX_WEBHOOK_ATTEMPTS
    )
    attempts = {
        r[0]: r[1]
        for r in store.conn.execute("SELECT id, webhook_attempts FROM alerts WHERE webhook_done = 0")
    }
    sent = failed = 0
    with httpx.Client(timeout=timeout, headers={"User-Agent": user_agent}) as client:
        for a in pending:
            if until is not None and time.monotonic() > until:
                log.info("webhook: %d alert(s) left for the next cycle", len(pending) - sent - failed)
                break
            try:
                r = client.post(url, json=a, headers={"Idempotency-Key": a["id"]})
                ok = 200 <= r.status_code < 300
                why = f"HTTP {r.status_code}"
            except httpx.HTTPError as exc:
                ok, why = False, type(exc).__name__
            if ok:
                store.mark_alerts([a["id"]], "webhook")
                sent += 1
            else:
                store.mark_alerts([a["id"]], "webhook", done=False)
                failed += 1
                tries = attempts.get(a["id"], 0) + 1
                if tries < MAX_WEBHOOK_ATTEMPTS:
                    log.warning("webhook %s refused alert %s: %s (will retry)", url, a["id"], why)
                    continue
                gave_up = (f"gave up delivering alert {a['id']} after {tries} failed tries "
                           f"(the last: {why})")  # fmt: skip
                log.warning("webhook %s: %s", url, gave_up)
                store.record_rejections([Rejection(url, gave_up, "WebhookGaveUp")])
    return sent, failed

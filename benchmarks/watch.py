"""One watch cycle over a local site of N feeds x M items, then the delay from an item's
appearance to its alert.

    python benchmarks/watch.py [--feeds 1000] [--items 20] [--concurrency 8]

The site is a real HTTP server on 127.0.0.1 (tests/watch/site.py) serving RSS feeds and article
pages with chrome. Cycle 1 fetches and ingests every article and runs detection; then one feed
gains a laundered copy of a watched origin's article, and cycle 2 (999 feeds answer 304) must
raise its alert. The per-host interval is 0 here (one local host); on the web it is 1 s a host.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect import bigram_model, fake_article

from newstrace.watch import Watcher, parse_config
from tests.watch.scenario import laundered_article, origin_article
from tests.watch.site import Page, Site, article_html, rfc822, rss

T0 = 1499500000.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    rng = random.Random(7)
    nxt, starts = bigram_model()
    site = Site()
    t_build = time.perf_counter()
    o_title, o_body = origin_article()
    for f in range(args.feeds):
        items = []
        for i in range(args.items):
            path = f"/s{f}/a{i}"
            if f == 0 and i == 0:
                title, body, outlet = o_title, o_body, "RT"
            else:
                title, body, outlet = f"Story {f}-{i}", fake_article(rng, nxt, starts, rng.randint(8, 16)), f"Site {f}"
            site.pages[path] = Page(article_html(title, body, outlet=outlet, date="2017-07-08"))
            items.append((title, site.url(path), rfc822(T0 + i * 60)))
        site.pages[f"/s{f}/feed.xml"] = Page(rss(f"Site {f}", items), "application/rss+xml")
    build_s = time.perf_counter() - t_build
    with tempfile.TemporaryDirectory() as tmp:
        cfg = parse_config(
            {
                "db": "bench.db", "interval": 0, "origins": ["RT"],
                "fetch": {"per_host_interval": 0.0, "concurrency": args.concurrency, "robots": True,
                          "allow_private": [site.allow]},
                "detect": {"workers": 2},
                "sources": [{"feed": site.url(f"/s{f}/feed.xml")} for f in range(args.feeds)],
            },
            base=Path(tmp),
        )  # fmt: skip
        with Watcher(cfg) as w:
            r1 = w.cycle()
            # A blog (the last feed) republishes RT's story with spin and no credit.
            l_title, l_body = laundered_article()
            last = args.feeds - 1
            site.pages[f"/s{last}/laundered"] = Page(
                article_html(l_title, l_body, outlet="Patriot Blog", date="2017-07-10")
            )
            items = [(l_title, site.url(f"/s{last}/laundered"), rfc822(T0 + 86400))]
            site.pages[f"/s{last}/feed.xml"] = Page(rss(f"Site {last}", items), "application/rss+xml")
            t_pub = time.time()
            r2 = w.cycle()
            delay = time.time() - t_pub
    site.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    d1 = r1.detect
    print(f"site: {args.feeds} feeds x {args.items} items built in {build_s:.1f} s")
    print(f"{'':28} {'cycle 1 (all new)':>18} {'cycle 2 (one new)':>18}")
    print(f"{'wall time s':28} {r1.seconds:>18.1f} {r2.seconds:>18.1f}")
    print(f"{'feeds polled / 304':28} {f'{r1.polled} / {r1.not_modified}':>18} "
          f"{f'{r2.polled} / {r2.not_modified}':>18}")  # fmt: skip
    print(f"{'articles fetched / added':28} {f'{r1.fetched} / {r1.added}':>18} {f'{r2.fetched} / {r2.added}':>18}")
    print(f"{'source / item errors':28} {f'{len(r1.source_errors)} / {len(r1.item_errors)}':>18} "
          f"{f'{len(r2.source_errors)} / {len(r2.item_errors)}':>18}")  # fmt: skip
    print(f"{'alerts':28} {len(r1.alerts):>18} {len(r2.alerts):>18}")
    if d1:
        print(f"cycle 1 detect: {d1.documents} documents, {d1.reused_pairs} reuse pairs")
    print(f"appearance -> alert: {delay:.1f} s (add up to one polling interval in continuous mode)")
    print(f"throughput cycle 1: {r1.fetched / r1.seconds:.0f} articles/s; peak RSS {peak:.0f} MiB")
    assert len(r2.alerts) == 1 and r2.alerts[0]["flags"][0] == "no_credit", r2.to_dict()


if __name__ == "__main__":
    main()

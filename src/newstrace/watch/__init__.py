"""Watch stage: poll feeds, sitemaps and drop folders, ingest what is new, detect reuse
incrementally, and alert when a watched origin's article reappears elsewhere (above all without
credit, with altered quotes, or with words put in someone's mouth).

A thin loop over the library: ingest's readers and cleaning, ``detect`` and ``compare``'s reports.
Fetching needs the ``watch`` extra (``pip install 'newstrace[watch]'``).

Example:
    >>> from newstrace.watch import parse_config
    >>> cfg = parse_config({"origins": ["RT"], "sources": [{"feed": "https://www.rt.com/rss/"}]})
    >>> cfg.sources[0].kind, cfg.origins
    ('feed', ('RT',))
"""

from __future__ import annotations

from newstrace.watch.config import (
    AlertConfig,
    FetchConfig,
    Source,
    WatchConfig,
    load_config,
    parse_config,
)

__all__ = [
    "AlertConfig",
    "CycleReport",
    "FetchConfig",
    "Source",
    "WatchConfig",
    "Watcher",
    "load_config",
    "parse_config",
]


def __getattr__(name: str) -> object:
    if name in ("Watcher", "CycleReport"):
        from newstrace.watch import loop

        return getattr(loop, name)
    raise AttributeError(name)

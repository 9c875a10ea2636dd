"""Screenshots of the web app for the README: the pair view, a story family and the families
index, each at 1366 px (a laptop) and 390 px (a phone), taken in Debian's Chromium.

The store is the demo's (``make demo``: the seed pair and the bundled BuzzFeed-Webis corpus),
built here when it is missing. The pair is the seed pair, with one passage focused from the
keyboard and linked to its counterpart; the family is the store's largest.

    python docs/screenshots.py [--db out/demo.db] [--out docs]   # or: make screenshots
"""

from __future__ import annotations

import argparse
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"1366": (1366, 900), "390": (390, 844)}


def build_store(db: Path) -> None:
    """Ingest the seed pair and the bundled corpus into ``db`` and detect reuse (as make demo)."""
    from newstrace.detect import DetectParams, detect
    from newstrace.pipeline import ingest
    from newstrace.store import Store

    with Store(db) as store:
        ingest([ROOT / "examples" / "seeds", ROOT / "examples" / "corpus"], store)
        detect(store, DetectParams(workers=2))


def targets(db: Path) -> dict[str, str]:
    """The paths to photograph: the seed pair, the largest family, the families index."""
    from newstrace.store import Store

    with Store(db, readonly=True) as s:
        ids = {
            r["input_id"].rsplit("/", 1)[-1]: r["id"]
            for r in s.conn.execute(
                "SELECT id, input_id FROM documents WHERE input_id LIKE '%.txt'"
            )
        }
        largest = s.conn.execute(
            "SELECT family FROM families GROUP BY family ORDER BY COUNT(*) DESC, family LIMIT 1"
        ).fetchone()
    if largest is None:
        raise SystemExit(f"{db} holds no story family: run newstrace detect on it first")
    origin, copy = ids["001_56b3779ae79152f8.txt"], ids["000_b532a79fb36ebd07.txt"]
    return {
        "pair": f"/pairs/{origin}/{copy}",
        "family": f"/families/{largest['family']}",
        "families": "/families",
    }


class _Server:
    """The app on a free loopback port, in a thread, for as long as the ``with`` lasts."""

    def __init__(self, db: Path) -> None:
        import uvicorn

        from newstrace.web import create_app

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            create_app(db), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.time() + 15
        while not self.server.started:
            if time.time() > deadline:
                raise SystemExit("the web app did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _link_a_passage(page: Any) -> None:
    """Focus the seed pair's third passage from the keyboard and follow it (Enter)."""
    page.focus('#source .psg[tabindex="0"] >> nth=2')
    page.keyboard.press("Enter")


def shoot(db: Path, out: Path) -> list[Path]:
    """Take the six screenshots into ``out`` (``web-{page}-{width}.png``); returns their paths."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise SystemExit("Debian's chromium is needed: sudo apt-get install -y chromium")
    out.mkdir(parents=True, exist_ok=True)
    paths = targets(db)
    written = []
    with _Server(db) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        for size, (width, height) in SIZES.items():
            ctx = browser.new_context(
                viewport={"width": width, "height": height}, device_scale_factor=1
            )
            page = ctx.new_page()
            for name, path in paths.items():
                page.goto(base + path)
                if name == "pair":
                    _link_a_passage(page)
                    # The phone shows the two stacked texts; the laptop the links and the verdict.
                    if width < 600:
                        page.locator(".cols").evaluate("e => e.scrollIntoView()")
                    else:
                        page.evaluate("window.scrollTo(0, 0)")
                target = out / f"web-{name}-{size}.png"
                page.screenshot(path=str(target))
                written.append(target)
            ctx.close()
        browser.close()
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=ROOT / "out" / "demo.db")
    ap.add_argument("--out", type=Path, default=ROOT / "docs")
    args = ap.parse_args()
    if not args.db.exists():
        print(f"building {args.db} from examples/ (about a minute)")
        args.db.parent.mkdir(parents=True, exist_ok=True)
        build_store(args.db)
    for path in shoot(args.db, args.out):
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size // 1024} KiB"
        )


if __name__ == "__main__":
    main()

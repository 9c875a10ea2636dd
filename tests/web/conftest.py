from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EVIL_TITLE = 'Evil <script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
EVIL_TEXT = (
    'Attack text <script>window.__xss=3</script> <img src=x onerror="window.__xss=4"> '
    '<a href="javascript:window.__xss=5">click me</a> and more words to make a real article body here.'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed pair, a hostile article and a few real articles, ingested and detected."""
    from newstrace.detect import DetectParams, detect
    from newstrace.pipeline import ingest
    from newstrace.store import Store

    d = tmp_path_factory.mktemp("web")
    evil = d / "evil.jsonl"
    evil.write_text(
        json.dumps(
            {
                "id": "evil",
                "outlet": 'Evil <b onmouseover="window.__xss=6">Outlet</b>',
                "title": EVIL_TITLE,
                "date": "2017-07-10",
                "text": EVIL_TEXT,
            }
        )
        + "\n"
    )
    db = d / "web.db"
    with Store(db) as store:
        ingest([ROOT / "examples" / "seeds", evil], store)
        detect(store, DetectParams(workers=1))
    return db


class Server:
    def __init__(self, app: object, host: str = "127.0.0.1") -> None:
        import uvicorn

        self.port = free_port()
        self.host = host
        self.server = uvicorn.Server(
            uvicorn.Config(app, host=host, port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.time() + 15
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def server(web_store: Path) -> Iterator[Server]:
    from newstrace.web import create_app

    with Server(create_app(web_store)) as s:
        yield s


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    pw = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with pw.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()

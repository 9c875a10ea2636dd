from __future__ import annotations

import gzip
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


def corpus_texts(ids: set[str]) -> dict[str, str]:
    """Texts of the bundled BuzzFeed-Webis articles with these ids."""
    out = {}
    with gzip.open(ROOT / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz", "rt") as f:
        for line in f:
            r = json.loads(line)
            if r["id"] in ids:
                out[r["id"]] = r["text"]
    return out


def build_families_store(d: Path) -> Path:
    """The seed pair and three more story families, made of real articles, for the index pages.

    Families (name: size, first published, outlets): "A Joyous Trump Cheers About NYC Bombing"
    (2, undated, Occupy Democrats and an unknown outlet), "Bill Clinton: 'Natural' for
    foundation donors to seek favors" (3, 2016-09-20, CNN, Mirror One, Mirror Two), "Putin:
    Trump Different than on TV, ..." (the seeds: 2, 2017-07-09, Global Research and an unknown
    outlet) and "Zebra copy: the IT guy asked Reddit" (2, 2016-09-25: its origin has no
    headline, so the family takes its copy's); and one article reused by nobody.
    """
    from newstrace.detect import DetectParams, detect
    from newstrace.pipeline import ingest
    from newstrace.store import Store

    t = {
        k.rsplit("/", 1)[1]: v
        for k, v in corpus_texts(
            {f"buzzfeed-webis/{n}" for n in ("0242", "0605", "0855", "1581")}
        ).items()
    }
    records = [
        {"id": "f1-origin", "outlet": "CNN", "date": "2016-09-20", "text": t["0242"],
         "title": "Bill Clinton: 'Natural' for foundation donors to seek favors"},
        {"id": "f1-copy1", "outlet": "Mirror One", "title": "Clinton says donors naturally sought favors",
         "date": "2016-09-21", "text": t["0242"] + "\n\nThis is what the Clintons call normal. Share if you agree."},
        {"id": "f1-copy2", "outlet": "Mirror Two", "title": "Donors and favors", "date": "2016-09-22",
         "text": "Read this before the debate.\n\n" + t["0242"]},
        {"id": "f2-origin", "outlet": "Eagle Rising", "title": "", "date": "2016-09-25", "text": t["0605"]},
        {"id": "f2-copy", "outlet": "Mirror One", "title": "Zebra copy: the IT guy asked Reddit",
         "date": "2016-09-26", "text": t["0605"] + "\n\nUnbelievable. Lock her up."},
        {"id": "f3-origin", "outlet": "Occupy Democrats", "title": "A Joyous Trump Cheers About NYC Bombing",
         "text": t["0855"]},
        {"id": "f3-copy", "title": "Trump cheers bombing, again", "text": t["0855"] + "\n\nSource: Occupy Democrats"},
        {"id": "single", "outlet": "Right Wing News", "title": "Deleted Benghazi emails recovered",
         "date": "2016-09-28", "text": t["1581"]},
    ]  # fmt: skip
    src = d / "families.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    db = d / "families.db"
    with Store(db) as store:
        ingest([ROOT / "examples" / "seeds", src], store)
        detect(store, DetectParams(workers=1))
    return db


@pytest.fixture(scope="session")
def families_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """See :func:`build_families_store`."""
    return build_families_store(tmp_path_factory.mktemp("families"))


class Server:
    def __init__(self, app: object, host: str = "127.0.0.1") -> None:
        import uvicorn

        from newstrace.web import server_options

        self.port = free_port()
        self.host = host
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=self.port, **server_options()))
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
def families_server(families_store: Path) -> Iterator[Server]:
    from newstrace.web import create_app

    with Server(create_app(families_store)) as s:
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

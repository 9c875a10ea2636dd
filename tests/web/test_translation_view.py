"""A Spanish translation of the seed's RT article against the original, in the pair view.

The Spanish text (tests/web/data/seed-rt-es.txt, translated for this test) renders RT's
article paragraph by paragraph, adds a sentence of spin and leaves out the Tillerson passage.
``detect --semantic`` must find the pair, and the pair view must link each translated passage
to its original, mark the added sentence and the omitted paragraph, and name both languages.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Server

pytestmark = [pytest.mark.semantic, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
RT = ROOT / "examples" / "seeds" / "001_56b3779ae79152f8.txt"
ES = Path(__file__).resolve().parent / "data" / "seed-rt-es.txt"
SPIN = "Como era de esperar, los grandes medios occidentales"


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, str]]:
    from newstrace.detect import DetectParams, detect
    from newstrace.pipeline import ingest
    from newstrace.store import Store
    from newstrace.web import create_app

    d = tmp_path_factory.mktemp("translated")
    for f in (RT, ES, ES.with_name("seed-rt-es.meta.json")):
        shutil.copy(f, d / f.name)
    db = d / "t.db"
    with Store(db) as store:
        ingest([d / RT.name, d / ES.name], store)
        detect(store, DetectParams(semantic=True, workers=1))
        pairs = [r for r in store.pairs() if r["relation"] in ("duplicate", "derived", "partial")]
        assert len(pairs) == 1, [dict(r) for r in store.pairs()]
        src, der = pairs[0]["source"], pairs[0]["derivative"]
        assert store.get(src).language == "en" and store.get(der).language == "es"
    with Server(create_app(db)) as s:
        yield s, src, der


def test_the_translation_is_linked_passage_by_passage_with_additions_and_omissions(
    browser: Any, translated: tuple[Server, str, str]
) -> None:
    server, src, der = translated
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server.url}/pairs/{src}/{der}")
    body = page.inner_text("body")
    assert "language: en" in body and "language: es" in body
    passages = page.locator('#derivative .psg[data-side="d"]')
    assert passages.count() >= 2  # translated runs (neighbours merge), split by the added sentence
    kinds = page.eval_on_selector_all(
        "#derivative .psg[data-side='d']", "els => els.map(e => e.className)"
    )
    assert sum("translation" in k for k in kinds) >= len(kinds) * 0.8, kinds
    # The added sentence and the omitted paragraph are marked where they stand.
    added = page.locator("#derivative .added").all_inner_texts()
    assert any(SPIN in t for t in added), added
    omitted = " ".join(page.locator("#source .omitted").all_inner_texts())
    assert "Tillerson" in omitted
    # A passage of the Spanish text, hovered, lights up its English original.
    first = passages.first
    p = first.get_attribute("data-p")
    first.hover()
    lit = page.get_attribute(f'#source [data-side="s"][data-p="{p}"]', "class") or ""
    assert "active" in lit.split() and "k-translation" in lit.split(), lit
    page.close()

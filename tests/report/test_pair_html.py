"""The pair page is self-contained and escapes everything it shows."""

from __future__ import annotations

import re

from newstrace.analyze import compare
from newstrace.models import Attribution, Document
from newstrace.report.pair_html import pair_page

EVIL = (
    '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a>'
)
BODY = (
    "The council voted on Tuesday to expand the tram network to the northern suburbs, "
    "the mayor said, adding that the work would be finished by 2030. "
)


def test_markup_in_articles_is_escaped() -> None:
    a = Document(
        id="a",
        text=BODY * 3 + EVIL,
        title=EVIL,
        outlet=EVIL,
        attributions=(Attribution(EVIL, "source_line", EVIL, 0, 5),),
    )
    b = Document(id="b", text=EVIL + " " + BODY * 2, title="<b>bold</b>", published="2020-01-02")
    r = compare(a, b)
    d = r.to_dict()
    html = pair_page(d, source_text=r.source.text, derivative_text=r.derivative.text)
    assert "<script>alert" not in html
    assert "<img" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Only our own inline script, and a CSP that forbids any request.
    assert len(re.findall(r"<script>", html)) == 1
    assert "default-src 'none'" in html
    assert not re.search(r"(src|href)=\"https?://", html)


def test_passages_are_linked_both_sides() -> None:
    a = Document(id="a", text=BODY * 2, published="2020-01-01")
    b = Document(id="b", text="Breaking news. " + BODY)
    r = compare(a, b)
    html = pair_page(r.to_dict(), source_text=r.source.text, derivative_text=r.derivative.text)
    assert 'data-side="s" data-p="0"' in html and 'data-side="d" data-p="0"' in html
    assert 'class="added"' in html

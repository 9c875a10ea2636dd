# ruff: noqa: E501
"""The pair page is self-contained, escapes everything it shows, and marks word changes in
place."""

from __future__ import annotations

import itertools
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.analyze import compare
from newstrace.models import Attribution, Document
from newstrace.pipeline import compare_pair
from newstrace.report.pair_html import DiffMark, _segments, pair_page
from tests.analyze.test_relations import SOURCE, doc

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


# -- word changes marked in place ----------------------------------------------------------------
SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


class _Balance(HTMLParser):
    """Checks that span, ins and del elements nest properly (no crossing, none left open)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("span", "ins", "del"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("span", "ins", "del"):
            assert self.stack and self.stack.pop() == tag, f"</{tag}> closes {self.stack}"


def _balanced(html: str) -> None:
    p = _Balance()
    p.feed(html)
    p.close()
    assert p.stack == []


@pytest.fixture(scope="module")
def seed_html() -> str:
    report, src, der = compare_pair(SEEDS / "000_b532a79fb36ebd07.txt", SEEDS / "001_56b3779ae79152f8.txt", semantic=False)
    return pair_page(report.to_dict(), source_text=src.text, derivative_text=der.text)


def test_seed_pair_edits_are_marked_inside_their_passages(seed_html: str) -> None:
    # The blog rewrites RT's "for maintaining" as "in Syria to maintain" in a near-verbatim
    # passage: struck through on the source's side, underlined on the derivative's, in place.
    # One span per passage, the edits nested in it.
    assert re.search(
        r'<span class="psg k-near_verbatim" data-side="s" data-p="\d+">of the de-escalation zones '
        r'<del class="wd wd-sub" title="replaced by: in Syria to maintain">for maintaining</del>'
        r" the territorial integrity of the</span>",
        seed_html,
    )
    assert re.search(
        r'<span class="psg k-near_verbatim" data-side="d" data-p="\d+">of the de-escalation zones '
        r'<ins class="wd wd-sub" title="replaces: for maintaining">in Syria to maintain</ins>'
        r" the territorial integrity of the</span>",
        seed_html,
    )
    # Words only one side has: the commentator's introduction the blog added to a paraphrase,
    # RT's attribution it dropped.
    assert re.search(
        r'<ins class="wd wd-ins">British journalist and political commentator Martin Summers believes</ins>',
        seed_html,
    )
    assert re.search(r'<del class="wd wd-del">,&quot; Martin Summers, journalist and political commentator, told RT</del>', seed_html)
    # Verbatim passages are the same words: nothing is marked inside them.
    verbatim = re.findall(r'<span class="psg k-verbatim"[^>]*>(.*?)</span>', seed_html, re.S)
    assert verbatim and not any("<ins" in v or "<del" in v for v in verbatim)
    _balanced(seed_html)


def test_legend_explains_the_marks_with_the_marks(seed_html: str) -> None:
    legend = seed_html[seed_html.index("<div class=legend>") :]
    legend = legend[: legend.index("</div>")]
    for mark in ('<del class="wd wd-del">', '<ins class="wd wd-ins">', '<del class="wd wd-sub">', '<ins class="wd wd-sub">'):
        assert mark in legend
    assert "struck through" in legend and "underlined" in legend
    # Not colour alone: each kind has its own line, and words for a screen reader.
    assert "del.wd-del{" in seed_html and "line-through" in seed_html and "underline" in seed_html
    assert 'content:" (inserted)"' in seed_html and 'content:" (deleted)"' in seed_html


def test_whole_quotation_with_its_edits_in_place() -> None:
    der = [
        SOURCE[0],
        '"We have never seen water levels rise this fast, and we are doing nothing we can to protect people," Keller said.',
        *SOURCE[3:8],
    ]
    r = compare(doc("src", SOURCE, published="2023-05-02"), doc("der", der, published="2023-05-04"))
    html = pair_page(r.to_dict(), source_text=r.source.text, derivative_text=r.derivative.text)
    row = next(x for x in re.findall(r"<tr class=quote>.*?</tr>", html, re.S) if "st-altered" in x)
    der_cell = re.search(r"<td class=q-der>(.*?)</td>", row, re.S).group(1)  # type: ignore[union-attr]
    src_cell = re.search(r"<td class=q-src>(.*?)</td>", row, re.S).group(1)  # type: ignore[union-attr]
    # Both versions whole (nothing cut after the first change), the changes marked in place.
    plain = re.sub(r"<[^>]+>", "", der_cell)
    assert unescape(plain) == "“We have never seen water levels rise this fast, and we are doing nothing we can to protect people,”"
    assert unescape(re.sub(r"<[^>]+>", "", src_cell)).endswith("we are doing everything we can to protect people”")
    assert '<ins class="wd wd-sub" title="replaces: quickly">fast</ins>' in der_cell
    assert '<ins class="wd wd-sub" title="replaces: everything">nothing</ins>' in der_cell
    assert '<del class="wd wd-sub" title="replaced by: nothing">everything</del>' in src_cell
    # The trailing comma against the closing mark is the outlet's style, not an edit.
    assert "<ins" not in der_cell[der_cell.index("protect") :]
    assert "replaced “quickly” → “fast”" in row and "replaced “everything” → “nothing”" in row
    _balanced(html)


def test_word_changes_are_escaped() -> None:
    evil = '"><img src=x onerror="alert(1)">'
    a = Document(id="a", text=BODY * 2, published="2020-01-01")
    b = Document(id="b", text=BODY.replace("northern suburbs", f"northern {evil} suburbs") + BODY)
    r = compare(a, b)
    d = r.to_dict()
    assert any(p["kind"] == "near_verbatim" for p in d["passages"])
    html = pair_page(d, source_text=r.source.text, derivative_text=r.derivative.text)
    assert "<img" not in html and 'onerror="alert' not in html
    assert '<ins class="wd wd-ins">&quot;&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</ins>' in html
    _balanced(html)


def test_segments_nest_edits_inside_overlapping_marks() -> None:
    text = "one two three four five"
    marks = [(0, 13, "psg", "0"), (8, 23, "added", None)]
    edits = [DiffMark(4, 18, "ins", "wd wd-ins"), DiffMark(0, 3, "del", "wd wd-del")]
    html = _segments(text, marks, edits)
    _balanced(html)
    assert unescape(re.sub(r"<[^>]+>", "", html)) == text
    assert html == (
        '<span class="psg" data-p="0"><del class="wd wd-del">one</del> <ins class="wd wd-ins">two </ins></span>'
        '<span class="psg added" data-p="0"><ins class="wd wd-ins">three</ins></span>'
        '<span class="added"><ins class="wd wd-ins"> four</ins> five</span>'
    )


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab <&\"'\n", max_size=40),
    st.lists(st.tuples(st.integers(-2, 42), st.integers(-2, 42), st.sampled_from(["psg", "added"])), max_size=5),
    st.lists(st.integers(0, 40), max_size=8),
)
def test_segments_keep_the_text_and_nest(text: str, raw: list[tuple[int, int, str]], cuts: list[int]) -> None:
    marks = [(s, e, c, str(k) if c == "psg" else None) for k, (s, e, c) in enumerate(raw)]
    points = sorted({min(len(text), x) for x in cuts})
    # Edits from alternate runs between cut points: sorted, never overlapping.
    edits = [DiffMark(s, e, "ins" if k % 2 else "del", "wd") for k, (s, e) in enumerate(itertools.pairwise(points)) if k % 3 != 2]
    html = _segments(text, marks, edits)
    _balanced(html)
    assert unescape(re.sub(r"<[^>]+>", "", html)) == text
    marked = "".join(re.findall(r"<(?:ins|del) class=\"wd\">([^<]*)</(?:ins|del)>", html))
    assert unescape(marked) == "".join(text[m.start : m.end] for m in edits)

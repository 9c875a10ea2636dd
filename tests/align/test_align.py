"""Aligner kernels: invariants (hypothesis) and behaviour on constructed inputs."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newstrace.align import align, merge_passages
from newstrace.align.seeds import chain_seeds, find_seeds
from newstrace.clean.text import words
from newstrace.models import Passage

WORDS = [
    "the",
    "minister",
    "said",
    "bridge",
    "river",
    "flood",
    "council",
    "vote",
    "Keller",
    "rain",
    "“",
    "”",
    ".",
    ",",
    "\n",
    "Dresden",
    "tax",
    "school",
    "é",
    "ß",
]
texts = st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(texts, texts)
def test_offsets_are_in_bounds_and_b_spans_disjoint(a: str, b: str) -> None:
    al = align(a, b)
    last_end = -1
    for p in al.passages:
        assert 0 <= p.a_start < p.a_end <= len(a)
        assert 0 <= p.b_start < p.b_end <= len(b)
        assert p.b_start >= last_end
        last_end = p.b_end
        assert p.kind in ("verbatim", "near_verbatim", "paraphrase")
        assert 0 <= p.score <= 1


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(0, 60), st.integers(0, 60))
# Found in a clean-clone run: a copy followed, in one sentence, by as many added words was
# absorbed into a "paraphrase" of its source sentence.
@example(host=" ".join(["the"] * 23), i=0, n=0)
def test_copied_passage_is_found_verbatim(host: str, i: int, n: int) -> None:
    source = (
        "Flood defences failed on Tuesday night and four villages near Dresden were evacuated "
        "while crews reinforced the remaining dykes through the night."
    )
    words = host.split()
    derivative = " ".join([*words[:i], source, *words[i:]])
    al = align(source, derivative)
    assert any(
        derivative[p.b_start : p.b_end] == source.rstrip(".")
        or derivative[p.b_start : p.b_end] == source
        for p in al.passages
    )


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(1, 20), st.integers(0, 50), st.integers(1, 20)),
        max_size=12,
    )
)
def test_merge_is_idempotent(raw: list[tuple[int, int, int, int]]) -> None:
    a_text = b_text = "word " * 40
    ps = [Passage("verbatim", a, a + la, b, b + lb) for a, la, b, lb in raw]
    once = merge_passages(ps, a_text, b_text)
    assert merge_passages(once, a_text, b_text) == once


def test_seed_chain_tolerates_edits() -> None:
    a = "one two three four five six seven eight nine ten eleven twelve".split()
    b = "one two three four five SIX seven eight nine ten eleven twelve".split()
    chains = chain_seeds(find_seeds(a, b, n=3), n=3)
    assert len(chains) == 1 and (chains[0].b0, chains[0].b1) == (0, 12)


def test_near_verbatim_and_paraphrase_kinds() -> None:
    src = (
        "Regional governor Anna Keller said emergency crews had worked through the night to reinforce "
        "the remaining dykes. The river peaked at 8.2 metres early on Wednesday, almost a metre above the "
        "previous record set in 2002."
    )
    der = (
        "Regional governor Anna Keller said rescue crews had worked all through the night to reinforce "
        "the remaining dykes. On Wednesday morning the river reached a record 8.2 metres, nearly a metre "
        "above the previous record from 2002."
    )
    kinds = [p.kind for p in align(src, der).passages]
    assert kinds[0] == "near_verbatim"
    assert "paraphrase" in kinds


def _repetitive(kind: str, n_words: int) -> str:
    """``n_words`` words of repetitive text: one short sentence again and again (a full stop
    followed by lower case, so no sentence ends), one word without any full stop, or a cycle
    of 10 sentences (every 4-gram recurs more than ``max_occurrences`` times)."""
    if kind == "sentence":
        return "the same sentence again and again . " * (n_words // 7)
    if kind == "word":
        return "again " * n_words
    cycle = [f"Sentence {i} of the cycle said the council met on Monday." for i in range(10)]
    return " ".join(cycle * (n_words // 110))


def _normal(n_words: int) -> str:
    """At least ``n_words`` words of real articles (the bundled BuzzFeed-Webis sample)."""
    import gzip
    import json
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "examples" / "corpus" / "buzzfeed-webis-2016.jsonl.gz"
    text = ""
    with gzip.open(corpus, "rt") as f:
        for line in f:
            text += json.loads(line)["text"] + "\n\n"
            if len(words(text)) >= n_words:
                return text
    raise AssertionError("corpus too small")


def _best_of_3(f: Callable[[], object]) -> float:
    """The least CPU time of this process that three calls of ``f`` took: CPU time, not wall
    time, so that other processes on a busy machine (a full suite run beside another) do not
    count; the least of three, as what remains (caches, frequency) only ever adds time."""
    times = []
    for _ in range(3):
        t = time.process_time()
        f()
        times.append(time.process_time() - t)
    return min(times)


@pytest.mark.parametrize("kind", ["sentence", "word", "cycle"])
def test_repetitive_input_is_bounded(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """README: frequent n-grams are not seeds, so repetitive input stays linear. Checked on the
    work (seeds found) and on the time: against real text of the same length, and against
    itself four times longer (linear: 4x; quadratic: 16x)."""
    import newstrace.align as aligner

    seeds: list[int] = []

    def counting(a: list[str], b: list[str], **kw: int) -> list[tuple[int, int]]:
        found = find_seeds(a, b, **kw)
        seeds.append(len(found))
        return found

    monkeypatch.setattr(aligner, "find_seeds", counting)
    rep, rep4, normal = _repetitive(kind, 3000), _repetitive(kind, 12000), _normal(3000)
    for text in (rep, rep4):
        align(text, text)
        assert seeds[-1] == 0, "every n-gram recurs past max_occurrences: no seed"
    t_rep, t_rep4, t_normal = (_best_of_3(lambda t=t: align(t, t)) for t in (rep, rep4, normal))
    assert seeds[-1] > len(words(normal)) // 2  # real text aligned with itself: seeds all along
    assert t_rep <= 5 * t_normal, f"{kind}: {t_rep:.3f} s against {t_normal:.3f} s for real text"
    assert t_rep4 <= 8 * t_rep, f"{kind}: 4x the words took {t_rep4 / t_rep:.1f}x the time"


@pytest.mark.parametrize(
    "inserted",
    ["new", "and eastern", '"><img src=x onerror="alert(1)">', "of the city, officials said"],
)
def test_verbatim_means_the_same_words(inserted: str) -> None:
    # Passages merged over a gap whose words differ are near-verbatim, never verbatim.
    body = (
        "The council voted on Tuesday to expand the tram network to the northern suburbs, "
        "the mayor said, adding that the work would be finished by 2030. "
    )
    b_text = body.replace("northern suburbs", f"northern {inserted} suburbs") + body
    al = align(body * 2, b_text)
    assert al.passages
    for p in al.passages:
        same = words(al.a.text[p.a_start : p.a_end]) == words(al.b.text[p.b_start : p.b_end])
        assert (p.kind == "verbatim") == same or p.kind == "paraphrase", p
    covering = [p for p in al.passages if p.b_start <= b_text.index(inserted) < p.b_end]
    assert all(p.kind == "near_verbatim" for p in covering)


def test_a_chain_whose_a_side_is_shorter_than_its_trimmed_b_side_makes_no_inverted_passage() -> None:
    """An input the align fuzz target found (tests/fuzz/targets.py: two texts, the bytes split):
    a chain of seeds longer in B than in A, trimmed where a longer passage held its start in B,
    kept an A range that began after it ended (source span 579-577)."""
    from pathlib import Path

    data = (Path(__file__).parent / "regressions" / "align_shorter_a_chain.bin").read_bytes()
    cut = len(data) // 2  # no NUL in it: split in half, as the target does
    a, b = data[:cut].decode("utf-8", "replace"), data[cut + 1 :].decode("utf-8", "replace")
    for x, y in ((a, b), (b, a)):
        passages = align(x, y).passages
        assert passages
        for p in passages:
            assert 0 <= p.a_start <= p.a_end <= len(x) and 0 <= p.b_start <= p.b_end <= len(y)

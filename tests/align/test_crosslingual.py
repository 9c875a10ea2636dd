"""Alignment across languages: the DP kernels on constructed matrices, invariants with a
stand-in encoder (hypothesis), and translations written for the purpose with the real one."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newstrace.align import align
from newstrace.align.crosslingual import (
    Bead,
    accept_beads,
    anchors,
    languages_differ,
    monotonic_beads,
    reordered_beads,
    script_of,
    shared_vocabulary,
    translation_beads,
)
from newstrace.align.crosslingual import text_language as detect_language
from newstrace.align.semantic import EncoderProfile
from newstrace.analyze.evidence import translated_figures
from newstrace.clean.text import Sentence


def _m(rows: list[list[float]]) -> np.ndarray:
    return np.array(rows, dtype=np.float32)


def test_monotonic_path_follows_the_diagonal_and_skips_an_added_sentence() -> None:
    # B's sentence 2 is added: it matches nothing; the rest follow A in order.
    s = _m([[0.8, 0.1, 0.2, 0.1], [0.2, 0.75, 0.1, 0.2], [0.1, 0.2, 0.3, 0.85]])
    path = monotonic_beads({(1, 1): s}, floor=0.35)
    assert [(b.a0, b.a1, b.b0, b.b1) for b in path] == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 3, 4)]


def test_a_split_sentence_is_one_bead_of_one_and_two() -> None:
    # A's sentence 1 became B's sentences 1 and 2: each half scores low alone, the pair high.
    s11 = _m([[0.85, 0.1, 0.1, 0.1], [0.1, 0.5, 0.45, 0.1], [0.1, 0.1, 0.1, 0.8]])
    s12 = _m([[0.5, 0.1, 0.1], [0.2, 0.82, 0.3], [0.1, 0.1, 0.4]])
    s21 = _m([[0.5, 0.3, 0.3, 0.1], [0.1, 0.4, 0.3, 0.5]])
    path = monotonic_beads({(1, 1): s11, (1, 2): s12, (2, 1): s21}, floor=0.35)
    assert [(b.a0, b.a1, b.b0, b.b1) for b in path] == [(0, 1, 0, 1), (1, 2, 1, 3), (2, 3, 3, 4)]
    assert path[1].score == pytest.approx(0.82)


def test_a_merge_must_beat_its_parts() -> None:
    # The merged bead scores no better than its best sentence alone: 1-1 and a skip instead.
    s11 = _m([[0.8, 0.1], [0.1, 0.7]])
    s12 = _m([[0.81], [0.3]])
    path = monotonic_beads({(1, 1): s11, (1, 2): s12}, floor=0.35)
    assert [(b.a0, b.a1, b.b0, b.b1) for b in path] == [(0, 1, 0, 1), (1, 2, 1, 2)]


def test_a_reordered_sentence_is_found_off_the_path() -> None:
    # A's last sentence was moved to the top of B.
    s = _m([[0.1, 0.8, 0.1, 0.1], [0.1, 0.1, 0.8, 0.1], [0.1, 0.1, 0.1, 0.8], [0.9, 0.1, 0.1, 0.1]])
    path = monotonic_beads({(1, 1): s}, floor=0.35)
    kept = accept_beads(path, strong=0.6, run_mean=0.5)
    assert [(b.a0, b.b0) for b in kept] == [(0, 1), (1, 2), (2, 3)]
    assert [(b.a0, b.b0) for b in reordered_beads(s, kept, strong=0.6)] == [(3, 0)]


def test_weak_beads_count_only_in_a_run() -> None:
    lone = [Bead(0, 1, 0, 1, 0.45)]
    assert accept_beads(lone, strong=0.6, run_mean=0.5) == []
    run = [Bead(k, k + 1, k, k + 1, c) for k, c in enumerate([0.5, 0.55, 0.52])]
    assert accept_beads(run, strong=0.6, run_mean=0.5) == run  # three in a row, mean 0.52
    broken = [Bead(0, 1, 0, 1, 0.5), Bead(3, 4, 3, 4, 0.55), Bead(6, 7, 6, 7, 0.52)]
    assert accept_beads(broken, strong=0.6, run_mean=0.5) == []
    anchored = [Bead(0, 1, 0, 1, 0.4), Bead(1, 2, 2, 3, 0.7)]  # one sentence skipped in B
    assert accept_beads(anchored, strong=0.6, run_mean=0.5) == anchored


def test_a_long_run_of_weak_beads_is_a_translation() -> None:
    """Six beads in order, each on the path but under the run mean, are a translation (the
    wide encoder scores whole Ukrainian translations so); five are not."""
    six = [Bead(k, k + 1, k, k + 1, 0.45) for k in range(6)]
    assert accept_beads(six, strong=0.6, run_mean=0.5) == six
    assert accept_beads(six[:5], strong=0.6, run_mean=0.5) == []


def test_an_anchored_bead_stands_alone() -> None:
    lone = [Bead(3, 4, 7, 8, 0.52), Bead(9, 10, 20, 21, 0.52)]
    assert accept_beads(lone, strong=0.6, run_mean=0.5) == []
    kept = accept_beads(lone, strong=0.6, run_mean=0.5, anchored=lambda b: b.a0 == 3)
    assert kept == lone[:1]


def test_anchors_are_the_names_and_figures_a_translation_keeps() -> None:
    en = "Amid calls for his resignation, Matheson said the SNP's 2,500 beds were not unique to Scotland."
    cs = "V souvislosti s výzvami k rezignaci Matheson prohlásil, že 2 500 lůžek SNP není nic nového pro Skotsko."
    de = "Inmitten der Rücktrittsforderungen sagte Matheson, die 2.500 Betten der SNP seien nichts Neues."
    assert anchors(en) & anchors(cs) & anchors(de) == {"mathe", "snp", "#2500"}
    # The first word of a sentence is capitalised anyway; one digit is not a figure; other
    # scripts keep no anchor; accents are stripped ("Babiš" meets "Babis").
    assert anchors("Yesterday 5 people met.") == frozenset()
    assert anchors("Вчера Мэтисон заявил, что СНП против.") == frozenset()
    assert anchors("Premiér Babiš řekl") == anchors("Prime minister Babis said") == {"babis"}
    assert anchors("في عام ٢٠٢٢") == anchors("In 2022") == {"#2022"}


def test_numbers_written_without_spaces_are_each_an_anchor() -> None:
    """Chinese and Japanese set numbers among characters with no space: each is a figure of its
    own ("#1983310" was three figures joined, so a Japanese translation kept none of the
    English figures and a translated excerpt was taken for another report)."""
    ja = "1983年のアラスカ航空310便は、3月21日に1,500人を乗せて13.6キロ飛んだ。"
    en = "In 1983 Alaska Airlines flight 310 flew 13.6 km with 1,500 people on March 21."
    assert anchors(ja) == {"#1983", "#310", "#21", "#1500", "#136"}
    assert {x for x in anchors(en) if x.startswith("#")} == anchors(ja)
    assert translated_figures(ja, en)


@given(st.text(max_size=200))
def test_anchors_of_any_text_are_short_plain_keys(text: str) -> None:
    for a in anchors(text):
        figure = a[0] == "#" and a[1:].isdigit() and len(a) >= 3
        assert a.isascii() and (figure or (a.isalpha() and a.islower()))


def test_languages_differ_by_code_script_or_words() -> None:
    assert languages_differ("x", "y", "es", "en")
    assert not languages_differ("x", "y", "de-AT", "de")
    assert languages_differ("Путин заявил журналистам во вторник", "Putin told reporters on Tuesday")
    assert script_of("新华社北京电") == "han"
    es = "El gobierno anunció el martes que los precios de la energía bajarán en las próximas semanas."
    en = "The government said on Tuesday that energy prices will fall in the coming weeks and months."
    assert languages_differ(es, en) and not languages_differ(en, en.upper())
    uk = "Уряд заявив, що ціни на енергію знизяться, і це стане полегшенням для родин та бізнесу."
    ru = "Правительство заявило, что цены на энергию снизятся, и это станет облегчением для семей."
    assert detect_language(uk) == "uk" and detect_language(ru) == "ru" and languages_differ(uk, ru)


def test_texts_made_of_the_same_words_are_one_language_whatever_their_labels() -> None:
    # Two wire results tables: the identifier called one of them Nigerian Pidgin, and the pair was
    # aligned as a translation, 55 words of "translated" evidence (86 such pairs on Reuters).
    a = ("FRESNO, Calif., March 3 - Shr loss 1.48 dlrs vs loss 36 cts\n\nNet loss 4,036,000 vs loss "
         "983,000\n\nSales 16.6 mln vs 17 mln\n\nShr loss 1.88 dlrs vs profit 71 cts\n\nNote: includes "
         "extraordinary items. Reuter")
    b = ("NEW YORK, March 4 - Shr profit three cts vs loss two cts\n\nnet profit 157,500 vs loss "
         "60,200\n\nRevs 1.1 mln vs 1.0 mln\n\nNine months\n\nShr profit five cts vs profit six cts. Reuter")
    assert shared_vocabulary(a, b) >= 0.3
    # The labels lose to the words when so many of them are the same words.
    assert not languages_differ(a, b, "en", "pcm")
    # A translation shares names and figures, not its words: still two languages.
    de = "Bundeskanzlerin Angela Merkel traf am Dienstag in Berlin den französischen Präsidenten Emmanuel Macron."
    en = "Chancellor Angela Merkel met French President Emmanuel Macron in Berlin on Tuesday."
    assert shared_vocabulary(de, en) < 0.3 and languages_differ(de, en, "de", "en")


def test_a_stored_unknown_language_is_not_guessed_again() -> None:
    # A results table the language stage read with its title and left unknown; guessed again
    # from the text alone, the identifier calls it something else, and the pair was aligned
    # as a translation of an English table.
    table = ("COLUMBUS, Ohio, March 2 - Ended Jan four\n\nShr loss 14 cts vs loss 27 cts\n\nNet loss "
             "850,000 vs loss 1,400,000\n\nRevs 2,280,000 vs 2,220,000. Reuter")
    other = "NEW HAVEN, Conn., March 2 - Shr loss eight cts vs loss three cts. Reuter"
    guess = detect_language(table)
    assert guess not in (None, "en")  # what a second guess says
    assert languages_differ(other, table, "en", None)
    assert not languages_differ(other, table, "en", None, examined=(True, True))
    # A stated language still decides, and so does the script.
    assert languages_differ(other, table, "en", "de", examined=(True, True))
    assert languages_differ("Путин заявил журналистам во вторник", other, None, "en", examined=(True, True))


# -- invariants with a stand-in encoder ---------------------------------------------------------
class BagEncoder:
    """A deterministic stand-in: a sentence's vector is the normalised sum of its words' hash
    vectors, so sentences sharing words meet (translation is simulated by forcing the
    cross-language path)."""

    name = "bag"
    profile = EncoderProfile(0.75, 0.95, 0.4, 0.77, translation=0.6)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(sentences), 64), dtype=np.float32)
        for k, s in enumerate(sentences):
            for w in s.lower().split():
                seed = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest(), "little")
                out[k] += np.random.default_rng(seed).standard_normal(64).astype(np.float32)
            out[k] = out[k] / (np.linalg.norm(out[k]) or 1.0)
        return out


VOCAB = ["minister", "bridge", "river", "flood", "council", "vote", "rain", "tax", "school", "Keller"]
sentence = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=9).map(lambda ws: " ".join(ws) + ".")
texts = st.lists(sentence, max_size=14).map(lambda ss: "\n".join(ss))


@settings(max_examples=120, deadline=None)
@given(texts, texts)
@example(  # a bead that absorbed a word-for-word fragment reaching into the sentence before it
    "minister bridge minister.\nminister minister bridge minister minister.\nminister minister minister.",
    "minister.\nminister minister minister minister minister.\nminister minister bridge minister minister minister.",
)
def test_translation_passages_stay_inside_both_texts_and_never_overlap(a: str, b: str) -> None:
    al = align(a, b, encoder=BagEncoder(), crosslingual=True)
    assert al.crosslingual
    last_end = -1
    for p in sorted(al.passages, key=lambda x: x.b_start):
        assert 0 <= p.a_start < p.a_end <= len(a) and 0 <= p.b_start < p.b_end <= len(b)
        assert p.b_start >= last_end  # disjoint in B
        last_end = p.b_end
    trans = [p for p in al.passages if p.kind == "translation"]
    for x in trans:  # and translation passages are disjoint in A too
        assert not any(y is not x and y.a_start < x.a_end and x.a_start < y.a_end for y in trans)


class CountingEncoder(BagEncoder):
    """BagEncoder that records every text it is asked to embed."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        self.seen.extend(sentences)
        return super().encode(sentences)


def _sentences(text: str) -> list[Sentence]:
    out, at = [], 0
    for line in text.split("\n"):
        out.append(Sentence(at, at + len(line)))
        at += len(line) + 1
    return out


def test_a_pair_with_no_sentence_near_the_other_is_left_before_merged_texts_are_embedded() -> None:
    a = "minister bridge river.\ncouncil vote rain.\ntax school Keller."
    far = "alpha beta gamma.\ndelta epsilon zeta.\neta theta iota."
    enc = CountingEncoder()
    kw = {"strong": 0.6, "floor": 0.35, "run_mean": 0.5}
    assert translation_beads(a, _sentences(a), far, _sentences(far), enc, **kw) == []
    assert len(enc.seen) == 6  # the single sentences only: no merged text was embedded
    # A pair that shares a sentence is aligned with its merged texts, as before.
    near = "minister bridge river.\ndelta epsilon zeta.\neta theta iota."
    enc = CountingEncoder()
    beads = translation_beads(a, _sentences(a), near, _sentences(near), enc, **kw)
    assert [(x.a0, x.b0) for x in beads] == [(0, 0)]
    assert len(enc.seen) == 6 + 4  # and its runs of two sentences, two a side


def test_a_pivot_keeps_a_lone_weak_bead_inside_its_spans_only() -> None:
    """A sentence pair under the ``translation`` cosine, in no run, is not a translation on
    the encoder's word alone; where a pivot says both spans render the same text of a third
    document, the path through the spans keeps it. A pivot elsewhere keeps nothing."""
    from newstrace.align import Pivot

    a = "minister bridge river flood.\ncouncil vote rain tax.\nschool Keller alpha beta."
    b = "epsilon zeta eta theta.\nminister bridge gamma delta.\niota kappa lambda mu."
    sa, sb = _sentences(a), _sentences(b)
    kw = {"strong": 0.7, "floor": 0.35, "run_mean": 0.7}
    pair = BagEncoder().encode(["minister bridge river flood.", "minister bridge gamma delta."])
    cos = float(pair[0] @ pair[1])
    assert kw["floor"] < cos < kw["run_mean"]  # weak: on the path, but not a translation alone
    assert translation_beads(a, sa, b, sb, BagEncoder(), **kw) == []
    held = Pivot("hub", sa[0].start, sa[1].end, sb[1].start, sb[2].end)
    beads = translation_beads(a, sa, b, sb, BagEncoder(), pivots=[held], **kw)
    assert [(x.a0, x.a1, x.b0, x.b1) for x in beads] == [(0, 1, 1, 2)]
    elsewhere = Pivot("hub", sa[2].start, sa[2].end, sb[0].start, sb[0].end)
    assert translation_beads(a, sa, b, sb, BagEncoder(), pivots=[elsewhere], **kw) == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.floats(-1, 1, width=32), min_size=6, max_size=6), min_size=6, max_size=6),
    st.integers(0, 5), st.integers(0, 5), st.integers(0, 5), st.integers(0, 5),
)
def test_pivot_beads_stay_in_their_window_and_off_taken_sentences(
    rows: list[list[float]], a0: int, a1: int, b0: int, b1: int
) -> None:
    from newstrace.align.crosslingual import pivot_beads

    s = _m(rows)
    taken = [Bead(2, 3, 2, 3, 0.9)]
    window = ((min(a0, a1), max(a0, a1) + 1), (min(b0, b1), max(b0, b1) + 1))
    got = pivot_beads({(1, 1): s}, [window], taken, floor=0.2)
    (wa0, wa1), (wb0, wb1) = window
    for x in got:
        assert wa0 <= x.a0 < x.a1 <= wa1 and wb0 <= x.b0 < x.b1 <= wb1
        assert x.score > 0.2 and not (x.a0 == 2 or x.b0 == 2)
    assert [(x.a0, x.b0) for x in got] == sorted((x.a0, x.b0) for x in got)  # monotonic


def test_runs_of_mutual_best_matches_are_a_translation_under_the_floor() -> None:
    """An encoder that bunches its cosines (every pair 0.78-0.80, each sentence's translation
    0.83): no bead reaches the path's floor, but each sentence ranks its translation first, six
    in a row with one sentence added on one side; four in a row are not enough."""
    from newstrace.align.crosslingual import MUTUAL_RUN, _beads, mutual_runs

    rng = np.random.default_rng(3)
    s = rng.uniform(0.78, 0.80, size=(8, 9)).astype(np.float32)
    pairs = [(0, 0), (1, 1), (2, 3), (3, 4), (4, 5), (5, 6)]  # B's sentence 2 added
    for i, j in pairs:
        s[i, j] = 0.83
    kw = {"floor": 0.84, "strong": 0.91, "run_mean": 0.87}
    assert _beads({(1, 1): s.copy()}, (None, None), **kw) == []
    got = _beads({(1, 1): s.copy()}, (None, None), mutual_floor=0.80, **kw)
    assert [(b.a0, b.b0) for b in got] == pairs
    assert mutual_runs(s, [], floor=0.85) == []  # under its floor
    short = s.copy()
    short[4, 5] = short[5, 6] = 0.79  # four left in a row
    assert MUTUAL_RUN == 5 and mutual_runs(short, [], floor=0.80) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.floats(0, 1, width=32), min_size=7, max_size=7), min_size=7, max_size=7))
def test_mutual_runs_are_mutual_best_matches_in_order(rows: list[list[float]]) -> None:
    from newstrace.align.crosslingual import mutual_runs

    s = _m(rows)
    got = mutual_runs(s, [], floor=0.0)
    for b in got:
        assert s[b.a0, b.b0] == s[b.a0].max() == s[:, b.b0].max()
    assert len(got) == 0 or len(got) >= 5  # each bead sits in a run of five


def test_without_an_encoder_the_translation_is_not_guessed() -> None:
    al = align(EN, ES, crosslingual=True)
    assert not any(p.kind == "translation" for p in al.passages)
    assert any("different languages" in n for n in al.notes)


# -- a translation written for the purpose, with the real encoder -------------------------------
EN = """Russia's foreign ministry said on Tuesday that new sanctions would hurt European farmers more than Moscow.

Spokeswoman Maria Zakharova told reporters that the measures were drafted in Washington and imposed on Brussels.

The European Union agreed the package late on Monday after two days of talks, and it bans imports of Russian steel, timber and fertiliser from the start of next month.

Grain prices in Poland and Hungary rose by almost nine percent after the announcement.

Farmers' unions in both countries have asked their governments for compensation.

The Kremlin has not said whether it will respond with measures of its own."""  # noqa: E501

# Translated, with the long third sentence split in two, the fourth and fifth swapped, and a
# sentence of spin at the end.
SPLIT = "La Unión Europea acordó el paquete el lunes por la noche tras dos días de negociaciones."
REORDERED = "Los precios del grano en Polonia y Hungría subieron casi un nueve por ciento tras el anuncio."
SPIN = "Una vez más, Bruselas demuestra que obedece ciegamente a sus amos de ultramar."
ES = f"""El Ministerio de Asuntos Exteriores de Rusia afirmó el martes que las nuevas sanciones perjudicarán más a los agricultores europeos que a Moscú.

La portavoz María Zajárova dijo a los periodistas que las medidas se redactaron en Washington y se impusieron a Bruselas.

{SPLIT} Prohíbe las importaciones de acero, madera y fertilizantes rusos a partir del próximo mes.

Los sindicatos agrícolas de ambos países han pedido compensaciones a sus gobiernos.

{REORDERED}

El Kremlin no ha dicho si responderá con medidas propias.

{SPIN}"""  # noqa: E501


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    from newstrace.align.semantic import encoder_error, load_encoder

    enc = load_encoder()
    assert enc is not None, encoder_error()  # installed by make test: a miss is a failure
    return enc


def _covers(passages, text: str, piece: str, side: str) -> bool:  # type: ignore[no-untyped-def]
    s = text.index(piece)
    e = s + len(piece)
    return any(getattr(p, f"{side}_start") <= s and e <= getattr(p, f"{side}_end") for p in passages)


@pytest.mark.semantic
def test_translation_is_aligned_split_reordered_and_spin_left_out(encoder) -> None:  # type: ignore[no-untyped-def]
    al = align(EN, ES, encoder=encoder)
    assert al.crosslingual
    trans = [p for p in al.passages if p.kind == "translation"]
    assert trans and all(p.kind == "translation" for p in al.passages)
    # The split sentence: both Spanish halves sit in one passage with the English sentence.
    assert any(
        p.b_start <= ES.index(SPLIT) and ES.index("rusos a partir del próximo mes.") < p.b_end
        and p.a_start <= EN.index("The European Union agreed") < p.a_end
        for p in trans
    )
    # The reordered sentence is aligned with its English original, off the monotonic path.
    grain = next(p for p in trans if p.b_start <= ES.index(REORDERED) < p.b_end)
    assert EN[grain.a_start : grain.a_end].startswith("Grain prices in Poland")
    assert not _covers(trans, ES, SPIN, "b")


@pytest.mark.semantic
def test_compare_calls_a_translation_with_spin_derived_and_lists_the_spin_as_added(encoder) -> None:  # type: ignore[no-untyped-def]
    from newstrace.analyze import compare, explain_relation
    from newstrace.models import Document

    r = compare(Document(id="es", text=ES), Document(id="en", text=EN), encoder=encoder, source="b")
    d = r.to_dict()
    assert r.relation == "derived"
    assert r.coverage["source"]["translation"] == 1.0 and r.coverage["derivative"]["translation"] > 0.85
    assert [a.span.text for a in r.added] == [SPIN]
    assert not r.omitted
    assert d["languages"] == {"source": "en", "derivative": "es"}
    assert (explain_relation(d) or "").startswith("translated (en → es)")

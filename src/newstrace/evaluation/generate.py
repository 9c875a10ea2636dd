"""Generate labelled text-reuse pairs in PAN format from real article text.

Every case is built from real sentences (the bundled BuzzFeed-Webis articles, and MSRP's
human paraphrases when a copy of MSRP is given); only the reuse is synthetic, and its exact
offsets are recorded. Obfuscation kinds:

- ``none``: a passage of a source article copied verbatim into another article;
- ``excerpt``: two or three separate passages of the source copied into it;
- ``reorder``: a copied passage with its sentences shuffled;
- ``reword``: a copied passage with random word edits (deletions, insertions, swaps, replacements),
  PAN's "random obfuscation";
- ``commentary``: a copied passage interleaved with editorial sentences (only the copied runs
  are cases);
- ``msrp``: sentences of the source replaced by one side of MSRP paraphrase pairs and the other
  side spliced into the suspicious article;
- ``negative``: two unrelated articles, and ``negative-related``: two articles on the same topic
  written independently (no cases; they measure false detections).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newstrace.clean.text import split_sentences, words
from newstrace.errors import InputError
from newstrace.evaluation.pan import Case, write_truth
from newstrace.ingest import read_path

KINDS = (
    "none",
    "excerpt",
    "reorder",
    "reword",
    "commentary",
    "msrp",
    "negative",
    "negative-related",
)
MSRP_LEFT_OUT = "no MSRP file was given (--msrp), so no paraphrase pair was spliced in"
"""Why a corpus generated without MSRP has no ``msrp`` kind (its README and metadata say it)."""
_FILLERS = (
    "also",
    "indeed",
    "reportedly",
    "however",
    "now",
    "still",
    "then",
    "just",
    "in fact",
    "apparently",
)


@dataclass(frozen=True, slots=True)
class Article:
    key: str
    outlet: str
    sentences: tuple[str, ...]


def load_articles(corpus: str | Path, *, min_sentences: int = 12) -> list[Article]:
    """Articles (as lists of sentences) from any file newstrace can ingest."""
    out: list[Article] = []
    for item in read_path(corpus, max_size=200_000_000):
        if isinstance(item, InputError):
            continue
        text = item.raw
        sents = tuple(
            " ".join(text[s.start : s.end].split())
            for s in split_sentences(text)
            if 6 <= len(text[s.start : s.end].split()) <= 60
        )
        if len(sents) >= min_sentences:
            out.append(Article(item.input_id or item.source_path, item.outlet or "", sents))
    return out


def load_msrp(path: str | Path) -> list[tuple[str, str]]:
    """The paraphrase-labelled pairs of the MSRP training file (``Quality #1ID #2ID #1 #2``)."""
    pairs: list[tuple[str, str]] = []
    for line in Path(path).read_text("utf-8-sig").splitlines():
        cols = line.split("\t")
        if len(cols) == 5 and cols[0] == "1":
            pairs.append((cols[3].strip(), cols[4].strip()))
    return pairs


def reword(
    sentence: str, rng: random.Random, rate: float = 0.25, pool: list[str] | None = None
) -> str:
    """PAN-style random obfuscation of one sentence: delete, insert, swap and replace words."""
    toks = sentence.split()
    out: list[str] = []
    i = 0
    while i < len(toks):
        r = rng.random()
        if r < rate * 0.3 and len(toks) > 4:
            i += 1  # delete
            continue
        if r < rate * 0.55:
            out.append(rng.choice(_FILLERS))  # insert
            out.append(toks[i])
        elif r < rate * 0.8 and i + 1 < len(toks):
            out.extend([toks[i + 1], toks[i]])  # swap
            i += 1
        elif r < rate and pool:
            out.append(rng.choice(pool))  # replace
        else:
            out.append(toks[i])
        i += 1
    return " ".join(out)


def _topic_words(a: Article) -> set[str]:
    return {w for w in words(" ".join(a.sentences)) if len(w) > 5}


class _Builder:
    """Assembles a suspicious text from pieces, recording the offsets of the reused ones."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> tuple[int, int]:
        if self.parts:
            self.parts.append(" ")
            self.length += 1
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def paragraph(self) -> None:
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
            self.parts.append("")

    def text(self) -> str:
        return "".join(self.parts)


def _join(sents: Iterable[str]) -> str:
    return " ".join(sents)


def generate(
    out_dir: str | Path,
    corpus: str | Path,
    *,
    msrp: str | Path | None = None,
    per_kind: int = 30,
    seed: int = 13,
) -> dict[str, int]:
    """Write a PAN-format corpus to ``out_dir``; returns the number of pairs per kind.

    Without ``msrp`` the ``msrp`` kind (MSRP paraphrases spliced in) is left out, and the
    corpus says so: ``README.md`` and ``metadata.json`` (``left_out``) name it and why. A
    ``msrp`` path that is not a file is an error, never a silent omission.

    Raises:
        InputError: ``msrp`` names no file, or MSRP holds no paraphrase pair, or ``corpus``
            holds too few usable articles.
    """
    rng = random.Random(seed)
    if msrp is not None and not Path(msrp).is_file():
        raise InputError(f"{msrp}: no such MSRP file (the msrp kind needs MSRP's training file)")
    articles = load_articles(corpus)
    if len(articles) < 20:
        raise InputError(f"{corpus}: too few usable articles ({len(articles)}) to generate pairs")
    paraphrases = load_msrp(msrp) if msrp is not None else []
    if msrp is not None and not paraphrases:
        raise InputError(f"{msrp}: no paraphrase pair read from it; is it MSRP's training file?")
    left_out = {} if paraphrases else {"msrp": MSRP_LEFT_OUT}
    out = Path(out_dir)
    for sub in ("susp", "src"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    pool = [w for a in articles[:200] for s in a.sentences[:3] for w in s.split() if w.isalpha()]
    topics = [_topic_words(a) for a in articles]
    counts: dict[str, int] = {}
    pairs_lines: list[str] = []
    n = 0
    kinds = [k for k in KINDS if k != "msrp" or paraphrases]
    for kind in kinds:
        made = 0
        attempts = 0
        while made < per_kind and attempts < per_kind * 20:
            attempts += 1
            si, hi = rng.sample(range(len(articles)), 2)
            src, host = articles[si], articles[hi]
            overlap = len(topics[si] & topics[hi]) / max(1, min(len(topics[si]), len(topics[hi])))
            if kind == "negative-related":
                if overlap < 0.25:
                    continue
            elif overlap > 0.15:
                continue  # keep the host unrelated, so that reuse is the only link
            built = _build(kind, src, host, rng, pool, paraphrases, articles)
            if built is None:
                continue
            src_text, susp_text, spans = built
            n += 1
            susp_name, src_name = f"suspicious-document{n:05d}.txt", f"source-document{n:05d}.txt"
            (out / "susp" / susp_name).write_text(susp_text, "utf-8")
            (out / "src" / src_name).write_text(src_text, "utf-8")
            cases = [
                Case(susp_name, a, b - a, src_name, c, d - c, kind) for (a, b), (c, d) in spans
            ]
            tdir = out / "truth" / kind
            tdir.mkdir(parents=True, exist_ok=True)
            write_truth(tdir / f"{susp_name[:-4]}-{src_name[:-4]}.xml", susp_name, src_name, cases)
            pairs_lines.append(f"{susp_name} {src_name}")
            made += 1
        counts[kind] = made
    (out / "pairs").write_text("\n".join(pairs_lines) + "\n", "utf-8")
    note = "".join(f"The {kind} kind is left out: {why}.\n" for kind, why in left_out.items())
    (out / "README.md").write_text(
        f"Generated by `newstrace eval generate` (seed {seed}) from {Path(corpus).name}"
        f"{' and MSRP' if paraphrases else ''}.\nPairs per kind: {counts}\n{note}",
        "utf-8",
    )
    meta = {
        "generator": "newstrace eval generate",
        "seed": seed,
        "corpus": Path(corpus).name,
        "msrp": Path(msrp).name if msrp is not None else None,
        "per_kind": per_kind,
        "pairs": counts,
        "left_out": left_out,
    }
    (out / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    return counts


Span = tuple[tuple[int, int], tuple[int, int]]


def _build(
    kind: str,
    src: Article,
    host: Article,
    rng: random.Random,
    pool: list[str],
    paraphrases: list[tuple[str, str]],
    articles: list[Article],
) -> tuple[str, str, list[Span]] | None:
    ss = list(src.sentences)
    hs = list(host.sentences)
    if kind in ("negative", "negative-related"):
        return _join(ss), _join(hs), []
    if kind == "msrp":
        k = rng.randint(3, 6)
        chosen = rng.sample(paraphrases, k)
        at = rng.randint(2, max(2, len(ss) - k - 2))
        ss = ss[:at] + [p[0] for p in chosen] + ss[at + k :]
        blocks = [(at, at + k, [p[1] for p in chosen])]
    elif kind == "excerpt":
        m = rng.randint(2, 3)
        blocks = []
        starts = sorted(rng.sample(range(0, len(ss) - 3, 4), min(m, max(1, (len(ss) - 3) // 4))))
        for s0 in starts:
            ln = rng.randint(2, 3)
            blocks.append((s0, min(len(ss), s0 + ln), ss[s0 : s0 + ln]))
    else:
        ln = rng.randint(3, 7)
        s0 = rng.randint(0, len(ss) - ln)
        block = ss[s0 : s0 + ln]
        if kind == "reorder":
            shuffled = block[:]
            while shuffled == block:
                rng.shuffle(shuffled)
            block = shuffled
        elif kind == "reword":
            block = [reword(s, rng, pool=pool) for s in block]
        blocks = [(s0, s0 + ln, block)]
    # Source text and the offsets of each block in it.
    src_b = _Builder()
    src_spans: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(ss):
        hit = next((b for b in blocks if b[0] == i), None)
        if hit is not None:
            s, e = None, None
            for k in range(hit[0], hit[1]):
                a, b = src_b.add(ss[k])
                s = a if s is None else s
                e = b
            src_spans[hit[0]] = (s or 0, e or 0)
            i = hit[1]
        else:
            src_b.add(ss[i])
            i += 1
    # Suspicious text: host sentences with the blocks inserted at sentence boundaries.
    sus = _Builder()
    inserts = sorted(rng.sample(range(1, len(hs)), len(blocks)))
    spans: list[Span] = []
    commentary = [s for a in rng.sample(articles, 3) for s in a.sentences[:4]]
    bi = 0
    for h_i, h in enumerate(hs):
        if bi < len(blocks) and h_i == inserts[bi]:
            s0, _, block = blocks[bi]
            sus.paragraph()
            if kind == "commentary":
                # Copied sentences with commentary between; each copied run is its own case,
                # mapped to its own sentences of the source.
                src_start = src_spans[s0][0]
                for pos, sent in enumerate(block, start=1):
                    a, b = sus.add(sent)
                    c = src_b.text().find(sent, src_start)
                    spans.append(((a, b), (c, c + len(sent))))
                    src_start = c + len(sent)
                    if pos < len(block) and rng.random() < 0.7:
                        sus.add(rng.choice(commentary))
            else:
                first: int | None = None
                last = 0
                for sent in block:
                    x, y = sus.add(sent)
                    first = x if first is None else first
                    last = y
                spans.append(((first or 0, last), src_spans[s0]))
            sus.paragraph()
            bi += 1
        sus.add(h)
    text = sus.text()
    src_text = src_b.text()
    # Merge adjacent commentary-free runs so each case is maximal in both texts.
    spans = _merge_adjacent(spans, text, src_text)
    return src_text, text, spans


def _merge_adjacent(spans: list[Span], susp: str, src: str) -> list[Span]:
    out: list[Span] = []
    for sp in spans:
        if out:
            (a0, a1), (c0, c1) = out[-1]
            (b0, b1), (d0, d1) = sp
            if not susp[a1:b0].strip() and not src[c1:d0].strip():
                out[-1] = ((a0, b1), (c0, d1))
                continue
        out.append(sp)
    return out

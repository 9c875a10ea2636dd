"""Build the unseen-languages set: WMT24 news and professional translations into Hindi,
Icelandic and Japanese, and Japanese news with Chinese translations (see ../README.md).

    python eval/unseen/tools/build.py --wmt24 <git dir of wmt-conference/wmt24-news-systems>

Reads only the pinned blobs of ``SOURCES`` (``git show`` of the pinned commit), so the same
inputs give the same bytes. No rule or threshold of newstrace was set on this set.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import math
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SOURCES = {
    "repo": "wmt-conference/wmt24-news-systems",
    "commit": "bfa937ee53586aa173d68657b89b8642693f7b66",
    "files": {
        # The English source and docid list are the same files for every en-xx pair.
        "txt/sources/en-hi.txt": "10813c4d2c3c29800929b57e27c826d1841fc5b6",
        "txt/documents/en-hi.docs": "69fb1cf3e1e684c9bdf164db495c7291a071320d",
        "txt/references/en-hi.refA.txt": "1e45e126c2d43755a67ef9c17779ec9107d9ec89",
        "txt/references/en-is.refA.txt": "21fbd2e0b2b45dbfedfcc189a9e220bae4a0ca10",
        "txt/references/en-ja.refA.txt": "a55af54679ed025d65738d1588cf60e3672c4b42",
        "txt/sources/ja-zh.txt": "3f20c59d444c74047b9f2fa2c6934d0d6788e7de",
        "txt/documents/ja-zh.docs": "8a4140384c4e7ac83915d944f89cd8fe50047d8e",
        "txt/references/ja-zh.refA.txt": "246d05428c93663c5ccc9ef0541c24a2846205a6",
    },
}
EN_TARGETS = ("hi", "is", "ja")
CJK = ("ja", "zh")
VARIANTS = ("full", "first-half", "excerpt")
MIN_PARAGRAPHS = 4  # Japanese originals shorter than this (notices of two lines) are left out
MAX_JA = 24
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def word_count(text: str, lang: str) -> float:
    """Words, or for Chinese and Japanese the characters over 1.5 (about a word's worth)."""
    if lang in CJK:
        return len(_CJK_CHAR.findall(text)) / 1.5 + len(re.findall(r"[A-Za-z0-9]+", text))
    return float(len(text.split()))


def git_show(repo: Path, path: str) -> str:
    blob = subprocess.run(
        ["git", "--git-dir", str(repo), "rev-parse", f"{SOURCES['commit']}:{path}"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if blob != SOURCES["files"][path]:
        raise SystemExit(f"{path}: blob {blob}, expected {SOURCES['files'][path]}")
    data = subprocess.run(["git", "--git-dir", str(repo), "cat-file", "blob", blob], check=True, capture_output=True)
    return data.stdout.decode("utf-8")


@dataclass
class WmtDoc:
    """One WMT news document: its paragraphs (one segment each) in every language it has."""

    docid: str
    origlang: str
    paras: dict[str, list[str]]

    @property
    def outlet(self) -> str:
        m = re.match(r"test-[a-z]{2}-news_(.+)\.\d+$", self.docid)
        return m.group(1) if m else ""


@dataclass
class OutDoc:
    lang: str
    outlet: str
    role: str
    pieces: list[tuple[WmtDoc, list[int]]]  # (document, paragraph indexes) in reading order
    paras: list[str]
    variant: str = "full"
    note: str = ""
    id: str = ""
    covered: dict[str, set[int]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paras)


def read_docs(repo: Path, pair: str, targets: tuple[str, ...]) -> list[WmtDoc]:
    src = pair.split("-")[0]
    docs = git_show(repo, f"txt/documents/{pair}.docs").split("\n")
    source = git_show(repo, f"txt/sources/{pair}.txt").split("\n")
    refs = {t: git_show(repo, f"txt/references/{src}-{t}.refA.txt").split("\n") for t in targets}
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(docs):
        domain, _, docid = row.partition("\t")
        if domain == "news":
            by_doc[docid].append(i)
    out = []
    for docid, ix in by_doc.items():
        paras = {src: [source[i].strip() for i in ix]}
        for t in targets:
            paras[t] = [refs[t][i].strip() for i in ix]
        if all(all(p) for p in paras.values()):
            out.append(WmtDoc(docid, src, paras))
    return out


def whole(doc: WmtDoc, lang: str, role: str) -> OutDoc:
    n = len(doc.paras[lang])
    return OutDoc(lang, doc.outlet if lang == doc.origlang else "", role, [(doc, list(range(n)))], doc.paras[lang])


def variant(kind: str, doc: WmtDoc, lang: str, host: WmtDoc) -> OutDoc:
    """A translation of ``doc`` into ``lang``: whole, its first half, or a passage of it set
    in the middle of ``host``'s translation (at least 45 words, at most 40 % of the result)."""
    paras = doc.paras[lang]
    n = len(paras)
    if kind == "first-half":
        keep = list(range(math.ceil(n / 2)))
        return OutDoc(lang, "", "translation", [(doc, keep)], [paras[i] for i in keep], kind,
                      f"first {len(keep)} of {n} paragraphs of the translation")  # fmt: skip
    if kind == "excerpt":
        hparas = host.paras[lang]
        host_words = sum(word_count(p, lang) for p in hparas)
        for length in range(1, n):
            runs = [list(range(s, s + length)) for s in range(1, n - length + 1)]
            fits = [r for r in runs if 45 <= sum(word_count(paras[i], lang) for i in r) <= 0.4 * (
                host_words + sum(word_count(paras[i], lang) for i in r))]  # fmt: skip
            if fits:
                run = fits[len(fits) // 2]
                at = max(1, len(hparas) // 2)
                return OutDoc(
                    lang, host.outlet if lang == host.origlang else "", "translation",
                    [(host, list(range(at))), (doc, run), (host, list(range(at, len(hparas))))],
                    [*hparas[:at], *(paras[i] for i in run), *hparas[at:]], kind,
                    f"paragraphs {run[0] + 1}-{run[-1] + 1} of the translation set inside the "
                    f"translation of {host.docid}, after its paragraph {at}",
                )  # fmt: skip
    return OutDoc(lang, "", "translation", [(doc, list(range(n)))], paras, "full", "whole translation")


def covered(d: OutDoc) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for doc, ix in d.pieces:
        out[doc.docid].update(ix)
    return out


def pair_label(x: OutDoc, y: OutDoc, by_id: dict[str, WmtDoc]) -> tuple[str, str, str | None]:
    """``copy``, ``excerpt`` or ``none`` by LABELLING.md's rule, from the paragraphs the two
    render of one WMT document (measured in that document's original language), and the WMT
    document they share."""
    best: tuple[str, str, str | None] = ("none", "different WMT documents: different stories", None)
    for docid in sorted(set(x.covered) & set(y.covered)):
        shared = x.covered[docid] & y.covered[docid]
        if not shared:
            continue
        doc = by_id[docid]

        def share(d: OutDoc, doc: WmtDoc = doc, shared: set[int] = shared) -> float:
            mine = sum(word_count(doc.paras[d.lang][i], d.lang) for i in shared)
            return mine / max(1.0, word_count(d.text, d.lang))

        words = sum(word_count(doc.paras[doc.origlang][i], doc.origlang) for i in shared)
        if max(share(x), share(y)) >= 0.5:
            most = max(share(x), share(y))
            return "copy", f"{docid}: {len(shared)} paragraphs, {most:.0%} of the more covered text", docid
        if words >= 40:
            best = ("excerpt", f"{docid}: {len(shared)} paragraphs, about {words:.0f} words", docid)
        elif best[0] == "none":
            best = ("none", f"{docid}: only {len(shared)} paragraph(s), about {words:.0f} words", docid)
    return best


def build(repo: Path, out: Path) -> None:
    en_docs = read_docs(repo, "en-hi", EN_TARGETS)
    # en-is and en-ja references are read with the en-hi source: the same English lines.
    ja = [d for d in read_docs(repo, "ja-zh", ("zh",)) if len(d.paras["ja"]) >= MIN_PARAGRAPHS][:MAX_JA]
    docs: list[OutDoc] = []
    for k, d in enumerate(en_docs):
        docs.append(whole(d, "en", "original"))
        for t, lang in enumerate(EN_TARGETS):
            kind = VARIANTS[(k + t) % len(VARIANTS)]
            docs.append(variant(kind, d, lang, en_docs[(k + 1 + t) % len(en_docs)]))
    for k, d in enumerate(ja):
        docs.append(whole(d, "ja", "original"))
        docs.append(variant(VARIANTS[k % len(VARIANTS)], d, "zh", ja[(k + 1) % len(ja)]))
    order = sorted(range(len(docs)), key=lambda i: hashlib.sha1(f"unseen{i}".encode()).hexdigest())
    for n, i in enumerate(order, 1):
        docs[i].id = f"unseen/{n:03d}"
    for d in docs:
        d.covered = covered(d)
    by_id = {d.docid: d for d in [*en_docs, *ja]}
    pairs = []
    for x, y in itertools.combinations(sorted(docs, key=lambda d: d.id), 2):
        label, note, docid = pair_label(x, y, by_id)
        direction = "unknown"
        if label != "none":
            orig = [d for d in (x, y) if d.role == "original" and docid in d.covered]
            if orig and docid is not None and orig[0].lang == by_id[docid].origlang:
                direction = "a>b" if orig[0] is x else "b>a"
        pairs.append({
            "a": x.id, "b": y.id, "category": label, "corpus": "unseen", "direction": direction,
            "key": f"U{len(pairs) + 1:05d}", "langs": f"{x.lang}-{y.lang}",
            "labelled": "by construction (paragraph-aligned WMT translation)", "note": note,
        })  # fmt: skip
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"id": d.id, "lang": d.lang, "outlet": d.outlet, "text": d.text}, ensure_ascii=False,
                        sort_keys=True) for d in sorted(docs, key=lambda d: d.id)]  # fmt: skip
    with (out / "data" / "wmt-unseen.jsonl.gz").open("wb") as fh, \
            gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:  # fmt: skip
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    with (out / "labels" / "documents.jsonl").open("w", encoding="utf-8") as fh:
        for d in sorted(docs, key=lambda d: d.id):
            fh.write(json.dumps({
                "id": d.id, "lang": d.lang, "role": d.role, "variant": d.variant, "note": d.note,
                "pieces": [{"set": f"wmt24.{doc.origlang}-xx", "docid": doc.docid, "lang": d.lang,
                            "side": "src" if d.lang == doc.origlang else "ref A",
                            "paragraphs": "one per segment", "segments": _ranges([i + 1 for i in ix])}
                           for doc, ix in d.pieces],
                "words": round(word_count(d.text, d.lang)),
            }, ensure_ascii=False) + "\n")  # fmt: skip
    with (out / "labels" / "pairs.jsonl").open("w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n")
    counts: dict[str, int] = defaultdict(int)
    for p in pairs:
        counts[p["category"]] += 1
    print(f"{len(docs)} documents, {len(pairs)} pairs: {dict(counts)}")


def _ranges(nums: list[int]) -> str:
    """``1-5,8`` for segment numbers in order (``eval/multilingual``'s format)."""
    out: list[str] = []
    for _, run in itertools.groupby(enumerate(nums), key=lambda x: x[1] - x[0]):
        seq = [n for _, n in run]
        out.append(f"{seq[0]}-{seq[-1]}" if len(seq) > 1 else f"{seq[0]}")
    return ",".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wmt24", type=Path, required=True, help="git dir of wmt24-news-systems")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent)
    args = ap.parse_args()
    build(args.wmt24, args.out)


if __name__ == "__main__":
    main()

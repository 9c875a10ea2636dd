"""newstrace: trace how news stories are copied, rewritten and laundered between outlets.

The public API, in the order data flows::

    ingest -> clean -> store            newstrace.ingest_paths(paths, store)
                                         newstrace.Store, newstrace.Document
    align -> analyze                    newstrace.compare(doc_a, doc_b) -> PairReport
    index -> graph (corpus)             newstrace.detect_reuse(store, DetectParams()) -> DetectReport
    export                              newstrace.export_tables(store)

Heavy parts (semantic matching, Spark, the web app) are extras imported lazily.
"""

from __future__ import annotations

import os as _os
import platform as _platform
import sys as _sys


def _row_uniform_blas() -> None:
    """Ask OpenBLAS for its AVX kernels ("Sandybridge") on an x86-64 CPU for which it would pick
    its AVX2/FMA ones ("Haswell") or newer, unless the environment names a core type or NumPy
    is already loaded (then it is too late).

    With the FMA kernels OpenBLAS picks on recent x86 CPUs ("Haswell"), a row of a matrix
    product is added in an order that depends on where it sits in the batch (rows 6-11 of each
    12 otherwise than rows 0-5, on an AMD EPYC here): a sentence embedded among others got
    other bits than alone, so one corpus detected in another order, incrementally, in worker
    processes or on Spark executors could score a rounding apart. The AVX kernels add every
    row alike; the encoder runs about 12 % slower with them (541 against 603-624 sentences/s).
    CPUs with AVX-512 are asked too: an AMD EPYC with AVX-512 got "Haswell" from OpenBLAS 0.3.31
    all the same (and the test that holds this failed there), and the AVX kernels run on every
    CPU that has the newer ones.
    """
    if "numpy" in _sys.modules or "OPENBLAS_CORETYPE" in _os.environ:
        return
    if _platform.machine().lower() not in ("x86_64", "amd64"):
        return
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            flags = next((line for line in fh if line.startswith("flags")), "")
    except OSError:
        return
    have = set(flags.split(":", 1)[-1].split())
    if {"avx", "avx2", "fma"} <= have:  # where OpenBLAS picks "Haswell" or a newer core
        _os.environ["OPENBLAS_CORETYPE"] = "Sandybridge"


_row_uniform_blas()

from newstrace.errors import (  # noqa: E402
    AmbiguousIdError,
    ConfigError,
    DecodeError,
    EmptyDocumentError,
    FetchError,
    InputError,
    MalformedInputError,
    NewstraceError,
    NotFoundError,
    Rejection,
    StoreError,
    TooLargeError,
    UnsupportedFormatError,
)
from newstrace.models import Attribution, Document, Link, RawDocument  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "AmbiguousIdError",
    "Attribution",
    "ConfigError",
    "DecodeError",
    "DetectParams",
    "Document",
    "EmptyDocumentError",
    "FetchError",
    "IngestReport",
    "InputError",
    "Link",
    "MalformedInputError",
    "NewstraceError",
    "NotFoundError",
    "PairReport",
    "RawDocument",
    "Rejection",
    "Settings",
    "Store",
    "StoreError",
    "TooLargeError",
    "UnsupportedFormatError",
    "Watcher",
    "__version__",
    "build_document",
    "compare",
    "detect_reuse",
    "export_tables",
    "ingest_paths",
    "load_settings",
    "load_watch_config",
    "read_path",
]


def __getattr__(name: str) -> object:
    # Stage modules load on first use, so `import newstrace` stays light.
    if name in ("ingest_paths", "IngestReport"):
        from newstrace import pipeline

        return getattr(pipeline, "ingest" if name == "ingest_paths" else name)
    if name == "Store":
        from newstrace.store import Store

        return Store
    if name in ("Settings", "load_settings"):
        from newstrace import settings

        return getattr(settings, name)
    if name == "build_document":
        from newstrace.clean import build_document

        return build_document
    if name in ("compare", "PairReport"):
        from newstrace import analyze

        return getattr(analyze, name)
    if name in ("detect_reuse", "DetectParams"):
        import importlib

        module = importlib.import_module("newstrace.detect")
        return getattr(module, "detect" if name == "detect_reuse" else name)
    if name == "export_tables":
        from newstrace.export import export_tables

        return export_tables
    if name in ("Watcher", "load_watch_config"):
        from newstrace.watch import config, loop

        return loop.Watcher if name == "Watcher" else config.load_config
    if name == "read_path":
        from newstrace.ingest import read_path

        return read_path
    raise AttributeError(f"module 'newstrace' has no attribute {name!r}")

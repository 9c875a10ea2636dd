"""The public API: listed, importable, documented, and light to import."""

from __future__ import annotations

import subprocess
import sys

import newstrace


def test_all_names_resolve_and_are_documented() -> None:
    for name in newstrace.__all__:
        obj = getattr(newstrace, name)
        if name != "__version__":
            assert obj.__doc__, f"newstrace.{name} has no docstring"


def test_import_is_light() -> None:
    code = (
        "import sys, newstrace; heavy = [m for m in ('torch', 'trafilatura', 'sentence_transformers',"
        " 'pyspark', 'fastapi', 'numpy', 'lxml') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_attribute_raises() -> None:
    try:
        newstrace.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")

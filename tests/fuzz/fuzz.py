"""Coverage-guided fuzzing of newstrace's parsers and aligner with atheris (libFuzzer).

    python tests/fuzz/fuzz.py TARGET [libFuzzer options] [CORPUS_DIR ...]
    python tests/fuzz/fuzz.py html -max_total_time=600 /tmp/html-corpus tests/fuzz/seeds/html

Targets: text html warc jsonl json csv feed sitemap align (see targets.py). A crash writes the
input that caused it (``crash-*``) where ``-artifact_prefix`` says; a hang over ``-timeout``
seconds and memory over ``-rss_limit_mb`` count as crashes too. ``make fuzz`` runs every
target for a while; ``tests/reliability/test_fuzz.py`` runs each briefly in ``make test``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports(include=["newstrace"]):
    from tests.fuzz.targets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: fuzz.py TARGET [libFuzzer options]; targets: {' '.join(TARGETS)}")
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

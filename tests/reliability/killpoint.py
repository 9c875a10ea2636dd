"""Run the newstrace command line with a kill point: a known moment at which it stops itself for
the test to SIGKILL it (test-only: nothing of this is in newstrace).

    python -m tests.reliability.killpoint METHOD:CALL:ITEMS [--db DB] COMMAND ...

``METHOD`` is a method of :class:`newstrace.store.Store` (``add_documents``, ``put_pairs``,
``relearn_outlet_chrome``…). On its ``CALL``-th call (from 1) the process writes
``KILLPOINT METHOD:CALL:ITEMS`` on stdout and stops (SIGSTOP), never to go on: with
``ITEMS`` 0 before the call begins (so every earlier call's transaction is committed and this
one's never began); with ``ITEMS`` > 0 once the call has taken that many rows of the iterable
it was given (its first argument): inside its open transaction, with rows written and not
committed. A run that never reaches the point ends as usual, without the marker.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

MARKER = "KILLPOINT"


def _stop(spec: str) -> None:
    sys.stdout.write(f"{MARKER} {spec}\n")
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGSTOP)
    while True:  # resumed by someone else than the test: never go on with the work
        signal.pause()


def _stop_after(rows: Iterable[Any], items: int, spec: str) -> Iterator[Any]:
    for n, row in enumerate(rows, 1):
        yield row
        if n == items:
            _stop(spec)


def install(spec: str) -> None:
    """Put the kill point ``METHOD:CALL:ITEMS`` on :class:`~newstrace.store.Store`."""
    from newstrace.store import Store

    method, call, items = spec.split(":")
    original: Callable[..., Any] = getattr(Store, method)
    calls = 0

    @functools.wraps(original)
    def wrapped(self: Store, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == int(call):
            if int(items) == 0:
                _stop(spec)
            args = (_stop_after(args[0], int(items), spec), *args[1:])
        return original(self, *args, **kwargs)

    setattr(Store, method, wrapped)


def main() -> None:
    install(sys.argv[1])
    from newstrace.cli import main as cli

    sys.argv = ["newstrace", *sys.argv[2:]]
    cli()


if __name__ == "__main__":
    main()

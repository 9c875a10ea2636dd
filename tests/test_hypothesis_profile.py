"""Hypothesis runs under the settings tests/conftest.py chooses, not its defaults."""

from __future__ import annotations

import os
import time

from hypothesis import given, settings
from hypothesis import strategies as st


def test_the_profile_is_loaded_and_has_no_deadline() -> None:
    profile = os.environ.get("HYPOTHESIS_PROFILE", "newstrace")
    assert settings.default == settings.get_profile(profile)
    assert settings.default.deadline is None
    assert settings.get_profile("derandomized").derandomize is True


@settings(max_examples=3)
@given(st.integers())
def test_a_slow_example_is_not_a_failure(n: int) -> None:
    """An example slower than hypothesis' default deadline (200 ms), as a stalled machine makes
    any example: no DeadlineExceeded."""
    time.sleep(0.25)

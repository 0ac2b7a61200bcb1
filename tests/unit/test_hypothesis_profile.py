"""The suite's hypothesis profile (tests/conftest.py): no deadline, so no property test
fails for the time an example took on a loaded machine (issue 10, item 25)."""

from __future__ import annotations

from hypothesis import settings


def test_property_tests_run_without_a_deadline() -> None:
    assert settings().deadline is None  # the profile loaded in conftest

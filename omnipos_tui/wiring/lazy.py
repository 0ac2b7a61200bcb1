"""A value made on first call, once: how bootstrap defers the services and devices the
till does not need before its log-in screen is up."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """A value made on first call, once, even when several threads ask at the same time.

    Args:
        make: Builds the value.
    """

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> bool:
        """Whether the value was made already."""
        return self._value is not None

    def __call__(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._make()
            return self._value

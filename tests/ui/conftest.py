"""Fixtures: the fakes, and the till built by ``build_app`` as the entry point builds it."""

from __future__ import annotations

import pytest

from omnipos_tui.core.clock import FixedClock
from omnipos_tui.ui.app import OmniposTill, build_app
from omnipos_tui.ui.keymap import Keymap
from omnipos_tui.ui.wedge import WedgeDetector

from .fakes import FROZEN, AppFactory, FakeSale, FakeStaff, login_info


@pytest.fixture
def staff() -> FakeStaff:
    return FakeStaff()


@pytest.fixture
def sale() -> FakeSale:
    return FakeSale()


@pytest.fixture
def make_app(staff: FakeStaff, sale: FakeSale) -> AppFactory:
    """``make_app(language=..., keymap=..., wedge=...)`` builds the till with the fakes."""

    def make(
        *,
        language: str = "nb",
        keymap: Keymap | None = None,
        wedge: WedgeDetector | None = None,
    ) -> OmniposTill:
        return build_app(
            authenticate=staff.authenticate,
            login_info=login_info,
            sale=sale,
            language=language,
            keymap=keymap,
            clock=FixedClock(FROZEN).now,
            wedge=wedge,
        )

    return make

"""The stock screens' texts join the till's table without replacing any other text."""

from __future__ import annotations

from omnipos_tui.ui.i18n import TEXTS
from omnipos_tui.ui.i18n_dialogs import DIALOG_TEXTS
from omnipos_tui.ui.i18n_stock import STOCK_TEXTS
from omnipos_tui.ui.i18n_till import TILL_TEXTS


def test_no_stock_text_shares_a_key_with_another_table() -> None:
    others = set(TILL_TEXTS) | set(DIALOG_TEXTS)
    assert not set(STOCK_TEXTS) & others
    assert all(TEXTS[key] == value for key, value in STOCK_TEXTS.items())

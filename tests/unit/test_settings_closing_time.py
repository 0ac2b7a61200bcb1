"""``[till] closes_at``: the shop's closing time the till's Z warning uses (issue 10, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.settings import load_settings

NOWHERE = Path("/nonexistent/omnipos/config.toml")


def test_a_closing_time_is_read_from_the_environment() -> None:
    settings = load_settings(
        None, environ={"OMNIPOS_TILL__CLOSES_AT": "21:30"}, fallback_file=NOWHERE
    )
    assert settings.till.closes_at == "21:30"


def test_no_closing_time_is_the_default() -> None:
    assert load_settings(None, environ={}, fallback_file=NOWHERE).till.closes_at == ""


@pytest.mark.parametrize("bad", ["9", "21", "24:00", "21:60", "9:30 pm", "21.00"])
def test_a_closing_time_that_is_not_hh_mm_is_refused_naming_the_key(
    tmp_path: Path, bad: str
) -> None:
    path = tmp_path / "omnipos.toml"
    path.write_text(f'[till]\ncloses_at = "{bad}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert "till.closes_at" in str(caught.value)
    assert '"21:00"' in str(caught.value)

"""In-store codes (GS1 prefix 2x): decoded with the project's own EAN check digit, which
must agree with python-stdnum's on every code (the till no longer imports stdnum for a scan)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from omnipos_tui.core.money import Money
from omnipos_tui.services.sales.instore_codes import decode


@given(st.text("0123456789", min_size=12, max_size=12), st.sampled_from("0123456789"))
def test_a_code_is_in_store_exactly_when_stdnum_calls_it_a_valid_2x_ean13(
    body: str, last: str
) -> None:
    code = "2" + body[1:] + last
    decoded = decode(code)
    assert (decoded is not None) == ean.is_valid(code)
    if decoded is not None:
        template = code[:7] + "00000"
        assert decoded.template == template + ean.calc_check_digit(template)


def test_weight_and_price_codes_decode() -> None:
    weight = decode("2304011012358")
    price = decode("2030001049904")
    assert weight is not None and weight.weight == Decimal("1.235") and weight.article == "04011"
    assert price is not None and price.price == Money(4990) and price.weight is None


def test_digits_of_other_scripts_are_not_a_code() -> None:
    assert decode("230401101235" + "\u0668") is None  # an Arabic-Indic eight
    assert decode("２３０４０１１０１２３５８") is None  # full-width digits


def test_the_sale_services_do_not_import_stdnum() -> None:
    # Importing python-stdnum loads pydoc and ssl: the till's start must not wait for it.
    script = (
        "import sys; import omnipos_tui.services.sales.steps, omnipos_tui.services.shop.setup;"
        "print('stdnum' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False", result.stderr

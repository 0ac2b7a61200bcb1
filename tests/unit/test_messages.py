"""The renderer of error codes and messages: values worded per language, keys named by the
caller's key map, and never an exception (a text that does not fit shows its code)."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from omnipos_tui.core.errors import (
    InvalidInput,
    Message,
    NotFound,
    PosError,
    PrinterOffline,
    RuleViolation,
    bare,
)
from omnipos_tui.core.ledger.ports import PaymentStatus
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.messages import render
from omnipos_tui.messages.catalogue import TEXTS


def test_a_decimal_is_written_with_a_comma_in_bokmal_and_a_point_in_english() -> None:
    error = InvalidInput(code="sale.quantity_not_positive", quantity=Decimal("-0.5"))
    assert render(error, "nb") == "Antallet må være over 0 (fikk -0,5)."
    assert render(error, "en") == "quantity must be more than 0, got -0.5"


def test_an_amount_is_written_the_norwegian_way_in_both_languages() -> None:
    error = RuleViolation(code="sale.not_paid", remaining=Money(123456))
    assert str(error) == "the sale is not paid: 1234,56 remains"


def test_states_roles_and_tenders_are_worded_in_the_language() -> None:
    paid = RuleViolation(
        code="card.settled_already", reference="K-1", status=PaymentStatus.DECLINED
    )
    assert render(paid, "nb") == "Kortbetaling K-1 er allerede avklart (avvist)."
    assert render(paid, "en") == "card payment K-1 is declined already"
    role = InvalidInput(
        code="staff.role_too_low", name="Kari", role=Role.CASHIER, needed=Role.MANAGER
    )
    assert render(role, "nb") == "Kari er kasserer; krever leder."
    assert str(role) == "Kari is cashier; manager needed"
    tender = InvalidInput(code="tender.needs_amount", tender=TenderKind.VOUCHER)
    assert render(tender, "nb") == "Gavekort trenger et beløp: skriv beløpet først."
    assert render(tender, "en") == "a voucher payment needs an amount"


def test_a_date_takes_its_format_from_the_text() -> None:
    error = RuleViolation(code="report.z_taken", register_id="1", day=date(2026, 11, 27))
    assert "for 27.11.2026 " in render(error, "nb")
    assert "for 2026-11-27 " in render(error, "en")


def test_a_list_is_joined_with_commas_and_a_nested_error_is_rendered_in_the_same_language() -> None:
    error = RuleViolation(code="report.cards_unsettled", references=["K-1", "K-2"])
    assert render(error, "nb") == "Avklar kortbetalingene først: K-1, K-2."
    inner = InvalidInput(code="sale.quantity_not_positive", quantity=0)
    outer = InvalidInput(code="snapshot.bad_at", path="lines[1]", problem=inner)
    assert render(outer, "nb") == "lagret åpent salg: lines[1]: Antallet må være over 0 (fikk 0)."
    assert str(outer) == "open sale snapshot: lines[1]: quantity must be more than 0, got 0"


def test_lines_put_each_item_on_its_own_line() -> None:
    shown = [Message("csv.problem", source="a.csv", line=n, column="-", what=Message("csv.no_rows"))
             for n in (1, 2)]  # fmt: skip
    error = InvalidInput(code="csv.problems_and_more", shown=shown, source="a.csv", more=3)
    assert render(error, "en").splitlines() == [
        "a.csv: line 1, column -: the file has a header but no product rows",
        "a.csv: line 2, column -: the file has a header but no product rows",
        "a.csv: ... and 3 more problems",
    ]


def test_keys_are_named_by_the_callers_key_map_and_by_command_without_one() -> None:
    error = NotFound(code="catalogue.unknown_barcode", barcode="123")
    assert render(error, "nb", lambda command: {"search": "F7"}[command]).endswith(
        "Trykk F7 for å søke."
    )
    assert render(error, "nb").endswith("Trykk ‹search› for å søke.")


def test_a_text_that_does_not_fit_its_parameters_shows_the_code_and_never_raises() -> None:
    missing = RuleViolation(code="sale.not_paid")  # no remaining=
    assert render(missing, "nb") == "sale.not_paid"
    wrong = RuleViolation(code="report.z_taken", register_id="1", day="not a date")
    assert render(wrong, "nb") == bare("report.z_taken", wrong.params)


def test_a_free_text_error_keeps_its_detail_after_the_lead() -> None:
    assert render(PrinterOffline("lp0 gone"), "nb") == "Kvitteringsskriveren svarer ikke: lp0 gone"
    assert render(PrinterOffline("lp0 gone"), "en") == "lp0 gone"
    assert render(PrinterOffline(), "en") == "The receipt printer does not answer"
    assert render(PosError("plain"), "nb") == "plain"


_VALUES = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, max_value=10**6, min_value=-(10**6)
    ),
    st.builds(Money, st.integers(min_value=-(10**9), max_value=10**9)),
    st.lists(st.text(max_size=5), max_size=3),
)


def _names(template: str) -> set[str]:
    return {
        field.split(".")[0].split("[")[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field and not field.startswith("key.")
    }


@given(code=st.sampled_from(sorted(TEXTS)), data=st.data())
def test_every_text_renders_in_both_languages_for_any_values_without_raising(
    code: str, data: st.DataObject
) -> None:
    names = _names(TEXTS[code][0]) | _names(TEXTS[code][1])
    params = {name: data.draw(_VALUES, label=name) for name in sorted(names)}
    for index, language in enumerate(("nb", "en")):
        text = render(Message(code, **params), language, str.upper)
        assert isinstance(text, str)
        # Empty only where the template is nothing but fields and the values were empty.
        literal = "".join(part for part, *_ in string.Formatter().parse(TEXTS[code][index]))
        assert text or not literal.strip()
        assert "‹" not in text  # every key named through the key map given

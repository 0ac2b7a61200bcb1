"""The entry line: "number, then function", every key path, as a pure state machine."""

from __future__ import annotations

from decimal import Decimal

import pytest

from omnipos_tui.core.money import Money
from omnipos_tui.ui.actions import (
    NO_RECEIPT,
    Action,
    Cancel,
    Discount,
    DiscountKind,
    EnterCode,
    Ignored,
    Move,
    MoveSelection,
    OpenRing,
    PriceCheck,
    Rejected,
    ReturnReceipt,
    Search,
    SetLineQuantity,
    Simple,
    Tender,
    TenderKind,
)
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.entry import EntryState
from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.keymap import keymap_files, load_keymap

KEYMAP = load_keymap(*keymap_files("default"))


@pytest.fixture
def entry() -> EntryState:
    return EntryState(Translator("nb"), KEYMAP)


def feed(entry: EntryState, keys: str) -> list[Action]:
    """Feed characters; ``,`` ``*`` ``+`` ``-`` ``/`` go through the key map like real keys.

    Named keys are written in braces: ``{enter}``, ``{f9}``, ``{escape}``, ``{backspace}``.
    """
    actions: list[Action] = []
    index = 0
    while index < len(keys):
        if keys[index] == "{":
            end = keys.index("}", index)
            name, index = keys[index + 1 : end], end + 1
        else:
            name, index = keys[index], index + 1
        command = KEYMAP.command_for(name)
        result = entry.press(command) if command is not None else entry.type(name)
        if result is not None:
            actions.append(result)
    return actions


def rejected(actions: list[Action]) -> str:
    assert len(actions) == 1 and isinstance(actions[0], Rejected), actions
    return actions[0].message


# --- building numbers ---------------------------------------------------------------------


def test_digits_build_a_number_shown_with_a_cursor(entry: EntryState) -> None:
    assert entry.text() == "_"
    assert feed(entry, "1043") == []
    assert entry.text() == "1043_"


def test_a_comma_or_a_point_starts_the_decimals_once(entry: EntryState) -> None:
    feed(entry, "149.5")
    assert entry.text() == "149,5_"
    assert rejected(feed(entry, ",")) == "Bare ett komma"


def test_a_comma_first_means_zero_kroner(entry: EntryState) -> None:
    feed(entry, ",5")
    assert entry.typed == "0,5"


def test_a_weight_keeps_three_decimals_and_a_fourth_is_refused(entry: EntryState) -> None:
    feed(entry, "0,352")
    assert rejected(feed(entry, "9")) == "Maks tre desimaler (vekt i kg)"
    assert feed(entry, "*4011{enter}") == [EnterCode(code="4011", quantity=Decimal("0.352"))]


def test_an_amount_with_three_decimals_is_refused_where_it_becomes_money(
    entry: EntryState,
) -> None:
    feed(entry, "1,255")
    assert rejected(feed(entry, "{f9}")) == "Et beløp har to desimaler"
    assert entry.typed == "1,255"


def test_an_article_number_can_have_fourteen_digits_but_no_more(entry: EntryState) -> None:
    feed(entry, "12345678901234")
    assert rejected(feed(entry, "5")) == "For mange siffer"


def test_an_amount_has_at_most_nine_digits_before_the_comma(entry: EntryState) -> None:
    feed(entry, "1234567890")
    assert "for stort" in rejected(feed(entry, ","))
    assert "for stort" in rejected(feed(entry, "{f9}"))


def test_backspace_erases_the_last_digit_then_undoes_the_quantity(entry: EntryState) -> None:
    feed(entry, "3*12{backspace}")
    assert entry.text() == "3 × 1_"
    feed(entry, "{backspace}")
    assert entry.text() == "3 × _"
    feed(entry, "{backspace}")
    assert entry.text() == "3_"
    assert entry.quantity is None


def test_backspace_on_an_empty_entry_is_ignored(entry: EntryState) -> None:
    assert feed(entry, "{backspace}") == [Ignored()]


# --- selling --------------------------------------------------------------------------------


def test_enter_sells_the_typed_article_number(entry: EntryState) -> None:
    assert feed(entry, "7040{enter}") == [EnterCode(code="7040")]
    assert entry.is_empty


def test_quantity_star_then_code_enter_sells_that_many(entry: EntryState) -> None:
    assert feed(entry, "3*") == []
    assert entry.text() == "3 × _"
    assert feed(entry, "7040{enter}") == [EnterCode(code="7040", quantity=Decimal(3))]


def test_a_decimal_quantity_is_kept_exactly(entry: EntryState) -> None:
    feed(entry, "1,5*")
    assert entry.text() == "1,5 × _"
    assert entry.quantity == Decimal("1.5")


def test_a_zero_or_huge_quantity_is_refused(entry: EntryState) -> None:
    assert "Antall" in rejected(feed(entry, "0*"))
    entry.clear()
    assert "Antall" in rejected(feed(entry, "10000*"))


def test_a_scan_uses_the_pending_quantity_and_keeps_typed_digits(entry: EntryState) -> None:
    feed(entry, "3*12")
    assert entry.scan("7040000000001") == EnterCode(
        code="7040000000001", quantity=Decimal(3), scanned=True
    )
    assert entry.text() == "12_"


def test_a_scan_without_quantity_sells_one(entry: EntryState) -> None:
    assert entry.scan("7040000000001") == EnterCode(code="7040000000001", scanned=True)


def test_enter_on_an_empty_entry_does_nothing(entry: EntryState) -> None:
    assert feed(entry, "{enter}{enter}") == [Ignored(), Ignored()]


def test_enter_with_only_a_quantity_asks_for_the_item(entry: EntryState) -> None:
    feed(entry, "3*")
    assert "Skann varen" in rejected(feed(entry, "{enter}"))
    assert entry.text() == "3 × _"


def test_enter_with_a_comma_is_not_an_article_number(entry: EntryState) -> None:
    feed(entry, "12,5")
    assert "ikke komma" in rejected(feed(entry, "{enter}"))


def test_star_on_an_empty_entry_changes_the_selected_lines_quantity(entry: EntryState) -> None:
    assert feed(entry, "*") == []
    assert entry.text() == "NYTT ANTALL: _"
    assert "nytt antall" in rejected(feed(entry, "{enter}"))
    assert feed(entry, "4{enter}") == [SetLineQuantity(Decimal(4))]
    assert entry.is_empty


def test_open_ring_takes_an_amount_and_hands_it_to_the_group_list(entry: EntryState) -> None:
    assert feed(entry, "149,00{f3}") == [OpenRing(amount=Money(14900))]
    assert entry.is_empty


def test_open_ring_keeps_a_pending_quantity(entry: EntryState) -> None:
    assert feed(entry, "2*49{f3}") == [OpenRing(amount=Money(4900), quantity=Decimal(2))]


def test_open_ring_without_an_amount_names_the_key_to_use(entry: EntryState) -> None:
    assert rejected(feed(entry, "{f3}")) == "Skriv beløpet først, f.eks. 149,00 F3"


def test_a_zero_amount_is_refused(entry: EntryState) -> None:
    assert rejected(feed(entry, "0{f3}")) == "Beløpet må være over 0"


# --- discounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "kind"),
    [("1", DiscountKind.PERCENT), ("2", DiscountKind.AMOUNT), ("3", DiscountKind.NEW_PRICE)],
)
def test_discount_takes_a_value_then_its_kind(
    entry: EntryState, choice: str, kind: DiscountKind
) -> None:
    feed(entry, "10{f4}")
    assert entry.text() == "RABATT 10: 1 = %  2 = kr  3 = ny pris"
    assert feed(entry, choice) == [Discount(kind=kind, value=Decimal(10))]


def test_a_kroner_discount_is_money(entry: EntryState) -> None:
    (action,) = feed(entry, "12,5{f4}2")
    assert isinstance(action, Discount)
    assert action.amount == Money(1250)


def test_a_discount_over_a_hundred_percent_is_refused(entry: EntryState) -> None:
    feed(entry, "150{f4}")
    assert "100 %" in rejected(feed(entry, "1"))
    assert feed(entry, "3") == [Discount(kind=DiscountKind.NEW_PRICE, value=Decimal(150))]


def test_discount_without_a_value_names_the_key(entry: EntryState) -> None:
    assert rejected(feed(entry, "{f4}")) == "Skriv rabatten først, f.eks. 10 F4"


def test_discount_kind_must_be_one_two_or_three(entry: EntryState) -> None:
    feed(entry, "10{f4}")
    assert "1 = %" in rejected(feed(entry, "7"))
    feed(entry, "{backspace}")
    assert entry.text() == "10_"


# --- payment --------------------------------------------------------------------------------


def test_amount_then_cash_tenders_that_amount(entry: EntryState) -> None:
    assert feed(entry, "500{f9}") == [Tender(kind=TenderKind.CASH, amount=Money(50000))]
    assert entry.is_empty


def test_cash_alone_means_the_exact_amount(entry: EntryState) -> None:
    assert feed(entry, "{f9}") == [Tender(kind=TenderKind.CASH)]


def test_card_and_other_tenders_take_part_amounts(entry: EntryState) -> None:
    assert feed(entry, "300{f10}{f11}") == [
        Tender(kind=TenderKind.CARD, amount=Money(30000)),
        Tender(kind=TenderKind.OTHER),
    ]


def test_a_tender_with_a_pending_quantity_is_refused(entry: EntryState) -> None:
    feed(entry, "3*")
    assert "Antallet venter" in rejected(feed(entry, "{f9}"))


def test_pay_opens_the_payment_panel_and_keeps_the_number(entry: EntryState) -> None:
    assert feed(entry, "100+") == [Simple(Command.PAY)]
    assert entry.text() == "100_"


# --- price check, return, search ----------------------------------------------------------


def test_price_check_waits_for_a_scan_and_sells_nothing(entry: EntryState) -> None:
    assert feed(entry, "/") == []
    assert entry.text() == "PRISSJEKK: skann vare"
    assert entry.scan("7040000000001") == PriceCheck(code="7040000000001", scanned=True)
    assert entry.is_empty


def test_price_check_takes_a_typed_number_before_or_after(entry: EntryState) -> None:
    assert feed(entry, "7040/") == [PriceCheck(code="7040")]
    assert feed(entry, "/12") == []
    assert entry.text() == "PRISSJEKK: skann vare 12_"
    assert feed(entry, "{enter}") == [PriceCheck(code="12")]


def test_price_check_with_nothing_typed_asks_for_the_item(entry: EntryState) -> None:
    feed(entry, "/")
    assert "Skann varen" in rejected(feed(entry, "{enter}"))
    assert "Fullfør" in rejected(feed(entry, "{f9}"))


def test_return_waits_for_the_receipt(entry: EntryState) -> None:
    assert feed(entry, "{f7}") == []
    assert entry.text() == "RETUR: skann kvittering  (F7 igjen = uten kvittering, leder)"
    assert "kvitteringen" in rejected(feed(entry, "{enter}"))
    assert entry.scan("R000123") == ReturnReceipt(receipt="R000123", scanned=True)
    assert feed(entry, "123{f7}") == [ReturnReceipt(receipt="123")]
    assert feed(entry, "{f7}45{enter}") == [ReturnReceipt(receipt="45")]
    assert feed(entry, "{f7}45{f7}") == [ReturnReceipt(receipt="45")]
    assert feed(entry, "{f7}{f7}") == [ReturnReceipt(receipt=NO_RECEIPT)]
    assert entry.text() == "_"


def test_a_comma_in_a_receipt_number_is_refused(entry: EntryState) -> None:
    feed(entry, "{f7}")
    assert "ikke komma" in rejected(feed(entry, ","))


def test_letters_open_search_prefilled(entry: EntryState) -> None:
    assert feed(entry, "k") == [Search(text="k")]


def test_search_key_takes_typed_digits_as_the_search(entry: EntryState) -> None:
    assert feed(entry, "{f2}") == [Search(text="")]
    assert feed(entry, "7040{f2}") == [Search(text="7040")]


def test_letters_during_a_pending_stage_are_refused(entry: EntryState) -> None:
    feed(entry, "/")
    assert "Fullfør" in rejected(feed(entry, "k"))


# --- escape, moves and simple commands ----------------------------------------------------


def test_escape_clears_one_level_per_press_then_cancels(entry: EntryState) -> None:
    feed(entry, "3*12")
    assert feed(entry, "{escape}") == []
    assert entry.text() == "3 × _"
    assert feed(entry, "{escape}") == []
    assert entry.text() == "_"
    assert feed(entry, "{escape}") == [Cancel()]


def test_escape_leaves_a_waiting_stage(entry: EntryState) -> None:
    feed(entry, "/")
    assert feed(entry, "{escape}") == []
    assert entry.is_empty


@pytest.mark.parametrize(
    ("key", "move"),
    [
        ("{up}", Move.UP),
        ("{down}", Move.DOWN),
        ("{pageup}", Move.PAGE_UP),
        ("{pagedown}", Move.PAGE_DOWN),
        ("{home}", Move.FIRST),
        ("{end}", Move.LAST),
    ],
)
def test_arrow_keys_move_the_selection_and_keep_the_entry(
    entry: EntryState, key: str, move: Move
) -> None:
    feed(entry, "3*")
    assert feed(entry, key) == [MoveSelection(move)]
    assert entry.text() == "3 × _"


@pytest.mark.parametrize(
    ("key", "command"),
    [
        ("-", Command.VOID),
        ("{delete}", Command.VOID),
        ("{f5}", Command.PARK),
        ("{f6}", Command.RECALL),
        ("{f8}", Command.NO_SALE),
        ("{f12}", Command.MENU),
        ("{f1}", Command.HELP),
        ("{ctrl+l}", Command.LOCK),
    ],
)
def test_commands_without_a_number_pass_straight_through(
    entry: EntryState, key: str, command: Command
) -> None:
    assert feed(entry, key) == [Simple(command)]


def test_help_works_in_every_stage(entry: EntryState) -> None:
    feed(entry, "10{f4}")
    assert feed(entry, "{f1}") == [Simple(Command.HELP)]


def test_clear_forgets_everything(entry: EntryState) -> None:
    feed(entry, "3*149")
    entry.clear()
    assert entry.is_empty
    assert entry.text() == "_"


def test_english_texts_follow_the_language_setting() -> None:
    entry = EntryState(Translator("en"), KEYMAP)
    feed(entry, "/")
    assert entry.text() == "PRICE CHECK: scan item"
    entry.clear()
    assert rejected(feed(entry, "{f3}")) == "Type the amount first, e.g. 149,00 F3"


def test_the_void_key_types_the_dash_of_a_receipt_number_in_a_return(entry: EntryState) -> None:
    assert feed(entry, "{f7}1-62") == []
    assert entry.text().endswith(" 1-62_")
    assert feed(entry, "{enter}") == [ReturnReceipt(receipt="1-62")]


def test_a_dash_before_the_register_or_a_second_dash_is_refused_in_a_return(
    entry: EntryState,
) -> None:
    feed(entry, "{f7}")
    assert "1-62" in rejected(feed(entry, "-"))
    feed(entry, "1-6")
    assert "1-62" in rejected(feed(entry, "-"))
    assert entry.text().endswith(" 1-6_")

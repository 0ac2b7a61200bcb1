"""The register service: start/stop, one login per employee, the drawer, cash movements,
the opening float, training mode and the register's status."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from ledger_support import CASHIER, MANAGER, MILK, PINS, cash_sale, open_shop

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import (
    ApprovalRequired,
    AuthenticationError,
    InvalidInput,
    PermissionDenied,
)
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import ReceiptSeries, TransactionKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import completion, parking, receipts, ringing
from omnipos_tui.services.sales import opening as sale_opening


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Services, FixedClock]:
    return open_shop(tmp_path, algorithm="hmac-sha1")


def _codes(services: Services, register_id: str = "1") -> list[EventCode]:
    return [e.code for e in services.journal.events(register_id)]


def test_start_login_logout_and_stop_are_journaled(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    register = services.register
    register.start("1")
    employee = register.log_in("1", CASHIER, PINS[CASHIER])
    assert employee.number == CASHIER and register.status("1").employee == CASHIER
    register.log_out("1", CASHIER)
    register.stop("1")
    assert _codes(services)[-4:] == [
        EventCode.POS_START,
        EventCode.LOGIN,
        EventCode.LOGOUT,
        EventCode.POS_STOP,
    ]
    assert register.status("1").employee is None


def test_a_wrong_pin_logs_nobody_in_and_journals_nothing(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    before = _codes(services)
    with pytest.raises(AuthenticationError):
        services.register.log_in("1", CASHIER, "0001")
    assert _codes(services) == before and services.register.status("1").employee is None


def test_logging_in_at_another_till_logs_out_of_the_first(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    register = services.register
    services.setup.add_register("2", "Kasse 2")
    register.log_in("1", CASHIER, PINS[CASHIER])
    register.log_in("2", CASHIER, PINS[CASHIER])
    assert register.status("1").employee is None
    assert register.status("2").employee == CASHIER
    [logout] = services.journal.events("1", codes=[EventCode.LOGOUT])
    assert "kasse 2" in logout.text
    register.log_in("2", MANAGER, PINS[MANAGER])
    assert register.status("2").employee == MANAGER
    assert _codes(services, "2") == [EventCode.LOGIN, EventCode.LOGOUT, EventCode.LOGIN]


def test_a_drawer_opening_without_sale_needs_a_reason_and_a_manager(
    shop: tuple[Services, FixedClock],
) -> None:
    services, _ = shop
    register = services.register
    with pytest.raises(InvalidInput, match="reason"):
        register.no_sale("1", "  ", employee=CASHIER, approved_by=MANAGER)
    with pytest.raises(ApprovalRequired):
        register.no_sale("1", "Veksling", employee=CASHIER)
    register.no_sale("1", "Veksling", employee=CASHIER, approved_by=MANAGER)
    register.no_sale("1", "Kontroll", employee=MANAGER)
    events = list(services.journal.events("1", codes=[EventCode.DRAWER_OPEN_NO_SALE]))
    assert [e.payload["reason"] for e in events] == ["Veksling", "Kontroll"]
    assert all(e.code.predefined == "13005" for e in events)
    report = services.reports.x_report("1", employee=MANAGER)
    assert report.drawer_openings == 2


def test_cash_movements_are_signed_transactions_in_the_chain(
    shop: tuple[Services, FixedClock],
) -> None:
    services, clock = shop
    register = services.register
    opening = register.opening_float("1", Money.kroner(1000), employee=CASHIER)
    cash_sale(services, clock, MILK)
    out = register.cash_out("1", Money.kroner(300), "Til banken", employee=CASHIER)
    into = register.cash_in("1", Money.kroner(50), "Vekslepenger", employee=CASHIER)
    assert [t.kind for t in (opening, out, into)] == [
        TransactionKind.OPENING_FLOAT,
        TransactionKind.CASH_OUT,
        TransactionKind.CASH_IN,
    ]
    assert (out.total, out.note, out.receipt_series) == (Money(-30000), "Til banken", "other")
    assert [t.receipt_number for t in (opening, out, into)] == [1, 2, 3]
    assert [t.nr for t in (opening, out, into)] == [1, 3, 4]
    [withdrawal] = services.journal.events("1", codes=[EventCode.CASH_OUT])
    assert (withdrawal.code.predefined, withdrawal.trans_id) == ("13019", out.trans_id)
    assert services.journal.verify("1")[0].ok
    report = services.reports.x_report("1", employee=MANAGER)
    assert report.opening_float == Money.kroner(1000)
    assert report.expected_cash == Money(100000 + 2200 - 30000 + 5000)
    with pytest.raises(InvalidInput):
        register.cash_out("1", Money(0), "ingenting", employee=CASHIER)


def test_training_mode_needs_a_manager_and_switches_are_journaled(
    shop: tuple[Services, FixedClock],
) -> None:
    services, clock = shop
    register = services.register
    with pytest.raises(ApprovalRequired):
        register.set_training("1", True, employee=CASHIER, approved_by=None)
    with pytest.raises(PermissionDenied):
        register.set_training("1", True, employee=CASHIER, approved_by=CASHIER)
    register.set_training("1", True, employee=CASHIER, approved_by=MANAGER)
    status = register.status("1")
    assert status.training and status.next_receipt_number == 1
    training = cash_sale(services, clock, MILK)
    assert training.transaction.receipt_series == ReceiptSeries.TRAINING
    register.set_training("1", False, employee=CASHIER, approved_by=MANAGER)
    events = list(
        services.journal.events(
            "1",
            codes=[EventCode.TRAINING_ON, EventCode.TRAINING_OFF, EventCode.TRAINING_RECEIPT],
        )
    )
    assert [(e.code, e.training) for e in events] == [
        (EventCode.TRAINING_ON, False),
        (EventCode.TRAINING_RECEIPT, True),
        (EventCode.TRAINING_OFF, False),
    ]
    report = services.reports.x_report("1", employee=MANAGER)
    assert (report.training.count, report.total_sales) == (1, Money(0))


def test_the_status_shows_what_the_lock_screen_needs(shop: tuple[Services, FixedClock]) -> None:
    services, clock = shop
    register, sales = services.register, services.sales
    cash_sale(services, clock, MILK)
    sale = sale_opening.resume_or_open(sales, "1", CASHIER)
    ringing.add_item(sales, sale.sale_id, MILK, employee=CASHIER)
    parking.park(sales, sale.sale_id, employee=CASHIER)
    status = register.status("1")
    assert (status.next_receipt_number, status.parked, status.parked_everywhere) == (2, 1, 1)
    assert (status.last_z_at, status.z_done_today, status.last_nr) == (None, False, 1)
    assert register.status("2").parked == 0
    parking.resume(sales, sale.sale_id, "1", employee=CASHIER)
    completion.void_sale(sales, sale.sale_id, employee=CASHIER, approved_by=MANAGER)
    services.reports.z_report("1", employee=MANAGER)
    status = register.status("1")
    assert status.z_done_today and status.last_z_at == clock.now()
    clock.advance(timedelta(days=1))
    assert not register.status("1").z_done_today


def test_a_drawer_opening_and_a_real_copy_in_training_mode_still_count(
    shop: tuple[Services, FixedClock],
) -> None:
    services, clock = shop
    real = cash_sale(services, clock, MILK)
    services.register.set_training("1", True, employee=CASHIER, approved_by=MANAGER)
    services.register.no_sale("1", "Kontroll", employee=MANAGER)
    receipts.copy_receipt(services.sales, real.receipt_id, employee=CASHIER)
    ringing.price_lookup(services.sales, "1", MILK, employee=CASHIER)  # training: not counted
    report = services.reports.x_report("1", employee=MANAGER)
    assert (report.drawer_openings, report.copies.count, report.price_inquiries) == (1, 1, ())

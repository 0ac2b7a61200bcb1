"""Domain events on a real shop: use cases record them, handlers subscribed on the services'
event bus run inside the same unit of work before it commits, and what they write commits
with the business data or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_support import CASHIER, COLA, MANAGER, MILK, cash_sale, open_shop, tick

from omnipos_tui.core.clock import business_day
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.events import DomainEvent, SaleCompleted, SaleVoided, ZReportClosed
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.outbox import OutboxMessage, OutboxState
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.services.ledger.steps import receipt_key
from omnipos_tui.services.sales import completion, opening, payments, receipts, ringing


def test_a_handler_of_sale_completed_writes_an_outbox_row_in_the_sales_own_commit(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path)
    seen: list[SaleCompleted] = []

    def queue(event: SaleCompleted, uow: UnitOfWork) -> None:
        seen.append(event)
        # Inside the unit: the transaction is stored already, not yet committed.
        assert uow.transactions.by_trans_id(event.transaction.trans_id) is not None
        key = receipt_key(event.transaction)
        uow.outbox.add(OutboxMessage("test.sale", key, {"total": event.transaction.total.ore}))

    services.events.subscribe(SaleCompleted, queue)
    done = cash_sale(services, clock, MILK, COLA)
    [event] = seen
    assert event.transaction == done.transaction
    assert (event.register_id, event.kick_drawer) == ("1", True)
    with services.units(read_only=True) as uow:
        row = uow.outbox.get("test.sale", done.receipt_id)
    assert row is not None and row.state is OutboxState.PENDING
    assert row.message.payload == {"total": done.transaction.total.ore}
    services.close()


def test_a_handler_that_refuses_rolls_the_whole_sale_back(tmp_path: Path) -> None:
    services, clock = open_shop(tmp_path)

    def refuse(event: SaleCompleted, uow: UnitOfWork) -> None:
        uow.outbox.add(OutboxMessage("test.sale", "written", {}))
        raise RuleViolation("not today")

    stop = services.events.subscribe(SaleCompleted, refuse)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    tick(clock)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    with pytest.raises(RuleViolation, match="not today"):
        completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert receipts.last_receipt_id(services.sales, "1") is None
    assert list(services.journal.events("1", codes=[EventCode.SALES_RECEIPT])) == []
    assert opening.current(services.sales, sale.sale_id).is_paid()  # still open, as it was
    with services.units(read_only=True) as uow:
        assert uow.outbox.get("test.sale", "written") is None
    stop()
    done = completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert done.receipt_id == receipts.last_receipt_id(services.sales, "1")
    services.close()


def test_events_recorded_by_handlers_are_published_after_the_ones_before_them(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path)
    order: list[str] = []

    class Followed(DomainEvent):
        pass

    def follow(event: SaleCompleted, uow: UnitOfWork) -> None:
        order.append("sale")
        uow.record(Followed())

    services.events.subscribe(SaleCompleted, follow)
    services.events.subscribe(Followed, lambda event, uow: order.append("followed"))
    cash_sale(services, clock, MILK)
    assert order == ["sale", "followed"]
    services.close()


def test_a_unit_that_rolls_back_publishes_nothing(tmp_path: Path) -> None:
    services, _ = open_shop(tmp_path)
    seen: list[DomainEvent] = []
    services.events.subscribe(DomainEvent, lambda event, uow: seen.append(event))
    with services.units() as uow:
        uow.record(DomainEvent())
    assert seen == []
    with services.units() as uow:
        uow.record(DomainEvent())
        uow.commit()
    assert seen == [DomainEvent()]
    services.close()


def test_a_void_and_a_z_report_record_their_events(tmp_path: Path) -> None:
    services, clock = open_shop(tmp_path)
    seen: list[DomainEvent] = []
    services.events.subscribe(DomainEvent, lambda event, uow: seen.append(event))
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    tick(clock)
    ringing.add_item(services.sales, sale.sale_id, COLA, employee=CASHIER)
    voided = completion.void_sale(
        services.sales, sale.sale_id, employee=CASHIER, approved_by=MANAGER
    )
    tick(clock)
    report = services.reports.z_report("1", employee=MANAGER)
    void_event, z_event = seen
    assert isinstance(void_event, SaleVoided)
    assert (void_event.transaction, void_event.register_id, void_event.approved_by) == (
        voided.transaction,
        "1",
        MANAGER,
    )
    assert isinstance(z_event, ZReportClosed)
    assert (z_event.register_id, z_event.z_number, z_event.business_day) == (
        "1",
        report.report_no,
        business_day(clock.now()),
    )
    assert z_event.report == report
    services.close()

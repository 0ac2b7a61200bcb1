"""Paper after money through the outbox, on a real shop with simulated devices: the sale's
own commit queues the receipt, drawer kick and customer display of the till's register;
the till delivers them (after the commit, or when it starts again after a crash); the
receipt prints exactly once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from ledger_support import CASHIER, COLA, MILK, cash_sale, tick
from paper_support import receipt_printer, till_shop

import omnipos_tui.services.sales.paper as paper_module
from drivers.display import SimulatedCustomerDisplay
from drivers.drawer import SimulatedCashDrawer
from omnipos_tui.bootstrap import Services
from omnipos_tui.core.errors import DrawerError
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.outbox import OutboxState
from omnipos_tui.core.printing import JobStatus
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.services.sales.paper import DISPLAY, DRAWER, RECEIPT

KINDS = (RECEIPT, DRAWER, DISPLAY)


def _drawer(services: Services) -> SimulatedCashDrawer:
    drawer = services.devices().drawer
    assert isinstance(drawer, SimulatedCashDrawer)
    return drawer


def _states(services: Services, receipt: str) -> dict[str, OutboxState]:
    with services.units(read_only=True) as uow:
        return {row.message.kind: row.state for row in uow.outbox.find(receipt)}


def _originals(services: Services, receipt: str) -> list[JobStatus]:
    queue = services.devices().print_queue
    jobs = [*queue.pending(), *queue.done()]
    return [job.status for job in jobs if job.title == f"Salgskvittering {receipt}"]


def test_the_sales_own_commit_queues_its_receipt_drawer_kick_and_display(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path)
    services.own_devices("1")
    done = cash_sale(services, clock, MILK, COLA)
    assert _states(services, done.receipt_id) == dict.fromkeys(KINDS, OutboxState.PENDING)
    with services.units(read_only=True) as uow:
        row = uow.outbox.get(DISPLAY, done.receipt_id)
    assert row is not None and row.owner == "1"
    assert row.message.payload["total"] == done.transaction.total.ore
    assert receipt_printer(services).documents == []  # nothing was sent inside the transaction
    services.close()


def test_a_process_that_owns_no_devices_queues_no_paper(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path)  # the admin CLI, the demo seeder, a worker
    done = cash_sale(services, clock, MILK)
    assert _states(services, done.receipt_id) == {}
    services.close()


def test_a_card_sale_queues_no_drawer_kick(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path)
    services.own_devices("1")
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    tick(clock)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    payments.pay(
        services.sales, sale.sale_id, TenderKind.MOBILE, None, employee=CASHIER, reference="V1"
    )
    done = completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    assert set(_states(services, done.receipt_id)) == {RECEIPT, DISPLAY}
    services.close()


def test_the_till_prints_kicks_and_greets_once_and_marks_each_row_done(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path)
    paper = services.own_devices("1")
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    tick(clock)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, Money(5000), employee=CASHIER)
    done = completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    report = paper.deliver(done)
    assert (report.done, report.failed, report.deferred) == (3, 0, 0)
    assert [d.title for d in receipt_printer(services).documents] == [
        f"Salgskvittering {done.receipt_id}"
    ]
    assert not receipt_printer(services).documents[0].kick_drawer  # the drawer has its own row
    assert _drawer(services).is_open() is True
    display = services.devices().display
    assert isinstance(display, SimulatedCustomerDisplay)
    assert display.bottom == "Tilbake        28,00"  # the change (22,00 in cash)
    assert _states(services, done.receipt_id) == dict.fromkeys(KINDS, OutboxState.DONE)
    assert paper.deliver(done).handled == 0
    assert paper.recover().handled == 0
    assert len(receipt_printer(services).documents) == 1
    with services.units(read_only=True) as uow:
        row = uow.outbox.get(RECEIPT, done.receipt_id)
    assert row is not None and row.far_id == services.devices().print_queue.done()[0].id
    services.close()


def test_after_a_crash_between_commit_and_print_the_restarted_till_prints_the_original_once(
    tmp_path: Path,
) -> None:
    services, clock = till_shop(tmp_path)
    services.own_devices("1")
    done = cash_sale(services, clock, MILK)
    services.close()  # killed before the paper: nothing printed, nothing kicked
    clock.advance(timedelta(minutes=2))
    again, _ = till_shop(tmp_path, initialise=False, clock=clock)
    report = again.own_devices("1").recover()
    assert report.done == 3
    [document] = receipt_printer(again).documents
    assert document.title == f"Salgskvittering {done.receipt_id}"
    assert "KOPI" not in str(document)
    # Two minutes late: the drawer stays shut and the customer is not greeted.
    assert _drawer(again).is_open() is False
    with again.units(read_only=True) as uow:
        drawer_row = uow.outbox.get(DRAWER, done.receipt_id)
    assert drawer_row is not None and drawer_row.far_id == "late"
    assert again.own_devices("1").recover().handled == 0
    again.close()


def test_a_job_that_reached_the_spool_before_the_crash_is_not_queued_twice(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path)
    services.own_devices("1")
    done = cash_sale(services, clock, MILK)
    # The crash came after the job was stored in the spool and before it was sent.
    receipt_printer(services).go_offline()
    queue = services.devices().print_queue
    queue.submit("receipt", done.documents[0], key=f"{RECEIPT}:{done.receipt_id}")
    services.close()
    again, _ = till_shop(tmp_path, initialise=False, clock=clock)
    again.own_devices("1").recover()
    again.devices().print_queue.flush()
    assert _originals(again, done.receipt_id) == [JobStatus.DONE]
    assert len(receipt_printer(again).documents) == 1
    again.close()


def test_a_printer_that_is_off_keeps_the_receipt_waiting_in_the_spool(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path)
    paper = services.own_devices("1")
    receipt_printer(services).go_offline()
    done = cash_sale(services, clock, MILK)
    paper.deliver(done)
    assert _states(services, done.receipt_id)[RECEIPT] is OutboxState.DONE  # the spool has it
    assert _originals(services, done.receipt_id) == [JobStatus.PENDING]
    receipt_printer(services).restore()
    services.devices().print_queue.flush()
    assert _originals(services, done.receipt_id) == [JobStatus.DONE]
    services.close()


def test_a_drawer_that_does_not_open_fails_its_row_and_says_why(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path)
    paper = services.own_devices("1")

    def broken() -> None:
        raise DrawerError("drawer on /dev/ttyS0 does not answer")

    _drawer(services).open = broken  # type: ignore[method-assign]
    done = cash_sale(services, clock, MILK)
    report = paper.deliver(done)
    [failure] = report.errors
    assert (failure.kind, failure.final) == (DRAWER, True)
    assert isinstance(failure.error, DrawerError)  # the device's own error, for the screen
    states = _states(services, done.receipt_id)
    assert states == {
        RECEIPT: OutboxState.DONE,
        DRAWER: OutboxState.FAILED,
        DISPLAY: OutboxState.DONE,
    }
    assert len(receipt_printer(services).documents) == 1
    services.close()


def test_a_restart_delivers_more_paper_than_one_pass_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, clock = till_shop(tmp_path)
    services.own_devices("1")
    done = [cash_sale(services, clock, MILK) for _ in range(4)]
    services.close()
    again, _ = till_shop(tmp_path, initialise=False, clock=clock)
    paper = again.own_devices("1")
    monkeypatch.setattr(paper_module, "PASS", 5)  # 4 sales x 3 rows: three passes
    report = paper.recover()
    assert report.done == 12
    assert [d.title for d in receipt_printer(again).documents] == [
        f"Salgskvittering {sale.receipt_id}" for sale in done
    ]
    again.close()

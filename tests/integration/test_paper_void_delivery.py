"""Paper after money for the other receipts a till prints: a voided sale's receipt and a
prepaid order's delivery receipt are queued by the void's / the hand-over's own commit
(not printed by the screen after it), delivered by the till, and a crash between the
commit and the print leaves them queued: the restarted till prints each exactly once."""

from __future__ import annotations

from pathlib import Path

from ledger_support import CASHIER, CUSTOMER, MANAGER, MILK, tick
from order_support import lines
from paper_support import receipt_printer, till_shop
from stock_support import post, supplied

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.orders.order import PaymentState
from omnipos_tui.core.outbox import OutboxState
from omnipos_tui.services.orders import pickup
from omnipos_tui.services.orders.pickup import HandOver
from omnipos_tui.services.sales import completion, opening, ringing
from omnipos_tui.services.sales.paper import DELIVERY, DISPLAY, DRAWER, RECEIPT
from omnipos_tui.services.sales.results import CompletedSale


def _rows(services: Services, key: str) -> dict[str, OutboxState]:
    with services.units(read_only=True) as uow:
        return {row.message.kind: row.state for row in uow.outbox.find(key)}


def _void(services: Services, clock: FixedClock) -> CompletedSale:
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    tick(clock)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    return completion.void_sale(services.sales, sale.sale_id, employee=CASHIER, approved_by=MANAGER)


def _hand_over(services: Services) -> HandOver:
    post(services, supplied("10001", 10_000, 1200))
    order = services.orders.new(
        CUSTOMER, lines("10001=2"), channel="web", external="WOO-9", payment=PaymentState.PREPAID
    ).order
    return pickup.hand_over(services.sales, order.barcode, register_id="1", employee=CASHIER)


def test_the_voids_own_commit_queues_the_voided_receipt_and_nothing_else(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path, algorithm="hmac-sha1")
    services.own_devices("1")
    voided = _void(services, clock)
    assert _rows(services, voided.receipt_id) == {RECEIPT: OutboxState.PENDING}
    assert receipt_printer(services).documents == []  # nothing was printed inside the transaction
    services.close()


def test_a_crash_after_the_void_leaves_its_receipt_queued_and_the_restart_prints_it_once(
    tmp_path: Path,
) -> None:
    services, clock = till_shop(tmp_path, algorithm="hmac-sha1")
    services.own_devices("1")
    voided = _void(services, clock)
    expected = voided.documents[0].text()
    services.close()  # killed between the commit and the print
    again, _ = till_shop(tmp_path, initialise=False, clock=clock, algorithm="hmac-sha1")
    report = again.own_devices("1").recover()
    assert (report.done, report.failed) == (1, 0)
    [document] = receipt_printer(again).documents
    assert document.text() == expected and "ANNULLERT" in expected
    assert _rows(again, voided.receipt_id) == {RECEIPT: OutboxState.DONE}
    assert again.own_devices("1").recover().handled == 0
    assert len(receipt_printer(again).documents) == 1
    again.close()


def test_the_till_prints_the_voided_receipt_it_has_at_hand_once(tmp_path: Path) -> None:
    services, clock = till_shop(tmp_path, algorithm="hmac-sha1")
    paper = services.own_devices("1")
    voided = _void(services, clock)
    assert paper.deliver(voided).done == 1
    assert paper.deliver(voided).handled == 0
    assert [d.text() for d in receipt_printer(services).documents] == [voided.documents[0].text()]
    assert set(_rows(services, voided.receipt_id)) == {RECEIPT}  # no drawer, no display
    assert DRAWER not in _rows(services, voided.receipt_id)
    assert DISPLAY not in _rows(services, voided.receipt_id)
    services.close()


def test_the_hand_overs_own_commit_queues_the_delivery_receipt(tmp_path: Path) -> None:
    services, _clock = till_shop(tmp_path, algorithm="hmac-sha1")
    services.own_devices("1")
    handed = _hand_over(services)
    assert handed.key.startswith("1-")
    assert _rows(services, handed.key) == {DELIVERY: OutboxState.PENDING}
    assert receipt_printer(services).documents == []
    services.close()


def test_a_crash_after_the_hand_over_leaves_its_delivery_receipt_queued_and_prints_it_once(
    tmp_path: Path,
) -> None:
    services, clock = till_shop(tmp_path, algorithm="hmac-sha1")
    services.own_devices("1")
    handed = _hand_over(services)
    services.close()  # killed between the commit and the print
    again, _ = till_shop(tmp_path, initialise=False, clock=clock, algorithm="hmac-sha1")
    report = again.own_devices("1").recover()
    assert (report.done, report.failed) == (1, 0)
    [document] = receipt_printer(again).documents
    # Laid out again from the database: the same receipt the hand-over made.
    assert document.text() == handed.document.text()
    assert "Utleveringskvittering" in document.text() and "WOO-9" in document.text()
    assert _rows(again, handed.key) == {DELIVERY: OutboxState.DONE}
    assert again.own_devices("1").recover().handled == 0
    assert len(receipt_printer(again).documents) == 1
    again.close()


def test_the_till_prints_the_delivery_receipt_it_has_at_hand_once(tmp_path: Path) -> None:
    services, _clock = till_shop(tmp_path, algorithm="hmac-sha1")
    paper = services.own_devices("1")
    handed = _hand_over(services)
    assert paper.deliver_handed_over(handed.key, handed.document).done == 1
    assert paper.deliver_handed_over(handed.key, handed.document).handled == 0
    assert [d.text() for d in receipt_printer(services).documents] == [handed.document.text()]
    services.close()


def test_a_process_that_owns_no_devices_queues_no_void_or_delivery_paper(tmp_path: Path) -> None:
    services, clock = till_shop(
        tmp_path, algorithm="hmac-sha1"
    )  # the admin CLI, the demo seeder, a worker
    voided = _void(services, clock)
    handed = _hand_over(services)
    assert _rows(services, voided.receipt_id) == {}
    assert _rows(services, handed.key) == {}
    services.close()

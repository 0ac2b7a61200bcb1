"""Completes sales in a loop until it is killed (driven by test_crash_safety.py and
test_crash_outcomes.py).

:func:`sell_forever` runs in a forked child process (or ``python crash_worker.py DATA_DIR``
by hand). It says it is ready once the shop is open, then sells for ever: some sales paid
in cash, some by card through the pending-payment steps, recovering whatever an earlier,
killed worker left (an open sale, a pending card payment).

With ``outcomes`` a card payment a killed worker left pending is resolved as the terminal's
own journal would say, varied by its reference: approved, declined, or the answer lost
(marked unknown, then settled by the cashier: paid, or not paid with a manager); and the
terminal takes a moment to answer, so kills land while a payment is pending more often.
"""

from __future__ import annotations

import sys
import time
import zlib
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import Any

from ledger_support import BREAD, CASHIER, COLA, MANAGER, MILK, settings_for

from omnipos_tui.bootstrap import build
from omnipos_tui.core.ledger.ports import PaymentStatus, PendingPayment
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved, CardDeclined
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.services.sales.deps import SaleDeps

CODES = (MILK, BREAD, COLA)
#: How long the terminal takes to answer in ``outcomes`` mode (seconds).
TERMINAL_THINKS_S = 0.03


def counted(sold: Any) -> Callable[[], None]:
    """What a forked seller calls after each sale: one more on the shared counter ``sold``
    (a ``multiprocessing.Value("i")``) the test reads."""

    def one_more() -> None:
        with sold.get_lock():
            sold.value += 1

    return one_more


def wait_for_sales(sold: Any, target: int, alive: Callable[[], bool]) -> None:
    """Wait until the seller has completed ``target`` sales (counted, not timed: a loaded
    machine only takes longer); a generous bound catches a seller that hangs."""
    deadline = time.monotonic() + 120
    while sold.value < target and alive() and time.monotonic() < deadline:
        time.sleep(0.001)
    assert sold.value >= target, f"the seller sold {sold.value} of {target} (alive: {alive()})"


def recover(sales: SaleDeps, pending: PendingPayment, n: int, *, outcomes: bool) -> None:
    """Settle a card payment a killed till left behind, as the terminal's journal says.

    Without ``outcomes`` it went through. With it the outcome depends on the reference:
    approved, declined, or lost (unknown; then paid, or not paid with a manager). A
    payment already marked unknown is settled by the cashier.
    """
    if not outcomes:
        payments.finish_card_payment(
            sales, pending.reference, CardApproved(pending.amount, f"R{n}")
        )
        return
    choice = zlib.crc32(pending.reference.encode()) % 4
    if pending.status is PaymentStatus.PENDING and choice == 0:
        payments.finish_card_payment(
            sales, pending.reference, CardApproved(pending.amount, f"R{n}")
        )
    elif pending.status is PaymentStatus.PENDING and choice == 1:
        payments.finish_card_payment(
            sales, pending.reference, CardDeclined("Avvist av kortutsteder")
        )
    else:
        if pending.status is PaymentStatus.PENDING:
            payments.mark_card_unknown(sales, pending.reference)
        paid = choice == 2
        payments.resolve_unknown(
            sales,
            pending.reference,
            paid=paid,
            transaction_id=f"U{n}" if paid else "",
            employee=CASHIER,
            approved_by=None if paid else MANAGER,
        )


def sell_forever(
    data_dir: Path,
    ready: Callable[[], object],
    *,
    url: str = "",
    outcomes: bool = False,
    sold: Callable[[], object] = lambda: None,
) -> None:
    """Sell until killed; call ``ready`` once the shop is open (SQLite in ``data_dir``, or
    the database at ``url``) and ``sold`` after each completed sale."""
    services = build(settings_for(data_dir, url=url))
    sales = services.sales
    ready()
    for n in count():
        for pending in payments.pending_payments(sales, "1"):
            recover(sales, pending, n, outcomes=outcomes)
        sale = opening.resume_or_open(sales, "1", CASHIER)
        if not sale.entries:
            for code in CODES[: 1 + n % 3]:
                sale = ringing.add_item(sales, sale.sale_id, code, employee=CASHIER).sale
        if not sale.is_paid():
            if n % 3 == 0:
                pending = payments.begin_card_payment(
                    sales, sale.sale_id, sale.remaining(), employee=CASHIER
                )
                if outcomes:
                    time.sleep(TERMINAL_THINKS_S)  # the customer at the terminal
                payments.finish_card_payment(
                    sales, pending.reference, CardApproved(pending.amount, f"T{n}")
                )
            else:
                payments.pay(sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
        completion.complete(sales, sale.sale_id, employee=CASHIER)
        sold()
        if n % 25 == 24:
            services.register.cash_out("1", Money.kroner(10), "Til safe", employee=CASHIER)


if __name__ == "__main__":
    sell_forever(Path(sys.argv[1]), lambda: print("ready", flush=True))

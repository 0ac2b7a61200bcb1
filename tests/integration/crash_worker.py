"""Completes sales in a loop until it is killed (driven by test_crash_safety.py).

:func:`sell_forever` runs in a forked child process (or ``python crash_worker.py DATA_DIR``
by hand). It says it is ready once the shop is open, then sells for ever: some sales paid
in cash, some by card through the pending-payment steps, recovering whatever an earlier,
killed worker left (an open sale, a pending card payment).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from itertools import count
from pathlib import Path

from ledger_support import BREAD, CASHIER, COLA, MILK, settings_for

from omnipos_tui.bootstrap import build
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved
from omnipos_tui.services.sales import completion, opening, payments, ringing

CODES = (MILK, BREAD, COLA)


def sell_forever(data_dir: Path, ready: Callable[[], object]) -> None:
    """Sell until killed; call ``ready`` once the shop is open."""
    services = build(settings_for(data_dir))
    sales = services.sales
    ready()
    for n in count():
        for pending in payments.pending_payments(sales, "1"):
            # The terminal's own journal says it went through (a killed till's payment).
            payments.finish_card_payment(
                sales, pending.reference, CardApproved(pending.amount, f"R{n}")
            )
        sale = opening.resume_or_open(sales, "1", CASHIER)
        if not sale.entries:
            for code in CODES[: 1 + n % 3]:
                sale = ringing.add_item(sales, sale.sale_id, code, employee=CASHIER).sale
        if not sale.is_paid():
            if n % 3 == 0:
                pending = payments.begin_card_payment(
                    sales, sale.sale_id, sale.remaining(), employee=CASHIER
                )
                payments.finish_card_payment(
                    sales, pending.reference, CardApproved(pending.amount, f"T{n}")
                )
            else:
                payments.pay(sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
        completion.complete(sales, sale.sale_id, employee=CASHIER)
        if n % 25 == 24:
            services.register.cash_out("1", Money.kroner(10), "Til safe", employee=CASHIER)


if __name__ == "__main__":
    sell_forever(Path(sys.argv[1]), lambda: print("ready", flush=True))

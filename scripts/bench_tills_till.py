"""One till of the multi-till load (``./scripts/bench tills``), as its own process: a
register with its own employee selling realistic baskets flat out through the real sale
services on the shared PostgreSQL database, until its time is up.

A basket is 1-8 scans (a third of them from the hot products every till sells, the rest
from the whole catalogue), now and then a quantity change, a line discount, a voided line,
a park and resume, or a return of a line of the till's previous receipt; it is paid in cash,
by card (the pending payment committed before the "terminal" approves, the answer recorded
after) or by Vipps, and completed. Once, half-way, the till takes its Z report.

Like a cashier during an outage, a step the database refused is tried again (after 0.1 s,
up to 2 s apart) until it goes through: completion is idempotent per sale and a card answer
is recorded per reference, so retries never double anything. Every completed sale is written
to the results file (one JSON line) only after ``complete`` returned: the driver checks the
database against these lines (nothing lost, nothing doubled).

Usage (by the driver): bench_tills_till.py CONFIG.json
"""

from __future__ import annotations

import json
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.errors import (
    DatabaseBusy,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
    PosError,
    RuleViolation,
    StorageError,
)
from omnipos_tui.core.ledger.ports import PaymentStatus
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.ports import CardApproved
from omnipos_tui.core.sales.lines import DiscountMode, DiscountSpec
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.services.sales import (
    completion,
    opening,
    parking,
    payments,
    pricing,
    returns,
    ringing,
)
from omnipos_tui.settings import Override, load_settings

T = TypeVar("T")
S = TypeVar("S", Sale, None)
GIVE_UP_S = 300.0
"""A step still refused this long after the till's time is up ends the till with an error."""


class Till:
    """One register selling until ``deadline``."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.register = str(config["register"])
        self.employee = str(config["employee"])
        self.deadline = time.monotonic() + float(config["seconds"])
        self.z_at = time.monotonic() + float(config["z_after"])
        self.rng = random.Random(int(config["seed"]))
        codes = Path(config["barcodes"]).read_text().split()
        self.hot, self.all = codes[: int(config["hot"])], codes
        self.results = Path(config["results"])
        data_dir = Path(config["data_dir"])
        settings = load_settings(
            overrides=(
                Override("paths.data_dir", str(data_dir), "--data-dir"),
                Override("database.url", str(config["url"]), "--db-url"),
                Override("shop.register_id", self.register, "bench"),
            ),
            environ={},
            fallback_file=data_dir / "none.toml",
        )
        self.services: Services = build(settings)
        self.errors: Counter[str] = Counter()
        self.sales = 0
        self.z_taken = False
        self.last_receipt: str | None = None

    # --- retrying ---------------------------------------------------------------------

    def attempt(self, step: Callable[[], T], again: Callable[[], T] | None = None) -> T:
        """Run a step until the database takes it (counting what refused it); a retry runs
        ``again`` when given (it first checks whether the earlier try went through)."""
        pause = 0.1
        first = True
        while True:
            try:
                if first or again is None:
                    first = False
                    return step()
                return again()
            except DatabaseBusy as error:
                text = str(error)
                kind = "deadlock" if "deadlock" in text else "busy"
                kind = "serialization" if "serialization" in text else kind
                self.errors[kind] += 1
            except DatabaseUnavailable:
                self.errors["unavailable"] += 1
            except StorageError as error:
                self.errors["storage"] += 1
                print(f"till {self.register}: {error}", file=sys.stderr)
            if time.monotonic() > self.deadline + GIVE_UP_S:
                raise RuntimeError(f"till {self.register}: the database never came back")
            time.sleep(pause)
            pause = min(2.0, pause * 2)

    # --- selling -----------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        sales = self.services.sales
        while time.monotonic() < self.deadline:
            if not self.z_taken and time.monotonic() >= self.z_at:
                self.attempt(
                    lambda: self.services.reports.z_report(self.register, employee=self.employee)
                )
                self.z_taken = True
            sale = self.attempt(lambda: opening.resume_or_open(sales, self.register, self.employee))
            self.pay_and_complete(self.basket(sale))
        self.services.close()
        return {"register": self.register, "sales": self.sales, "errors": dict(self.errors)}

    def current(self, sale_id: str) -> Sale:
        return self.attempt(lambda: opening.current(self.services.sales, sale_id))

    def basket(self, sale: Sale) -> Sale:
        """Ring up a basket; returns the sale as the last step left it (the till's view)."""
        deps, rng, emp, sale_id = self.services.sales, self.rng, self.employee, sale.sale_id
        if self.last_receipt is not None and rng.random() < 0.04:
            receipt = self.last_receipt
            sale = self.refused(
                sale,
                lambda: returns.add_return(deps, sale_id, receipt, 1, Decimal(1), employee=emp),
            )
        for _ in range(rng.randint(1, 8)):
            code = rng.choice(self.hot if rng.random() < 0.35 else self.all)
            sale = self.attempt(
                lambda code=code: ringing.add_item(deps, sale_id, code, employee=emp).sale
            )
        lines = len(sale.lines())
        roll = rng.random()
        if roll < 0.10:
            sale = self.refused(
                sale,
                lambda: ringing.change_quantity(deps, sale_id, lines, Decimal(2), employee=emp),
            )
        elif roll < 0.18:
            spec = DiscountSpec(mode=DiscountMode.PERCENT, percent=Decimal(5), employee=emp)
            sale = self.refused(
                sale, lambda: pricing.discount_line(deps, sale_id, lines, spec, employee=emp)
            )
        elif lines > 1 and roll < 0.23:
            sale = self.refused(sale, lambda: ringing.void_line(deps, sale_id, 1, employee=emp))
        elif roll < 0.26:
            self.refused(None, lambda: parking.park(deps, sale_id, "bench", employee=emp))
            sale = self.refused(
                sale, lambda: parking.resume(deps, sale_id, self.register, employee=emp)
            )
        return sale

    def refused(self, sale: S, step: Callable[[], S]) -> S:
        """A step the rules may refuse (nothing left to return, ...): the sale goes on as
        it was."""
        try:
            return self.attempt(step)
        except (RuleViolation, InvalidInput, NotFound):
            self.errors["refused"] += 1
            return sale

    def pay_and_complete(self, sale: Sale) -> None:
        deps, emp, sale_id = self.services.sales, self.employee, sale.sale_id
        started = time.perf_counter()
        roll = self.rng.random()
        if not sale.is_paid():
            remaining = sale.remaining()
            if roll < 0.40 and remaining.ore > 0:
                self.card(sale_id, remaining)
            else:
                tender = TenderKind.MOBILE if roll < 0.55 and remaining.ore > 0 else TenderKind.CASH
                reference = f"V-{sale_id}" if tender is TenderKind.MOBILE else ""
                self.attempt(
                    lambda: self.pay(sale_id, tender, reference),
                    lambda: (
                        None
                        if self.current(sale_id).is_paid()
                        else self.pay(sale_id, tender, reference)
                    ),
                )
        done = self.attempt(lambda: completion.complete(deps, sale_id, employee=emp))
        took_ms = (time.perf_counter() - started) * 1000
        self.sales += 1
        self.last_receipt = done.receipt_id
        line = {"sale": sale_id, "receipt": done.receipt_id, "total": done.transaction.total.ore}
        with self.results.open("a") as out:  # written down only once the sale is stored
            out.write(json.dumps({**line, "ms": round(took_ms, 2)}) + "\n")

    def pay(self, sale_id: str, tender: TenderKind, reference: str) -> None:
        payments.pay(
            self.services.sales, sale_id, tender, None, employee=self.employee, reference=reference
        )

    def card(self, sale_id: str, amount: Any) -> None:
        """Pending first (committed), then the terminal's approval, recorded by reference."""
        deps = self.services.sales

        def begin() -> str:
            return payments.begin_card_payment(
                deps, sale_id, amount, employee=self.employee
            ).reference

        def begin_again() -> str:
            for pending in payments.pending_payments(deps, self.register):
                if pending.sale_id == sale_id and pending.status is PaymentStatus.PENDING:
                    return pending.reference  # the earlier try's commit went through
            return "" if opening.current(deps, sale_id).is_paid() else begin()

        reference = self.attempt(begin, begin_again)
        if reference:
            approved = CardApproved(amount, transaction_id=f"T-{reference}", masked_card="****1234")
            self.attempt(lambda: payments.finish_card_payment(deps, reference, approved))


def main() -> int:
    config = json.loads(Path(sys.argv[1]).read_text())
    till = Till(config)
    try:
        summary = till.run()
    except (PosError, RuntimeError) as error:  # what the bench did not expect: say it, stop
        traceback.print_exc()
        print(f"till {till.register} stopped: {error!r}", file=sys.stderr)
        summary = {
            "register": till.register,
            "sales": till.sales,
            "errors": dict(till.errors),
            "failed": repr(error),
        }
    print(json.dumps(summary))
    return 0 if "failed" not in summary else 1


if __name__ == "__main__":
    sys.exit(main())

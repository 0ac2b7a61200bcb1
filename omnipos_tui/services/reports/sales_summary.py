"""Sales over a period, summed by product, by hour of the day or by employee.

For ``omnipos reports sales``: a view for the shop owner, not a legal report (X and Z are
``core/reports.py``). It counts what the X/Z reports count as sales -- real sales, returns
and credit sales, never training, voided receipts or cash movements -- with amounts incl.
VAT after discounts, net of returns.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from omnipos_tui.core.ledger.transaction import Transaction, TransactionKind, TransactionLine
from omnipos_tui.core.money import Money

_SALE_KINDS = frozenset(
    {
        TransactionKind.SALE,
        TransactionKind.RETURN,
        TransactionKind.SALE_AND_RETURN,
        TransactionKind.CREDIT_SALE,
    }
)


class SalesBy(enum.StrEnum):
    """How ``reports sales`` groups."""

    PRODUCT = "product"
    HOUR = "hour"
    EMPLOYEE = "employee"


@dataclass(frozen=True, slots=True)
class SalesRow:
    """One group of a sales summary.

    Attributes:
        key: The SKU ("group 10" for open sales of article group 10), the hour
            "08".."23", or the employee number.
        label: The product name, "08:00-08:59", or the employee number again.
        receipts: Transactions that contributed to the group.
        quantity: Net quantity sold (products; pieces or kg), 0 for other groupings.
        amount: Net amount incl. VAT.
        net: Net amount excl. VAT.
    """

    key: str
    label: str
    receipts: int
    quantity: Decimal
    amount: Money
    net: Money


@dataclass(frozen=True, slots=True)
class SalesSummary:
    """Sales of a period.

    Attributes:
        first_day: First business day.
        last_day: Last business day.
        by: The grouping.
        rows: Groups, largest amount first (hours in clock order).
        receipts: Transactions counted.
        amount: Net amount incl. VAT.
        net: Net amount excl. VAT.
    """

    first_day: date
    last_day: date
    by: SalesBy
    rows: tuple[SalesRow, ...]
    receipts: int
    amount: Money
    net: Money


@dataclass
class _Group:
    label: str
    receipts: set[str]
    quantity: Decimal
    amount: int
    net: int


def summarise_sales(
    transactions: Iterable[Transaction], by: SalesBy, *, first_day: date, last_day: date
) -> SalesSummary:
    """Sum the sales among ``transactions`` (any order, any registers) by ``by``."""
    groups: dict[str, _Group] = {}
    receipts = 0
    total = net_total = 0
    for tx in transactions:
        if tx.kind not in _SALE_KINDS or tx.training or tx.voided:
            continue
        receipts += 1
        total += tx.total.ore
        net_total += tx.total_ex_vat.ore
        for line in tx.lines:
            key, label = _key(tx, line, by)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(label, set(), Decimal(0), 0, 0)
            group.receipts.add(tx.trans_id)
            if by is SalesBy.PRODUCT:
                # Returns and corrections carry negative quantities: the sum is what left.
                group.quantity += line.quantity
            group.amount += line.amount.ore
            group.net += line.amount.ore - line.vat_amount.ore
    rows = [
        SalesRow(key, g.label, len(g.receipts), g.quantity, Money(g.amount), Money(g.net))
        for key, g in groups.items()
    ]
    if by is SalesBy.HOUR:
        rows.sort(key=lambda row: row.key)
    else:
        rows.sort(key=lambda row: (-row.amount.ore, row.key))
    return SalesSummary(
        first_day=first_day,
        last_day=last_day,
        by=by,
        rows=tuple(rows),
        receipts=receipts,
        amount=Money(total),
        net=Money(net_total),
    )


def _key(tx: Transaction, line: TransactionLine, by: SalesBy) -> tuple[str, str]:
    if by is SalesBy.PRODUCT:
        if not line.sku:
            return f"group {line.group_code}", f"Open sale, article group {line.group_code}"
        return line.sku, line.name
    if by is SalesBy.HOUR:
        hour = tx.trans_time[:2]
        return hour, f"{hour}:00-{hour}:59"
    return tx.employee, tx.employee


class TransactionSource(Protocol):
    """Where the transactions come from (``services.journal.JournalService``)."""

    def transactions(
        self, register_id: str, *, first_day: date, last_day: date
    ) -> Iterator[Transaction]:
        """A register's transactions of the business days, in ``nr`` order."""
        ...


def period_sales(
    journal: TransactionSource,
    register_ids: Iterable[str],
    by: SalesBy,
    *,
    first_day: date,
    last_day: date,
) -> SalesSummary:
    """The sales of some registers over whole business days (streamed, so a year is fine)."""
    streams = (
        journal.transactions(rid, first_day=first_day, last_day=last_day) for rid in register_ids
    )
    return summarise_sales(
        itertools.chain.from_iterable(streams), by, first_day=first_day, last_day=last_day
    )

"""Stored transactions as plain rows, for the SAF-T export's fast path.

A year's export reads hundreds of thousands of transactions; building the frozen
``Transaction`` records for each costs more than writing the file. So storage can hand the
export a page of rows as plain tuples in the column orders below (one list per table),
and the exporter formats them straight into XML. The column names are the stored ones
(``storage/transaction_rows.py``, ``storage/journal.py``); amounts are whole øre,
quantities and percents text, the payload of an event its JSON text.
"""

from __future__ import annotations

from typing import Any, NamedTuple

HEADER_COLUMNS = (
    "nr",
    "trans_id",
    "kind",
    "employee",
    "customer",
    "trans_date",
    "trans_time",
    "total",
    "total_ex_vat",
    "rounding",
    "receipt_series",
    "training",
    "voided",
    "note",
    "signature",
    "key_version",
)
LINE_COLUMNS = (
    "trans_id",
    "line_no",
    "kind",
    "sku",
    "name",
    "group_code",
    "quantity",
    "unit_price",
    "amount",
    "vat_code",
    "vat_percent",
    "vat_amount",
    "discount_amount",
    "discount_employee",
    "discount_reason",
    "sale_discount_amount",
    "sale_discount_employee",
    "sale_discount_reason",
    "price_override_reason",
    "approved_by",
    "employee",
    "note",
    "corrects_line",
    "returns_receipt",
    "returns_line",
    "at",
)
PAYMENT_COLUMNS = (
    "trans_id",
    "tender",
    "amount",
    "reference",
    "terminal_transaction_id",
    "employee",
    "tip",
)

EVENT_COLUMNS = (
    "seq",
    "code",
    "employee",
    "at",
    "event_date",
    "event_time",
    "text",
    "trans_id",
    "training",
    "payload",
)
"""Journal event rows (``journal_event``); a page of them is a plain list."""


class RowPage(NamedTuple):
    """One page of a register's transactions as stored rows.

    Attributes:
        headers: One row per transaction (``HEADER_COLUMNS``), in ``nr`` order.
        lines: Their lines (``LINE_COLUMNS``), in ``line_no`` order within a transaction.
        payments: Their payments (``PAYMENT_COLUMNS``), in ``seq`` order within one.
    """

    headers: list[tuple[Any, ...]]
    lines: list[tuple[Any, ...]]
    payments: list[tuple[Any, ...]]

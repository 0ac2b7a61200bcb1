"""Stored transactions and journal events as plain rows, for the SAF-T export's fast path:
the storage's row layout, which the SAF-T writer reads by position
(``exports/saft_rows.py``, ``exports/saft_event_rows.py``).

A year's export reads hundreds of thousands of transactions; building the frozen
``Transaction`` records for each costs more than writing the file. So storage hands the
export a page of rows (``core.ledger.ports.RowPage``) as plain tuples in the column orders
below (one list per table), and the exporter formats them straight into XML. The column
names are the stored ones (``storage/transaction_rows.py``, ``storage/journal.py``);
amounts are whole øre, quantities and percents text, the payload of an event its JSON text.
A change of order here is a change of the writer's positions there (the export tests
compare the file with the one written from records, byte for byte).
"""

from __future__ import annotations

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

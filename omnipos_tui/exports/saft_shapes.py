"""The ``cashtransaction`` element's runs of tags in the XSD's order, and the SAF-T codes
of stored kinds, tenders and series: what :mod:`saft_rows` fills (and the test reference
that writes the same elements from records, ``tests/saft_reference.py``).

A shape is a sequence of tokens (``xml_records``): a leaf is its tag, ``"+tag"`` opens a
container and ``"-"`` closes it.
"""

from __future__ import annotations

from omnipos_tui.core.ledger.transaction import ReceiptSeries, TransactionKind
from omnipos_tui.exports.saft_codes import LINE_CODES, PAYMENT_CODES, TRANSACTION_CODES
from omnipos_tui.exports.xml_records import _CLOSE, _OPEN

RECEIPT_SERIES = frozenset({ReceiptSeries.SALE, ReceiptSeries.RETURN, ReceiptSeries.TRAINING})
"""The series whose transaction had a receipt printed (``receiptNum`` 1)."""
QNT_DECIMALS = 6
"""SAF-T ``Amount6decimals``: the decimals a quantity may have."""
TEXT_LIMIT = 9999
"""SAF-T ``String9999``: longer free text is cut."""

# Runs of mandatory elements, in the XSD's order.
HEAD = ("nr", "transID", "transType", "transAmntIn", "transAmntEx", "amntTp")
WHEN = ("transDate", "transTime")
LINE_IDS = ("nr", "lineID", "lineType")
LINE_AMOUNTS = ("qnt", "lineAmntIn", "lineAmntEx", "amntTp", "ppu")
LINE_WHEN = ("lineDate", "lineTime")
VAT = ("vatCode", "vatPerc", "vatAmnt", "vatAmntTp", "vatBasAmnt")
DISCOUNT = ("dscTp", "dscAmnt")
SIGNED = ("signature", "keyVersion")
RECEIPTS = ("receiptNum", "receiptCopyNum", "receiptProformaNum", "receiptDeliveryNum")
FLAGS = ("voidTransaction", "trainingID")

# Whole blocks, as shape tokens.
VAT_BLOCK = (_OPEN + "vat", *VAT, _CLOSE)
ROUNDING_BLOCK = (_OPEN + "rounding", "roundingAmnt", _CLOSE)
PAYMENT_HEAD = (_OPEN + "payment", "paymentType", "paidAmnt")
RAISE_HEAD = (_OPEN + "raise", "raiseType", "raiseAmnt")
LINE_HEAD = (_OPEN + "ctLine", *LINE_IDS)
LINE_TAIL = (*LINE_WHEN, *VAT_BLOCK)
DISCOUNT_HEAD = (_OPEN + "discount", *DISCOUNT)
LINE_COMMON = (
    *LINE_HEAD,
    "artGroupID",
    "artID",
    *LINE_AMOUNTS,
    "empID",
    "cashTransLineDescr",
    *LINE_TAIL,
    _CLOSE,
)
"""A line with every optional element and no discount: most lines of a year."""
CLOSE = _CLOSE
"""The token that closes the container opened last."""

# Stored values (``storage/export_rows.py``) to kinds and SAF-T codes.
KINDS = {kind.value: (kind, codes[0]) for kind, codes in TRANSACTION_CODES.items()}
LINE_KINDS = {kind.value: (kind, codes[0]) for kind, codes in LINE_CODES.items()}
TENDERS = {tender.value: codes[0] for tender, codes in PAYMENT_CODES.items()}
RETURN_KINDS = frozenset({TransactionKind.RETURN, TransactionKind.SALE_AND_RETURN})
"""Kinds whose ``refID`` names the receipts they take back."""
SERIES = frozenset(str(series) for series in RECEIPT_SERIES)
""":data:`RECEIPT_SERIES` as stored."""

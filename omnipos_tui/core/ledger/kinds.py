"""The kinds a cash transaction is made of: what a transaction is (:class:`TransactionKind`),
what a line records (:class:`LineKind`), the receipt number series (:class:`ReceiptSeries`)
and the means of payment (:class:`TenderKind`), with their SAF-T codes and printed names.
The records are in ``core/ledger/transaction.py``, which imports these names too.
"""

from __future__ import annotations

import enum


class TransactionKind(enum.StrEnum):
    """What kind of cash transaction a record is."""

    SALE = "sale"
    RETURN = "return"
    SALE_AND_RETURN = "sale_and_return"
    CREDIT_SALE = "credit_sale"
    CASH_IN = "cash_in"
    CASH_OUT = "cash_out"
    OPENING_FLOAT = "opening_float"

    @property
    def saft_code(self) -> str:
        """The SAF-T PredefinedBasicID-11 transaction type."""
        return SAFT_TRANSACTION_TYPES[self]


# PredefinedBasicID-11. A return receipt is a "return payment" (11006); 11013 ("return
# products") describes the goods side and is not used for whole transactions here.
SAFT_TRANSACTION_TYPES: dict[TransactionKind, str] = {
    TransactionKind.SALE: "11001",
    TransactionKind.RETURN: "11006",
    TransactionKind.SALE_AND_RETURN: "11016",
    TransactionKind.CREDIT_SALE: "11002",
    TransactionKind.CASH_IN: "11011",
    TransactionKind.CASH_OUT: "11010",
    TransactionKind.OPENING_FLOAT: "11007",
}


class LineKind(enum.StrEnum):
    """What a transaction line records."""

    ITEM = "item"
    """Goods or services sold (positive quantity)."""
    RETURN = "return"
    """Goods taken back (negative quantity), with or without an original receipt."""
    CORRECTION = "correction"
    """A void or quantity reduction of an earlier line of the same sale: a negative mirror
    of (part of) the line named by ``corrects_line``."""


class ReceiptSeries(enum.StrEnum):
    """The receipt number series of a register; each is gapless on its own (R-18)."""

    SALE = "sale"
    RETURN = "return"
    TRAINING = "training"
    DELIVERY = "delivery"
    PROFORMA = "proforma"
    COPY = "copy"
    OTHER = "other"
    """Cash in/out and opening float: numbered, but not customer receipts."""


class TenderKind(enum.StrEnum):
    """Means of payment."""

    CASH = "cash"
    CARD = "card"
    MOBILE = "mobile"
    VOUCHER = "voucher"
    ACCOUNT = "account"

    @property
    def saft_code(self) -> str:
        """The SAF-T PredefinedBasicID-12 payment type."""
        return SAFT_PAYMENT_TYPES[self]

    @property
    def label(self) -> str:
        """The Norwegian name printed on receipts and reports."""
        return TENDER_LABELS[self]


# PredefinedBasicID-12.
SAFT_PAYMENT_TYPES: dict[TenderKind, str] = {
    TenderKind.CASH: "12001",
    TenderKind.CARD: "12002",
    TenderKind.MOBILE: "12011",
    TenderKind.VOUCHER: "12005",
    TenderKind.ACCOUNT: "12010",
}

TENDER_LABELS: dict[TenderKind, str] = {
    TenderKind.CASH: "Kontant",
    TenderKind.CARD: "Kort",
    TenderKind.MOBILE: "Vipps",
    TenderKind.VOUCHER: "Gavekort",
    TenderKind.ACCOUNT: "Kreditt",
}

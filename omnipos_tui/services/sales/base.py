"""What every part of the sale service shares: its settings, loading and saving the open
sale, finding products by barcode, PLU or SKU, and the values it returns.

An open sale lives in the database as a JSON snapshot (``core.sale_snapshot``), rewritten
in the same unit of work as every registration: after a power cut the sale comes back as
rung. Each call loads it, changes it with the pure ``core.sale.Sale`` and saves it; a call
that raises saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.clock import Clock
from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation, UnknownCode
from omnipos_tui.core.ledger.ports import OpenSaleRecord, SaleStatus
from omnipos_tui.core.ledger.transaction import Payment, TenderKind, Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.sales.lines import SaleLine
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.sales.snapshot import sale_from_dict, sale_to_dict
from omnipos_tui.services.ledger.steps import SignerFor, receipt_key
from omnipos_tui.services.sales import instore_codes
from omnipos_tui.services.sales.print_headers import PrintHeaders

DEFAULT_DISCOUNT_LIMIT = Decimal(10)


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ringing up an item did.

    Attributes:
        sale: The sale afterwards.
        line: The line rung (or, when merged, the line whose quantity grew).
        product: The product as sold (with the label price of an in-store price code).
        merged: The scan raised the last line's quantity instead of adding a line.
    """

    sale: Sale
    line: SaleLine
    product: Product
    merged: bool = False


@dataclass(frozen=True, slots=True)
class ParkedSale:
    """A parked sale, for the recall list.

    Attributes:
        sale_id: Its id.
        register_id: The register it was parked at.
        employee: Who rang it.
        note: The park note.
        started_at: When it was opened.
        parked_at: When it was parked.
        total: Its total.
        line_count: How many registrations it has.
    """

    sale_id: str
    register_id: str
    employee: str
    note: str
    started_at: datetime
    parked_at: datetime
    total: Money
    line_count: int


@dataclass(frozen=True, slots=True)
class ReturnableLine:
    """A line of an earlier receipt and how much of it can still be returned.

    Attributes:
        receipt_id: The original receipt.
        line_no: The line on it.
        sku: Article number.
        name: Name as printed.
        unit: Piece or kg.
        unit_price: Price per unit as sold.
        sold: Quantity sold (after the sale's own corrections).
        returned: Quantity earlier returns took back.
        left: What can still be returned.
        paid: What the line cost in all (after discounts).
        tenders: The original receipt's payments (a refund defaults to them).
    """

    receipt_id: str
    line_no: int
    sku: str
    name: str
    unit: Unit
    unit_price: Money
    sold: Decimal
    returned: Decimal
    left: Decimal
    paid: Money
    tenders: tuple[Payment, ...]


class CompletedSale:
    """A completed (or voided) sale: the stored transaction and what to print.

    The documents are laid out when first asked for (after the commit; the till asks at
    once to queue the print jobs), so completing a sale does not wait for the layout.

    Attributes:
        transaction: The signed transaction.
        receipt_id: The receipt's id for copies, reprints and returns.
        kick_drawer: Open the drawer (cash moved and not training).
        change: Change to hand back.
    """

    __slots__ = ("_build", "_documents", "change", "kick_drawer", "receipt_id", "transaction")

    def __init__(
        self,
        transaction: Transaction,
        build: Callable[[], tuple[Document, ...]],
        *,
        kick_drawer: bool,
    ) -> None:
        self.transaction = transaction
        self.receipt_id = receipt_key(transaction)
        self.kick_drawer = kick_drawer
        self.change = transaction.change()
        self._build: Callable[[], tuple[Document, ...]] | None = build
        self._documents: tuple[Document, ...] | None = None

    @property
    def documents(self) -> tuple[Document, ...]:
        """What the till prints after the commit: the receipt (for a credit sale the
        delivery receipt), laid out on first access."""
        if self._documents is None:
            assert self._build is not None
            self._documents, self._build = self._build(), None
        return self._documents

    @classmethod
    def of(cls, tx: Transaction, documents: tuple[Document, ...]) -> CompletedSale:
        """The result for a transaction and documents laid out already."""
        return cls(tx, lambda: documents, kick_drawer=any(d.kick_drawer for d in documents))

    def __repr__(self) -> str:
        return f"CompletedSale({self.transaction.trans_id}, receipt {self.receipt_id})"


class SaleBase:
    """The sale service's dependencies and the steps its parts share."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        clock: Clock,
        signer: SignerFor,
        *,
        merge_identical_scans: bool = False,
        discount_limit_percent: Decimal = DEFAULT_DISCOUNT_LIMIT,
        receipt_columns: int = 42,
        drawer_in_training: bool = False,
    ) -> None:
        """Build the service.

        Args:
            units: Opens units of work.
            clock: Where the time comes from.
            signer: Gives a register's current signing key, recorded in the unit of work
                that signs (asked at every completion, so a rotation takes effect at once).
            merge_identical_scans: A scan of the same product as the last line raises its
                quantity instead of adding a line.
            discount_limit_percent: Largest discount a cashier gives without a manager.
            receipt_columns: Receipt width (32, 42 or 48 characters).
            drawer_in_training: Open the drawer for training receipts too.
        """
        self._units = units
        self._clock = clock
        self._signer = signer
        self._merge = merge_identical_scans
        self._discount_limit = Decimal(discount_limit_percent)
        self._columns = receipt_columns
        self._drawer_in_training = drawer_in_training
        self._headers = PrintHeaders(receipt_columns)

    # --- the open sale ------------------------------------------------------------------

    def _load(self, uow: UnitOfWork, sale_id: str) -> tuple[OpenSaleRecord, Sale]:
        """The stored open sale and the sale rebuilt from it.

        Raises:
            NotFound: No such open sale.
            RuleViolation: The sale was completed already.
            InvalidInput: The stored snapshot is damaged (names the place).
        """
        record = uow.open_sales.get(sale_id)
        if record is None:
            if uow.transactions.by_sale_id(sale_id) is not None:
                raise RuleViolation(
                    f"sale {sale_id} is completed", nb=f"Salg {sale_id} er fullført."
                )
            raise NotFound(f"no open sale {sale_id}", nb=f"Fant ikke åpent salg {sale_id}.")
        return record, sale_from_dict(record.snapshot)

    def _open(self, uow: UnitOfWork, sale_id: str) -> tuple[OpenSaleRecord, Sale]:
        """Like :meth:`_load`, for changes: the sale must not be parked.

        Raises:
            NotFound: No such open sale.
            RuleViolation: Completed, or parked (resume it first).
        """
        record = uow.open_sales.get(sale_id)
        if record is None:
            return self._load(uow, sale_id)  # raises: completed, or no such sale
        return record, self._unparked(record)

    @staticmethod
    def _unparked(record: OpenSaleRecord) -> Sale:
        """The sale of a stored record that is not parked.

        Raises:
            RuleViolation: It is parked (resume it first).
            InvalidInput: The stored snapshot is damaged (names the place).
        """
        if record.status is SaleStatus.PARKED:
            raise RuleViolation(
                f"sale {record.sale_id} is parked; resume it first",
                nb=f"Salg {record.sale_id} er parkert: hent det først (F6).",
            )
        return sale_from_dict(record.snapshot)

    def _save(
        self,
        uow: UnitOfWork,
        record: OpenSaleRecord,
        sale: Sale,
        *,
        status: SaleStatus | None = None,
        held_by: str | bool | None = True,
        return_refs: dict[int, str] | None = None,
    ) -> OpenSaleRecord:
        """Store the sale's new snapshot (``held_by=True`` keeps the stored holder)."""
        updated = replace(
            record,
            register_id=sale.register_id,
            employee=sale.employee,
            status=status or record.status,
            note=sale.note,
            snapshot=sale_to_dict(sale),
            return_refs=record.return_refs if return_refs is None else return_refs,
            line_count=len(sale.entries),
            payment_count=len(sale.payments),
            total=sale.total(),
            training=sale.training,
            updated_at=self._clock.now(),
            held_by=record.held_by if held_by is True else (held_by or None),
        )
        uow.open_sales.save(updated)
        return updated

    def _new_record(self, sale: Sale) -> OpenSaleRecord:
        return OpenSaleRecord(
            sale_id=sale.sale_id,
            register_id=sale.register_id,
            employee=sale.employee,
            status=SaleStatus.OPEN,
            note=sale.note,
            snapshot=sale_to_dict(sale),
            return_refs={},
            line_count=0,
            payment_count=0,
            total=Money.zero(),
            training=sale.training,
            started_at=sale.started_at,
            updated_at=sale.started_at,
            held_by=sale.register_id,
        )

    # --- products -----------------------------------------------------------------------

    def _product(self, uow: UnitOfWork, code: str) -> tuple[Product, Decimal | None]:
        """The product a barcode, in-store code, PLU or SKU rings up, and the weight an
        in-store weight code carries.

        Raises:
            InvalidInput: The code is empty.
            UnknownCode: nothing matches the code.
            RuleViolation: A weight code for a product not sold by weight.
        """
        code = code.strip()
        if not code:
            raise InvalidInput(
                "no barcode, PLU or SKU given",
                nb="Skann eller skriv en strekkode, PLU eller varenummer.",
            )
        catalogue = uow.catalogue
        product = catalogue.product_by_barcode(code) or catalogue.product_by_sku(code)
        if product is not None:
            return product, None
        decoded = instore_codes.decode(code)
        if decoded is not None:
            found = catalogue.product_by_barcode(decoded.template)
            for sku in decoded.skus:
                found = found or catalogue.product_by_sku(sku)
            if found is not None:
                if decoded.weight is not None:
                    if found.unit is not Unit.KG:
                        raise RuleViolation(
                            f"{found.name} is not sold by weight ({code})",
                            nb=f"{found.name} selges ikke på vekt ({code}).",
                        )
                    return found, decoded.weight
                assert decoded.price is not None
                return replace(found, price=decoded.price, unit=Unit.PIECE), None
        raise UnknownCode(code)

    @staticmethod
    def _no_card_in_flight(uow: UnitOfWork, sale_id: str) -> None:
        """Refuse while a card payment of the sale is pending or its outcome unknown.

        Raises:
            RuleViolation: There is one.
        """
        for payment in uow.pending_payments.for_sale(sale_id):
            if payment.status.unsettled:
                raise RuleViolation(
                    f"card payment {payment.reference} ({payment.amount}) is "
                    f"{payment.status.value}; finish or resolve it first",
                    nb=f"Kortbetaling {payment.reference} ({payment.amount}) er "
                    f"{payment.status.value}: avklar den først.",
                )

    @staticmethod
    def _check_tender(tender: TenderKind) -> None:
        if tender is TenderKind.CARD:
            raise InvalidInput(
                "card payments go through begin_card_payment and finish_card_payment",
                nb="Kortbetaling må gå via terminalen (F10).",
            )

"""The steps the sale use cases share: loading and saving the open sale, finding the
product a code rings up, and refusing changes while a card payment is in flight.

An open sale lives in the database as a JSON snapshot (``core.sales.snapshot``), rewritten
in the same unit of work as every registration: after a power cut the sale comes back as
rung. Each use case loads it, changes it with the pure ``core.sales.sale.Sale`` and saves
it; a use case that raises saves nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation, UnknownCode
from omnipos_tui.core.ledger.ports import OpenSaleRecord, SaleStatus
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.sales.snapshot import sale_from_dict, sale_to_dict
from omnipos_tui.services.sales import instore_codes


def load(uow: UnitOfWork, sale_id: str) -> tuple[OpenSaleRecord, Sale]:
    """The stored open sale and the sale rebuilt from it.

    Raises:
        NotFound: No such open sale.
        RuleViolation: The sale was completed already.
        InvalidInput: The stored snapshot is damaged (names the place).
    """
    record = uow.open_sales.get(sale_id)
    if record is None:
        if uow.transactions.by_sale_id(sale_id) is not None:
            raise RuleViolation(code="sale.completed", sale_id=sale_id)
        raise NotFound(code="sale.no_open_sale", sale_id=sale_id)
    return record, sale_from_dict(record.snapshot)


def load_for_change(uow: UnitOfWork, sale_id: str) -> tuple[OpenSaleRecord, Sale]:
    """Like :func:`load`, for changes: the sale must not be parked.

    Raises:
        NotFound: No such open sale.
        RuleViolation: Completed, or parked (resume it first).
    """
    record = uow.open_sales.get(sale_id)
    if record is None:
        return load(uow, sale_id)  # raises: completed, or no such sale
    return record, unparked(record)


def unparked(record: OpenSaleRecord) -> Sale:
    """The sale of a stored record that is not parked.

    Raises:
        RuleViolation: It is parked (resume it first).
        InvalidInput: The stored snapshot is damaged (names the place).
    """
    if record.status is SaleStatus.PARKED:
        raise RuleViolation(code="sale.parked", sale_id=record.sale_id)
    return sale_from_dict(record.snapshot)


def save(
    uow: UnitOfWork,
    record: OpenSaleRecord,
    sale: Sale,
    at: datetime,
    *,
    status: SaleStatus | None = None,
    held_by: str | bool | None = True,
    return_refs: dict[int, str] | None = None,
) -> OpenSaleRecord:
    """Store the sale's new snapshot, changed ``at`` (``held_by=True`` keeps the stored
    holder)."""
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
        updated_at=at,
        held_by=record.held_by if held_by is True else (held_by or None),
    )
    uow.open_sales.save(updated)
    return updated


def new_record(sale: Sale) -> OpenSaleRecord:
    """The stored form of a sale just opened (held by its register)."""
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


def find_product(uow: UnitOfWork, code: str) -> tuple[Product, Decimal | None]:
    """The product a barcode, in-store code, PLU or SKU rings up, and the weight an
    in-store weight code carries.

    Raises:
        InvalidInput: The code is empty.
        UnknownCode: nothing matches the code.
        RuleViolation: A weight code for a product not sold by weight.
    """
    code = code.strip()
    if not code:
        raise InvalidInput(code="sale.no_code")
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
                    raise RuleViolation(code="sale.not_by_weight", name=found.name, barcode=code)
                return found, decoded.weight
            assert decoded.price is not None
            return replace(found, price=decoded.price, unit=Unit.PIECE), None
    raise UnknownCode(code)


def no_card_in_flight(uow: UnitOfWork, sale_id: str) -> None:
    """Refuse while a card payment of the sale is pending or its outcome unknown.

    Raises:
        RuleViolation: There is one.
    """
    for payment in uow.pending_payments.for_sale(sale_id):
        if payment.status.unsettled:
            raise RuleViolation(
                code="card.unsettled",
                reference=payment.reference,
                amount=payment.amount,
                status=payment.status,
            )


def check_tender(tender: TenderKind) -> None:
    """Refuse a card tender outside the terminal's two steps.

    Raises:
        InvalidInput: A card tender.
    """
    if tender is TenderKind.CARD:
        raise InvalidInput(code="sale.card_through_terminal")

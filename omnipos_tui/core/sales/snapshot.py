"""An open sale as JSON-able data (stdlib ``json`` types only), for crash recovery and parking.

The services write the snapshot in the same unit of work as each registration, so a sale
comes back after a power loss exactly as rung. Money is whole øre (int), quantities and
percentages are decimal strings, times are ISO 8601 with offset, VAT rates are stored by
code and percentage and checked against the rate table when read.

Reading never trusts the data: a missing key, a wrong type or an inconsistent line raises
:class:`InvalidInput` naming the place ("open sale snapshot: lines[3].quantity: ...").
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.errors import InvalidInput, Message, PosError
from omnipos_tui.core.ledger.transaction import LineKind, Payment, TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import DiscountMode, DiscountSpec, RefundBasis, SaleLine
from omnipos_tui.core.sales.returns import sold_rate
from omnipos_tui.core.sales.sale import Sale

SNAPSHOT_VERSION = 1

JsonDict = dict[str, Any]
_E = TypeVar("_E", bound=enum.Enum)
_T = TypeVar("_T")


class Reader:
    """Typed access to one object of a snapshot, with the path for error messages.

    Attributes:
        data: The object.
        path: Where it is ("lines[2]").
    """

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise _bad(path, Message("snapshot.not_object", got=type(data).__name__))
        self.data: Mapping[str, object] = data
        self.path = path

    def _get(self, key: str, kind: type, optional: bool) -> object:
        if key not in self.data:
            if optional:
                return None
            raise _bad(self._at(key), Message("snapshot.missing"))
        value = self.data[key]
        if value is None and optional:
            return None
        if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
            expected = _EXPECTED.get(kind, Message("snapshot.a_list"))
            raise _bad(
                self._at(key),
                Message("snapshot.wrong_type", expected=expected, got=type(value).__name__),
            )
        return value

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def text(self, key: str) -> str:
        """A string."""
        return str(self._get(key, str, optional=False))

    def opt_text(self, key: str) -> str | None:
        """A string or null."""
        value = self._get(key, str, optional=True)
        return None if value is None else str(value)

    def integer(self, key: str) -> int:
        """A whole number."""
        value = self._get(key, int, optional=False)
        assert isinstance(value, int)
        return value

    def opt_integer(self, key: str) -> int | None:
        """A whole number or null."""
        value = self._get(key, int, optional=True)
        return value if isinstance(value, int) else None

    def flag(self, key: str) -> bool:
        """true or false."""
        return bool(self._get(key, bool, optional=False))

    def money(self, key: str) -> Money:
        """Whole øre."""
        return Money(self.integer(key))

    def opt_money(self, key: str) -> Money | None:
        """Whole øre or null."""
        ore = self.opt_integer(key)
        return None if ore is None else Money(ore)

    def decimal(self, key: str) -> Decimal:
        """A decimal written as a string."""
        text = self.text(key)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise _bad(self._at(key), Message("snapshot.not_a_number", text=text)) from None
        if not value.is_finite():
            raise _bad(self._at(key), Message("snapshot.not_finite", text=text))
        return value

    def opt_decimal(self, key: str) -> Decimal | None:
        """A decimal string or null."""
        return None if self.opt_text(key) is None else self.decimal(key)

    def moment(self, key: str) -> datetime:
        """An aware ISO 8601 time."""
        text = self.text(key)
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise _bad(self._at(key), Message("snapshot.not_a_time", text=text)) from None
        if value.tzinfo is None:
            raise _bad(self._at(key), Message("snapshot.no_offset", text=text))
        return value

    def child(self, key: str) -> Reader:
        """A nested object."""
        return Reader(self._get(key, dict, optional=False), self._at(key))

    def opt_child(self, key: str) -> Reader | None:
        """A nested object or null."""
        value = self._get(key, dict, optional=True)
        return None if value is None else Reader(value, self._at(key))

    def items(self, key: str) -> list[Reader]:
        """A list of objects."""
        values = self._get(key, list, optional=False)
        assert isinstance(values, list)
        return [Reader(v, f"{self._at(key)}[{i}]") for i, v in enumerate(values)]

    def choice(self, key: str, enum: type[_E]) -> _E:
        """One of an enum's values."""
        text = self.text(key)
        try:
            return enum(text)
        except ValueError:
            raise _bad(self._at(key), Message("snapshot.unknown_value", text=text)) from None

    def build(self, make: Callable[..., _T], **fields: object) -> _T:
        """Construct a value, turning its validation errors into this place's error."""
        try:
            return make(**fields)
        except PosError as exc:
            raise _bad(self.path, exc.with_traceback(None)) from None
        except (TypeError, ValueError) as exc:
            raise _bad(self.path, Message("snapshot.not_built", reason=str(exc))) from None


#: How a value of each kind is named in a message ("expected a whole number, got bool").
_EXPECTED: dict[type, Message] = {
    str: Message("snapshot.a_text"),
    int: Message("snapshot.a_whole_number"),
    bool: Message("snapshot.a_flag"),
    dict: Message("snapshot.an_object"),
}


def _bad(path: str, problem: Message | PosError) -> InvalidInput:
    if path:
        return InvalidInput(code="snapshot.bad_at", path=path, problem=problem)
    return InvalidInput(code="snapshot.bad", problem=problem)


def discount_to_dict(spec: DiscountSpec) -> JsonDict:
    """A discount as given."""
    return {
        "mode": spec.mode.value,
        "percent": None if spec.percent is None else str(spec.percent),
        "amount": None if spec.amount is None else spec.amount.ore,
        "employee": spec.employee,
        "reason": spec.reason,
    }


def discount_from_dict(r: Reader) -> DiscountSpec:
    """Read a discount as given."""
    return r.build(
        DiscountSpec,
        mode=r.choice("mode", DiscountMode),
        percent=r.opt_decimal("percent"),
        amount=r.opt_money("amount"),
        employee=r.text("employee"),
        reason=r.text("reason"),
    )


def line_to_dict(line: SaleLine) -> JsonDict:
    """One registration."""
    refund = line.refund
    return {
        "line_no": line.line_no,
        "kind": line.kind.value,
        "sku": line.sku,
        "name": line.name,
        "group_code": line.group_code,
        "unit": line.unit.value,
        "vat_code": line.vat.code,
        "vat_percent": str(line.vat.percent),
        "quantity": str(line.quantity),
        "unit_price": line.unit_price.ore,
        "shelf_price": line.shelf_price.ore,
        "at": line.at.isoformat(),
        "employee": line.employee,
        "discount": None if line.discount is None else discount_to_dict(line.discount),
        "price_override_reason": line.price_override_reason,
        "approved_by": line.approved_by,
        "note": line.note,
        "corrects_line": line.corrects_line,
        "returns_receipt": line.returns_receipt,
        "returns_line": line.returns_line,
        "refund": None
        if refund is None
        else {
            "amount": refund.amount.ore,
            "quantity": str(refund.quantity),
            "discount": refund.discount.ore,
            "returned_before": str(refund.returned_before),
        },
    }


def line_from_dict(r: Reader) -> SaleLine:
    """Read one registration."""
    discount = r.opt_child("discount")
    refund = r.opt_child("refund")
    try:
        vat = sold_rate(r.text("vat_code"), r.decimal("vat_percent"))
    except InvalidInput as exc:
        raise _bad(r.path, exc.with_traceback(None)) from None
    return r.build(
        SaleLine,
        line_no=r.integer("line_no"),
        kind=r.choice("kind", LineKind),
        sku=r.text("sku"),
        name=r.text("name"),
        group_code=r.text("group_code"),
        unit=r.choice("unit", Unit),
        vat=vat,
        quantity=r.decimal("quantity"),
        unit_price=r.money("unit_price"),
        shelf_price=r.money("shelf_price"),
        at=r.moment("at"),
        employee=r.text("employee"),
        discount=None if discount is None else discount_from_dict(discount),
        price_override_reason=r.text("price_override_reason"),
        approved_by=r.text("approved_by"),
        note=r.text("note"),
        corrects_line=r.opt_integer("corrects_line"),
        returns_receipt=r.opt_text("returns_receipt"),
        returns_line=r.opt_integer("returns_line"),
        refund=None
        if refund is None
        else refund.build(
            RefundBasis,
            amount=refund.money("amount"),
            quantity=refund.decimal("quantity"),
            discount=refund.money("discount"),
            returned_before=refund.decimal("returned_before"),
        ),
    )


def payment_to_dict(payment: Payment) -> JsonDict:
    """One payment."""
    return {
        "tender": payment.tender.value,
        "amount": payment.amount.ore,
        "reference": payment.reference,
        "terminal_transaction_id": payment.terminal_transaction_id,
        "masked_card": payment.masked_card,
        "employee": payment.employee,
        "tendered": None if payment.tendered is None else payment.tendered.ore,
        "tip": payment.tip.ore,
    }


def payment_from_dict(r: Reader) -> Payment:
    """Read one payment."""
    return r.build(
        Payment,
        tender=r.choice("tender", TenderKind),
        amount=r.money("amount"),
        reference=r.text("reference"),
        terminal_transaction_id=r.text("terminal_transaction_id"),
        masked_card=r.text("masked_card"),
        employee=r.text("employee"),
        tendered=r.opt_money("tendered"),
        # Open sales stored before tips were recorded have no "tip": none was added.
        tip=r.opt_money("tip") or Money.zero(),
    )


def sale_to_dict(sale: Sale) -> JsonDict:
    """An open sale as JSON-able data."""
    return {
        "version": SNAPSHOT_VERSION,
        "sale_id": sale.sale_id,
        "register_id": sale.register_id,
        "employee": sale.employee,
        "started_at": sale.started_at.isoformat(),
        "training": sale.training,
        "customer": sale.customer,
        "customer_name": sale.customer_name,
        "note": sale.note,
        "lines": [line_to_dict(e) for e in sale.entries],
        "sale_discount": None
        if sale.sale_discount is None
        else discount_to_dict(sale.sale_discount),
        "payments": [payment_to_dict(p) for p in sale.payments],
        "rounding": sale.rounding().ore,
    }


def sale_from_dict(data: object) -> Sale:
    """An open sale back from :func:`sale_to_dict` data, checked line by line.

    Raises:
        InvalidInput: The data is not a consistent open sale snapshot; the message names
            the place.
    """
    r = Reader(data, "")
    version = r.integer("version")
    if version != SNAPSHOT_VERSION:
        problem = Message("snapshot.unknown_version", version=version, known=SNAPSHOT_VERSION)
        raise _bad("version", problem)
    discount = r.opt_child("sale_discount")
    return r.build(
        Sale.restore,
        sale_id=r.text("sale_id"),
        register_id=r.text("register_id"),
        employee=r.text("employee"),
        started_at=r.moment("started_at"),
        training=r.flag("training"),
        customer=r.opt_text("customer"),
        customer_name=r.text("customer_name"),
        note=r.text("note"),
        entries=tuple(line_from_dict(x) for x in r.items("lines")),
        sale_discount=None if discount is None else discount_from_dict(discount),
        payments=tuple(payment_from_dict(x) for x in r.items("payments")),
        rounding=r.money("rounding"),
    )

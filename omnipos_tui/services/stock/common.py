"""What the stock use cases share: finding a product by SKU or barcode, checking an
employee and a location, and reading ``SKU=QTY`` lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import InvalidInput, NotFound, RuleViolation
from omnipos_tui.core.repositories import UnitOfWork
from omnipos_tui.core.stock.locations import Location, location_code
from omnipos_tui.core.stock.quantity import parse_quantity


@dataclass(frozen=True, slots=True)
class LineInput:
    """A product and a quantity as given (``SKU=QTY`` on the command line, a scan in the
    till).

    Attributes:
        code: SKU or barcode as given.
        quantity: The quantity as typed (parsed against the product's unit).
        cost: A unit cost as typed ("12,50"), or "" for the order's or supplier's.
    """

    code: str
    quantity: str
    cost: str = ""


def parse_line(text: str, *, what: str = "--line") -> LineInput:
    """``SKU=QTY`` or ``SKU=QTY@COST`` as a :class:`LineInput`.

    Raises:
        InvalidInput: It is not of that form.
    """
    code, sep, rest = text.partition("=")
    quantity, _, cost = rest.partition("@")
    if not sep or not code.strip() or not quantity.strip():
        raise InvalidInput(code="stock.bad_line", what=what, text=text)
    return LineInput(code.strip(), quantity.strip(), cost.strip())


def find_product(uow: UnitOfWork, code: str) -> Product:
    """The product with this barcode or SKU.

    Raises:
        NotFound: Neither matches.
    """
    text = code.strip()
    product = uow.catalogue.product_by_barcode(text) or uow.catalogue.product_by_sku(text)
    if product is None:
        raise NotFound(code="stock.unknown_product", given=text)
    return product


def products_and_quantities(
    uow: UnitOfWork, lines: Sequence[LineInput], *, zero: bool = False
) -> list[tuple[Product, int]]:
    """Each line's product and quantity in thousandths; every problem is collected and
    reported at once (nothing is written when one line is wrong).

    Raises:
        NotFound: An unknown SKU or barcode (all of them named).
        InvalidInput: A bad quantity (all of them named).
    """
    out: list[tuple[Product, int]] = []
    unknown: list[str] = []
    bad: list[InvalidInput] = []
    for line in lines:
        text = line.code.strip()
        product = uow.catalogue.product_by_barcode(text) or uow.catalogue.product_by_sku(text)
        if product is None:
            unknown.append(text)
            continue
        try:
            quantity = parse_quantity(
                line.quantity, product.unit, what=f"quantity of {product.sku}", zero=zero
            )
        except InvalidInput as exc:
            bad.append(exc)
            continue
        out.append((product, quantity))
    if unknown:
        raise NotFound(code="stock.unknown_products", given=unknown)
    if bad:
        raise InvalidInput(code="stock.bad_lines", problems=bad)
    return out


def real_location(uow: UnitOfWork, code: str) -> Location:
    """A real location by code.

    Raises:
        InvalidInput: Not a location code.
        NotFound: No such location.
        RuleViolation: A virtual location (goods cannot be put there).
    """
    wanted = location_code(code)
    for location in uow.stock.locations():
        if location.code == wanted:
            if not location.real:
                real = [loc.code for loc in uow.stock.locations() if loc.real]
                raise RuleViolation(code="stock.virtual_location", location=wanted, known=real)
            return location
    known = [loc.code for loc in uow.stock.locations() if loc.real]
    raise NotFound(code="stock.unknown_location", location=wanted, known=known)


def check_employee(uow: UnitOfWork, employee: str) -> None:
    """Refuse an unknown employee number before it is written on a document.

    Raises:
        NotFound: No such employee.
    """
    if employee and uow.staff.get(employee) is None:
        raise NotFound(code="stock.unknown_employee", number=employee)


def unit_name(unit: Unit | str) -> str:
    """ "stk" or "kg" for tables."""
    return "kg" if str(unit) == Unit.KG.value else "stk"


def merged(items: Iterable[tuple[Product, int]]) -> dict[str, tuple[Product, int]]:
    """Lines of the same product added together, in first-seen order."""
    out: dict[str, tuple[Product, int]] = {}
    for product, quantity in items:
        before = out.get(product.sku)
        out[product.sku] = (product, quantity + (before[1] if before else 0))
    return out

"""What the stock use cases share: finding a product by SKU or barcode, checking an
employee and a location, and reading ``SKU=QTY`` lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.errors import InvalidInput, NotFound, PosError, RuleViolation
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
        code_at: Where the code was read ("FILE:LINE:COLUMN"), or "" (typed).
        quantity_at: Where the quantity was read, or "".
    """

    code: str
    quantity: str
    cost: str = ""
    code_at: str = ""
    quantity_at: str = ""


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


def line_problems(
    uow: UnitOfWork, lines: Sequence[LineInput], *, zero: bool = False
) -> list[PosError]:
    """What is wrong with lines read from a file (unknown products, bad quantities), each
    at its ``FILE:LINE:COLUMN``; lines typed as arguments are not looked at."""
    return _checked(uow, [line for line in lines if line.code_at], zero=zero)[3]


def _checked(
    uow: UnitOfWork, lines: Sequence[LineInput], *, zero: bool
) -> tuple[list[tuple[Product, int]], list[str], list[InvalidInput], list[PosError]]:
    """The lines' products and quantities, and the unknown codes, bad quantities and the
    problems of lines read from a file."""
    out: list[tuple[Product, int]] = []
    unknown: list[str] = []
    bad: list[InvalidInput] = []
    placed: list[PosError] = []  # problems of lines read from a file, each at its place
    # Two statements for all the lines, a barcode before a SKU as find_product looks.
    codes = [line.code.strip() for line in lines]
    owners = uow.catalogue.barcode_owners(codes)
    found = uow.catalogue.products_by_skus({owners.get(code, code) for code in codes})
    for line, text in zip(lines, codes, strict=True):
        product = found.get(owners.get(text, text))
        if product is None:
            if line.code_at:
                missing = NotFound(code="stock.unknown_product", given=text)
                placed.append(InvalidInput(code="stock.at", where=line.code_at, problem=missing))
            else:
                unknown.append(text)
            continue
        try:
            quantity = parse_quantity(
                line.quantity, product.unit, what=f"quantity of {product.sku}", zero=zero
            )
        except InvalidInput as exc:
            if line.quantity_at:
                placed.append(InvalidInput(code="stock.at", where=line.quantity_at, problem=exc))
            else:
                bad.append(exc)
            continue
        out.append((product, quantity))
    return out, unknown, bad, placed


def products_and_quantities(
    uow: UnitOfWork, lines: Sequence[LineInput], *, zero: bool = False
) -> list[tuple[Product, int]]:
    """Each line's product and quantity in thousandths; every problem is collected and
    reported at once (nothing is written when one line is wrong).

    Raises:
        NotFound: An unknown SKU or barcode (all of them named).
        InvalidInput: A bad quantity (all of them named), or any problem of a line read from
            a file (each at its ``FILE:LINE:COLUMN``).
    """
    out, unknown, bad, placed = _checked(uow, lines, zero=zero)
    if placed:
        raise InvalidInput(code="stock.bad_file_lines", problems=[*placed, *bad])
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

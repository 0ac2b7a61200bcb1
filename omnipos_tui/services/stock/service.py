"""The stock answers and upkeep: ``stock show|list|history``, the stock value at a date,
``stock verify|rebuild``, locations and reorder rules.

Reads run in read-only units of work (SQLite takes no write lock). ``verify`` reads the
ledger and the balances at one moment (a read transaction on SQLite, REPEATABLE READ on
PostgreSQL), so it can run while tills sell; ``rebuild`` corrects each drift by the
difference found, as an atomic ``on_hand + difference``, and journals what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.errors import Conflict, InvalidInput, RuleViolation
from omnipos_tui.core.repositories import MasterDataChange, UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.stock.figures import (
    SOLD_PERIODS,
    LocationStock,
    ProductStock,
    StockRow,
    ValueLine,
    VerifyReport,
)
from omnipos_tui.core.stock.locations import TRANSIT, Location, LocationKind, location_code
from omnipos_tui.core.stock.moves import StockMove
from omnipos_tui.core.stock.ports import DayFigures
from omnipos_tui.core.stock.quantity import format_quantity, parse_quantity
from omnipos_tui.services.catalogue.service import record_master_data_changes
from omnipos_tui.services.stock.common import check_employee, find_product, real_location

LAST_MOVES = 10
"""How many moves ``stock show`` lists."""


@dataclass(frozen=True, slots=True)
class RebuildResult:
    """What ``stock rebuild`` did.

    Attributes:
        report: What verify found before the repair.
        repaired: How many balances were corrected.
        after: Verify after the repair (clean unless something else changed them).
    """

    report: VerifyReport
    repaired: int
    after: VerifyReport


class StockService:
    """Stock answers, verification and locations (see the module docstring)."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    # --- answers ------------------------------------------------------------------------

    def show(self, code: str, *, moves: int = LAST_MOVES) -> ProductStock:
        """Everything about one product's stock (``stock show``, the till's info key).

        Raises:
            NotFound: No product with this SKU or barcode.
        """
        today = business_day(self._clock.now())
        with self._units(read_only=True) as uow:
            product = find_product(uow, code)
            balances = uow.stock.balances(product.sku)
            real = [loc.code for loc in uow.stock.locations() if loc.real]
            stored = {loc.location: loc for loc in (balances.locations if balances else ())}
            locations = [stored.get(code_, LocationStock(code_, 0)) for code_ in real]
            transit = stored.get(TRANSIT)
            if transit is not None and transit.on_hand:
                locations.append(transit)
            days = [today - timedelta(days=n - 1) for _, n in SOLD_PERIODS]
            sold = uow.stock.sold_since(product.sku, days)
            on_order = uow.purchases.on_order(product.sku)
            last = None
            if balances is not None and balances.last_receipt is not None:
                last = uow.stock_documents.last_receipt(balances.last_receipt, product.sku)
            history = uow.stock.history(product.sku, limit=moves) if moves else []
        return ProductStock(
            product=product,
            locations=tuple(locations),
            average_cost=balances.average_cost if balances else 0,
            owned=balances.owned if balances else 0,
            on_order=tuple(
                sorted(on_order, key=lambda o: (o.expected is None, o.expected, o.order_no))
            ),
            sold={key: quantity for (key, _), quantity in zip(SOLD_PERIODS, sold, strict=True)},
            last_receipt=last,
            last_moves=tuple(history),
        )

    def rows(
        self,
        *,
        location: str | None = None,
        negative: bool = False,
        below_min: bool = False,
        group: str | None = None,
    ) -> list[StockRow]:
        """Every product with a balance matching the filters, by SKU (``stock list``).

        Raises:
            NotFound: An unknown location or article group.
        """
        with self._units(read_only=True) as uow:
            where = real_location(uow, location).code if location is not None else None
            if group is not None and group not in {g.code for g in uow.catalogue.groups()}:
                raise InvalidInput(code="stock.unknown_group", group=group)
            return list(
                uow.stock.stock_rows(
                    location=where, negative=negative, below_min=below_min, group=group
                )
            )

    def history(
        self, code: str, *, limit: int = 50, before: int | None = None
    ) -> tuple[Product, list[StockMove]]:
        """A product's moves, newest first (``stock history``).

        Raises:
            NotFound: No product with this SKU or barcode.
        """
        with self._units(read_only=True) as uow:
            product = find_product(uow, code)
            return product, uow.stock.history(product.sku, limit=limit, before=before)

    def days(self, code: str, *, days: int = 90) -> tuple[Product, int, list[DayFigures]]:
        """A product's owned stock now and its days with moves over the last ``days``
        (``stock show --plot``): the stock at the end of each day is the stock now less
        the net changes after it.

        Raises:
            NotFound: No product with this SKU or barcode.
        """
        since = business_day(self._clock.now()) - timedelta(days=days - 1)
        with self._units(read_only=True) as uow:
            product = find_product(uow, code)
            balances = uow.stock.balances(product.sku)
            figures = uow.stock.days(product.sku, since)
        return product, balances.owned if balances else 0, figures

    def value_at(self, moment: datetime | None = None) -> list[ValueLine]:
        """Each product's owned quantity and value at ``moment`` (default now), from the
        ledger (``reports stock-value``)."""
        at = moment or self._clock.now()
        with self._units(read_only=True) as uow:
            return list(uow.stock.value_at(at))

    # --- verify and rebuild -------------------------------------------------------------

    def verify(self, progress: Callable[[int], None] | None = None) -> VerifyReport:
        """Every balance against the ledger (``stock verify``)."""
        with self._units(read_only=True) as uow:
            return uow.stock.verify(progress)

    def rebuild(
        self, *, employee: str = "", progress: Callable[[int], None] | None = None
    ) -> RebuildResult:
        """Repair every drifting balance from the ledger and journal it (13021, each
        balance in the master-data change log).

        Raises:
            NotFound: An unknown employee.
        """
        report = self.verify(progress)
        repaired = 0
        if report.drifts:
            now = self._clock.now()
            with self._units() as uow:
                check_employee(uow, employee)
                repaired = uow.stock.rebuild(report)
                record_master_data_changes(
                    uow,
                    [
                        MasterDataChange(
                            at=now,
                            actor=employee or "cli",
                            entity="stock_balance",
                            key=f"{d.sku}@{d.location}",
                            field="on_hand",
                            old=format_quantity(d.stored),
                            new=format_quantity(d.ledger),
                        )
                        for d in report.drifts
                    ],
                )
                uow.commit()
        return RebuildResult(report, repaired, self.verify() if report.drifts else report)

    # --- locations and rules ------------------------------------------------------------

    def locations(self) -> list[Location]:
        """Every location, real ones first."""
        with self._units(read_only=True) as uow:
            return uow.stock.locations()

    def register_locations(self) -> dict[str, str]:
        """Each register's selling location."""
        with self._units(read_only=True) as uow:
            return {
                r.register_id: uow.stock.register_location(r.register_id)
                for r in uow.shop.registers()
            }

    def add_location(self, code: str, name: str, *, employee: str = "") -> Location:
        """Add a real location (``locations add``), journaled as master data.

        Raises:
            InvalidInput: A bad code or an empty name.
            Conflict: The code is taken.
        """
        location = Location(location_code(code), name.strip(), LocationKind.REAL)
        if not location.name or len(location.name) > 40:
            raise InvalidInput(code="stock.location_name")
        with self._units() as uow:
            check_employee(uow, employee)
            if location.code in {loc.code for loc in uow.stock.locations()}:
                raise Conflict(code="stock.location_exists", location=location.code)
            uow.stock.add_location(location)
            self._record(uow, employee, "stock_location", location.code, ("created", location.name))
            uow.commit()
        return location

    def assign_register(self, register_id: str, location: str, *, employee: str = "") -> None:
        """Make a register sell from a real location (from its next start).

        Raises:
            NotFound: No such register or location.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            if register_id not in {r.register_id for r in uow.shop.registers()}:
                raise RuleViolation(code="stock.unknown_register", register=register_id)
            place = real_location(uow, location)
            uow.stock.assign_register(register_id, place.code)
            self._record(uow, employee, "register_location", register_id, ("location", place.code))
            uow.commit()

    def set_rule(
        self,
        code: str,
        location: str,
        min_qty: str | None,
        max_qty: str | None,
        *,
        employee: str = "",
    ) -> tuple[Product, int | None, int | None]:
        """Set a product's reorder point and order-up-to level at a location (both None:
        remove the rule).

        Raises:
            NotFound: Unknown product or location.
            InvalidInput: A bad quantity, or max below min.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            product = find_product(uow, code)
            place = real_location(uow, location)
            low = (
                None
                if min_qty is None
                else parse_quantity(min_qty, product.unit, what="--min", zero=True)
            )
            high = (
                None
                if max_qty is None
                else parse_quantity(max_qty, product.unit, what="--max", zero=True)
            )
            if low is not None and high is not None and high < low:
                raise InvalidInput(code="stock.max_below_min", maximum=max_qty, minimum=min_qty)
            uow.stock.set_reorder_rule(product.sku, place.code, low, high)
            shown = "-" if low is None and high is None else f"{min_qty or '-'}..{max_qty or '-'}"
            key = f"{product.sku}@{place.code}"
            self._record(uow, employee, "reorder_rule", key, ("rule", shown))
            uow.commit()
        return product, low, high

    def _record(
        self, uow: UnitOfWork, employee: str, entity: str, key: str, change: tuple[str, str]
    ) -> None:
        field, new = change
        record_master_data_changes(
            uow,
            [
                MasterDataChange(
                    at=self._clock.now(),
                    actor=employee or "cli",
                    entity=entity,
                    key=key,
                    field=field,
                    old="",
                    new=new,
                )
            ],
        )

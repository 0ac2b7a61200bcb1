"""Suppliers and supplier items: add, list, show, import from CSV (all or nothing).

Suppliers are master data: every change goes to the master-data change log and the
journal (13021), as products do. An organisation number is checked with python-stdnum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from omnipos_tui.core.catalogue.products import Unit
from omnipos_tui.core.clock import Clock
from omnipos_tui.core.errors import InvalidInput, Message, NotFound
from omnipos_tui.core.repositories import MasterDataChange, UnitOfWork, UnitOfWorkFactory
from omnipos_tui.core.stock.documents import Supplier, SupplierItem
from omnipos_tui.core.stock.quantity import format_quantity, parse_quantity
from omnipos_tui.services.catalogue.product_csv import CsvImportError, CsvProblem
from omnipos_tui.services.catalogue.service import record_master_data_changes
from omnipos_tui.services.shop.identifiers import org_number
from omnipos_tui.services.stock.common import check_employee
from omnipos_tui.services.stock.supplier_csv import (
    ITEM_COLUMNS,
    SUPPLIER_COLUMNS,
    FieldReader,
    cost_price,
    read_rows,
    supplier_code,
    whole_days,
    yes_no,
)

_SUPPLIER_FIELDS = (
    "name",
    "org_number",
    "contact",
    "email",
    "phone",
    "delivery_days",
    "lead_days",
    "active",
)


@dataclass(frozen=True, slots=True)
class SupplierImport:
    """What ``suppliers import`` did.

    Attributes:
        kind: "suppliers" or "items".
        rows: Rows read.
        created: New rows.
        updated: Rows that replaced stored ones.
    """

    kind: str
    rows: int
    created: int
    updated: int


def _pack(text: str, *, unit: Unit) -> int:
    return parse_quantity(text, unit, what="pack size")


def checked_supplier(supplier: Supplier) -> Supplier:
    """A supplier with its fields checked (the organisation number compacted).

    Raises:
        InvalidInput: A bad code, an empty name, a bad organisation number or e-mail.
    """
    name = supplier.name.strip()
    if not name or len(name) > 80:
        raise InvalidInput(code="stock.supplier_name")
    org = org_number(supplier.org_number) if supplier.org_number.strip() else ""
    email = supplier.email.strip()
    if email and ("@" not in email or " " in email):
        raise InvalidInput(code="stock.bad_email", email=email)
    if not 0 <= supplier.lead_days <= 365:
        raise InvalidInput(code="stock.bad_lead_days", days=supplier.lead_days)
    return replace(
        supplier,
        code=supplier_code(supplier.code),
        name=name,
        org_number=org,
        contact=supplier.contact.strip(),
        email=email,
        phone=supplier.phone.strip(),
        delivery_days=supplier.delivery_days.strip(),
    )


class SupplierService:
    """Suppliers and what they sell us."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def save(self, supplier: Supplier, *, employee: str = "") -> Supplier:
        """Add or change a supplier (``suppliers add``).

        Raises:
            InvalidInput: A field is not valid.
        """
        checked = checked_supplier(supplier)
        with self._units() as uow:
            check_employee(uow, employee)
            before = uow.suppliers.save(checked)
            self._record(uow, employee, [(checked, before)])
            uow.commit()
        return checked

    def all(self, *, include_inactive: bool = True) -> list[Supplier]:
        """Every supplier by code."""
        with self._units(read_only=True) as uow:
            return uow.suppliers.all(include_inactive=include_inactive)

    def get(self, code: str) -> tuple[Supplier, list[SupplierItem]]:
        """A supplier and its items.

        Raises:
            NotFound: No such supplier.
        """
        with self._units(read_only=True) as uow:
            supplier = self.find(uow, code)
            return supplier, uow.suppliers.items(supplier=supplier.code)

    @staticmethod
    def find(uow: UnitOfWork, code: str) -> Supplier:
        """A supplier by code in a unit of work.

        Raises:
            NotFound: No such supplier.
        """
        supplier = uow.suppliers.get(code.strip())
        if supplier is None:
            known = [s.code for s in uow.suppliers.all()[:20]] or ["-"]
            raise NotFound(code="stock.unknown_supplier", supplier=code.strip(), known=known)
        return supplier

    def import_csv(
        self, data: bytes, *, source: str, supplier: str | None = None, employee: str = ""
    ) -> SupplierImport:
        """Import suppliers or supplier items from a CSV file: all rows or none.

        Args:
            data: The file's bytes.
            source: The file name for messages.
            supplier: For an items file without a ``supplier`` column: whose items.
            employee: Who imports (journaled).

        Raises:
            CsvImportError: Anything in the file is wrong (every problem listed).
            NotFound: ``supplier`` is unknown.
        """
        header = data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
        if b"sku" in header:
            return self._import_items(data, source, supplier, employee)
        return self._import_suppliers(data, source, employee)

    def _import_suppliers(self, data: bytes, source: str, employee: str) -> SupplierImport:
        rows = read_rows(data, source=source, known=SUPPLIER_COLUMNS, required={"code", "name"})
        fields = FieldReader()
        parsed: list[tuple[int, Supplier]] = []
        seen: dict[str, int] = {}
        for row in rows:
            code = fields.get(row, "code", supplier_code)
            org = fields.get(row, "org_number", org_number, "")
            lead = fields.get(row, "lead_days", whole_days, 7)
            active = fields.get(row, "active", yes_no, True)
            if code is None or org is None or lead is None or active is None:
                continue
            if code in seen:
                fields.problems.append(
                    CsvProblem(
                        row.line,
                        "code",
                        Message("stock.csv_supplier_twice", supplier=code, first=seen[code]),
                    )
                )
                continue
            seen[code] = row.line
            candidate = Supplier(
                code=code,
                name=row.fields.get("name", ""),
                org_number=org,
                contact=row.fields.get("contact", ""),
                email=row.fields.get("email", ""),
                phone=row.fields.get("phone", ""),
                delivery_days=row.fields.get("delivery_days", ""),
                lead_days=lead,
                active=active,
            )
            try:
                parsed.append((row.line, checked_supplier(candidate)))
            except InvalidInput as exc:
                fields.problems.append(CsvProblem(row.line, "-", exc))
        if fields.problems:
            raise CsvImportError(source, fields.problems)
        with self._units() as uow:
            check_employee(uow, employee)
            pairs = [(s, uow.suppliers.save(s)) for _, s in parsed]
            self._record(uow, employee, pairs)
            uow.commit()
        updated = sum(1 for _, before in pairs if before is not None)
        return SupplierImport("suppliers", len(rows), len(pairs) - updated, updated)

    def _import_items(
        self, data: bytes, source: str, supplier: str | None, employee: str
    ) -> SupplierImport:
        required = {"sku", "cost"} | (set() if supplier else {"supplier"})
        rows = read_rows(data, source=source, known=ITEM_COLUMNS, required=required)
        fields = FieldReader()
        items: list[SupplierItem] = []
        with self._units() as uow:
            check_employee(uow, employee)
            known = {s.code for s in uow.suppliers.all()}
            if supplier is not None:
                supplier = self.find(uow, supplier).code
            seen: dict[tuple[str, str], int] = {}
            for row in rows:
                owner = row.fields.get("supplier") or supplier or ""
                if owner not in known:
                    fields.problems.append(
                        CsvProblem(
                            row.line,
                            "supplier",
                            Message("stock.csv_unknown_supplier", supplier=owner),
                        )
                    )
                    continue
                sku = row.fields.get("sku", "")
                product = uow.catalogue.product_by_sku(sku)
                if product is None:
                    why = Message("stock.csv_unknown_sku", sku=sku)
                    fields.problems.append(CsvProblem(row.line, "sku", why))
                    continue
                cost = fields.get(row, "cost", cost_price)
                pack = fields.get(row, "pack_size", partial(_pack, unit=product.unit), 1000)
                if cost is None or pack is None:
                    continue
                if (owner, sku) in seen:
                    twice = Message(
                        "stock.csv_item_twice", supplier=owner, sku=sku, first=seen[(owner, sku)]
                    )
                    fields.problems.append(CsvProblem(row.line, "sku", twice))
                    continue
                seen[(owner, sku)] = row.line
                items.append(
                    SupplierItem(owner, sku, row.fields.get("supplier_sku", ""), pack, cost)
                )
            if fields.problems:
                raise CsvImportError(source, fields.problems)
            created, updated = uow.suppliers.save_items(items)
            record_master_data_changes(uow, self._item_changes(employee, items))
            uow.commit()
        return SupplierImport("items", len(rows), created, updated)

    def save_item(
        self,
        supplier: str,
        sku: str,
        *,
        cost: str,
        supplier_sku: str = "",
        pack_size: str = "1",
        employee: str = "",
    ) -> SupplierItem:
        """Add or change one supplier item.

        Raises:
            NotFound: Unknown supplier or SKU.
            InvalidInput: A bad cost or pack size.
        """
        with self._units() as uow:
            check_employee(uow, employee)
            owner = self.find(uow, supplier)
            product = uow.catalogue.product_by_sku(sku.strip()) or uow.catalogue.product_by_barcode(
                sku.strip()
            )
            if product is None:
                raise NotFound(code="stock.unknown_product", given=sku.strip())
            item = SupplierItem(
                owner.code,
                product.sku,
                supplier_sku.strip(),
                parse_quantity(pack_size, product.unit, what="--pack-size"),
                cost_price(cost),
            )
            uow.suppliers.save_items([item])
            record_master_data_changes(uow, self._item_changes(employee, [item]))
            uow.commit()
        return item

    def _item_changes(self, employee: str, items: Sequence[SupplierItem]) -> list[MasterDataChange]:
        now = self._clock.now()
        return [
            MasterDataChange(
                at=now,
                actor=employee or "cli",
                entity="supplier_item",
                key=f"{item.supplier}:{item.sku}",
                field="item",
                old="",
                new=f"{item.supplier_sku} | pack {format_quantity(item.pack_size, Unit.PIECE)} | "
                f"cost {item.cost_price}",
            )
            for item in items
        ]

    def _record(
        self, uow: UnitOfWork, employee: str, pairs: Sequence[tuple[Supplier, Supplier | None]]
    ) -> None:
        now = self._clock.now()
        actor = employee or "cli"
        changes: list[MasterDataChange] = []
        for new, old in pairs:
            if old == new:
                continue
            if old is None:
                changes.append(
                    MasterDataChange(now, actor, "supplier", new.code, "created", "", new.name)
                )
                continue
            for name in _SUPPLIER_FIELDS:
                before, after = str(getattr(old, name)), str(getattr(new, name))
                if before != after:
                    changes.append(
                        MasterDataChange(now, actor, "supplier", new.code, name, before, after)
                    )
        record_master_data_changes(uow, changes)

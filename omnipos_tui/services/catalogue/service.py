"""Catalogue use cases: look up, search, list, import and export products.

An import is all or nothing: the file is parsed and checked completely
(:mod:`~omnipos_tui.services.catalogue.product_csv`),
then the rule that needs the database (a barcode
already on another product) is checked, and only then is everything written in one unit of
work, together with a master-data change record for every created or changed product.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from omnipos_tui.core.catalogue.products import SAFT_ARTICLE_GROUPS, ArticleGroup, Product
from omnipos_tui.core.clock import Clock, business_day
from omnipos_tui.core.errors import InvalidInput, Message, NotFound
from omnipos_tui.core.repositories import (
    MasterDataChange,
    UnitOfWork,
    UnitOfWorkFactory,
    UpsertSummary,
)
from omnipos_tui.services.ledger.steps import journal_master_data

if TYPE_CHECKING:
    # The CSV code is imported by the import and the export (a till starts without it).
    from omnipos_tui.services.catalogue.product_csv import ParsedProduct

BATCH = 1000  # products written per step (progress is reported after each)

# Called with (products written so far, products to write).
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did.

    Attributes:
        source: The file name.
        rows: Product rows in the file.
        created: New products.
        updated: Existing products that changed.
        unchanged: Existing products that were already equal.
    """

    source: str
    rows: int
    created: int
    updated: int
    unchanged: int


def record_master_data_changes(uow: UnitOfWork, changes: Iterable[MasterDataChange]) -> int:
    """Record master-data changes inside the caller's unit of work.

    The one place every price, name or other master-data change goes through: the changes
    go to the append-only change log and are journaled (13021, R-22) in the register this
    process is (``services.ledger.journal_master_data``).
    """
    recorded = list(changes)
    if recorded:
        journal_master_data(uow, recorded, recorded[0].at)
    return uow.changes.record(recorded)


def product_changes(old: Product | None, new: Product) -> list[tuple[str, str, str]]:
    """``(field, old, new)`` for every field that differs (``("created", "", summary)`` for a
    new product)."""
    if old is None:
        return [("created", "", f"{new.name} | {new.price.format()} | mva {new.vat.percent}")]
    pairs = [
        ("name", old.name, new.name),
        ("price", old.price.format(), new.price.format()),
        ("vat", old.vat.code, new.vat.code),
        ("group", old.group, new.group),
        ("unit", old.unit.value, new.unit.value),
        ("barcodes", " ".join(old.barcodes), " ".join(new.barcodes)),
        ("active", "yes" if old.active else "no", "yes" if new.active else "no"),
    ]
    return [(field, before, after) for field, before, after in pairs if before != after]


def write_products(
    uow: UnitOfWork,
    products: Sequence[Product],
    *,
    at: datetime,
    actor: str,
    progress: Progress | None = None,
) -> UpsertSummary:
    """Create or replace products inside the caller's unit of work, recording a
    master-data change for every created or changed product.

    Barcodes moving between products of this call are released first, so the order the
    products come in does not matter.

    Raises:
        Conflict: A barcode is on a product not in ``products``, or a group does not exist.
    """
    skus = {p.sku for p in products}
    owners = uow.catalogue.barcode_owners(code for p in products for code in p.barcodes)
    moving = [code for p in products for code in p.barcodes if owners.get(code, p.sku) != p.sku]
    uow.catalogue.remove_barcodes(code for code in moving if owners[code] in skus)
    created = updated = unchanged = 0
    total = len(products)
    for start in range(0, total, BATCH):
        batch = products[start : start + BATCH]
        stored = uow.catalogue.products_by_skus(p.sku for p in batch)
        changes = [
            MasterDataChange(at, actor, "product", p.sku, field, before, after)
            for p in batch
            for field, before, after in product_changes(stored.get(p.sku), p)
        ]
        summary = uow.catalogue.upsert_products(batch)
        record_master_data_changes(uow, changes)
        created += summary.created
        updated += summary.updated
        unchanged += summary.unchanged
        if progress is not None:
            progress(min(start + BATCH, total), total)
    return UpsertSummary(created=created, updated=updated, unchanged=unchanged)


class CatalogueService:
    """Products and article groups."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    # --- reads --------------------------------------------------------------------------

    def lookup(self, code: str) -> Product | None:
        """The product with this barcode, else with this SKU/PLU, else None."""
        code = code.strip()
        with self._units(read_only=True) as uow:
            return uow.catalogue.product_by_barcode(code) or uow.catalogue.product_by_sku(code)

    def get(self, code: str) -> Product:
        """Like :meth:`lookup`, for commands that need the product.

        Raises:
            NotFound: No product has this barcode or SKU.
        """
        product = self.lookup(code)
        if product is None:
            raise NotFound(code="catalogue.unknown_product", barcode=code)
        return product

    def search(
        self, text: str, *, limit: int = 20, offset: int = 0, active_only: bool = False
    ) -> list[Product]:
        """Products matching the words of ``text``, case- and accent-insensitive, one
        page: names whose words start with them ("gran orig") by name, then names holding
        them inside a word ("melk" finds "Lettmelk"). A single word with a digit that is a
        product's barcode, SKU or PLU ("varenummer") gives that product alone."""
        code = text.strip()
        with self._units(read_only=True) as uow:
            if code and not any(c.isspace() for c in code) and any(c.isdigit() for c in code):
                found = uow.catalogue.product_by_barcode(code) or uow.catalogue.product_by_sku(code)
                if found is not None and (found.active or not active_only):
                    return [found] if offset == 0 and limit > 0 else []
            return uow.catalogue.search_products(
                text, limit=limit, offset=offset, active_only=active_only
            )

    def list_products(self, *, limit: int = 50, offset: int = 0) -> list[Product]:
        """One page of products ordered by SKU."""
        with self._units(read_only=True) as uow:
            return uow.catalogue.list_products(limit=limit, offset=offset)

    def count(self) -> int:
        """How many products exist."""
        with self._units(read_only=True) as uow:
            return uow.catalogue.count_products()

    def groups(self) -> list[ArticleGroup]:
        """Every article group ordered by code."""
        with self._units(read_only=True) as uow:
            return uow.catalogue.groups()

    # --- writes -------------------------------------------------------------------------

    def save_group(self, group: ArticleGroup, *, actor: str = "cli") -> None:
        """Create or change an article group.

        Raises:
            InvalidInput: The SAF-T code is not a PredefinedBasicID-04 code.
        """
        if group.saft_code not in SAFT_ARTICLE_GROUPS:
            raise InvalidInput(code="catalogue.bad_saft_group", saft_code=group.saft_code)
        if not group.code.strip() or not group.name.strip():
            raise InvalidInput(code="catalogue.group_incomplete")
        with self._units() as uow:
            old = {g.code: g for g in uow.catalogue.groups()}.get(group.code)
            uow.catalogue.upsert_group(group)
            if old != group:
                before = f"{old.name} ({old.saft_code})" if old else ""
                record_master_data_changes(
                    uow,
                    [self._change(actor, "group", group.code, ("group", before, group.name))],
                )
            uow.commit()

    def save_products(self, products: Sequence[Product], *, actor: str = "cli") -> UpsertSummary:
        """Create or replace products (demo data, tests), recording the changes.

        Raises:
            Conflict: A barcode is on another product, or a group does not exist.
        """
        with self._units() as uow:
            summary = write_products(uow, products, at=self._clock.now(), actor=actor)
            uow.commit()
        return summary

    def import_csv(
        self,
        data: bytes,
        *,
        source: str,
        actor: str = "cli",
        progress: Progress | None = None,
    ) -> ImportResult:
        """Import a product CSV file: all rows or none.

        Args:
            data: The file's bytes (UTF-8 or Windows-1252).
            source: The file name for messages.
            actor: Who imports (recorded with the changes).
            progress: Told how far the writing has come.

        Raises:
            CsvImportError: Anything is wrong (every problem listed with line and column);
                nothing was written.
        """
        from omnipos_tui.services.catalogue.product_csv import parse_products_csv

        known = {group.code for group in self.groups()}
        today = business_day(self._clock.now())
        # Parsed before the write lock is taken: a big file must not hold up the tills.
        parsed = parse_products_csv(data, source=source, on=today, known_groups=known)
        with self._units() as uow:
            self._check_barcodes(uow, parsed, source)
            summary = write_products(
                uow,
                [p.product for p in parsed],
                at=self._clock.now(),
                actor=actor,
                progress=progress,
            )
            uow.commit()
        return ImportResult(
            source=source,
            rows=len(parsed),
            created=summary.created,
            updated=summary.updated,
            unchanged=summary.unchanged,
        )

    def export_csv(self, out: TextIO) -> int:
        """Write every product in the import format, ordered by SKU; returns the row count."""
        from omnipos_tui.services.catalogue.product_csv import write_products_csv

        with self._units(read_only=True) as uow:
            return write_products_csv(uow.catalogue.iter_products(), out)

    # --- helpers ------------------------------------------------------------------------

    def _check_barcodes(self, uow: UnitOfWork, parsed: list[ParsedProduct], source: str) -> None:
        """Refuse barcodes that belong to a product the file does not also rewrite."""
        from omnipos_tui.services.catalogue.product_csv import CsvImportError, CsvProblem

        in_file = {item.product.sku for item in parsed}
        owners = uow.catalogue.barcode_owners(
            code for item in parsed for code in item.product.barcodes
        )
        problems = [
            CsvProblem(
                item.line,
                "barcodes",
                Message("csv.barcode_taken", barcode=code, sku=owners[code]),
            )
            for item in parsed
            for code in item.product.barcodes
            if code in owners and owners[code] != item.product.sku and owners[code] not in in_file
        ]
        if problems:
            raise CsvImportError(source, problems)

    def _change(
        self, actor: str, entity: str, key: str, change: tuple[str, str, str]
    ) -> MasterDataChange:
        field, old, new = change
        return MasterDataChange(
            at=self._clock.now(), actor=actor, entity=entity, key=key, field=field, old=old, new=new
        )

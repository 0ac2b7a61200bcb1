"""The shop repository (company and registers) and the append-only master-data change log."""

from __future__ import annotations

from collections.abc import Iterable

import peewee

from omnipos_tui.core.errors import Conflict
from omnipos_tui.core.repositories import MasterDataChange
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.webshop.model import SHOP_ACTOR
from omnipos_tui.storage.database import insert_rows, translated
from omnipos_tui.storage.db_time import time_from_db, time_to_db
from omnipos_tui.storage.models import CompanyRow, MasterDataChangeRow, RegisterRow


class PeeweeShopRepository:
    """:class:`~omnipos_tui.core.repositories.ShopRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db

    @translated
    def company(self) -> Company | None:
        """The company, once initialised."""
        row = CompanyRow.select().where(CompanyRow.id == 1).bind(self._db).first()
        if row is None:
            return None
        return Company(
            name=str(row.name),
            org_number=str(row.org_number),
            street=str(row.street),
            postal_code=str(row.postal_code),
            city=str(row.city),
            vat_registered=bool(row.vat_registered),
        )

    @translated
    def save_company(self, company: Company) -> None:
        """Create or replace the company."""
        values = {
            "name": company.name,
            "org_number": company.org_number,
            "street": company.street,
            "postal_code": company.postal_code,
            "city": company.city,
            "vat_registered": company.vat_registered,
        }
        CompanyRow.insert(id=1, **values).on_conflict(
            conflict_target=[CompanyRow.id], update=values
        ).bind(self._db).execute()

    @translated
    def registers(self) -> list[Register]:
        """Every register ordered by id."""
        rows = RegisterRow.select().bind(self._db)
        found = [Register(str(row.register_id), str(row.name)) for row in rows]
        return sorted(found, key=lambda r: (len(r.register_id), r.register_id))

    @translated
    def add_register(self, register: Register) -> None:
        """Store a new register.

        Raises:
            Conflict: The id is taken.
        """
        query = RegisterRow.select().where(RegisterRow.register_id == register.register_id)
        if query.bind(self._db).first() is not None:
            raise Conflict(f"register {register.register_id} already exists")
        RegisterRow.insert(register_id=register.register_id, name=register.name).bind(
            self._db
        ).execute()


_CATALOGUE_FIELDS = frozenset({"name", "price", "vat", "active"})
"""The product fields the web shop's catalogue carries."""


class PeeweeChangeLog:
    """:class:`~omnipos_tui.core.repositories.ChangeLog` on the append-only
    ``master_data_change`` table."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db
        #: Products whose name, price, VAT or active flag changed in this unit of work, and
        #: customers changed in it other than by the web shop (``RecordsChanged``: the web
        #: shop's catalogue and customers out; what came from the shop is not sent back).
        self.touched_products: set[str] = set()
        self.touched_customers: set[str] = set()

    @translated
    def record(self, changes: Iterable[MasterDataChange]) -> int:
        """Append changes; returns how many."""
        changes = list(changes)
        for change in changes:
            if change.entity == "product" and change.field in _CATALOGUE_FIELDS:
                self.touched_products.add(change.key)
            elif change.entity == "customer" and change.actor != SHOP_ACTOR:
                self.touched_customers.add(change.key)
        rows = [
            (
                time_to_db(change.at),
                change.actor,
                change.entity,
                change.key,
                change.field,
                change.old,
                change.new,
            )
            for change in changes
        ]
        columns = ("at", "actor", "entity", "entity_key", "field_name", "old_value", "new_value")
        insert_rows(self._db, "master_data_change", columns, rows)
        return len(rows)

    @translated
    def recent(self, *, limit: int = 50) -> list[MasterDataChange]:
        """The latest changes, newest first."""
        query = (
            MasterDataChangeRow.select()
            .order_by(MasterDataChangeRow.id.desc())
            .limit(max(0, limit))
            .bind(self._db)
        )
        return [
            MasterDataChange(
                at=time_from_db(str(row.at)),
                actor=str(row.actor),
                entity=str(row.entity),
                key=str(row.entity_key),
                field=str(row.field_name),
                old=str(row.old_value),
                new=str(row.new_value),
            )
            for row in query
        ]

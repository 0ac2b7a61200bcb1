"""The customer repository."""

from __future__ import annotations

import peewee

from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import Conflict, NotFound
from omnipos_tui.storage.database import translated
from omnipos_tui.storage.models import CustomerRow
from omnipos_tui.storage.search import fold, query_words


class PeeweeCustomerRepository:
    """:class:`~omnipos_tui.core.repositories.CustomerRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db
        #: Customers added in this unit of work (``RecordsChanged``).
        self.touched: set[str] = set()

    @translated
    def get(self, number: str) -> Customer | None:
        """The customer with this number."""
        row = CustomerRow.select().where(CustomerRow.number == number).bind(self._db).first()
        return _customer(row) if row else None

    @translated
    def add(self, customer: Customer) -> None:
        """Store a new customer.

        Raises:
            Conflict: The number is taken.
        """
        if self.get(customer.number) is not None:
            raise Conflict(f"customer number {customer.number} is already taken")
        self.touched.add(customer.number)
        CustomerRow.insert(
            number=customer.number,
            name=customer.name,
            phone=customer.phone,
            email=customer.email,
            org_number=customer.org_number,
            street=customer.street,
            postal_code=customer.postal_code,
            city=customer.city,
            search_text=fold(
                " ".join((customer.number, customer.name, customer.phone, customer.email))
            ),
            active=customer.active,
        ).bind(self._db).execute()

    @translated
    def update(self, customer: Customer) -> None:
        """Replace a customer's fields (the number names it).

        Raises:
            NotFound: No such customer.
        """
        changed = (
            CustomerRow.update(
                name=customer.name,
                phone=customer.phone,
                email=customer.email,
                org_number=customer.org_number,
                street=customer.street,
                postal_code=customer.postal_code,
                city=customer.city,
                search_text=fold(
                    " ".join((customer.number, customer.name, customer.phone, customer.email))
                ),
                active=customer.active,
            )
            .where(CustomerRow.number == customer.number)
            .bind(self._db)
            .execute()
        )
        if not changed:
            raise NotFound(code="customer.unknown", number=customer.number)

    @translated
    def search(self, text: str, *, limit: int = 20) -> list[Customer]:
        """Active customers whose number, name, phone or e-mail contain every word of
        ``text`` (case- and accent-insensitive), ordered by name."""
        query = CustomerRow.select().where(CustomerRow.active == True).bind(self._db)  # noqa: E712
        for word in query_words(text):
            query = query.where(CustomerRow.search_text.contains(word))
        query = query.order_by(CustomerRow.search_text, CustomerRow.number).limit(max(0, limit))
        return [_customer(row) for row in query]

    @translated
    def list(self) -> list[Customer]:
        """Every customer ordered by number (numerically where the numbers are digits)."""
        rows = CustomerRow.select().bind(self._db)
        return sorted((_customer(row) for row in rows), key=lambda c: (len(c.number), c.number))

    @translated
    def next_number(self) -> str:
        """One more than the largest all-digit customer number ("1" for the first)."""
        numbers = [
            int(row.number)
            for row in CustomerRow.select(CustomerRow.number).bind(self._db)
            if str(row.number).isdigit()
        ]
        return str(max(numbers, default=0) + 1)


def _customer(row: CustomerRow) -> Customer:
    return Customer(
        number=str(row.number),
        name=str(row.name),
        phone=str(row.phone),
        email=str(row.email),
        org_number=str(row.org_number),
        street=str(row.street),
        postal_code=str(row.postal_code),
        city=str(row.city),
        active=bool(row.active),
    )

"""Customer use cases: register, change, list, search and show customers."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput, NotFound
from omnipos_tui.core.repositories import MasterDataChange, UnitOfWork, UnitOfWorkFactory
from omnipos_tui.services.catalogue.service import record_master_data_changes
from omnipos_tui.services.shop.identifiers import org_number

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d ()-]{5,20}$")
_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,20}$")


def checked_customer(customer: Customer) -> Customer:
    """The customer with tidied fields, after checking them.

    Raises:
        InvalidInput: No name, or a bad number, phone or e-mail.
        InvalidOrganisationNumber: The organisation number fails its check digit.
    """
    name = " ".join(customer.name.split())
    if not name:
        raise InvalidInput(code="customer.no_name")
    number = customer.number.strip()
    if not _NUMBER.match(number):
        raise InvalidInput(code="customer.bad_number", number=number)
    phone = customer.phone.strip()
    if phone and not _PHONE.match(phone):
        raise InvalidInput(code="customer.bad_phone", phone=phone)
    email = customer.email.strip()
    if email and not _EMAIL.match(email):
        raise InvalidInput(code="customer.bad_email", email=email)
    org = org_number(customer.org_number) if customer.org_number.strip() else ""
    return Customer(
        number=number,
        name=name,
        phone=phone,
        email=email,
        org_number=org,
        street=customer.street.strip(),
        postal_code=customer.postal_code.strip(),
        city=customer.city.strip(),
        active=customer.active,
    )


CUSTOMER_FIELDS = ("name", "phone", "email", "org_number", "street", "postal_code", "city")
"""The fields of a customer that may change (the number never does)."""


def update_customer(uow: UnitOfWork, customer: Customer, *, at: datetime, actor: str) -> Customer:
    """Replace a customer's fields inside the caller's unit of work, recording each changed
    field in the change log (nothing when nothing changed).

    Raises:
        NotFound: No such customer.
        InvalidInput: A field is not valid.
    """
    old = uow.customers.get(customer.number.strip())
    if old is None:
        raise NotFound(code="customer.unknown", number=customer.number)
    checked = checked_customer(customer)
    changes = [
        MasterDataChange(at, actor, "customer", old.number, name, before, after)
        for name in CUSTOMER_FIELDS
        if (before := str(getattr(old, name))) != (after := str(getattr(checked, name)))
    ]
    if changes:
        uow.customers.update(checked)
        record_master_data_changes(uow, changes)
    return checked


class CustomerService:
    """The customer register."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def add(self, customer: Customer, *, actor: str = "cli") -> Customer:
        """Register a customer; an empty number gets the next free one.

        Raises:
            InvalidInput: A field is not valid.
            InvalidOrganisationNumber: The organisation number is not valid.
            Conflict: The number is taken.
        """
        with self._units() as uow:
            if not customer.number.strip():
                customer = replace(customer, number=uow.customers.next_number())
            checked = checked_customer(customer)
            uow.customers.add(checked)
            change = MasterDataChange(
                at=self._clock.now(),
                actor=actor,
                entity="customer",
                key=checked.number,
                field="created",
                old="",
                new=checked.name,
            )
            record_master_data_changes(uow, [change])
            uow.commit()
        return checked

    def update(self, customer: Customer, *, actor: str = "cli") -> Customer:
        """Change a customer's name, contact details or address (the number names them);
        each changed field goes to the change log.

        Raises:
            NotFound: No such customer.
            InvalidInput: A field is not valid.
            InvalidOrganisationNumber: The organisation number is not valid.
        """
        with self._units() as uow:
            checked = update_customer(uow, customer, at=self._clock.now(), actor=actor)
            uow.commit()
        return checked

    def set_active(self, number: str, active: bool, *, actor: str = "cli") -> Customer:
        """Deactivate a customer (kept for history, the books and SAF-T, but no longer
        found by a search nor put on a new sale or order), or activate them again; the
        change is a master-data change, journaled (13021).

        Raises:
            NotFound: No such customer.
        """
        with self._units() as uow:
            old = uow.customers.get(number.strip())
            if old is None:
                raise NotFound(code="customer.unknown", number=number)
            changed = replace(old, active=active)
            if old.active != active:
                uow.customers.update(changed)
                flags = ("yes" if old.active else "no", "yes" if active else "no")
                change = MasterDataChange(
                    self._clock.now(), actor, "customer", old.number, "active", *flags
                )
                record_master_data_changes(uow, [change])
            uow.commit()
        return changed

    def list_customers(self, *, include_inactive: bool = False) -> list[Customer]:
        """Every (active) customer ordered by number."""
        with self._units(read_only=True) as uow:
            found = uow.customers.list()
        return found if include_inactive else [c for c in found if c.active]

    def search(self, text: str, *, limit: int = 20) -> list[Customer]:
        """Customers whose number, name, phone or e-mail contain every word of ``text``."""
        with self._units(read_only=True) as uow:
            return uow.customers.search(text, limit=limit)

    def get(self, number: str) -> Customer:
        """The customer with this number.

        Raises:
            NotFound: No such customer.
        """
        with self._units(read_only=True) as uow:
            customer = uow.customers.get(number.strip())
        if customer is None:
            raise NotFound(code="customer.unknown", number=number)
        return customer

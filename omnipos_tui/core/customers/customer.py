"""Customers of the shop (credit sales, receipts by e-mail, later the web shop)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Customer:
    """A registered customer.

    Attributes:
        number: Customer number (``custSupID`` in SAF-T).
        name: Person or business name.
        phone: Phone number as typed, or empty.
        email: E-mail address, or empty.
        org_number: Organisation number for business customers, or empty.
        street: Street address, or empty.
        postal_code: Postal code, or empty.
        city: Postal place, or empty.
        active: A deactivated customer stays for history but is not found by a search
            and cannot be put on a new sale or order.
    """

    number: str
    name: str
    phone: str = ""
    email: str = ""
    org_number: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    active: bool = True

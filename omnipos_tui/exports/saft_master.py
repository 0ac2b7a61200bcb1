"""The master data of a SAF-T Cash Register file: company, customers, VAT codes,
employees, articles and basics.

Each record is checked as it streams (identifiers 1-35 characters, no duplicates) and the
identifiers are remembered in :class:`~omnipos_tui.exports.saft_events.KnownIds`, so that
events and transactions referring to something not declared fail with a clear message.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.clock import local
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.shop.company import Company
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import VatRate
from omnipos_tui.exports.saft_codes import all_basics
from omnipos_tui.exports.saft_events import KnownIds
from omnipos_tui.exports.xml_records import Record, RecordWriter

NAMESPACE = "urn:StandardAuditFile-Taxation-CashRegister:NO"
_Q = "{" + NAMESPACE + "}"
_ROLE_NAMES = {Role.CASHIER: "Kasserer", Role.MANAGER: "Butikksjef", Role.ADMIN: "Administrator"}


@dataclass(frozen=True, slots=True)
class EmployeeEntry:
    """An employee with the time they were registered (``dateOfEntry``/``timeOfEntry``).

    Attributes:
        employee: The employee (inactive ones too, if they appear in the period).
        entered_at: When the employee was registered (aware; written in Oslo time).
    """

    employee: Employee
    entered_at: datetime


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    """A product with the day it was registered (``dateOfEntry``).

    Attributes:
        product: The product (inactive ones too, if they appear in the period).
        entered_on: The day it was registered.
    """

    product: Product
    entered_on: date


class XmlFile(Protocol):
    """The part of lxml's ``etree.xmlfile`` writer the export uses."""

    def write(self, *args: object) -> None: ...
    def write_declaration(self) -> None: ...
    def element(
        self, tag: str, nsmap: dict[str | None, str] | None = None
    ) -> contextlib.AbstractContextManager[None]: ...


def write_header(
    records: RecordWriter,
    *,
    period_start: date,
    period_end: date,
    created_at: datetime,
    software: tuple[str, str, str],
    selection: str,
    exported_by: str,
) -> None:
    """The ``header``: period, currency, when it was made (Oslo), by what and by whom.

    Args:
        records: Where it goes.
        period_start: ``startDate`` (its year is the ``fiscalYear``).
        period_end: ``endDate``.
        created_at: ``dateCreated``/``timeCreated`` (aware).
        software: ``softwareDesc``, ``softwareVersion``, ``softwareCompanyName``.
        selection: What was selected (``headerComment``).
        exported_by: ``userID``, or empty.
    """
    created = local(created_at)
    name, version, supplier = software
    rec = records.start("header")
    rec.leaves(
        ("fiscalYear", "startDate", "endDate", "curCode"),
        str(period_start.year),
        period_start.isoformat(),
        period_end.isoformat(),
        "NOK",
    )
    rec.leaves(
        ("dateCreated", "timeCreated"), created.strftime("%Y-%m-%d"), created.strftime("%H:%M:%S")
    )
    rec.leaves(
        ("softwareDesc", "softwareVersion", "softwareCompanyName", "auditfileVersion"),
        name[:100],
        version[:20],
        supplier[:100],
        "1.0",
    )
    rec.leaf("headerComment", selection[:999])
    rec.optional("userID", exported_by)
    records.write(rec, where="header")


def put(xf: XmlFile, tag: str, text: str, where: str) -> None:
    """Write one text element directly inside an open container.

    Raises:
        InvalidInput: The text holds a character XML cannot carry.
    """
    with xf.element(_Q + tag):
        try:
            xf.write(text)
        except ValueError as exc:
            raise InvalidInput(f"{where} {tag}: {exc}") from None


def write_company(xf: XmlFile, records: RecordWriter, company: Company) -> None:
    """The company's identity and addresses (the children of ``company`` before its lists).

    Raises:
        InvalidInput: No organisation number, or a name longer than SAF-T allows.
    """
    if not 0 < len(company.org_number) <= 35:
        raise InvalidInput("the company's organisation number must be 1-35 characters")
    if not 0 < len(company.name) <= 100:
        raise InvalidInput("the company's name must be 1-100 characters")
    put(xf, "companyIdent", company.org_number, "company")
    put(xf, "companyName", company.name, "company")
    put(xf, "taxRegistrationCountry", "NO", "company")
    if company.vat_registered:
        put(xf, "taxRegIdent", f"{company.org_number}MVA", "company")
    for tag in ("streetAddress", "postalAddress"):
        rec = records.start(tag)
        address_leaves(rec, company)
        records.write(rec, where=f"company {tag}")


def address_leaves(rec: Record, company: Company) -> None:
    """The company's address as the children of a ``streetAddress``/``postalAddress``."""
    rec.optional("streetname", company.street[:100])
    rec.leaf("city", company.city[:50])
    rec.leaf("postalCode", company.postal_code[:20])
    rec.leaf("country", "NO")


def write_customers(records: RecordWriter, customers: Iterable[Customer], known: KnownIds) -> None:
    """One ``customerSupplier`` per customer; free text is cut to SAF-T's lengths.

    Raises:
        InvalidInput: A customer number is empty, too long or listed twice.
    """
    for customer in customers:
        where = f"customer {customer.number!r}"
        _check_id(customer.number, where)
        if customer.number in known.customers:
            raise InvalidInput(f"{where} is listed twice")
        known.customers.add(customer.number)
        rec = records.start("customerSupplier")
        rec.leaf("custSupID", customer.number)
        rec.leaf("custSupName", customer.name[:100])
        rec.leaf("custSupType", "Customer")
        rec.optional("telephone", customer.phone[:50])
        rec.optional("eMail", customer.email.strip())
        if customer.org_number:
            rec.leaf("taxRegistrationCountry", "NO")
            rec.leaf("taxRegIdent", customer.org_number[:50])
        if customer.city and customer.postal_code:
            rec.open("postalAddress")
            rec.optional("streetname", customer.street[:100])
            rec.leaf("city", customer.city[:50])
            rec.leaf("postalCode", customer.postal_code[:20])
            rec.close()
        records.write(rec, where=where)


def write_vat_codes(records: RecordWriter, rates: Iterable[VatRate]) -> None:
    """One ``vatCodeDetail`` per VAT code: our code, since when, and its standard tax code.

    Raises:
        InvalidInput: A code is listed twice.
    """
    seen: set[str] = set()
    for rate in rates:
        if rate.code in seen:
            raise InvalidInput(f"VAT code {rate.code!r} is listed twice")
        seen.add(rate.code)
        rec = records.start("vatCodeDetail")
        rec.leaf("vatCode", rate.code)
        rec.leaf("dateOfEntry", rate.valid_from.isoformat())
        rec.optional("vatDesc", rate.description[:100])
        rec.leaf("standardVatCode", rate.standard_code)
        records.write(rec, where=f"VAT code {rate.code!r}")


def write_employees(
    records: RecordWriter, entries: Iterable[EmployeeEntry], known: KnownIds
) -> None:
    """One ``employee`` per entry: the first word of the name is the first name, the rest
    the surname (a one-word name is the surname); the role is the ``employeeRole``.

    Raises:
        InvalidInput: A number is empty, too long or listed twice, or a naive entry time.
    """
    for entry in entries:
        employee = entry.employee
        where = f"employee {employee.number!r}"
        _check_id(employee.number, where)
        if employee.number in known.employees:
            raise InvalidInput(f"{where} is listed twice")
        if entry.entered_at.tzinfo is None:
            raise InvalidInput(f"{where}: entered_at must be an aware time")
        known.employees.add(employee.number)
        first, _, rest = employee.name.strip().partition(" ")
        entered = local(entry.entered_at)
        rec = records.start("employee")
        rec.leaf("empID", employee.number)
        rec.leaf("dateOfEntry", entered.strftime("%Y-%m-%d"))
        rec.leaf("timeOfEntry", entered.strftime("%H:%M:%S"))
        if rest.strip():
            rec.leaf("firstName", first[:50])
            rec.leaf("surName", rest.strip()[:100])
        else:
            rec.leaf("surName", (first or employee.number)[:100])
        rec.open("employeeRole")
        rec.leaf("roleType", employee.role.value)
        rec.leaf("roleTypeDesc", _ROLE_NAMES[employee.role])
        rec.close()
        records.write(rec, where=where)


def write_articles(records: RecordWriter, entries: Iterable[ArticleEntry], known: KnownIds) -> None:
    """One ``article`` per product (``known.groups`` must be filled first).

    Raises:
        InvalidInput: An article number is empty, too long or listed twice, or the
            article's group is not among the exported groups.
    """
    articles, groups = known.articles, known.groups
    for entry in entries:
        product = entry.product
        sku = product.sku
        where = f"article {sku!r}"
        if not 0 < len(sku) <= 35:
            raise InvalidInput(f"{where}: the article number must be 1-35 characters")
        if sku in articles:
            raise InvalidInput(f"{where} is listed twice")
        if product.group and product.group not in groups:
            raise InvalidInput(
                f"{where}: article group {product.group!r} is not among the exported groups"
            )
        articles.add(sku)
        rec = records.start("article")
        rec.leaf("artID", sku)
        rec.leaf("dateOfEntry", entry.entered_on.isoformat())
        rec.optional("artGroupID", product.group)
        rec.leaf("artDesc", product.name[:999])
        records.write(rec, where=where)


def write_basics(records: RecordWriter, groups: Iterable[ArticleGroup]) -> None:
    """Every code of ours: the article groups, then line, discount, transaction, payment
    and event types (see ``saft_codes``).

    Raises:
        InvalidInput: A group code is empty, too long, repeated or clashes with our codes.
    """
    for basic in all_basics(groups):
        rec = records.start("basic")
        rec.leaf("basicType", basic.basic_type)
        rec.leaf("basicID", basic.basic_id)
        rec.optional("predefinedBasicID", basic.predefined)
        rec.leaf("basicDesc", basic.description[:999])
        records.write(rec, where=f"basic {basic.basic_id!r}")


def _check_id(value: str, where: str) -> None:
    if not 0 < len(value) <= 35:
        raise InvalidInput(f"{where}: the number must be 1-35 characters")

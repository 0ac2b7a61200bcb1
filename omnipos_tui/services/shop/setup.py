"""Setting up a shop: ``omnipos init`` (empty or with demo data).

Initialising migrates the database and then, in ONE unit of work, stores the company, the
register, the article groups, the admin employee (and with demo data the catalogue, the demo
staff and customers). A database that already has a company is never initialised again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from omnipos_tui.core.catalogue.products import ArticleGroup, Product
from omnipos_tui.core.clock import Clock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import Conflict, InvalidInput, RuleViolation
from omnipos_tui.core.repositories import (
    DatabaseAdmin,
    MasterDataChange,
    UnitOfWork,
    UnitOfWorkFactory,
)
from omnipos_tui.core.shop.company import Company, Register, checked_register_id
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.services.catalogue.service import record_master_data_changes, write_products
from omnipos_tui.services.catalogue.starter_groups import starter_groups
from omnipos_tui.services.customers.service import checked_customer
from omnipos_tui.services.shop.identifiers import org_number
from omnipos_tui.services.staff.service import new_pin_record

_POSTAL_CODE = re.compile(r"^\d{4}$")

# Creates the register's signing key during `omnipos init`, records it in the unit of work
# (uow, register id), and returns a description of it (for example "RSA-SHA1-1024 key
# version 1-1 in /data/keys"). Wired in bootstrap (KeyService.initial_key).
SigningKeyHook = Callable[[UnitOfWork, str], str]


@dataclass(frozen=True, slots=True)
class InitResult:
    """What ``omnipos init`` created.

    Attributes:
        company: The company.
        register: The register.
        admin: The admin employee.
        staff: Employees created with their PINs, to show once on screen (demo only;
            empty otherwise: a real admin typed their own PIN).
        groups: Article groups created.
        products: Products created.
        customers: Customers created.
        signing_key: What the signing-key hook reported, or "" when none is wired yet.
        location: Where the database is.
    """

    company: Company
    register: Register
    admin: Employee
    staff: list[tuple[Employee, str]] = field(default_factory=list)
    groups: int = 0
    products: int = 0
    customers: int = 0
    signing_key: str = ""
    location: str = ""


def checked_company(company: Company) -> Company:
    """The company with tidied fields, after checking them.

    Raises:
        InvalidInput: Missing name, street or city, or a postal code that is not 4 digits.
        InvalidOrganisationNumber: The organisation number fails its check digit.
    """
    name, street, city = (" ".join(v.split()) for v in (company.name, company.street, company.city))
    if not name:
        raise InvalidInput(code="shop.no_company_name")
    if not street:
        raise InvalidInput(code="shop.no_street")
    if not city:
        raise InvalidInput(code="shop.no_city")
    postal = company.postal_code.strip()
    if not _POSTAL_CODE.match(postal):
        raise InvalidInput(code="shop.bad_postal_code", postal=postal)
    return Company(
        name=name,
        org_number=org_number(company.org_number),
        street=street,
        postal_code=postal,
        city=city,
        vat_registered=company.vat_registered,
    )


class SetupService:
    """Initialises a shop's database."""

    def __init__(
        self,
        units: UnitOfWorkFactory,
        database: DatabaseAdmin,
        clock: Clock,
        *,
        create_signing_key: SigningKeyHook | None = None,
        pin_min_digits: int = 4,
    ) -> None:
        self._units = units
        self._min_digits = pin_min_digits
        self._database = database
        self._clock = clock
        self._create_signing_key = create_signing_key

    def is_initialised(self) -> bool:
        """Whether the database is migrated and has a company."""
        if self._database.schema_version() == 0:
            return False
        with self._units(read_only=True) as uow:
            return uow.shop.company() is not None

    def initialise(
        self,
        *,
        company: Company,
        register: Register,
        admin: Employee,
        admin_pin: str,
        groups: Sequence[ArticleGroup] = (),
        products: Sequence[Product] = (),
        staff: Sequence[tuple[Employee, str]] = (),
        customers: Sequence[Customer] = (),
    ) -> InitResult:
        """Create the shop in an empty database (migrating it first).

        Args:
            company: The seller.
            register: This till.
            admin: The first employee; must have the admin role.
            admin_pin: The admin's PIN (4-8 digits).
            groups: Article groups; the starter set of :func:`starter_groups` when empty.
            products: Products to create.
            staff: More employees with their PINs.
            customers: Customers to create.

        Raises:
            RuleViolation: The database is already initialised.
            InvalidInput: A field is not valid (nothing is created).
            InvalidOrganisationNumber: The organisation number is not valid.
        """
        company = checked_company(company)
        register = Register(checked_register_id(register.register_id), register.name)
        if admin.role is not Role.ADMIN:
            raise InvalidInput(code="shop.first_not_admin")
        people = [(admin, new_pin_record(admin_pin, min_digits=self._min_digits))]
        people += [(employee, new_pin_record(pin)) for employee, pin in staff]
        checked_customers = [checked_customer(c) for c in customers]
        self._database.migrate()
        now = self._clock.now()
        with self._units() as uow:
            existing = uow.shop.company()
            if existing is not None:
                raise RuleViolation(code="shop.already_initialised", shop=existing.name)
            uow.shop.save_company(company)
            uow.shop.add_register(register)
            for group in groups or starter_groups():
                uow.catalogue.upsert_group(group)
            for employee, record in people:
                uow.staff.add(employee, record)
            for customer in checked_customers:
                uow.customers.add(customer)
            record_master_data_changes(
                uow,
                [
                    MasterDataChange(now, "init", "company", company.org_number, "created", "",
                                     company.name),
                    *(MasterDataChange(now, "init", "employee", e.number, "created", "",
                                       f"{e.name} ({e.role.value})") for e, _ in people),
                ],
            )  # fmt: skip
            write_products(uow, products, at=now, actor="init")
            key = ""
            if self._create_signing_key is not None:
                key = self._create_signing_key(uow, register.register_id)
            uow.commit()
        return InitResult(
            company=company,
            register=register,
            admin=admin,
            groups=len(groups or starter_groups()),
            products=len(products),
            customers=len(checked_customers),
            signing_key=key,
            location=self._database.location,
        )

    def registers(self) -> list[Register]:
        """The shop's registers (tills), ordered by id."""
        with self._units(read_only=True) as uow:
            return uow.shop.registers()

    def add_register(self, register_id: str, name: str, *, actor: str = "cli") -> Register:
        """Set up a new register (a second till, an office PC that takes reports): the only
        way besides ``init`` that a register comes to be. Its signing key is made by its
        own till at its first start, in that till's data directory. Journaled as a
        master-data change (13021).

        Raises:
            InvalidInput: The id is not 1-35 letters and digits, or the name is empty.
            Conflict: The id is taken.
            RuleViolation: The shop is not initialised.
        """
        register_id = checked_register_id(register_id)
        name = " ".join(name.split())
        if not name:
            raise InvalidInput(code="register.no_name", register_id=register_id)
        register = Register(register_id, name)
        with self._units() as uow:
            if uow.shop.company() is None:
                raise RuleViolation(code="shop.not_set_up")
            if register_id in {r.register_id for r in uow.shop.registers()}:
                raise Conflict(code="register.exists", register_id=register_id)
            uow.shop.add_register(register)
            change = MasterDataChange(
                self._clock.now(), actor, "register", register_id, "created", "", name
            )
            record_master_data_changes(uow, [change])
            uow.commit()
        return register

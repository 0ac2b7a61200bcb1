"""Customers and shop set-up through the real services."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEST_COMPANY, settings_for

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import (
    Conflict,
    InvalidInput,
    InvalidOrganisationNumber,
    NotFound,
    RuleViolation,
)
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.demo.shop import initialise_demo


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


def test_a_customer_without_a_number_gets_the_next_free_one(shop: Services) -> None:
    first = shop.customers.add(Customer("", "Per Olsen", phone="412 34 567"))
    second = shop.customers.add(Customer("", "  Marte   Kirkerud ", email="marte@example.com"))
    assert (first.number, second.number) == ("1", "2")
    assert second.name == "Marte Kirkerud"
    assert shop.customers.get("2") == second


def test_customers_are_found_by_name_phone_or_email_ignoring_accents(shop: Services) -> None:
    shop.customers.add(Customer("10", "Bjørn Ærlig", phone="916 44 210"))
    shop.customers.add(Customer("11", "Siri Johansen", email="siri@example.com"))
    assert [c.number for c in shop.customers.search("bjorn")] == ["10"]
    assert [c.number for c in shop.customers.search("AERLIG")] == ["10"]
    assert [c.number for c in shop.customers.search("44 210")] == ["10"]
    assert [c.number for c in shop.customers.search("siri@")] == ["11"]
    assert shop.customers.search("nobody") == []


def test_a_business_customer_needs_a_valid_organisation_number(shop: Services) -> None:
    with pytest.raises(InvalidOrganisationNumber, match="123456789"):
        shop.customers.add(Customer("20", "Feil AS", org_number="123456789"))
    added = shop.customers.add(Customer("21", "Riktig AS", org_number="NO 923 609 016 MVA"))
    assert added.org_number == "923609016"
    assert [c.number for c in shop.customers.list_customers()] == ["21"]


@pytest.mark.parametrize(
    ("customer", "message"),
    [
        (Customer("30", "  "), "needs a name"),
        (Customer("30", "Per", email="per.example.com"), "not an e-mail"),
        (Customer("30", "Per", phone="ring meg"), "not a phone"),
        (Customer("3 0", "Per"), "customer number"),
    ],
)
def test_bad_customer_fields_are_refused(shop: Services, customer: Customer, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        shop.customers.add(customer)
    assert shop.customers.list_customers() == []


def test_a_customer_number_is_taken_once_and_unknown_ones_are_not_found(shop: Services) -> None:
    shop.customers.add(Customer("40", "Hans"))
    with pytest.raises(Conflict):
        shop.customers.add(Customer("40", "Hans igjen"))
    with pytest.raises(NotFound):
        shop.customers.get("41")


def test_an_initialised_shop_is_never_initialised_again(shop: Services) -> None:
    assert shop.setup.is_initialised()
    with pytest.raises(RuleViolation, match="already initialised"):
        shop.setup.initialise(
            company=TEST_COMPANY,
            register=Register("1", "Kasse 1"),
            admin=Employee("98", "Another Admin", Role.ADMIN),
            admin_pin="1111",
        )
    assert [e.number for e in shop.staff.list_employees()] == ["99"]


def test_a_bad_organisation_number_leaves_no_shop_behind(
    tmp_path: Path, fixed_clock: FixedClock
) -> None:
    services = build(settings_for(tmp_path), clock=fixed_clock)
    company = Company("Feil AS", "923609017", "Gata 1", "0150", "Oslo")
    with pytest.raises(InvalidOrganisationNumber):
        services.setup.initialise(
            company=company,
            register=Register("1", "Kasse 1"),
            admin=Employee("99", "Admin", Role.ADMIN),
            admin_pin="4321",
        )
    assert not services.setup.is_initialised()
    services.close()


def test_the_first_employee_must_be_an_admin(tmp_path: Path, fixed_clock: FixedClock) -> None:
    services = build(settings_for(tmp_path), clock=fixed_clock)
    with pytest.raises(InvalidInput, match="admin role"):
        services.setup.initialise(
            company=TEST_COMPANY,
            register=Register("1", "Kasse 1"),
            admin=Employee("1", "Kari", Role.CASHIER),
            admin_pin="4321",
        )
    assert not services.setup.is_initialised()
    services.close()


def test_the_demo_shop_has_its_catalogue_staff_and_customers(
    tmp_path: Path, fixed_clock: FixedClock
) -> None:
    services = build(settings_for(tmp_path), clock=fixed_clock)
    result = initialise_demo(services.setup, services.clock)
    assert result.products >= 200 and services.catalogue.count() == result.products
    assert ("1", "1234") in [(e.number, pin) for e, pin in result.staff]
    assert ("2", "9999") in [(e.number, pin) for e, pin in result.staff]
    assert services.staff.authenticate("2", "9999").role is Role.MANAGER
    assert len(services.customers.list_customers()) == result.customers > 0
    assert services.catalogue.search("gran orig")
    assert services.database.check().ok
    services.close()


def test_searching_an_article_number_or_barcode_gives_that_product(
    tmp_path: Path, fixed_clock: FixedClock
) -> None:
    services = build(settings_for(tmp_path), clock=fixed_clock)
    initialise_demo(services.setup, services.clock)
    milk = services.catalogue.search("melk")
    lettmelk = next(p for p in milk if "Lettmelk" in p.name)
    assert services.catalogue.search(f" {lettmelk.sku} ") == [lettmelk]
    assert services.catalogue.search(lettmelk.barcodes[0]) == [lettmelk]
    assert services.catalogue.search(lettmelk.sku, offset=20) == []
    assert services.catalogue.search("melk 1") != [lettmelk]  # words, not a code
    services.close()

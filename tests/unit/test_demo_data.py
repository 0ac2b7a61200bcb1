"""The demo shop and the synthetic catalogues: valid check digits, unique keys, every VAT
class, weighed goods, and the same data on every call."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from stdnum import ean
from stdnum.no import orgnr

from omnipos_tui.core.catalogue.products import SAFT_ARTICLE_GROUPS, Product, Unit
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.demo.data import (
    demo_company,
    demo_customers,
    demo_groups,
    demo_products,
    demo_staff,
    synthetic_products,
)
from omnipos_tui.services.catalogue.product_csv import parse_products_csv, write_products_csv
from omnipos_tui.services.catalogue.product_fields import MAX_NAME_LENGTH, parse_name, parse_sku

ON = date(2025, 6, 1)


def assert_keys_unique_and_valid(products: list[Product]) -> None:
    skus = [p.sku for p in products]
    barcodes = [code for p in products for code in p.barcodes]
    assert len(set(skus)) == len(skus)
    assert len(set(barcodes)) == len(barcodes)
    assert all(parse_sku(sku) == sku for sku in skus)
    assert all(len(code) == 13 and ean.is_valid(code) for code in barcodes)


def test_the_demo_company_has_a_valid_organisation_number() -> None:
    company = demo_company()

    assert company.name == "Nærbutikken Solsiden AS"
    assert orgnr.is_valid(company.org_number)
    assert len(company.postal_code) == 4 and company.postal_code.isdigit()


def test_the_demo_groups_map_to_saft_article_groups() -> None:
    groups = demo_groups()

    assert 8 <= len(groups) <= 12
    assert len({g.code for g in groups}) == len(groups)
    assert all(g.saft_code in SAFT_ARTICLE_GROUPS for g in groups)
    assert {g.name: g.saft_code for g in groups}["Pant"] == "04999"


def test_the_demo_shop_sells_over_200_products_with_unique_valid_keys() -> None:
    products = demo_products(ON)

    assert len(products) >= 200
    assert_keys_unique_and_valid(products)
    assert all(p.barcodes[0].startswith("70") for p in products if p.barcodes)
    assert all(parse_name(p.name) == p.name for p in products)
    assert {p.group for p in products} <= {g.code for g in demo_groups()}


def test_the_demo_products_cover_every_vat_class() -> None:
    codes = Counter(p.vat.code for p in demo_products(ON))

    assert set(codes) == {"3", "31", "33", "5", "6"}  # 25, 15, 12, 0 % and outside the act


def test_the_demo_shop_has_weighed_goods_bags_pant_and_double_barcodes() -> None:
    products = {p.name: p for p in demo_products(ON)}

    weighed = [p for p in products.values() if p.unit is Unit.KG]
    assert len(weighed) >= 5
    assert products["Bananer"].sku == "4011"
    assert products["Bananer"].unit is Unit.KG
    assert products["Smågodt"].unit is Unit.KG
    assert products["Bærepose plast"].vat.percent == 25
    assert products["Pant 0,5 l flaske"].vat.code == "6"
    assert sum(1 for p in products.values() if len(p.barcodes) == 2) >= 3


def test_the_demo_products_survive_a_csv_round_trip() -> None:
    products = demo_products(ON)
    out = io.StringIO()
    write_products_csv(products, out)

    parsed = parse_products_csv(
        out.getvalue().encode("utf-8"),
        source="demo.csv",
        on=ON,
        known_groups={g.code for g in demo_groups()},
    )

    assert [p.product for p in parsed] == products


def test_the_demo_staff_are_the_documented_people_and_pins() -> None:
    staff = {employee.number: (employee.name, employee.role, pin) for employee, pin in demo_staff()}

    assert staff == {
        "1": ("Kari Nordmann", Role.CASHIER, "1234"),
        "2": ("Ola Hansen", Role.MANAGER, "9999"),
        "3": ("Ingrid Berg", Role.CASHIER, "2468"),
        "9": ("Admin", Role.ADMIN, "0000"),
    }


def test_demo_customers_include_businesses_with_valid_organisation_numbers() -> None:
    customers = demo_customers()

    businesses = [c for c in customers if c.org_number]
    assert 6 <= len(customers) <= 10
    assert len({c.number for c in customers}) == len(customers)
    assert len(businesses) >= 2
    assert all(orgnr.is_valid(c.org_number) for c in businesses)
    assert all("@" in c.email for c in customers if c.email)


def test_demo_data_is_the_same_on_every_call() -> None:
    assert demo_products(ON) == demo_products(ON)
    assert demo_customers() == demo_customers()
    assert demo_company() == demo_company()


def test_synthetic_products_are_unique_and_valid_at_20000() -> None:
    products = list(synthetic_products(20_000))

    assert len(products) == 20_000
    assert_keys_unique_and_valid(products)
    assert all(len(p.name) <= MAX_NAME_LENGTH for p in products)
    assert not {p.sku for p in products} & {p.sku for p in demo_products(ON)}
    demo_codes = {code for p in demo_products(ON) for code in p.barcodes}
    assert not {code for p in products for code in p.barcodes} & demo_codes


def test_synthetic_products_mix_groups_rates_units_and_norwegian_letters() -> None:
    products = list(synthetic_products(5_000, seed=7))

    assert {p.group for p in products} == {g.code for g in demo_groups()}
    assert {p.vat.code for p in products} == {"3", "31", "33", "5", "6"}
    assert any(p.unit is Unit.KG for p in products)
    assert sum(any(ch in p.name for ch in "æøåÆØÅ") for p in products) > 1_000
    assert len({p.name for p in products}) > 4_000


def test_synthetic_products_depend_only_on_the_seed() -> None:
    assert list(synthetic_products(500, seed=3)) == list(synthetic_products(500, seed=3))
    assert list(synthetic_products(500, seed=3)) != list(synthetic_products(500, seed=4))


def test_catalogues_need_the_rates_in_force_on_the_given_day() -> None:
    # The 12 % rate (tickets) starts in 2018 in the rate table.
    with pytest.raises(InvalidInput):
        demo_products(date(2017, 6, 1))
    with pytest.raises(InvalidInput):
        list(synthetic_products(10, on=date(2017, 6, 1)))

"""The catalogue repository on both engines: look-ups by index, name search (word starts
first, then inside words; case- and accent-insensitive, paged, ordered by name), upserts
and barcode rules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omnipos_tui.core.catalogue.products import ArticleGroup, Product, Unit
from omnipos_tui.core.errors import Conflict
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import CatalogueRepository, UpsertSummary
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.storage.search import fold
from omnipos_tui.storage.store import Store

FOOD = rate_by_code("31")
GENERAL = rate_by_code("3")


def product(sku: str, name: str, *codes: str, price: int = 1000, active: bool = True) -> Product:
    return Product(sku, name, Money(price), FOOD, "10", barcodes=codes, active=active)


CATALOGUE = [
    product("1", "Brød grovt 750 g", "7038010001000"),
    product("2", "Grandiosa Original 575 g", "7017316000443"),
    product("3", "Grandiosa Pepperoni", "7017316000450"),
    product("4", "Crème fraîche 18 %", "7038010009457", "7038010009464"),
    product("5", "Blåbærsyltetøy", "7038010009471"),
    product("6", "BRØDSKIVE-mix", "7038010009488", active=False),
    product("7", "Øl Ringnes 0,5 l", "7038010009495"),
    product("8", "Kneippbrød"),
]


@pytest.fixture
def catalogue(store: Store) -> Iterator[CatalogueRepository]:
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(ArticleGroup("10", "Mat", "04006"))
        uow.catalogue.upsert_products(CATALOGUE)
        uow.commit()
    with store.unit_of_work() as uow:
        yield uow.catalogue


def names(found: list[Product]) -> list[str]:
    return [p.name for p in found]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Brød", "brod"),
        ("Grandiosa  Original", "grandiosa original"),
        ("Blåbær-syltetøy", "blabaer syltetoy"),
        ("Crème fraîche 18 %", "creme fraiche 18"),
        ("ÆØÅ æøå", "aeoa aeoa"),
        ("Tine Lettmelk 1,0 l", "tine lettmelk 1 0 l"),
    ],
)
def test_folding_lowers_strips_accents_and_spells_out_norwegian_letters(
    text: str, folded: str
) -> None:
    assert fold(text) == folded


def test_brod_finds_brod_with_the_slashed_o(catalogue: CatalogueRepository) -> None:
    assert names(catalogue.search_products("brod")) == [
        "Brød grovt 750 g",
        "BRØDSKIVE-mix",
        "Kneippbrød",  # inside the word comes after the names that start with it
    ]


def test_the_query_may_itself_have_norwegian_letters(
    catalogue: CatalogueRepository,
) -> None:
    assert names(catalogue.search_products("BRØD")) == names(catalogue.search_products("brod"))
    assert names(catalogue.search_products("øl")) == ["Øl Ringnes 0,5 l"]


def test_every_query_word_must_be_found_in_the_name(
    catalogue: CatalogueRepository,
) -> None:
    assert names(catalogue.search_products("gran orig")) == ["Grandiosa Original 575 g"]
    assert names(catalogue.search_products("gran")) == [
        "Grandiosa Original 575 g",
        "Grandiosa Pepperoni",
    ]
    assert names(catalogue.search_products("riginal")) == ["Grandiosa Original 575 g"]
    assert catalogue.search_products("gran fraiche") == []


def test_short_query_words_must_start_a_word_and_long_ones_may_sit_inside(
    catalogue: CatalogueRepository,
) -> None:
    assert names(catalogue.search_products("gr riginal")) == ["Grandiosa Original 575 g"]
    assert catalogue.search_products("ra") == []  # two letters: word starts only
    assert catalogue.search_products("ra riginal") == []


def test_compound_words_are_found_by_their_parts_after_the_word_starts(store: Store) -> None:
    milk = [
        product("1", "Tine Lettmelk 1,0 l"),
        product("2", "Melk Hel 1,75 l"),
        product("3", "Q Helmelk 1 l"),
        product("4", "Sjokolademelk 0,5 l"),
        product("5", "Melkesjokolade Freia 200 g"),
        product("6", "Kaffe Evergood"),
    ]
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(ArticleGroup("10", "Mat", "04006"))
        uow.catalogue.upsert_products(milk)
        found = names(uow.catalogue.search_products("melk"))
        pages = [
            names(uow.catalogue.search_products("melk", limit=2, offset=o)) for o in (0, 2, 4, 6)
        ]
        assert names(uow.catalogue.search_products("sjokolade")) == [
            "Sjokolademelk 0,5 l",
            "Melkesjokolade Freia 200 g",
        ]
    assert found == [
        "Melk Hel 1,75 l",
        "Melkesjokolade Freia 200 g",
        "Q Helmelk 1 l",
        "Sjokolademelk 0,5 l",
        "Tine Lettmelk 1,0 l",
    ]
    assert pages == [found[0:2], found[2:4], found[4:5], []]


def test_accents_are_ignored_both_ways(catalogue: CatalogueRepository) -> None:
    assert names(catalogue.search_products("creme fraich")) == ["Crème fraîche 18 %"]
    assert names(catalogue.search_products("blabaer")) == ["Blåbærsyltetøy"]


def test_inactive_products_can_be_left_out(catalogue: CatalogueRepository) -> None:
    assert names(catalogue.search_products("brod", active_only=True)) == [
        "Brød grovt 750 g",
        "Kneippbrød",
    ]


def test_search_pages_are_ordered_by_name_and_do_not_overlap(store: Store) -> None:
    many = [product(f"{n:05d}", f"Melk variant {n:03d}") for n in range(1, 46)]
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(ArticleGroup("10", "Mat", "04006"))
        uow.catalogue.upsert_products(reversed(many))
        pages = [uow.catalogue.search_products("mel var", limit=20, offset=o) for o in (0, 20, 40)]
    assert [len(page) for page in pages] == [20, 20, 5]
    assert [p.name for page in pages for p in page] == [p.name for p in many]


def test_a_query_with_nothing_to_match_lists_products_by_name(
    catalogue: CatalogueRepository,
) -> None:
    assert len(catalogue.search_products("  -- ", limit=100)) == len(CATALOGUE)
    assert catalogue.search_products("zzzz") == []


def test_lookup_by_barcode_and_by_sku_returns_the_whole_product(
    catalogue: CatalogueRepository,
) -> None:
    creme = catalogue.product_by_barcode("7038010009464")
    assert creme == CATALOGUE[3]
    assert catalogue.product_by_sku("4") == CATALOGUE[3]
    assert catalogue.product_by_barcode("0000000000000") is None
    assert catalogue.product_by_sku("404") is None


def test_upsert_counts_created_updated_and_unchanged(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(ArticleGroup("10", "Mat", "04006"))
        assert uow.catalogue.upsert_products(CATALOGUE[:3]) == UpsertSummary(created=3)
        changed = Product("2", "Grandiosa Original 575 g", Money(5990), FOOD, "10")
        summary = uow.catalogue.upsert_products([CATALOGUE[0], changed, CATALOGUE[3]])
        assert summary == UpsertSummary(created=1, updated=1, unchanged=1)
        assert uow.catalogue.product_by_sku("2") == changed
        assert uow.catalogue.product_by_barcode("7017316000443") is None  # barcode removed
        assert uow.catalogue.count_products() == 4


def test_a_renamed_product_is_found_by_its_new_name_only(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(ArticleGroup("10", "Mat", "04006"))
        uow.catalogue.upsert_products([product("1", "Kneippbrød")])
        uow.catalogue.upsert_products([product("1", "Speltbrød")])
        assert names(uow.catalogue.search_products("spelt")) == ["Speltbrød"]
        assert uow.catalogue.search_products("kneipp") == []


def test_a_barcode_cannot_be_on_two_products(
    catalogue: CatalogueRepository,
) -> None:
    with pytest.raises(Conflict, match="barcode 7038010001000 is already on product 1"):
        catalogue.upsert_products([product("99", "Kopi", "7038010001000")])


def test_a_product_in_an_unknown_group_is_refused(catalogue: CatalogueRepository) -> None:
    stray = Product("50", "Ukjent", Money(100), GENERAL, "77")
    with pytest.raises(Conflict):
        catalogue.upsert_products([stray])


def test_products_stream_in_sku_order_across_pages(store: Store) -> None:
    many = [product(f"{n:05d}", f"Vare {n}", unit_code) for n, unit_code in _codes(2100)]
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(ArticleGroup("10", "Mat", "04006"))
        uow.catalogue.upsert_products(many)
        streamed = list(uow.catalogue.iter_products())
        owners = uow.catalogue.barcode_owners([many[5].barcodes[0], "123"])
    assert [p.sku for p in streamed] == sorted(p.sku for p in many)
    assert streamed == sorted(many, key=lambda p: p.sku)
    assert owners == {many[5].barcodes[0]: many[5].sku}


def test_weighed_products_keep_their_unit(store: Store) -> None:
    apples = Product("4011", "Epler røde", Money(2990), FOOD, "10", unit=Unit.KG)
    with store.unit_of_work() as uow:
        uow.catalogue.upsert_group(ArticleGroup("10", "Mat", "04006"))
        uow.catalogue.upsert_products([apples])
        assert uow.catalogue.product_by_sku("4011") == apples


def _codes(count: int) -> Iterator[tuple[int, str]]:
    """``count`` valid EAN-13 codes with the Norwegian 70 prefix."""
    for n in range(1, count + 1):
        body = f"70{n:010d}"
        odd = sum(int(d) for d in body[0::2])
        even = sum(int(d) for d in body[1::2])
        yield n, body + str((10 - (odd + 3 * even) % 10) % 10)

"""Product import through the real service: all or nothing, every problem listed with line
and column, the database unchanged on any error; upserts, change records, round trip."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.money import Money
from omnipos_tui.services.catalogue.product_csv import CsvImportError

HEADER = "sku;name;price;vat;group;unit;barcodes;active\n"
BASE = (
    HEADER
    + "1001;Tine Lettmelk 1 l;23,90;15;10;stk;7038010000010;ja\n"
    + "1002;Kvikk Lunsj 47 g;22,90;15;10;;7040110569908;ja\n"
    + "2001;Zalo Oppvask 500 ml;34,90;25;60;;7038010000027;ja\n"
)


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Import rules are the same on both engines; SQLite here (PostgreSQL: below)."""
    return sqlite_url


@pytest.fixture
def stocked(shop: Services) -> Iterator[Services]:
    shop.catalogue.import_csv(BASE.encode(), source="base.csv")
    yield shop


def snapshot(services: Services) -> list[Product]:
    return services.catalogue.list_products(limit=1000)


def refused(services: Services, text: str | bytes) -> CsvImportError:
    """Import a bad file; assert nothing changed; return the error."""
    before = snapshot(services)
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(CsvImportError) as caught:
        services.catalogue.import_csv(data, source="bad.csv")
    assert snapshot(services) == before
    return caught.value


def test_unknown_column_is_named_and_nothing_is_imported(stocked: Services) -> None:
    error = refused(stocked, "sku;name;price;vat;group;colour\n3001;Ny vare;10,00;15;10;rød\n")
    assert "bad.csv: line 1, column colour: unknown column" in str(error)


def test_missing_field_is_named_and_nothing_is_imported(stocked: Services) -> None:
    error = refused(stocked, HEADER + "3001;;10,00;15;10;;;\n")
    assert "bad.csv: line 2, column name:" in str(error)
    assert (2, "name") in [(p.line, p.column) for p in error.problems]


def test_bad_check_digit_is_named_and_nothing_is_imported(stocked: Services) -> None:
    error = refused(stocked, HEADER + "3001;Ny vare;10,00;15;10;;7038010000011;\n")
    assert "bad.csv: line 2, column barcodes: bad check digit" in str(error)


def test_negative_price_is_named_and_nothing_is_imported(stocked: Services) -> None:
    text = HEADER + "1001;Tine Lettmelk 1 l;12,00;15;10;;;\n3001;Ny vare;-5,00;15;10;;;\n"
    error = refused(stocked, text)
    assert "bad.csv: line 3, column price: negative price" in str(error)
    assert stocked.catalogue.get("1001").price == Money(2390)  # line 2 was not written


def test_unknown_vat_rate_is_named_and_nothing_is_imported(stocked: Services) -> None:
    error = refused(stocked, HEADER + "3001;Ny vare;10,00;30;10;;;\n")
    assert "bad.csv: line 2, column vat: unknown VAT rate" in str(error)


def test_barcode_on_another_product_in_the_database_is_named(stocked: Services) -> None:
    text = (
        HEADER + "3001;Ny vare;10,00;15;10;;7038010000034;\n3002;Kopi;9,00;15;10;;7038010000010;\n"
    )
    error = refused(stocked, text)
    assert str(error).splitlines() == [
        "bad.csv: line 3, column barcodes: barcode 7038010000010 is already on another "
        "product (SKU 1001)"
    ]
    assert stocked.catalogue.lookup("7038010000034") is None


def test_undecodable_bytes_are_named_and_nothing_is_imported(stocked: Services) -> None:
    data = (
        HEADER + "3001;Ny vare;10,00;15;10;;;\n"
    ).encode() + b"3002;Bad \x81 byte;1,00;15;10;;;\n"
    error = refused(stocked, data)
    assert "bad.csv: line 3, column -: undecodable bytes" in str(error)


def test_every_problem_in_the_file_is_listed(stocked: Services) -> None:
    text = (
        HEADER
        + "3001;Ny vare;-1,00;15;10;;;\n"
        + "3002;Annen vare;1,00;31;10;;;\n"
        + "3003;Tredje vare;1,00;15;10;;7038010000010;\n"
    )
    error = refused(stocked, text)
    assert [(p.line, p.column) for p in error.problems] == [(2, "price"), (3, "vat")]
    # The database rule is checked only when the file itself is clean; then it is listed too.
    assert "line 4" not in str(error)


def test_a_clean_file_creates_updates_and_leaves_unchanged(stocked: Services) -> None:
    text = (
        HEADER
        + "1001;Tine Lettmelk 1 l;24,90;15;10;stk;7038010000010;ja\n"
        + "1002;Kvikk Lunsj 47 g;22,90;15;10;;7040110569908;ja\n"
        + "3001;Bananer;29,90;15;10;kg;;ja\n"
    )
    result = stocked.catalogue.import_csv(text.encode(), source="update.csv")
    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 1, 1, 1)
    assert stocked.catalogue.get("7038010000010").price == Money(2490)
    assert stocked.catalogue.count() == 4


def test_a_price_change_is_recorded_as_a_master_data_change(stocked: Services) -> None:
    text = HEADER + "1001;Tine Lettmelk 1 l;24,90;15;10;stk;7038010000010;ja\n"
    stocked.catalogue.import_csv(text.encode(), source="price.csv", actor="cli")
    with stocked.units(read_only=True) as uow:
        latest = uow.changes.recent(limit=1)[0]
    assert (latest.entity, latest.key, latest.field) == ("product", "1001", "price")
    assert (latest.old, latest.new, latest.actor) == ("23,90", "24,90", "cli")
    assert latest.at == stocked.clock.now()


def test_a_barcode_may_move_between_two_products_of_the_same_file(stocked: Services) -> None:
    text = (
        HEADER
        + "1001;Tine Lettmelk 1 l;23,90;15;10;stk;;ja\n"
        + "1003;Tine Lettmelk 1 l ny;23,90;15;10;stk;7038010000010;ja\n"
    )
    stocked.catalogue.import_csv(text.encode(), source="move.csv")
    assert stocked.catalogue.get("7038010000010").sku == "1003"
    assert stocked.catalogue.get("1001").barcodes == ()


def test_export_then_import_round_trips(stocked: Services, tmp_path: Path) -> None:
    out = io.StringIO()
    assert stocked.catalogue.export_csv(out) == 3
    again = stocked.catalogue.import_csv(out.getvalue().encode(), source="export.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert out.getvalue().splitlines()[0] == HEADER.strip()


def test_a_large_file_reports_progress_to_the_end(shop: Services) -> None:
    rows = "".join(f"{n};Vare nummer {n};{n},50;15;10;;;\n" for n in range(10001, 12501))
    seen: list[tuple[int, int]] = []
    result = shop.catalogue.import_csv(
        (HEADER + rows).encode(), source="big.csv", progress=lambda d, t: seen.append((d, t))
    )
    assert result.created == 2500
    assert seen[-1] == (2500, 2500)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

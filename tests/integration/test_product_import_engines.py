"""All or nothing on both engines: a refused import leaves SQLite and PostgreSQL as they
were, even when the problem is found only against the database."""

from __future__ import annotations

import pytest

from omnipos_tui.bootstrap import Services
from omnipos_tui.services.catalogue.product_csv import CsvImportError

HEADER = "sku;name;price;vat;group;unit;barcodes;active\n"


def test_a_refused_import_changes_nothing_on_either_engine(shop: Services) -> None:
    shop.catalogue.import_csv(
        (HEADER + "1001;Tine Lettmelk 1 l;23,90;15;10;;7038010000010;\n").encode(), source="a.csv"
    )
    before = shop.catalogue.list_products()
    bad = HEADER + "1001;Tine Lettmelk 1 l;99,00;15;10;;7038010000010;\n"
    bad += "3001;Ny vare;10,00;15;10;;7038010000010;\n"  # same barcode twice in the file
    with pytest.raises(CsvImportError, match="line 3, column barcodes"):
        shop.catalogue.import_csv(bad.encode(), source="b.csv")
    stolen = HEADER + "3001;Ny vare;10,00;15;10;;7038010000010;\n"
    with pytest.raises(CsvImportError, match="already on another product"):
        shop.catalogue.import_csv(stolen.encode(), source="c.csv")
    assert shop.catalogue.list_products() == before

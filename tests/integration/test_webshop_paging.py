"""The Oscar adapter reads every page of a shop that pages its lists (django-rest-
framework's page-number pagination, two products a page here): linking finds products on
the last page, the reconcile compares them all, and a drifted one on a late page is found
and repaired."""

from __future__ import annotations

from pathlib import Path

from http_faults import fault_proxy
from ledger_support import CHARGER
from oscar_peer import running_oscar
from webshop_support import receive, web_shop

SKUS = ("10001", "10002", "20001", CHARGER)


def test_every_page_of_the_shops_products_is_read(tmp_path: Path) -> None:
    (tmp_path / "oscar").mkdir()
    (tmp_path / "pos").mkdir()
    with (
        running_oscar(tmp_path / "oscar", page_size=2) as oscar,
        fault_proxy(oscar.url) as proxy,
    ):
        services, _ = web_shop(
            tmp_path / "pos",
            kind="oscar",
            url=proxy.url,
            credentials={"username": oscar.user, "password": oscar.password},
        )
        try:
            services.webshop.setup()
            ids = {sku: oscar.add_product(sku, f"Vare {sku}") for sku in SKUS}
            oscar.add_product("OSCAR-ONLY", "Bare i Oscar", stock=2)
            receive(services, **dict.fromkeys(SKUS, 7))
            result = services.webshop.link(every=True)
            assert sorted(sku for sku, _ in result.linked) == sorted(SKUS)
            assert result.only_in_shop == ("OSCAR-ONLY",)
            assert all(oscar.offered(ids[sku]) == 7 for sku in SKUS)
            proxy.seen.clear()
            assert services.webshop.reconcile() == []
            pages = [s.path for s in proxy.seen if s.path.startswith("/api/admin/products/")]
            assert pages == [
                "/api/admin/products/",
                "/api/admin/products/?page=2",
                "/api/admin/products/?page=3",
            ]
            record = oscar.product(ids[CHARGER])["stockrecords"][0]
            oscar.admin.patch(record["url"], json={"num_in_stock": 42}).raise_for_status()
            drift = services.webshop.reconcile(repair=True)
            assert [(d.sku, d.shop, d.ours) for d in drift] == [(CHARGER, 42, 7)]
            assert oscar.offered(ids[CHARGER]) == 7
        finally:
            services.close()

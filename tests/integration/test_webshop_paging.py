"""The Oscar adapter reads every page of a shop that pages its lists (django-rest-
framework's page-number pagination, two products a page here): linking finds products on
the last page, the reconcile compares them all, and a drifted one on a late page is found
and repaired. The worker's nightly reconcile reads a page per pass, so a till sale's stock
push made while it runs reaches the shop before the reconcile is done."""

from __future__ import annotations

from pathlib import Path

from http_faults import FaultProxy, fault_proxy
from ledger_support import CHARGER, cash_sale
from oscar_peer import running_oscar
from webshop_support import receive, web_shop

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.webshop.model import DirectionStatus

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


def _list_pages(proxy: FaultProxy) -> list[str]:
    """The pages of the shop's product list asked for (not single products)."""
    return [s.path for s in proxy.seen if s.path.split("?")[0] == "/api/admin/products/"]


def _reconcile(services: Services) -> DirectionStatus:
    return next(d for d in services.webshop.status().directions if d.direction == "reconcile")


def _reconciled(services: Services) -> bool:
    return _reconcile(services).last_ok is not None


def test_the_workers_reconcile_lets_a_sales_stock_push_through_between_pages(
    tmp_path: Path,
) -> None:
    (tmp_path / "oscar").mkdir()
    (tmp_path / "pos").mkdir()
    with (
        running_oscar(tmp_path / "oscar", page_size=2) as oscar,
        fault_proxy(oscar.url) as proxy,
    ):
        services, clock = web_shop(
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
            services.webshop.link(every=True)
            record = oscar.product(ids[CHARGER])["stockrecords"][0]
            oscar.admin.patch(record["url"], json={"num_in_stock": 42}).raise_for_status()

            def sale() -> None:  # while the worker waits for the shop's second page
                cash_sale(services, clock, "10001")

            proxy.before("GET", "/api/admin/products/?page=2", sale)
            proxy.seen.clear()
            services.outbox.worker().run(once=True)  # the day's reconcile, page by page
            assert _reconciled(services)
            assert _list_pages(proxy) == [
                "/api/admin/products/",
                "/api/admin/products/?page=2",
                "/api/admin/products/?page=3",
            ]
            third = [s.path for s in proxy.seen].index("/api/admin/products/?page=3")
            before = proxy.seen[:third]
            assert [s.method for s in before].count("PATCH") == 1  # the sale's push
            assert f"/api/admin/products/{ids['10001']}/" in [s.path for s in before]
            assert oscar.offered(ids["10001"]) == 6  # the sale is not undone
            assert oscar.offered(ids[CHARGER]) == 7  # the drift found and repaired
            assert _reconcile(services).detail == "1 drifted"
        finally:
            services.close()

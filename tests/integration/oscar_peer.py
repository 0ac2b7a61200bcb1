"""The real django-oscar shop for the end-to-end web shop tests: ``scripts/webshop-peer``
makes (once, cached) its virtual environment and a migrated template database; each test
gets a copy of that database and its own ``runserver`` on a free port of 127.0.0.1,
stopped afterwards. The helpers act as the shop's owner (its admin API) and as a customer
(Oscar's own basket and checkout API, as a browser session would)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "webshop-peer"


@cache
def paths() -> dict[str, str]:
    """The peer's python, project, template database and staff user (installing it when
    missing: a clean checkout needs a few minutes once)."""
    out = subprocess.run(
        [str(SCRIPT), "paths"], capture_output=True, text=True, timeout=900, check=True
    ).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OscarPeer:
    """A running Oscar shop."""

    def __init__(self, url: str, user: str, password: str) -> None:
        self.url = url
        self.user = user
        self.password = password
        self.admin = httpx.Client(base_url=url, auth=(user, password), timeout=30)

    def close(self) -> None:
        self.admin.close()

    def _ok(self, response: httpx.Response) -> Any:
        request = response.request
        assert response.status_code < 300, (
            f"{request.method} {request.url}: {response.status_code} {response.text[:500]}"
        )
        return response.json() if response.content else None

    def _all(self, path: str) -> list[dict[str, Any]]:
        """A list of the admin API, every page of it when the shop pages."""
        found: list[dict[str, Any]] = []
        url: str | None = path
        while url:
            data = self._ok(self.admin.get(url))
            if isinstance(data, list):
                return found + data
            found.extend(data["results"])
            url = data.get("next")
        return found

    # --- the owner -----------------------------------------------------------------------

    def partner_url(self) -> str:
        partners = self._all("/api/admin/partners/")
        return str(next(p["url"] for p in partners if p["code"] == "omnipos"))

    def add_product(self, sku: str, title: str, price: str = "10.00", stock: int = 0) -> int:
        body = {
            "title": title,
            "slug": f"{sku.lower()}-{title.lower().replace(' ', '-')}"[:100],
            "upc": sku,
            "product_class": "omnipos",
            "structure": "standalone",
            "stockrecords": [
                {
                    "partner": self.partner_url(),
                    "partner_sku": sku,
                    "price_currency": "NOK",
                    "price": price,
                    "num_in_stock": stock,
                }
            ],
        }
        return int(self._ok(self.admin.post("/api/admin/products/", json=body))["id"])

    def product(self, pid: int) -> dict[str, Any]:
        return dict(self._ok(self.admin.get(f"/api/admin/products/{pid}/")))

    def offered(self, pid: int) -> int:
        """What a customer can buy: in stock less allocated."""
        record = self.product(pid)["stockrecords"][0]
        return int(record["num_in_stock"]) - int(record["num_allocated"] or 0)

    def orders(self) -> list[dict[str, Any]]:
        """Every order in the shop (the OmniPOS plug-in's list)."""
        return list(self._ok(self.admin.get("/api/omnipos/orders/")))

    def order(self, oid: int) -> dict[str, Any]:
        return next(o for o in self.orders() if o["id"] == oid)

    def set_status(self, oid: int, status: str) -> None:
        self._ok(self.admin.post(f"/api/omnipos/orders/{oid}/status/", json={"status": status}))

    def add_user(self, email: str, first: str, last: str) -> int:
        body = {"username": email, "email": email, "first_name": first, "last_name": last}
        return int(self._ok(self.admin.post("/api/admin/users/", json=body))["id"])

    def change_user(self, uid: int, **fields: str) -> None:
        """The shop's staff edit a customer (first_name, last_name, email)."""
        self._ok(self.admin.patch(f"/api/admin/users/{uid}/", json=fields))

    def users(self) -> list[dict[str, Any]]:
        return self._all("/api/admin/users/")

    # --- a customer ------------------------------------------------------------------------

    def checkout(self, items: list[tuple[int, int]], *, email: str = "kari@example.no") -> int:
        """A guest puts products in a basket and checks out through Oscar's API; returns the
        order's id."""
        oid = self.try_checkout(items, email=email, refused_ok=False)
        assert oid is not None
        return oid

    def try_checkout(
        self,
        items: list[tuple[int, int]],
        *,
        email: str = "kari@example.no",
        refused_ok: bool = True,
    ) -> int | None:
        """:meth:`checkout`, or None when the shop refuses it (406: not that many offered)."""
        with httpx.Client(base_url=self.url, timeout=30) as browser:
            basket = self._ok(browser.get("/api/basket/"))
            for pid, quantity in items:
                added = browser.post(
                    "/api/basket/add-product/",
                    json={"url": f"{self.url}/api/products/{pid}/", "quantity": quantity},
                )
                if refused_ok and added.status_code == 406:
                    return None
                self._ok(added)
            basket = self._ok(browser.get("/api/basket/"))
            body = {
                "basket": basket["url"],
                "guest_email": email,
                "total": basket["total_incl_tax"],
                "shipping_method_code": "free-shipping",
                "shipping_charge": {"currency": "NOK", "excl_tax": "0.00", "tax": "0.00"},
                "shipping_address": {
                    "first_name": "Kari",
                    "last_name": "Nett",
                    "line1": "Storgata 1",
                    "line4": "Oslo",
                    "postcode": "0155",
                    "country": f"{self.url}/api/countries/NO/",
                    "phone_number": "+4741234567",
                },
            }
            answer = browser.post("/api/checkout/", json=body)
            if refused_ok and answer.status_code == 406:
                return None
            order = self._ok(answer)
            return int(order["url"].rstrip("/").rsplit("/", 1)[1])


def shop_env(tmp: Path, page_size: int | None = None) -> dict[str, str]:
    """The environment of the shop whose files are in ``tmp``. With ``page_size`` its
    REST API pages every list (django-rest-framework's page-number pagination, as many
    shops configure it; the peer's own settings leave lists whole)."""
    env = {
        **os.environ,
        "OSCAR_PEER_DB": str(tmp / "oscar.sqlite3"),
        "OSCAR_PEER_MEDIA": str(tmp / "media"),
    }
    if page_size is not None:
        (tmp / "paged_settings.py").write_text(
            "from peer.settings import *  # noqa: F403\n"
            "REST_FRAMEWORK = {**REST_FRAMEWORK,  # noqa: F405\n"
            '    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",\n'
            f'    "PAGE_SIZE": {int(page_size)}}}\n',
            encoding="utf-8",
        )
        env["PYTHONPATH"] = str(tmp)
        env["DJANGO_SETTINGS_MODULE"] = "paged_settings"
    return env


def manage(tmp: Path, *args: str, page_size: int | None = None) -> str:
    """``manage.py ARGS`` on the shop whose files are in ``tmp``; returns its output."""
    found = paths()
    return subprocess.run(
        [found["python"], "manage.py", *args],
        cwd=found["project"],
        env=shop_env(tmp, page_size),
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    ).stdout


@contextmanager
def running_oscar(tmp: Path, *, page_size: int | None = None) -> Iterator[OscarPeer]:
    """A fresh shop (a copy of the template database) on a free port; stopped afterwards.
    ``page_size``: see :func:`shop_env`."""
    found = paths()
    db = tmp / "oscar.sqlite3"
    shutil.copy(found["template"], db)
    port = _free_port()
    env = shop_env(tmp, page_size)
    log = (tmp / "oscar.log").open("w")
    process = subprocess.Popen(
        [found["python"], "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=found["project"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    peer = OscarPeer(url, found["user"], found["password"])
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/api/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the Oscar peer did not start: {(tmp / 'oscar.log').read_text()[-2000:]}"
                )
            time.sleep(0.2)
        yield peer
    finally:
        peer.close()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()

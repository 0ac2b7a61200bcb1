"""Helpers for the web shop tests: a test shop wired to a web shop, with its credentials in
a 0600 secrets file, and stock received."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ledger_support import open_shop
from stock_support import post, supplied

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.outbox import DeliveryReport
from omnipos_tui.settings import AccountingSettings, WebshopSettings


def web_shop(
    data_dir: Path,
    *,
    kind: str,
    url: str,
    credentials: dict[str, str],
    db_url: str = "",
    buffer: int = 0,
    poll_seconds: int = 1,
    timeout_s: int = 10,
    clock: FixedClock | None = None,
    accounting: AccountingSettings | None = None,
) -> tuple[Services, FixedClock]:
    """The test shop (initialised), its settings pointing at a web shop."""
    secrets = data_dir / "secrets.toml"
    secrets.write_text(
        "[webshop]\n" + "".join(f'{k} = "{v}"\n' for k, v in credentials.items()), encoding="utf-8"
    )
    secrets.chmod(0o600)
    services, clock = open_shop(data_dir, url=db_url, clock=clock)
    settings = dataclasses.replace(
        services.settings,
        webshop=WebshopSettings(
            kind=kind, url=url, buffer=buffer, poll_seconds=poll_seconds, timeout_s=timeout_s
        ),
        accounting=accounting or services.settings.accounting,
    )
    services.close()
    return build(settings, clock=clock), clock


def receive(services: Services, **quantities: int) -> None:
    """Goods in at the shop floor: SKU=whole units."""
    post(
        services,
        *(
            supplied(sku, q * 1000, 1000, line=n)
            for n, (sku, q) in enumerate(quantities.items(), 1)
        ),
    )


def deliver(services: Services) -> DeliveryReport:
    """One worker drain of the outbox."""
    return services.outbox.dispatcher.drain()


def available(services: Services, sku: str) -> int:
    """On hand less reserved over the real locations, whole units."""
    with services.units(read_only=True) as uow:
        return uow.webshop.availability([sku])[sku] // 1000

"""Every text by code, merged from one table per area (kept apart so that two people can add
texts at the same time): code -> (bokmål, English)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from omnipos_tui.messages import (
    accounting,
    common,
    devices,
    doctor,
    ledger,
    orders,
    outbox,
    products,
    reports,
    sales,
    shop,
    staff,
    stock,
)

#: The tables, each ``{code: (bokmål, English)}``; a code is in exactly one.
TABLES: tuple[Mapping[str, tuple[str, str]], ...] = (
    accounting.TEXTS,
    common.TEXTS,
    devices.TEXTS,
    doctor.TEXTS,
    ledger.TEXTS,
    orders.TEXTS,
    outbox.TEXTS,
    products.TEXTS,
    reports.TEXTS,
    sales.TEXTS,
    shop.TEXTS,
    staff.TEXTS,
    stock.TEXTS,
)

TEXTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {code: texts for table in TABLES for code, texts in table.items()}
)
LEADS: Mapping[str, tuple[str, str]] = MappingProxyType(devices.LEADS)
VALUES: Mapping[str, tuple[str, str]] = MappingProxyType(devices.VALUES)

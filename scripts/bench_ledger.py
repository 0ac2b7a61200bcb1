"""Shared by the sale and export benchmarks: a demo shop in a temporary directory, and
days of signed transactions written in bulk through the real storage.

Bulk days are built like the sale service builds them (core ``Sale`` -> numbers from the
locked register state -> ``append_signed`` with the shop's real RSA key -> stored with
its journal events) but many sales share one unit of work, so 100,000 transactions take
minutes instead of the hours a commit per sale would. The rows are the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import Product, Unit
from omnipos_tui.core.clock import OSLO, FixedClock
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.demo.shop import initialise_demo
from omnipos_tui.services.ledger.steps import (
    SignerFor,
    append_signed,
    journal,
    lock_register,
    next_position,
    receipt_key,
)
from omnipos_tui.services.sales import opening as sale_opening
from omnipos_tui.services.sales import payments, ringing
from omnipos_tui.settings import Override, load_settings

REGISTER = "1"
CASHIER = "1"
BATCH = 2000


def open_shop(data_dir: Path, clock: FixedClock) -> Services:
    """The demo shop (catalogue, staff, RSA key) on a SQLite file in ``data_dir``."""
    settings = load_settings(
        overrides=(Override("paths.data_dir", str(data_dir), "--data-dir"),),
        environ={},
        fallback_file=data_dir / "none.toml",
    )
    services = build(settings, clock=clock)
    initialise_demo(services.setup, services.clock)
    return services


def signer_of(services: Services) -> SignerFor:
    """The shop's signer of a register (its key recorded in the unit of work that signs)."""
    return services.keys.signer


def opening(day: date, hour: int = 8) -> datetime:
    """An Oslo hour on a day, as aware UTC."""
    return datetime.combine(day, time(hour), tzinfo=OSLO).astimezone(UTC)


def pieces(services: Services) -> list[Product]:
    """Products sold by the piece (quantities stay simple)."""
    return [p for p in services.catalogue.list_products(limit=1000) if p.unit is Unit.PIECE]


def bulk_days(
    services: Services,
    signer: SignerFor,
    days: list[date],
    per_day: int,
    *,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``per_day`` paid sales (1-5 lines; cash, card or Vipps) on each day, each with
    its receipt and drawer events, signed in the register's chain. Returns how many."""
    rng = random.Random(seed)
    products = pieces(services)
    written = 0
    for day in days:
        start = opening(day)
        step = timedelta(hours=12) / per_day
        for first in range(0, per_day, BATCH):
            with services.units() as uow:
                state = lock_register(uow, REGISTER)
                for index in range(first, min(per_day, first + BATCH)):
                    at = start + step * index
                    sale = _sale(rng, products, state.next_sale_id(), at)
                    position = next_position(state, sale.receipt_series())
                    tx = sale.to_transaction(
                        nr=position.nr,
                        receipt_number=position.receipt_number,
                        completed_at=at,
                        previous_signature=position.previous_signature,
                    )
                    signed = append_signed(uow, state, tx, signer)
                    key = receipt_key(signed)
                    journal(
                        uow,
                        state,
                        EventCode.SALES_RECEIPT,
                        at,
                        employee=CASHIER,
                        trans_id=signed.trans_id,
                        text=f"Salgskvittering {key}",
                        payload={"receipt": key, "amount": signed.total.ore},
                    )
                    if any(p.tender is TenderKind.CASH for p in signed.payments):
                        journal(
                            uow,
                            state,
                            EventCode.DRAWER_OPEN,
                            at,
                            employee=CASHIER,
                            trans_id=signed.trans_id,
                        )
                    written += 1
                uow.register_states.save(state)
                uow.commit()
            if progress is not None:
                progress(written)
    return written


def _sale(rng: random.Random, products: list[Product], sale_id: str, at: datetime) -> Sale:
    sale = Sale(sale_id=sale_id, register_id=REGISTER, employee=CASHIER, started_at=at)
    for _ in range(rng.randint(1, 5)):
        quantity = Decimal(rng.choice((1, 1, 1, 2)))
        sale.add_product(rng.choice(products), quantity, at=at, employee=CASHIER)
    roll = rng.random()
    if roll < 0.45:
        sale.pay_cash(employee=CASHIER)
    elif roll < 0.9:
        sale.pay_card(
            sale.remaining(),
            terminal_transaction_id=f"T{sale_id}",
            masked_card="************1234",
            employee=CASHIER,
        )
    else:
        sale.pay_mobile(sale.remaining(), transaction_id=f"V{sale_id}", employee=CASHIER)
    return sale


def ring_and_pay(services: Services, codes: list[str]) -> str:
    """An open sale with ``codes`` rung and paid in cash through the real services."""
    sale = sale_opening.resume_or_open(services.sales, REGISTER, CASHIER)
    for code in codes:
        ringing.add_item(services.sales, sale.sale_id, code, employee=CASHIER)
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    return sale.sale_id

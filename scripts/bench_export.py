"""Benchmark the SAF-T Cash Register writer: transactions per second and peak memory.

Pure generation, no database: a catalogue, a pool of realistic sales built with the real
``Sale`` aggregate, and a stream of numbered, HMAC-signed transactions made from that pool
(plus two journal events per transaction and a few per day) are made into the rows storage
would read back (``storage/record_rows.py``) and fed through generators into ``write_saft``
writing to a temporary file. Prints the rate over the whole export
(master data included) and the process's peak RSS.

Usage: ./scripts/bench export --pure [--transactions 100000] [--products 10000]
(without --pure, ``./scripts/bench export`` runs ``bench_export_db.py``: the same export
through the real export service from a real database).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from omnipos_tui.core.catalogue.products import ArticleGroup, Product, Unit
from omnipos_tui.core.clock import local_date_text, local_time_text
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent, new_event
from omnipos_tui.core.ledger.signature import HmacSigner, signature_message
from omnipos_tui.core.ledger.transaction import Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import RATES, rate_by_code
from omnipos_tui.exports.saft import ArticleEntry, EmployeeEntry, write_saft
from omnipos_tui.storage.record_rows import event_pages, transaction_pages

START = datetime(2025, 1, 2, 8, 0, tzinfo=UTC)
GROUPS = [
    ArticleGroup("10", "Meieri", "04006"),
    ArticleGroup("20", "Drikke", "04011"),
    ArticleGroup("30", "Diverse", "04999"),
    ArticleGroup("40", "Tobakk", "04013"),
]
STAFF = [Employee(str(n), f"Ansatt Nummer{n}", Role.CASHIER) for n in range(1, 6)]
SALES_PER_DAY = 300


def catalogue(count: int, rng: random.Random) -> list[Product]:
    rates = [rate_by_code("31"), rate_by_code("31"), rate_by_code("3"), rate_by_code("33")]
    return [
        Product(
            sku=f"{100000 + n}",
            name=f"Vare {n} {rng.choice(['Brød', 'Melk', 'Ost', 'Kaffe', 'Såpe'])}",
            price=Money(rng.randrange(990, 49990, 10)),
            vat=rng.choice(rates),
            group=rng.choice(GROUPS).code,
            unit=Unit.KG if n % 50 == 0 else Unit.PIECE,
        )
        for n in range(count)
    ]


def sale_pool(products: list[Product], size: int, rng: random.Random) -> list[Transaction]:
    """Realistic paid sales: 1-8 lines rung seconds apart, some discounts and voids,
    cash, card, Vipps and split payments."""
    pool = []
    for n in range(size):
        at = START + timedelta(minutes=n)
        sale = Sale(sale_id=str(n), register_id="1", employee="1", started_at=at)
        for _ in range(rng.randint(1, 8)):
            product = rng.choice(products)
            quantity = Decimal("0.845") if product.unit is Unit.KG else Decimal(rng.randint(1, 3))
            at += timedelta(seconds=rng.randint(2, 9))
            sale.add_product(product, quantity, at=at, employee="1")
        if rng.random() < 0.1:
            sale.void_line(1, at=at, employee="1")
        if rng.random() < 0.1 and sale.lines()[-1].kind.value == "item":
            spec = DiscountSpec.percent_off(Decimal(10), employee="2")
            sale.discount_line(len(sale.entries), spec)
        if sale.remaining().ore <= 0:
            sale.add_product(products[0], at=at, employee="1")
        choice = rng.random()
        if choice < 0.4:
            sale.pay_cash(employee="1")
        elif choice < 0.8:
            sale.pay_card(
                sale.remaining(), terminal_transaction_id="T1", masked_card="*1", employee="1"
            )
        elif choice < 0.9:
            sale.pay_mobile(sale.remaining(), transaction_id="V1", employee="1")
        else:
            half = Money(sale.remaining().ore // 2)
            sale.pay_card(half, terminal_transaction_id="T2", masked_card="*2", employee="1")
            sale.pay_cash(employee="1")
        pool.append(
            sale.to_transaction(nr=1, receipt_number=1, completed_at=at, previous_signature="0")
        )
    return pool


def transactions(pool: list[Transaction], count: int, signer: HmacSigner) -> Iterator[Transaction]:
    """Numbered, chained and signed transactions made from the pool's sales (their lines
    keep the pool's times: a distinct time for every line of the pool)."""
    previous = "0"
    for nr in range(1, count + 1):
        at = START + timedelta(days=nr // SALES_PER_DAY, seconds=(nr % SALES_PER_DAY) * 100)
        template = pool[nr % len(pool)]
        day, clock = local_date_text(at), local_time_text(at)
        message = signature_message(previous, day, clock, nr, template.total, template.total_ex_vat)
        signature = signer.sign(message)
        yield replace(
            template,
            nr=nr,
            trans_id=f"1-{nr}",
            employee=STAFF[nr % len(STAFF)].number,
            completed_at=at,
            trans_date=day,
            trans_time=clock,
            business_day=date.fromisoformat(day),
            receipt_number=nr,
            signature=signature,
            key_version=signer.key_version,
            previous_signature=previous,
        )
        previous = signature


def events(count: int) -> Iterator[JournalEvent]:
    seq = 0
    for nr in range(1, count + 1):
        at = START + timedelta(days=nr // SALES_PER_DAY, seconds=(nr % SALES_PER_DAY) * 100)
        for code in (EventCode.SALES_RECEIPT, EventCode.DRAWER_OPEN):
            seq += 1
            yield new_event("1", seq, code, at, employee="1", trans_id=f"1-{nr}")
        if nr % SALES_PER_DAY == 0:
            seq += 1
            yield new_event("1", seq, EventCode.LOGOUT, at, employee="1")


def main() -> int:
    if "--pure" not in sys.argv[1:]:
        import bench_export_db  # the export service from a database: the default

        return bench_export_db.main(sys.argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pure", action="store_true", help="the writer alone, no database")
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    products = catalogue(args.products, rng)
    pool = sale_pool(products, 500, rng)
    signer = HmacSigner(b"0123456789abcdef", "1")

    # Making the input costs time too (as reading the database will); measure it alone.
    wall, cpu = time.perf_counter(), time.process_time()
    pages = transaction_pages(transactions(pool, args.transactions, signer))
    generated = sum(len(page.headers) for page in pages)
    generated += sum(len(page) for page in event_pages(events(args.transactions)))
    gen_wall, gen_cpu = time.perf_counter() - wall, time.process_time() - cpu

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "bench.xml"
        wall, cpu = time.perf_counter(), time.process_time()
        with target.open("wb") as out:
            summary = write_saft(
                out,
                company=Company("Benkebutikken AS", "999999999", "Storgata 1", "0155", "Oslo"),
                registers=[Register("1", "Kasse 1")],
                period_start=date(2025, 1, 1),
                period_end=date(2025, 12, 31),
                created_at=datetime(2026, 1, 2, tzinfo=UTC),
                software_version="bench",
                vat_rates=RATES,
                groups=GROUPS,
                employees=[EmployeeEntry(e, START) for e in STAFF],
                articles=(ArticleEntry(p, date(2025, 1, 1)) for p in products),
                customers=[],
                event_rows_by_register=lambda _rid: event_pages(events(args.transactions)),
                transaction_rows_by_register=lambda _rid: transaction_pages(
                    transactions(pool, args.transactions, signer)
                ),
            )
        elapsed, used = time.perf_counter() - wall, time.process_time() - cpu
        size = target.stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = summary.transactions
    print(
        f"SAF-T export: {n} transactions ({sum(len(t.lines) for t in pool) / len(pool):.1f} "
        f"lines each on average), {summary.events} events, {summary.articles} articles: "
        f"{size / 1e6:.1f} MB"
    )
    print(f"  wall {elapsed:.2f} s, CPU {used:.2f} s (load average {os.getloadavg()[0]:.2f})")
    print(
        f"  rate incl. generating the input: {n / elapsed:,.0f} tx/s wall, {n / used:,.0f} tx/s CPU"
    )
    print(
        f"  rate of the writer alone (generating {generated} records as rows took "
        f"{gen_wall:.2f} s wall, "
        f"{gen_cpu:.2f} s CPU): {n / max(elapsed - gen_wall, 1e-9):,.0f} tx/s wall, "
        f"{n / max(used - gen_cpu, 1e-9):,.0f} tx/s CPU"
    )
    print(f"  peak RSS: {peak_mb:.0f} MB")
    print("  targets: >= 10,000 transactions/s, <= 200 MB peak RSS")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the catalogue at 100,000 products: import, barcode lookup, name search.

A fresh database in a temporary directory (or a fresh schema on PostgreSQL with
``--db-url``), a synthetic catalogue written as CSV and imported through the real import
service (parse, checks, writes, master-data change records, one unit of work), then 1,000
random barcode look-ups, 1,000 realistic one- and two-word prefix searches and 1,000
searches for a part inside a word (compounds: "melk" for "Lettmelk") through the real
services. Prints the figures against the budgets in DESIGN.md §4.

Usage: ./scripts/bench catalogue [--products 100000] [--seed 1] [--db-url postgresql://...]
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.shop.company import Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.demo.data import demo_company, demo_groups, synthetic_products
from omnipos_tui.services.catalogue.product_csv import write_products_csv
from omnipos_tui.settings import Override, load_settings

LOOKUPS = 1000
SEARCHES = 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db-url", default="", help="PostgreSQL URL (default: SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="omnipos-bench-") as tmp:
        url, cleanup = _database(args.db_url, Path(tmp))
        try:
            settings = load_settings(
                overrides=(
                    Override("paths.data_dir", tmp, "--data-dir"),
                    Override("database.url", url, "--db-url"),
                ),
                environ={},
                fallback_file=Path(tmp) / "none.toml",
            )
            app = build(settings)
            try:
                return _run(app, args.products, args.seed, Path(tmp))
            finally:
                app.close()
        finally:
            cleanup()


def _database(db_url: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    if not db_url:
        return "", lambda: None
    import psycopg2  # type: ignore[import-untyped]  # throw-away schema of a PostgreSQL run

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(db_url)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in db_url else "?"

    def drop() -> None:
        admin.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()

    return f"{db_url}{joiner}options=-csearch_path%3D{schema}", drop


def _run(app: Services, count: int, seed: int, tmp: Path) -> int:
    app.setup.initialise(
        company=demo_company(),
        register=Register("1", "Kasse 1"),
        admin=Employee("99", "Bench Admin", Role.ADMIN),
        admin_pin="4321",
        groups=demo_groups(),
    )
    print(
        f"Catalogue benchmark: {count:,} products, {app.database.engine} ({app.database.location})"
    )

    started = time.perf_counter()
    products = list(synthetic_products(count, seed))
    text = io.StringIO()
    write_products_csv(products, text)
    data = text.getvalue().encode("utf-8")
    print(
        f"  generated the CSV ({len(data) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    result = app.catalogue.import_csv(data, source="bench.csv", actor="bench")
    import_s = time.perf_counter() - started
    print(
        f"  import:          {import_s:6.2f} s   ({result.created:,} created)   "
        f"budget <= 30 s   {_verdict(import_s <= 30)}"
    )
    if app.catalogue.count() != count:
        print("  the database does not hold every product", file=sys.stderr)
        return 1

    rng = random.Random(seed)
    codes = [rng.choice(products).barcodes[0] for _ in range(LOOKUPS)]
    queries = [_query(rng, rng.choice(products)) for _ in range(SEARCHES)]
    inner = [_inner_query(rng, rng.choice(products)) for _ in range(SEARCHES)]
    # A till does not hold 100,000 product objects: drop them, so the garbage collector's
    # sweeps over this script's own heap do not show up as lookup time.
    del products, data, text, result
    gc.collect()
    lookups = _timed(codes, app.catalogue.lookup)
    p50, p99 = _percentiles(lookups)
    print(
        f"  barcode lookup:  p50 {p50:6.3f} ms   p99 {p99:6.3f} ms   budget p99 <= 1 ms    "
        f"{_verdict(p99 <= 1.0)}"
    )

    hits: list[int] = []

    def search(query: str) -> object:
        found = app.catalogue.search(query, limit=20)
        hits.append(len(found))
        return found

    for label, typed in (("name search:    ", queries), ("inside words:   ", inner)):
        hits.clear()
        p50, p99 = _percentiles(_timed(typed, search))
        print(
            f"  {label} p50 {p50:6.3f} ms   p99 {p99:6.3f} ms   budget p99 <= 20 ms   "
            f"{_verdict(p99 <= 20.0)}   (mean {statistics.mean(hits):.1f} hits/page, "
            f"e.g. {typed[0]!r}, {typed[1]!r})"
        )
    if app.database.engine == "sqlite":
        size = sum(f.stat().st_size for f in tmp.glob("omnipos.sqlite3*"))
        print(f"  database size:   {size / 1e6:.1f} MB (file + WAL)")
    return 0


def _query(rng: random.Random, product: Product) -> str:
    """What a cashier types: the start of one or two words of a name."""
    words = [w for w in product.name.split() if w[0].isalpha()]
    first = words[0][: rng.randint(3, 5)]
    if len(words) > 1 and rng.random() < 0.5:
        return f"{first} {words[1][: rng.randint(2, 4)]}"
    return first


def _inner_query(rng: random.Random, product: Product) -> str:
    """A part from inside a word of the name, as typed for a compound ("melk")."""
    words = [w for w in product.name.split() if w.isalpha() and len(w) >= 5]
    if not words:
        return _query(rng, product)
    word = rng.choice(words)
    start = rng.randint(1, len(word) - 3)
    return word[start : start + rng.randint(3, min(6, len(word) - start))]


def _timed(inputs: list[str], call: Callable[[str], object]) -> list[float]:
    """Milliseconds per call."""
    out: list[float] = []
    for item in inputs:
        started = time.perf_counter()
        call(item)
        out.append((time.perf_counter() - started) * 1000)
    return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98]


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


if __name__ == "__main__":
    sys.exit(main())

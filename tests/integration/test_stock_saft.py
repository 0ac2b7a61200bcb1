"""Stock is not in the SAF-T Cash Register file: two copies of one shop make the same sales,
one of them also receives goods, transfers and counts between the sales; their exports of
the day are byte for byte the same and validate against the official schema."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

from ledger_support import BREAD, CASHIER, COLA, MILK, cash_sale, open_shop, tick

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.exports.saft import SCHEMA
from omnipos_tui.services.stock.common import LineInput


def _trade(services: Services, clock: FixedClock, *, stock_work: bool) -> Path:
    documents = services.stock_documents
    for n in range(6):
        cash_sale(services, clock, MILK, BREAD, COLA)
        if stock_work:
            documents.receive([LineInput("10001", "12", "9,50")], delivery_note=f"F-{n}")
            documents.transfer("butikk", "lager", [LineInput("10001", "2")], two_step=n % 2 == 0)
            count, _ = documents.start_count("lager")
            documents.add_counts(count.number, [LineInput("10001", "1")])
            documents.finish_count(count.number, reason="test")
        tick(clock, 60)
    day = date(2026, 11, 27)
    target = services.settings.data_dir / "saft.xml"
    services.export.export_saft(target, first_day=day, last_day=day, employee=CASHIER)
    return target


def test_stock_work_between_sales_leaves_the_saft_file_byte_for_byte_the_same(
    tmp_path: Path,
) -> None:
    plain_dir, stock_dir = tmp_path / "plain", tmp_path / "stock"
    first, _ = open_shop(plain_dir, algorithm="hmac-sha1")
    first.close()
    shutil.copytree(plain_dir, stock_dir)  # the same shop: database and signing key
    plain, plain_clock = open_shop(plain_dir, initialise=False)
    stocked, stock_clock = open_shop(stock_dir, initialise=False)
    try:
        without = _trade(plain, plain_clock, stock_work=False)
        with_stock = _trade(stocked, stock_clock, stock_work=True)
        assert stocked.stock.verify().moves > 6 * 3
        assert plain.stock.verify().moves == 6 * 3  # the sales moved stock in both
    finally:
        plain.close()
        stocked.close()
    assert with_stock.read_bytes() == without.read_bytes()
    checked = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMA), str(with_stock)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr

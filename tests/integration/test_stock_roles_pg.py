"""Stock work as the till role of ``omnipos db roles`` on PostgreSQL: every stock use case
runs (documents are locked with advisory locks, not FOR UPDATE, which the role may not
use on append-only tables), and the moves stay beyond its reach."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_support import MILK, cash_sale, open_shop, pg_connect
from test_db_roles_pg import _as, _refused, roles  # noqa: F401  (the roles fixture)

from omnipos_tui.core.stock.documents import OrderStatus, Supplier
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.storage.store import Store

pytestmark = pytest.mark.postgres


def test_the_till_role_does_every_stock_job_and_cannot_change_a_move(
    pg_url: str,
    roles: tuple[str, str],  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> None:
    owner, till = roles
    shop, clock = open_shop(tmp_path, url=pg_url, algorithm="hmac-sha1")
    shop.database.setup_roles(owner, till)
    shop.close()
    migrator = Store(_as(pg_url, owner), clock)
    assert migrator.migrate() == []
    migrator.close()
    tills, _ = open_shop(
        tmp_path, url=_as(pg_url, till), algorithm="hmac-sha1", clock=clock, initialise=False
    )
    tills.suppliers.save(Supplier("tine", "Tine SA"))
    order = tills.purchasing.new("tine", [LineInput("10001", "12", "9,00")])
    tills.purchasing.send(order.number)
    received = tills.stock_documents.receive([LineInput("10001", "12")], order_no=order.number)
    assert received.order is not None and received.order.status is OrderStatus.RECEIVED
    moved = tills.stock_documents.transfer(
        "butikk", "lager", [LineInput("10001", "4")], two_step=True
    )
    tills.stock_documents.receive_transfer(moved.number)
    cash_sale(tills, clock, MILK)
    count, _ = tills.stock_documents.start_count("lager")
    tills.stock_documents.add_counts(count.number, [LineInput("10001", "3")])
    tills.stock_documents.finish_count(count.number)
    assert tills.stock.verify().clean
    assert [loc.on_hand for loc in tills.stock.show("10001").locations] == [7000, 3000]
    raw = pg_connect(_as(pg_url, till))
    try:
        _refused(raw, "UPDATE stock_move SET quantity = 1", "permission denied for table")
        _refused(raw, "DELETE FROM goods_receipt_line", "permission denied for table")
    finally:
        raw.close()
    tills.close()

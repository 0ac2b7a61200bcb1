"""The time limits a PostgreSQL till runs under (issue 15), on the real server: a till that
waits for a row another session holds gives up after ``lock_timeout`` with
``DatabaseBusy`` (nothing written, the same step goes through once the row is free), and
the session limits the URL does not set are the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_support import MILK, cash_sale, open_shop, pg_connect

from omnipos_tui.core.errors import DatabaseBusy
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.messages import render
from omnipos_tui.services.sales import completion, opening, payments, ringing

pytestmark = pytest.mark.postgres


def test_a_till_waiting_for_a_held_register_row_gives_up_busy_and_goes_on_after(
    pg_url: str, tmp_path: Path
) -> None:
    services, clock = open_shop(tmp_path, url=pg_url)
    cash_sale(services, clock, MILK)  # register 1 has its state row
    services.close()
    short = pg_url + "%20-c%20lock_timeout%3D300ms"  # appended to the fixture's options
    till, _ = open_shop(tmp_path, url=short, initialise=False, clock=clock)
    sale = opening.resume_or_open(till.sales, "1", "1")
    ringing.add_item(till.sales, sale.sale_id, MILK, employee="1")
    payments.pay(till.sales, sale.sale_id, TenderKind.CASH, None, employee="1")
    holder = pg_connect(pg_url)
    holder.autocommit = False
    cur = holder.cursor()
    cur.execute("SELECT * FROM register_state WHERE register_id = '1' FOR UPDATE")
    try:
        with pytest.raises(DatabaseBusy) as caught:
            completion.complete(till.sales, sale.sale_id, employee="1")
    finally:
        holder.rollback()
        holder.close()
    assert "lock_timeout" in str(caught.value)
    assert render(caught.value, "nb").startswith("Databasen er opptatt")
    done = completion.complete(till.sales, sale.sale_id, employee="1")  # the row is free
    assert done.transaction.receipt_number == 2
    [result] = till.journal.verify("1")
    assert result.ok and result.checked == 2
    till.close()


def test_the_session_runs_under_the_default_limits(pg_url: str, tmp_path: Path) -> None:
    services, _ = open_shop(tmp_path, url=pg_url)
    limits = services.database.server_limits()
    assert limits["lock_timeout"] == "10s"
    assert limits["statement_timeout"] == "1min"
    assert limits["idle_in_transaction_session_timeout"] == "5min"
    assert int(limits["connections"]) >= 1
    services.close()

"""PostgreSQL with two roles (``omnipos db roles``): the tills run as a role that may insert
and read but is neither owner nor superuser, so every way round the append-only triggers
is refused to it (issue 10, item 20); the owner role runs the migrations."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from ledger_support import BREAD, CASHIER, COLA, MANAGER, MILK, cash_sale, open_shop, pg_connect

from omnipos_tui.core.errors import InvalidInput, StorageError
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.services.sales import completion, opening, parking, payments, receipts, ringing
from omnipos_tui.storage.store import Store

pytestmark = pytest.mark.postgres

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _as(url: str, role: str) -> str:
    """The test schema's URL, connecting as ``role`` (trust authentication)."""
    assert url.startswith("postgresql://postgres@")
    return url.replace("postgresql://postgres@", f"postgresql://{role}@", 1)


@pytest.fixture
def roles(pg_url: str) -> Iterator[tuple[str, str]]:
    """Two role names of this test's own; dropped (with what they own) afterwards."""
    suffix = uuid.uuid4().hex[:10]
    owner, till = f"omnipos_owner_{suffix}", f"omnipos_till_{suffix}"
    yield owner, till
    admin = pg_connect(pg_url)
    try:
        cursor = admin.cursor()
        for role in (till, owner):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            if cursor.fetchone():
                cursor.execute(f'DROP OWNED BY "{role}" CASCADE')
                cursor.execute(f'DROP ROLE "{role}"')
    finally:
        admin.close()


BYPASSES = (
    ("SET session_replication_role = replica", "permission denied to set parameter"),
    (
        "ALTER TABLE journal_event DISABLE TRIGGER ALL",
        "must be owner of (table|relation) journal_event",
    ),
    (
        "ALTER TABLE journal_event DISABLE TRIGGER journal_event_append_only_no_update",
        "must be owner of (table|relation) journal_event",
    ),
    (
        "DROP TRIGGER cash_transaction_append_only_no_delete ON cash_transaction",
        "must be owner of (table|relation) cash_transaction",
    ),
    ("ALTER TABLE transaction_line OWNER TO CURRENT_USER", "must be owner of (table|relation)"),
    ("UPDATE journal_event SET text = 'endret'", "permission denied for table journal_event"),
    ("UPDATE transaction_payment SET tender = 'cash'", "permission denied for table"),
    ("DELETE FROM cash_transaction", "permission denied for table cash_transaction"),
    ("TRUNCATE transaction_line CASCADE", "permission denied for table transaction_line"),
    ("UPDATE z_report SET grand_sales = 0", "permission denied for table z_report"),
    (
        "INSERT INTO receipt_copy (trans_id, register_id, at, employee) "
        "SELECT trans_id, register_id, at, 'x' FROM receipt_copy "
        "ON CONFLICT (trans_id) DO UPDATE SET employee = 'x'",
        "permission denied for table receipt_copy",
    ),
    (
        "CREATE OR REPLACE FUNCTION omnipos_refuse_change() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NEW; END $$",
        "must be owner of function omnipos_refuse_change|permission denied for schema",
    ),
    ("CREATE TABLE sneaky (id INTEGER)", "permission denied for schema"),
    ("UPDATE schema_version SET description = 'x'", "permission denied for table"),
    ("DELETE FROM database_role", "permission denied for table database_role"),
    ("ALTER ROLE CURRENT_USER SUPERUSER", "permission denied|must be superuser"),
)


def _refused(raw: Any, statement: str, expected: str) -> None:
    import psycopg2  # type: ignore[import-untyped]  # no stubs installed

    with pytest.raises(psycopg2.Error, match=expected):
        raw.cursor().execute(statement)


def test_tills_running_as_the_till_role_cannot_get_round_the_append_only_triggers(
    pg_url: str, roles: tuple[str, str], tmp_path: Path
) -> None:
    owner, till = roles
    shop, clock = open_shop(tmp_path, url=pg_url, algorithm="hmac-sha1")
    done = shop.database.setup_roles(owner, till)
    assert (done.owner, done.till, done.created) == (owner, till, (owner, till))
    assert done.tables >= 15
    shop.close()
    # The owner runs the migrations (triggers and grants re-applied as the owner).
    migrator = Store(_as(pg_url, owner), clock)
    assert migrator.migrate() == []
    migrator.close()
    # The till sells, parks, corrects, reports, changes a price: everything a till does.
    tills, _ = open_shop(
        tmp_path, url=_as(pg_url, till), algorithm="hmac-sha1", clock=clock, initialise=False
    )
    first = cash_sale(tills, clock, MILK, BREAD)
    receipts.copy_receipt(tills.sales, first.receipt_id, employee=CASHIER)
    parked = opening.resume_or_open(tills.sales, "1", CASHIER)
    ringing.add_item(tills.sales, parked.sale_id, COLA, employee=CASHIER)
    parking.park(tills.sales, parked.sale_id, employee=CASHIER)
    parking.resume(tills.sales, parked.sale_id, "1", employee=CASHIER)
    ringing.void_line(tills.sales, parked.sale_id, 1, employee=CASHIER)
    ringing.add_item(tills.sales, parked.sale_id, MILK, employee=CASHIER)
    payments.pay(tills.sales, parked.sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(tills.sales, parked.sale_id, employee=CASHIER)
    milk = tills.catalogue.get(MILK)
    tills.catalogue.save_products([replace(milk, price=Money(2290))], actor=MANAGER)
    tills.reports.z_report("1", employee=MANAGER)
    cash_sale(tills, clock, COLA)
    report = tills.database.check()
    assert report.ok, report
    assert f"connected as {till} (the recorded till role): neither owner nor superuser" in (
        report.access
    )
    # Every way round the triggers is refused to the till role.
    raw = pg_connect(_as(pg_url, till))
    try:
        for statement, expected in BYPASSES:
            _refused(raw, statement, expected)
        cursor = raw.cursor()
        cursor.execute("SELECT count(*) FROM journal_event")
        assert cursor.fetchone()[0] > 10
    finally:
        raw.close()
    assert all(r.ok for r in tills.journal.verify())
    assert all(c.ok for c in tills.journal.check_chains())
    tills.close()


def test_the_superuser_is_told_that_it_can_switch_the_triggers_off(
    pg_url: str, tmp_path: Path
) -> None:
    shop, _ = open_shop(tmp_path, url=pg_url, algorithm="hmac-sha1")
    report = shop.database.check()
    assert report.ok
    assert "a superuser: it can switch the append-only triggers off" in report.access
    shop.close()


def test_roles_refuse_bad_names_the_same_role_twice_and_a_superuser_as_till(
    pg_url: str, roles: tuple[str, str], tmp_path: Path
) -> None:
    owner, _ = roles
    shop, _ = open_shop(tmp_path, url=pg_url, algorithm="hmac-sha1")
    with pytest.raises(InvalidInput, match="not a role name"):
        shop.database.setup_roles('x"; DROP TABLE product; --', "till")
    with pytest.raises(InvalidInput, match="two roles"):
        shop.database.setup_roles(owner, owner)
    with pytest.raises(InvalidInput, match="choose another till role"):
        shop.database.setup_roles(owner, "postgres")
    # Nothing was half-done: no role recorded, the tables still the superuser's.
    raw = pg_connect(pg_url)
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT count(*) FROM database_role")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (owner,))
        assert cursor.fetchone() is None
    finally:
        raw.close()
    shop.close()


def test_roles_are_for_postgresql_only(tmp_path: Path) -> None:
    shop, _ = open_shop(tmp_path, algorithm="hmac-sha1")
    with pytest.raises(StorageError, match="database roles are for PostgreSQL"):
        shop.database.setup_roles("omnipos_owner", "omnipos_till")
    shop.close()

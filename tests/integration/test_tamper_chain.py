"""Our hash chain finds every kind of tampering, on SQLite and on PostgreSQL (issue 10, items
18-20 and 26): an edited journal event, line, payment, amount excluding VAT, correction
link, employee or flag; a deleted event in the middle; the newest sales deleted while the
register's state still counts them; rows added past the state; a Z report row changed. Each
is found by ``JournalService.check_chains`` and by ``db check``, naming what and where.

The attacker goes round the append-only triggers as each engine allows: on SQLite by
dropping them (and putting them back afterwards, so only the chain can tell); on
PostgreSQL as a superuser with ``session_replication_role = replica`` (which silences
every trigger). SQLite's ``INSERT OR REPLACE`` is refused with the triggers in place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ledger_support import (
    BREAD,
    CASHIER,
    COLA,
    MANAGER,
    MILK,
    UNDO_SCHEMA_6,
    cash_sale,
    open_shop,
    pg_connect,
    tick,
)

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import Conflict
from omnipos_tui.core.ledger.chain import GENESIS, ChainCheck, ProblemKind, link
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.ports import CardApproved
from omnipos_tui.services.ledger import journal as ledger_journal
from omnipos_tui.services.sales import completion, opening, payments, receipts, returns, ringing
from omnipos_tui.storage import chain_pages, chain_rows, schema_v6, schema_v10, transaction_rows
from omnipos_tui.storage import journal as journal_rows
from omnipos_tui.storage.append_only import KINDS, REPLACE, trigger_name
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.migrations import append_only_tables


@dataclass
class Ledger:
    """A shop with a history on one engine, and a raw connection to tamper with it."""

    services: Services
    clock: FixedClock
    engine: str
    target: str  # the SQLite file or the PostgreSQL URL

    def tamper(self, *statements: str, params: tuple[Any, ...] = ()) -> list[int]:
        """Run statements round the append-only triggers; returns their row counts."""
        counts = []
        if self.engine == "sqlite":
            raw = sqlite3.connect(self.target, isolation_level=None)
            try:
                for table in append_only_tables():
                    for kind in (*KINDS, REPLACE):
                        raw.execute(f'DROP TRIGGER IF EXISTS "{trigger_name(table, kind)}"')
                raw.execute("PRAGMA foreign_keys = OFF")
                for statement in statements:
                    counts.append(raw.execute(statement, params).rowcount)
            finally:
                raw.close()
            self.services.database.migrate()  # the triggers back: only the chain can tell
            return counts
        raw = pg_connect(self.target)
        try:
            cursor = raw.cursor()
            cursor.execute("SET session_replication_role = replica")
            for statement in statements:
                cursor.execute(statement.replace("?", "%s"), params)
                counts.append(cursor.rowcount)
        finally:
            raw.close()
        return counts

    def one(self, query: str, params: tuple[Any, ...] = ()) -> Any:
        """The first column of the first row of a query."""
        with self.services.units(read_only=True):
            row = execute_sql(self.services._store.db, query, params).fetchone()
        assert row is not None, query
        return row[0]

    def check(self) -> ChainCheck:
        """Register 1's chain check through the service, which db check must agree with."""
        [found] = self.services.journal.check_chains("1")
        report = self.services.database.check()
        assert not report.missing_triggers
        assert not report.ok
        [from_db] = [c for c in report.chains if c.register_id == "1"]
        assert from_db.problems == found.problems
        return found


def _history(services: Services, clock: FixedClock) -> None:
    """Sales paid in cash and by card, a voided line, a return, a price look-up, a drawer
    opened without a sale, a Z report, and sales after it."""
    first = cash_sale(services, clock, MILK, BREAD)  # 1-1
    receipts.copy_receipt(services.sales, first.receipt_id, employee=CASHIER)
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, COLA, employee=CASHIER)
    ringing.add_item(services.sales, sale.sale_id, MILK, employee=CASHIER)
    tick(clock)
    ringing.void_line(services.sales, sale.sale_id, 1, employee=CASHIER)  # a correction line
    pending = payments.begin_card_payment(
        services.sales, sale.sale_id, Money(2190), employee=CASHIER
    )
    payments.finish_card_payment(
        services.sales, pending.reference, CardApproved(Money(2190), "T-77", "************4242")
    )
    completion.complete(services.sales, sale.sale_id, employee=CASHIER)  # 1-2
    tick(clock)
    ringing.price_lookup(services.sales, "1", COLA, employee=CASHIER)
    services.register.no_sale("1", "Veksling", employee=CASHIER, approved_by=MANAGER)
    back = opening.resume_or_open(services.sales, "1", CASHIER)
    returns.add_return(
        services.sales, back.sale_id, first.receipt_id, 2, Decimal(1), employee=CASHIER
    )
    payments.pay(services.sales, back.sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(
        services.sales, back.sale_id, employee=CASHIER
    )  # 1-3, a return of 1-1 line 2
    cash_sale(services, clock, COLA)  # 1-4
    services.reports.z_report("1", employee=MANAGER)
    for codes in ((MILK,), (BREAD, COLA), (MILK, MILK), (COLA,)):
        cash_sale(services, clock, *codes)  # 1-5 .. 1-8


@pytest.fixture
def ledger(database_url: str, tmp_path: Path) -> Iterator[Ledger]:
    """The history on each engine, checked clean first."""
    sqlite = database_url.startswith("sqlite")
    services, clock = open_shop(tmp_path, url="" if sqlite else database_url, algorithm="hmac-sha1")
    _history(services, clock)
    [clean] = services.journal.check_chains("1")
    assert clean.ok, clean.problems
    assert clean.transactions == 8 and clean.events > 20
    report = services.database.check()
    assert report.ok and [c.register_id for c in report.chains] == ["1"]
    target = str(tmp_path / "omnipos.sqlite3") if sqlite else database_url
    yield Ledger(services, clock, "sqlite" if sqlite else "postgresql", target)
    services.close()


def _where(check: ChainCheck) -> list[tuple[ProblemKind, str]]:
    return [(p.kind, p.where) for p in check.problems]


# --- edits ------------------------------------------------------------------------------


def test_a_sale_line_changed_to_another_article_of_the_same_amount_is_named(
    ledger: Ledger,
) -> None:
    assert ledger.tamper(
        "UPDATE transaction_line SET sku = '20001', name = 'Coca-Cola 0,5 l' "
        "WHERE trans_id = '1-5' AND line_no = 1"
    ) == [1]
    check = ledger.check()
    assert _where(check) == [(ProblemKind.CHANGED, "transaction 1-5 line 1")]
    assert "line 1 of transaction 1-5 (nr 5) was changed" in check.problems[0].detail
    # The signed totals are untouched: the legal signature chain alone passes.
    assert all(r.ok for r in ledger.services.journal.verify("1"))


def test_a_card_payment_turned_into_cash_is_named(ledger: Ledger) -> None:
    assert ledger.tamper(
        "UPDATE transaction_payment SET tender = 'cash', terminal_transaction_id = '', "
        "masked_card = '' WHERE trans_id = '1-2'"
    ) == [1]
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, "transaction 1-2 payment 1")]


def test_a_changed_payment_amount_is_named(ledger: Ledger) -> None:
    ledger.tamper("UPDATE transaction_payment SET amount = amount + 500 WHERE trans_id = '1-6'")
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, "transaction 1-6 payment 1")]


def test_a_tip_added_by_hand_to_a_card_payment_is_named(ledger: Ledger) -> None:
    ledger.tamper("UPDATE transaction_payment SET tip = 2000 WHERE trans_id = '1-2'")
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, "transaction 1-2 payment 1")]


def test_a_tip_changed_or_removed_by_hand_is_named(ledger: Ledger) -> None:
    services = ledger.services
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    ringing.add_item(services.sales, sale.sale_id, COLA, employee=CASHIER)
    pending = payments.begin_card_payment(
        services.sales, sale.sale_id, Money(2990), employee=CASHIER
    )
    payments.finish_card_payment(
        services.sales, pending.reference, CardApproved(Money(4990), "T-78", "****1")
    )
    completion.complete(services.sales, sale.sale_id, employee=CASHIER)  # 1-9, tip 20,00
    [clean] = services.journal.check_chains("1")
    assert clean.ok, clean.problems
    ledger.tamper("UPDATE transaction_payment SET tip = 0 WHERE trans_id = '1-9'")
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, "transaction 1-9 payment 1")]


def test_a_changed_line_amount_excluding_vat_is_named(ledger: Ledger) -> None:
    ledger.tamper(
        "UPDATE transaction_line SET vat_amount = vat_amount + 100 "
        "WHERE trans_id = '1-7' AND line_no = 2"
    )
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, "transaction 1-7 line 2")]


def test_a_changed_correction_link_is_named(ledger: Ledger) -> None:
    line = ledger.one(
        "SELECT line_no FROM transaction_line WHERE trans_id = '1-2' AND corrects_line = 1"
    )
    ledger.tamper(
        "UPDATE transaction_line SET corrects_line = 2 WHERE trans_id = '1-2' AND line_no = ?",
        params=(line,),
    )
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, f"transaction 1-2 line {line}")]


def test_a_changed_return_link_is_named(ledger: Ledger) -> None:
    ledger.tamper("UPDATE transaction_line SET returns_trans_id = '1-4' WHERE trans_id = '1-3'")
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, "transaction 1-3 line 1")]


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ("employee = '2'", "employee"),
        ("voided = NOT voided", "voided flag"),
        ("training = NOT training", "training flag"),
        ("customer = '20001'", "customer"),
        ("note = 'endret'", "note"),
    ],
)
def test_a_sale_header_field_changed_is_named(ledger: Ledger, change: str, what: str) -> None:
    assert ledger.tamper(f"UPDATE cash_transaction SET {change} WHERE trans_id = '1-6'") == [1]
    check = ledger.check()
    assert _where(check) == [(ProblemKind.CHANGED, "transaction 1-6")], what
    assert "(nr 6) was changed after it was written" in check.problems[0].detail


def test_a_line_added_to_a_stored_sale_is_found(ledger: Ledger) -> None:
    ledger.tamper(
        "INSERT INTO transaction_line SELECT trans_id, 9, kind, sku, name, group_code, "
        "quantity, unit, unit_price, 0, vat_code, vat_percent, 0, discount_amount, "
        "discount_percent, discount_employee, discount_reason, sale_discount_amount, "
        "sale_discount_percent, sale_discount_employee, sale_discount_reason, "
        "price_override_reason, approved_by, employee, note, corrects_line, returns_receipt, "
        "returns_line, returns_trans_id, returns_original_line, at, row_hash "
        "FROM transaction_line WHERE trans_id = '1-5' AND line_no = 1"
    )
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, "transaction 1-5 line 9")]


def test_an_edited_non_sale_journal_event_is_named(ledger: Ledger) -> None:
    seq = ledger.one(
        "SELECT seq FROM journal_event WHERE register_id = '1' AND code = 'DRAWOPENNOSALE'"
    )
    ledger.tamper(
        "UPDATE journal_event SET payload = '{\"reason\":\"Feil\"}' WHERE register_id = '1' "
        "AND seq = ?",
        params=(seq,),
    )
    check = ledger.check()
    assert _where(check) == [(ProblemKind.CHANGED, f"journal event 1-{seq}")]
    assert "(DRAWOPENNOSALE) was changed after it was written" in check.problems[0].detail


def test_an_event_rewritten_with_its_chain_value_recomputed_is_found_at_the_next_one(
    ledger: Ledger,
) -> None:
    seq = int(
        ledger.one("SELECT seq FROM journal_event WHERE register_id = '1' AND code = 'PRICELOOKUP'")
    )
    previous = ledger.one(
        "SELECT chain FROM journal_event WHERE register_id = '1' AND seq = ?", (seq - 1,)
    )
    with ledger.services.units(read_only=True):
        [row] = chain_pages.event_page(ledger.services._store.db, "1", seq - 1, 1)
    values = list(row.values)
    values[chain_rows.EVENT_COLUMNS.index("text")] = "Prisforespørsel (ingen)"
    forged = link(str(previous), values)
    ledger.tamper(
        "UPDATE journal_event SET text = ?, chain = ? WHERE register_id = '1' AND seq = ?",
        params=("Prisforespørsel (ingen)", forged, seq),
    )
    assert _where(ledger.check()) == [(ProblemKind.CHANGED, f"journal event 1-{seq + 1}")]


# --- deletions and insertions ---------------------------------------------------------------


def test_a_deleted_non_sale_journal_event_is_named_as_missing(ledger: Ledger) -> None:
    seq = ledger.one(
        "SELECT seq FROM journal_event WHERE register_id = '1' AND code = 'PRICELOOKUP'"
    )
    ledger.tamper("DELETE FROM journal_event WHERE register_id = '1' AND seq = ?", params=(seq,))
    check = ledger.check()
    assert _where(check) == [(ProblemKind.MISSING, f"journal events {seq} of register 1")]
    assert f"missing before journal event 1-{seq + 1}: deleted" in check.problems[0].detail


def test_the_last_three_sales_deleted_while_the_state_still_counts_them_are_found(
    ledger: Ledger,
) -> None:
    last_seq = int(ledger.one("SELECT last_event_seq FROM register_state WHERE register_id = '1'"))
    first_gone = int(
        ledger.one(
            "SELECT MIN(seq) FROM journal_event WHERE register_id = '1' AND trans_id = '1-6'"
        )
    )
    ids = "('1-6', '1-7', '1-8')"
    ledger.tamper(
        f"DELETE FROM transaction_line WHERE trans_id IN {ids}",
        f"DELETE FROM transaction_payment WHERE trans_id IN {ids}",
        f"DELETE FROM journal_event WHERE trans_id IN {ids}",
        f"DELETE FROM cash_transaction WHERE trans_id IN {ids}",
    )
    check = ledger.check()
    assert _where(check) == [
        (ProblemKind.MISSING_AT_END, f"journal events {first_gone}..{last_seq} of register 1"),
        (ProblemKind.MISSING_AT_END, "transactions 6..8 of register 1"),
    ]
    assert "the register's state says its last is 8, the stored rows end at 5" in (
        check.problems[1].detail
    )


def test_a_sale_deleted_in_the_middle_is_named_in_both_chains(ledger: Ledger) -> None:
    ledger.tamper(
        "DELETE FROM transaction_line WHERE trans_id = '1-5'",
        "DELETE FROM transaction_payment WHERE trans_id = '1-5'",
        "DELETE FROM journal_event WHERE trans_id = '1-5'",
        "DELETE FROM cash_transaction WHERE trans_id = '1-5'",
    )
    kinds = _where(ledger.check())
    assert (ProblemKind.MISSING, "transactions 5 of register 1") in kinds
    assert [k for k, _ in kinds] == [ProblemKind.MISSING, ProblemKind.MISSING]


def test_an_event_added_past_the_registers_state_is_found(ledger: Ledger) -> None:
    last = int(ledger.one("SELECT last_event_seq FROM register_state WHERE register_id = '1'"))
    ledger.tamper(
        "INSERT INTO journal_event (register_id, seq, code, predefined_code, employee, at, "
        "event_date, event_time, text, trans_id, training, payload, chain) "
        "SELECT register_id, seq + 1, code, predefined_code, employee, at, event_date, "
        "event_time, text, trans_id, training, payload, chain FROM journal_event "
        "WHERE register_id = '1' AND seq = ?",
        params=(last,),
    )
    check = ledger.check()
    assert (ProblemKind.ADDED, f"journal events {last + 1} of register 1") in _where(check)


def test_a_changed_register_state_anchor_is_found(ledger: Ledger) -> None:
    ledger.tamper("UPDATE register_state SET transaction_chain = '0' WHERE register_id = '1'")
    assert _where(ledger.check()) == [(ProblemKind.TAIL_CHANGED, "transaction 1-8 (nr 8)")]


def test_a_changed_z_report_row_is_named(ledger: Ledger) -> None:
    ledger.tamper("UPDATE z_report SET grand_sales = grand_sales - 10000 WHERE register_id = '1'")
    check = ledger.check()
    assert _where(check) == [(ProblemKind.Z_ANCHOR, "Z report 1 of register 1")]
    assert "the row was changed" in check.problems[0].detail


def test_a_deleted_z_report_row_is_found_at_its_report_in_the_journal(ledger: Ledger) -> None:
    seq = ledger.one("SELECT seq FROM journal_event WHERE code = 'ZREPORT'")
    ledger.tamper("DELETE FROM z_report WHERE register_id = '1'")
    assert _where(ledger.check()) == [(ProblemKind.Z_ANCHOR, f"journal event 1-{seq}")]


def test_a_deleted_receipt_copy_row_is_found(ledger: Ledger) -> None:
    """Without its row, the one copy of a receipt could be printed a second time."""
    ledger.tamper("DELETE FROM receipt_copy WHERE trans_id = '1-1'")
    assert _where(ledger.check()) == [(ProblemKind.MISSING, "receipt copy of transaction 1-1")]


def test_sales_before_a_z_report_rewritten_with_a_recomputed_chain_break_its_anchor(
    ledger: Ledger,
) -> None:
    """Even an attacker who recomputes the chain of every later row and the state's anchor
    cannot match what the Z report recorded."""
    services = ledger.services
    with services.units(read_only=True):
        db = services._store.db
        rows = chain_pages.transaction_page(db, "1", 0, 100)
    previous, statements, params = GENESIS, [], []
    for tx in rows:
        values = list(tx.values)
        if tx.nr == 4:
            values[chain_rows.HEADER_COLUMNS.index("employee")] = MANAGER
        previous = link(previous, values, [r.row_hash for r in (*tx.lines, *tx.payments)])
        statements.append((values[chain_rows.HEADER_COLUMNS.index("employee")], previous, tx.nr))
    for employee, chain, nr in statements:
        params.append(
            ledger.tamper(
                "UPDATE cash_transaction SET employee = ?, chain = ? WHERE register_id = '1' "
                "AND nr = ?",
                params=(employee, chain, nr),
            )[0]
        )
    ledger.tamper("UPDATE register_state SET transaction_chain = ?", params=(previous,))
    check = ledger.check()
    assert [p.kind for p in check.problems] == [ProblemKind.Z_ANCHOR]
    assert "the transactions up to transaction 1-4 (nr 4)" in check.problems[0].detail


# --- SQLite's REPLACE path -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        (
            "INSERT OR REPLACE INTO journal_event (id, register_id, seq, code, predefined_code, "
            "employee, at, event_date, event_time, text, trans_id, training, payload, chain) "
            "SELECT id, register_id, seq, code, predefined_code, employee, at, event_date, "
            "event_time, 'Endret', trans_id, training, payload, chain FROM journal_event "
            "WHERE seq = 3",
            "journal_event",
        ),
        (
            "REPLACE INTO transaction_line SELECT trans_id, line_no, kind, '20001', "
            "'Coca-Cola 0,5 l', group_code, quantity, unit, unit_price, amount, vat_code, "
            "vat_percent, vat_amount, discount_amount, discount_percent, discount_employee, "
            "discount_reason, sale_discount_amount, sale_discount_percent, "
            "sale_discount_employee, sale_discount_reason, price_override_reason, approved_by, "
            "employee, note, corrects_line, returns_receipt, returns_line, returns_trans_id, "
            "returns_original_line, at, row_hash FROM transaction_line "
            "WHERE trans_id = '1-5' AND line_no = 1",
            "transaction_line",
        ),
        (
            "INSERT OR REPLACE INTO transaction_payment (trans_id, seq, tender, amount, "
            "reference, terminal_transaction_id, masked_card, employee, tendered, row_hash) "
            "SELECT trans_id, seq, 'cash', amount, reference, '', '', employee, tendered, "
            "row_hash FROM transaction_payment WHERE trans_id = '1-2'",
            "transaction_payment",
        ),
        (
            "INSERT OR REPLACE INTO cash_transaction SELECT * FROM cash_transaction "
            "WHERE trans_id = '1-4'",
            "cash_transaction",
        ),
    ],
)
def test_insert_or_replace_over_a_stored_row_is_refused_on_sqlite(
    tmp_path: Path, statement: str, table: str
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    _history(services, clock)
    services.close()
    db = tmp_path / "omnipos.sqlite3"
    with sqlite3.connect(db) as raw:
        before = raw.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
        with pytest.raises(sqlite3.IntegrityError, match=f"UNIQUE constraint failed: {table}"):
            raw.execute(statement)
        assert raw.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == before
    services, _ = open_shop(tmp_path, algorithm="hmac-sha1", initialise=False)
    assert all(c.ok for c in services.journal.check_chains())
    services.close()


def test_a_duplicate_insert_is_still_a_conflict_the_services_understand(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    done = cash_sale(services, clock, MILK)
    receipts.copy_receipt(services.sales, done.receipt_id, employee=CASHIER)
    store = services._store
    with pytest.raises(Conflict), store.unit_of_work() as uow:
        uow.journal.add_copy(done.transaction.trans_id, "1", clock.now(), CASHIER)
    services.close()


# --- the chain as the code writes it ---------------------------------------------------------


def test_the_migration_chains_an_old_database_exactly_as_the_code_would_have(
    ledger: Ledger,
) -> None:
    """Old databases migrate: the rows already there get the chain the code writes."""
    store = ledger.services._store
    queries = (
        "SELECT register_id, seq, chain FROM journal_event ORDER BY register_id, seq",
        "SELECT register_id, nr, chain FROM cash_transaction ORDER BY register_id, nr",
        "SELECT trans_id, line_no, row_hash FROM transaction_line ORDER BY trans_id, line_no",
        "SELECT trans_id, seq, row_hash FROM transaction_payment ORDER BY trans_id, seq",
        "SELECT register_id, report_no, event_chain, transaction_chain FROM z_report",
        "SELECT register_id, event_chain, transaction_chain FROM register_state",
    )

    def stored() -> list[list[tuple[Any, ...]]]:
        with store.unit_of_work(read_only=True):
            return [execute_sql(store.db, q).fetchall() for q in queries]

    written = stored()
    with store.unit_of_work() as uow:
        for statement in UNDO_SCHEMA_6:
            execute_sql(store.db, statement)
        uow.commit()
    assert store.migrate() == [6]
    assert stored() == written
    assert store.check().ok
    cash_sale(ledger.services, ledger.clock, BREAD)  # and the chain goes on from there
    assert all(c.ok for c in ledger.services.journal.check_chains())


def test_every_stored_column_of_the_chained_tables_is_covered(ledger: Ledger) -> None:
    store = ledger.services._store
    chained = {
        "journal_event": chain_rows.EVENT_COLUMNS,
        "cash_transaction": chain_rows.HEADER_COLUMNS,
        "transaction_line": chain_rows.LINE_COLUMNS,
        "transaction_payment": chain_rows.PAYMENT_COLUMNS,
    }
    frozen = {
        "journal_event": schema_v6.EVENT_COLUMNS,
        "cash_transaction": schema_v6.HEADER_COLUMNS,
        "transaction_line": schema_v6.LINE_COLUMNS,
        # Migration 10 adds the tip, chained when it is not 0 (chain_rows.payment_values).
        "transaction_payment": ", ".join(
            (schema_v6.PAYMENT_COLUMNS, *schema_v10.ADDED_PAYMENT_COLUMNS)
        ),
    }
    for table, columns in chained.items():
        with store.unit_of_work(read_only=True):
            if store.engine == "sqlite":
                rows = execute_sql(store.db, f"PRAGMA table_info('{table}')").fetchall()
                stored = {str(r[1]) for r in rows}
            else:
                rows = execute_sql(
                    store.db,
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "AND table_schema = current_schema()",
                    (table,),
                ).fetchall()
                stored = {str(r[0]) for r in rows}
        assert stored - {"id", chain_rows.HASH_COLUMNS[table]} == set(columns), table
        assert ", ".join(columns) == frozen[table], table
    # ...and in the order the rows are written (what is hashed is what is stored).
    assert chain_rows.EVENT_COLUMNS == journal_rows.STORED_COLUMNS
    assert (*transaction_rows.HEADER.split(", "), "sale_id") == chain_rows.HEADER_COLUMNS
    assert chain_rows.LINE_COLUMNS == transaction_rows.LINE_COLUMNS
    assert chain_rows.PAYMENT_COLUMNS == transaction_rows.PAYMENT_COLUMNS


def test_unusual_text_in_every_field_round_trips_into_the_same_hashes(
    ledger: Ledger,
) -> None:
    services, clock = ledger.services, ledger.clock
    sale = opening.resume_or_open(services.sales, "1", CASHIER)
    for name in ("1:2;~", "", "ÆØÅ æøå 🧾", "x\ny\ttab", "0;", "5:hello"):
        ringing.add_open_item(
            services.sales, sale.sale_id, "10", Money(100), employee=CASHIER, name=name
        )
    payments.pay(services.sales, sale.sale_id, TenderKind.CASH, None, employee=CASHIER)
    completion.complete(services.sales, sale.sale_id, employee=CASHIER)
    ringing.price_lookup(services.sales, "1", MILK, employee=CASHIER)
    del clock
    assert all(c.ok for c in services.journal.check_chains())


def test_sales_made_while_the_check_reads_are_not_taken_for_tampering(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = ledger.services.journal
    read_pages = journal._chained_events

    def a_sale_between_two_pages(register_id: str) -> Iterator[list[Any]]:
        pages = read_pages(register_id)
        yield next(pages)
        cash_sale(ledger.services, ledger.clock, MILK)  # another till sells meanwhile
        yield from pages

    monkeypatch.setattr(ledger_journal, "PAGE", 4)
    monkeypatch.setattr(journal, "_chained_events", a_sale_between_two_pages)
    [check] = journal.check_chains("1")
    assert check.ok, check.problems
    assert check.transactions == 9

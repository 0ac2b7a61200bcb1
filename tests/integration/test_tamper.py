"""Tampering is found: with the append-only triggers dropped by hand, a changed amount, a
removed transaction or a changed signature makes ``JournalService.verify`` fail and name
the first transaction affected."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ledger_support import BREAD, COLA, MILK, cash_sale, open_shop

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.errors import StorageError
from omnipos_tui.core.ledger.signature import BreakReason
from omnipos_tui.storage.append_only import trigger_name
from omnipos_tui.storage.migrations import append_only_tables


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Services, Path]:
    services, clock = open_shop(tmp_path)
    for codes in ((MILK,), (BREAD, COLA), (MILK, COLA), (BREAD,)):
        cash_sale(services, clock, *codes)
    assert all(result.ok for result in services.journal.verify())
    return services, tmp_path / "omnipos.sqlite3"


def _tamper(db: Path, *statements: str) -> None:
    """Drop every append-only trigger by hand, as an attacker with the file would."""
    with sqlite3.connect(db) as raw:
        for table in append_only_tables():
            for kind in ("update", "delete"):
                raw.execute(f'DROP TRIGGER IF EXISTS "{trigger_name(table, kind)}"')
        for statement in statements:
            assert raw.execute(statement).rowcount == 1


def test_a_changed_line_amount_is_found_and_the_transaction_named(
    shop: tuple[Services, Path],
) -> None:
    services, db = shop
    _tamper(db, "UPDATE transaction_line SET amount = amount - 1000 "
                "WHERE trans_id = '1-3' AND line_no = 2")  # fmt: skip
    [result] = services.journal.verify("1")
    assert result.broken is not None
    assert (result.broken.trans_id, result.broken.reason) == ("1-3", BreakReason.INCONSISTENT)
    assert "1-3" in result.broken.detail
    assert result.checked == 2


def test_a_changed_total_breaks_the_signature(shop: tuple[Services, Path]) -> None:
    services, db = shop
    _tamper(db, "UPDATE cash_transaction SET total = total - 1000 WHERE trans_id = '1-2'")
    [result] = services.journal.verify("1")
    assert result.broken is not None
    assert (result.broken.trans_id, result.broken.reason) == ("1-2", BreakReason.BAD_SIGNATURE)


def test_a_removed_transaction_leaves_a_gap(shop: tuple[Services, Path]) -> None:
    services, db = shop
    _remove(db, "1-2")
    [result] = services.journal.verify("1")
    assert result.broken is not None
    assert (result.broken.trans_id, result.broken.reason) == ("1-3", BreakReason.NUMBER_GAP)


def _remove(db: Path, trans_id: str) -> None:
    """Remove a transaction with its rows and events, triggers dropped first."""
    _tamper(db)
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA foreign_keys = OFF")
        for table in ("transaction_line", "transaction_payment", "journal_event"):
            raw.execute(f"DELETE FROM {table} WHERE trans_id = ?", (trans_id,))
        raw.execute("DELETE FROM cash_transaction WHERE trans_id = ?", (trans_id,))


def test_a_replaced_signature_breaks_the_link_of_the_next_transaction(
    shop: tuple[Services, Path],
) -> None:
    services, db = shop
    with sqlite3.connect(db) as raw:
        first = raw.execute("SELECT signature FROM cash_transaction WHERE nr = 1").fetchone()[0]
    _tamper(db, f"UPDATE cash_transaction SET signature = '{first}' WHERE trans_id = '1-2'")
    [result] = services.journal.verify("1")
    assert result.broken is not None and result.broken.trans_id == "1-2"
    assert result.broken.reason is BreakReason.BAD_SIGNATURE


def test_a_row_changed_into_nonsense_is_reported_with_its_transaction(
    shop: tuple[Services, Path],
) -> None:
    services, db = shop
    _tamper(db, "UPDATE transaction_line SET quantity = 'lots' WHERE trans_id = '1-3' "
                "AND line_no = 1")  # fmt: skip
    with pytest.raises(StorageError, match="stored line 1-3/1 cannot be read"):
        services.journal.verify("1")

"""Schema version 6: our hash chain over the whole ledger (``core/ledger/chain.py``), and the
record of the PostgreSQL roles (``omnipos db roles``).

* ``journal_event.chain`` and ``cash_transaction.chain``: each row's chain value;
  ``transaction_line.row_hash`` and ``transaction_payment.row_hash``: each row's hash;
* ``register_state.event_chain`` / ``transaction_chain``: the chains' ends (the anchor of
  the tail); ``z_report.event_chain`` / ``transaction_chain``: where they stood at each Z;
* ``database_role``: which PostgreSQL roles own the schema and run the tills, so that
  every later migration grants the till role what it needs on new tables.

The rows already there get their hashes here, register by register in order, exactly as
the code writing new rows computes them, and the anchors are set from them: an old
database checks clean after the upgrade, and anything changed in it afterwards is found.
The append-only triggers refuse UPDATE, so this migration drops the UPDATE triggers of
the tables it fills (the migration runner puts every trigger back before it commits).

Frozen in time like every migration: its own SQL and its own list of the columns chained
as of this version (``storage/chain_rows.py`` holds the current lists; a test keeps them
equal while no later version changes these tables).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from omnipos_tui.core.ledger.chain import GENESIS, digest, link
from omnipos_tui.storage.database import execute_sql
from omnipos_tui.storage.migration_context import MigrationContext

APPEND_ONLY: tuple[str, ...] = ()

EVENT_COLUMNS = (
    "register_id, seq, code, predefined_code, employee, at, event_date, event_time, text, "
    "trans_id, training, payload"
)
HEADER_COLUMNS = (
    "register_id, nr, trans_id, kind, employee, customer, started_at, completed_at, "
    "trans_date, trans_time, business_day, total, total_ex_vat, rounding, receipt_series, "
    "receipt_number, training, voided, note, signature, key_version, previous_signature, "
    "sale_id"
)
LINE_COLUMNS = (
    "trans_id, line_no, kind, sku, name, group_code, quantity, unit, unit_price, amount, "
    "vat_code, vat_percent, vat_amount, discount_amount, discount_percent, discount_employee, "
    "discount_reason, sale_discount_amount, sale_discount_percent, sale_discount_employee, "
    "sale_discount_reason, price_override_reason, approved_by, employee, note, corrects_line, "
    "returns_receipt, returns_line, returns_trans_id, returns_original_line, at"
)
PAYMENT_COLUMNS = (
    "trans_id, seq, tender, amount, reference, terminal_transaction_id, masked_card, "
    "employee, tendered"
)
_FILLED = (
    "journal_event",
    "cash_transaction",
    "transaction_line",
    "transaction_payment",
    "z_report",
)
_PAGE = 2000


class Chains(NamedTuple):
    """The chain values a migration keeps of a register: those anchors point at, by
    number, and the last one."""

    at: dict[int, str]
    last: str


def apply(ctx: MigrationContext) -> None:
    """Add the hash columns, fill them for the rows already there, set the anchors."""
    ctx.run(
        "ALTER TABLE journal_event ADD COLUMN chain TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE cash_transaction ADD COLUMN chain TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE transaction_line ADD COLUMN row_hash TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE transaction_payment ADD COLUMN row_hash TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE z_report ADD COLUMN event_chain TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE z_report ADD COLUMN transaction_chain TEXT NOT NULL DEFAULT ''",
        f"ALTER TABLE register_state ADD COLUMN event_chain TEXT NOT NULL DEFAULT '{GENESIS}'",
        "ALTER TABLE register_state ADD COLUMN transaction_chain TEXT NOT NULL "
        f"DEFAULT '{GENESIS}'",
        """CREATE TABLE database_role (
            kind TEXT PRIMARY KEY CHECK (kind IN ('owner', 'till')),
            role_name TEXT NOT NULL
        )""",
    )
    for table in _FILLED:  # put back by the migration runner (make_append_only)
        name = f"{table}_append_only_no_update"
        on = f' ON "{table}"' if ctx.engine == "postgresql" else ""
        ctx.run(f'DROP TRIGGER IF EXISTS "{name}"{on}')
    registers = [
        str(row[0])
        for row in execute_sql(
            ctx.db,
            "SELECT register_id FROM register_state UNION SELECT register_id FROM journal_event "
            "UNION SELECT register_id FROM cash_transaction",
        ).fetchall()
    ]
    for register_id in sorted(registers):
        state = execute_sql(
            ctx.db,
            "SELECT last_event_seq, last_nr FROM register_state WHERE register_id = ?",
            (register_id,),
        ).fetchone()
        zs = execute_sql(
            ctx.db,
            "SELECT report_no, last_event_seq, last_nr FROM z_report WHERE register_id = ?",
            (register_id,),
        ).fetchall()
        last_seq, last_nr = (0, 0) if state is None else (int(state[0]), int(state[1]))
        events = _chain_events(ctx, register_id, {last_seq, *(int(z[1]) for z in zs)})
        transactions = _chain_transactions(
            ctx, register_id, {last_nr, *(int(z[2] or 0) for z in zs)}
        )
        _anchor(ctx, register_id, state=state, zs=zs, events=events, transactions=transactions)


def _update(
    ctx: MigrationContext, table: str, column: str, keys: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Set ``column`` of the rows whose ``keys`` are given: each row is (*keys, value)."""
    if not rows:
        return
    if ctx.engine == "sqlite":
        where = " AND ".join(f"{k} = ?" for k in keys)
        cursor = ctx.db.cursor()  # type: ignore[no-untyped-call]
        cursor.executemany(
            f"UPDATE {table} SET {column} = ? WHERE {where}",
            [(row[-1], *row[:-1]) for row in rows],
        )
        return
    width = len(keys) + 1
    one = "(" + ", ".join("?" * width) + ")"
    where = " AND ".join(f"t.{k} = v.column{i}" for i, k in enumerate(keys, start=1))
    for start in range(0, len(rows), _PAGE):
        part = rows[start : start + _PAGE]
        execute_sql(
            ctx.db,
            f"UPDATE {table} AS t SET {column} = v.column{width} "
            f"FROM (VALUES {', '.join([one] * len(part))}) AS v WHERE {where}",
            [value for row in part for value in row],
        )


def _chain_events(ctx: MigrationContext, register_id: str, wanted: set[int]) -> Chains:
    """Chain a register's events; returns the chain values of the ``wanted`` ones and the
    last one."""
    chains: dict[int, str] = {0: GENESIS}
    previous, after = GENESIS, 0
    while True:
        rows = execute_sql(
            ctx.db,
            f"SELECT {EVENT_COLUMNS} FROM journal_event WHERE register_id = ? AND seq > ? "
            "ORDER BY seq LIMIT ?",
            (register_id, after, _PAGE),
        ).fetchall()
        updates = []
        for row in rows:
            previous = link(previous, row)
            seq = int(row[1])
            if seq in wanted:
                chains[seq] = previous
            updates.append((register_id, seq, previous))
        _update(ctx, "journal_event", "chain", ("register_id", "seq"), updates)
        if len(rows) < _PAGE:
            return Chains(chains, previous)
        after = int(rows[-1][1])


def _chain_transactions(ctx: MigrationContext, register_id: str, wanted: set[int]) -> Chains:
    """Hash a register's lines and payments and chain its transactions; returns the chain
    values of the ``wanted`` ones and the last one."""
    chains: dict[int, str] = {0: GENESIS}
    previous, after = GENESIS, 0
    while True:
        headers = execute_sql(
            ctx.db,
            f"SELECT {HEADER_COLUMNS} FROM cash_transaction WHERE register_id = ? AND nr > ? "
            "ORDER BY nr LIMIT ?",
            (register_id, after, _PAGE // 4),
        ).fetchall()
        if not headers:
            return Chains(chains, previous)
        span = (register_id, int(headers[0][1]), int(headers[-1][1]))
        children: dict[str, list[str]] = {str(h[2]): [] for h in headers}
        for table, columns, number, order in (
            ("transaction_line", LINE_COLUMNS, "line_no", "l.line_no"),
            ("transaction_payment", PAYMENT_COLUMNS, "seq", "l.seq"),
        ):
            prefixed = ", ".join(f"l.{c.strip()}" for c in columns.split(","))
            rows = execute_sql(
                ctx.db,
                f"SELECT {prefixed} FROM cash_transaction c JOIN {table} l "
                "ON l.trans_id = c.trans_id WHERE c.register_id = ? AND c.nr >= ? "
                f"AND c.nr <= ? ORDER BY c.nr, {order}",
                span,
            ).fetchall()
            updates = []
            for row in rows:
                row_hash = digest(row)
                children[str(row[0])].append(row_hash)
                updates.append((row[0], row[1], row_hash))
            _update(ctx, table, "row_hash", ("trans_id", number), updates)
        updates = []
        for header in headers:
            previous = link(previous, header, children[str(header[2])])
            nr = int(header[1])
            if nr in wanted:
                chains[nr] = previous
            updates.append((register_id, nr, previous))
        _update(ctx, "cash_transaction", "chain", ("register_id", "nr"), updates)
        if len(headers) < _PAGE // 4:
            return Chains(chains, previous)
        after = int(headers[-1][1])


def _anchor(
    ctx: MigrationContext,
    register_id: str,
    *,
    state: Sequence[Any] | None,
    zs: list[tuple[Any, ...]],
    events: Chains,
    transactions: Chains,
) -> None:
    """Set the register's state's and Z reports' anchors from the chains just computed
    (where the state points past the last row, the chain's actual end: the check then
    reports the missing rows)."""
    if state is not None:
        execute_sql(
            ctx.db,
            "UPDATE register_state SET event_chain = ?, transaction_chain = ? "
            "WHERE register_id = ?",
            (
                events.at.get(int(state[0]), events.last),
                transactions.at.get(int(state[1]), transactions.last),
                register_id,
            ),
        )
    _update(
        ctx,
        "z_report",
        "event_chain",
        ("register_id", "report_no"),
        [(register_id, int(z[0]), events.at.get(int(z[1]), "")) for z in zs],
    )
    _update(
        ctx,
        "z_report",
        "transaction_chain",
        ("register_id", "report_no"),
        [(register_id, int(z[0]), transactions.at.get(int(z[2] or 0), "")) for z in zs],
    )

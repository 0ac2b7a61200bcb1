"""Our hash chain's rows read back for the check (``core/ledger/chain_check.py``): a
register's journal events and transactions page by page as the stored values the chain
covers, the anchors (register state, Z reports, receipt copies), and ``db check``'s walk
over every register."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import peewee

from omnipos_tui.core.ledger.chain import (
    GENESIS,
    ChainAnchors,
    ChainCheck,
    StoredEvent,
    StoredRow,
    StoredTransaction,
    ZAnchor,
)
from omnipos_tui.core.ledger.chain_check import check_chains
from omnipos_tui.storage.chain_rows import (
    EVENT_COLUMNS,
    HEADER_COLUMNS,
    LINE_COLUMNS,
    PAYMENT_COLUMNS,
    payment_values,
)
from omnipos_tui.storage.database import execute_sql

_EVENT_SELECT = ", ".join(EVENT_COLUMNS)
_HEADER_SELECT = ", ".join(f"c.{c}" for c in HEADER_COLUMNS)
_LINE_SELECT = ", ".join(f"l.{c}" for c in LINE_COLUMNS)
_PAYMENT_SELECT = ", ".join(f"p.{c}" for c in PAYMENT_COLUMNS)
_SEQ = EVENT_COLUMNS.index("seq")
_CODE = EVENT_COLUMNS.index("code")
_PAYLOAD = EVENT_COLUMNS.index("payload")
_EVENT_TRANS_ID = EVENT_COLUMNS.index("trans_id")
_NR = HEADER_COLUMNS.index("nr")
_TRANS_ID = HEADER_COLUMNS.index("trans_id")


def event_page(
    db: peewee.Database, register_id: str, after_seq: int, limit: int
) -> list[StoredEvent]:
    """Up to ``limit`` of a register's journal event rows after ``after_seq``, as stored."""
    rows = execute_sql(
        db,
        f"SELECT {_EVENT_SELECT}, chain FROM journal_event WHERE register_id = ? AND seq > ? "
        "ORDER BY seq LIMIT ?",
        (register_id, after_seq, limit),
    ).fetchall()
    return [
        StoredEvent(
            seq=int(row[_SEQ]),
            code=str(row[_CODE]),
            payload=str(row[_PAYLOAD]),
            values=tuple(row[:-1]),
            chain=str(row[-1]),
            trans_id=None if row[_EVENT_TRANS_ID] is None else str(row[_EVENT_TRANS_ID]),
        )
        for row in rows
    ]


def transaction_page(
    db: peewee.Database, register_id: str, after_nr: int, limit: int
) -> list[StoredTransaction]:
    """Up to ``limit`` of a register's transactions after ``after_nr`` with their line and
    payment rows, as stored."""
    headers = execute_sql(
        db,
        f"SELECT {_HEADER_SELECT}, c.chain FROM cash_transaction c "
        "WHERE c.register_id = ? AND c.nr > ? ORDER BY c.nr LIMIT ?",
        (register_id, after_nr, limit),
    ).fetchall()
    if not headers:
        return []
    span = (register_id, int(headers[0][_NR]), int(headers[-1][_NR]))
    within = "c.register_id = ? AND c.nr >= ? AND c.nr <= ?"
    lines: dict[str, list[StoredRow]] = {}
    for row in execute_sql(
        db,
        f"SELECT {_LINE_SELECT}, l.row_hash FROM cash_transaction c "
        f"JOIN transaction_line l ON l.trans_id = c.trans_id WHERE {within} "
        "ORDER BY c.nr, l.line_no",
        span,
    ).fetchall():
        lines.setdefault(str(row[0]), []).append(StoredRow(int(row[1]), row[:-1], str(row[-1])))
    payments: dict[str, list[StoredRow]] = {}
    for row in execute_sql(
        db,
        f"SELECT {_PAYMENT_SELECT}, p.row_hash FROM cash_transaction c "
        f"JOIN transaction_payment p ON p.trans_id = c.trans_id WHERE {within} "
        "ORDER BY c.nr, p.seq",
        span,
    ).fetchall():
        payments.setdefault(str(row[0]), []).append(
            StoredRow(int(row[1]), payment_values(row[:-1]), str(row[-1]))
        )
    out = []
    for row in headers:
        trans_id = str(row[_TRANS_ID])
        out.append(
            StoredTransaction(
                nr=int(row[_NR]),
                trans_id=trans_id,
                values=tuple(row[:-1]),
                lines=tuple(lines.get(trans_id, ())),
                payments=tuple(payments.get(trans_id, ())),
                chain=str(row[-1]),
            )
        )
    return out


def anchors(db: peewee.Database, register_id: str) -> ChainAnchors:
    """The register's state's anchors and its Z reports' (all zero for a register without
    state)."""
    state = execute_sql(
        db,
        "SELECT last_event_seq, event_chain, last_nr, transaction_chain FROM register_state "
        "WHERE register_id = ?",
        (register_id,),
    ).fetchone()
    zs = execute_sql(
        db,
        "SELECT report_no, business_day, last_event_seq, event_chain, last_nr, "
        "transaction_chain, grand_sales, grand_returns FROM z_report WHERE register_id = ? "
        "ORDER BY report_no",
        (register_id,),
    ).fetchall()
    z_reports = tuple(
        ZAnchor(
            report_no=int(z[0]),
            business_day=str(z[1]),
            last_event_seq=int(z[2]),
            event_chain=str(z[3]),
            last_nr=None if z[4] is None else int(z[4]),
            transaction_chain=str(z[5]),
            grand_sales=int(z[6]),
            grand_returns=int(z[7]),
        )
        for z in zs
    )
    copies = frozenset(
        str(row[0])
        for row in execute_sql(
            db, "SELECT trans_id FROM receipt_copy WHERE register_id = ?", (register_id,)
        ).fetchall()
    )
    if state is None:
        return ChainAnchors(0, GENESIS, 0, GENESIS, z_reports, copies)
    return ChainAnchors(
        int(state[0]), str(state[1]), int(state[2]), str(state[3]), z_reports, copies
    )


def chained_registers(db: peewee.Database) -> list[str]:
    """Every register that has a state, journal events or transactions (a register a row
    names but the shop does not list is checked too)."""
    rows = execute_sql(
        db,
        "SELECT register_id FROM register_state UNION SELECT register_id FROM cash_register "
        "UNION SELECT DISTINCT register_id FROM journal_event "
        "UNION SELECT DISTINCT register_id FROM cash_transaction",
    ).fetchall()
    return sorted(str(row[0]) for row in rows)


_PAGE = 1000


def check_all_chains(db: peewee.Database) -> Iterator[ChainCheck]:
    """Check every register's chains (``omnipos db check``), page by page."""
    for register_id in chained_registers(db):
        yield check_chains(
            register_id,
            functools.partial(anchors, db, register_id),
            _event_pages(db, register_id),
            _transaction_pages(db, register_id),
        )


def _event_pages(db: peewee.Database, register_id: str) -> Iterator[list[StoredEvent]]:
    after = 0
    while True:
        page = event_page(db, register_id, after, _PAGE)
        if page:
            yield page
        if len(page) < _PAGE:
            return
        after = page[-1].seq


def _transaction_pages(db: peewee.Database, register_id: str) -> Iterator[list[StoredTransaction]]:
    after = 0
    while True:
        page = transaction_page(db, register_id, after, _PAGE // 2)
        if page:
            yield page
        if len(page) < _PAGE // 2:
            return
        after = page[-1].nr

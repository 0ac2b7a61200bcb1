"""Our hash chain (``core/ledger/chain.py``) as pure functions: the encoding never lets two
different rows hash alike, and the check names every kind of change, deletion, insertion
and broken anchor, with tills writing while it reads."""

from __future__ import annotations

import json
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from omnipos_tui.core.ledger.chain import (
    GENESIS,
    MAX_LISTED,
    ChainAnchors,
    ProblemKind,
    StoredEvent,
    StoredRow,
    StoredTransaction,
    ZAnchor,
    digest,
    encode,
    link,
)
from omnipos_tui.core.ledger.chain_check import check_chains

values = st.lists(
    st.one_of(st.none(), st.integers(-(10**15), 10**15), st.text(max_size=12)), max_size=8
)


@settings(deadline=None)
@given(values, values)
def test_two_rows_encode_alike_only_when_their_values_are_equal(
    a: list[object], b: list[object]
) -> None:
    assert (encode(a) == encode(b)) == (a == b)


@settings(deadline=None)
@given(values)
def test_a_boolean_hashes_as_the_number_sqlite_gives_back(row: list[object]) -> None:
    as_bools = [*row, True, False]
    as_ints = [*row, 1, 0]
    assert digest(as_bools) == digest(as_ints)


def test_a_value_of_a_type_never_stored_still_hashes_and_differs_from_text() -> None:
    assert encode([1.5]) != encode(["1.5"]) and encode([b"x"]) != encode(["x"])


def test_the_chain_value_depends_on_the_previous_value_and_on_the_children() -> None:
    row = ("1", 1, "LOGIN")
    assert link(GENESIS, row) != link("x", row)
    assert link(GENESIS, row, ["a" * 64]) != link(GENESIS, row, ["b" * 64])
    assert link(GENESIS, row, []) != link(GENESIS, (*row, 0))


# --- the check ----------------------------------------------------------------------------


def _events(count: int, *, register: str = "1") -> list[StoredEvent]:
    out, previous = [], GENESIS
    for seq in range(1, count + 1):
        payload = "{}"
        values = (register, seq, "LOGIN", payload)
        previous = link(previous, values)
        out.append(StoredEvent(seq, "LOGIN", payload, values, previous))
    return out


def _transactions(count: int) -> list[StoredTransaction]:
    out, previous = [], GENESIS
    for nr in range(1, count + 1):
        line = StoredRow(1, (f"1-{nr}", 1, "milk", 2190), digest((f"1-{nr}", 1, "milk", 2190)))
        pay = StoredRow(1, (f"1-{nr}", 1, "cash", 2190), digest((f"1-{nr}", 1, "cash", 2190)))
        values = ("1", nr, f"1-{nr}", "2", 2190)
        previous = link(previous, values, [line.row_hash, pay.row_hash])
        out.append(StoredTransaction(nr, f"1-{nr}", values, (line,), (pay,), previous))
    return out


def _check(
    events: Sequence[StoredEvent],
    transactions: Sequence[StoredTransaction],
    *,
    last_seq: int | None = None,
    last_nr: int | None = None,
    zs: tuple[ZAnchor, ...] = (),
    later: ChainAnchors | None = None,
) -> list[tuple[ProblemKind, str]]:
    seq = len(events) if last_seq is None else last_seq
    nr = len(transactions) if last_nr is None else last_nr
    chains = {e.seq: e.chain for e in events}
    txs = {t.nr: t.chain for t in transactions}
    first = ChainAnchors(seq, chains.get(seq, GENESIS), nr, txs.get(nr, GENESIS), zs)
    calls = [first] if later is None else [first, later]

    def anchors() -> ChainAnchors:
        return calls.pop(0) if len(calls) > 1 else calls[0]

    result = check_chains("1", anchors, [list(events)], [list(transactions)])
    return [(p.kind, p.where) for p in result.problems]


def test_an_untouched_chain_has_no_problems() -> None:
    assert _check(_events(5), _transactions(3)) == []
    assert _check([], []) == []


def test_a_changed_event_is_named_once_and_the_rest_still_check() -> None:
    events = _events(5)
    e = events[2]
    events[2] = StoredEvent(e.seq, e.code, e.payload, ("1", 3, "LOGOUT", "{}"), e.chain)
    assert _check(events, []) == [(ProblemKind.CHANGED, "journal event 1-3")]


def test_a_changed_line_payment_or_header_is_named_at_its_row() -> None:
    txs = _transactions(3)
    t = txs[1]
    bad_line = StoredRow(1, (t.trans_id, 1, "cola", 2190), t.lines[0].row_hash)
    changed = StoredTransaction(t.nr, t.trans_id, t.values, (bad_line,), t.payments, t.chain)
    assert _check([], [txs[0], changed, txs[2]]) == [
        (ProblemKind.CHANGED, "transaction 1-2 line 1")
    ]
    header = StoredTransaction(
        t.nr, t.trans_id, ("1", 2, "1-2", "9", 2190), t.lines, t.payments, t.chain
    )
    assert _check([], [txs[0], header, txs[2]]) == [(ProblemKind.CHANGED, "transaction 1-2")]
    no_payment = StoredTransaction(t.nr, t.trans_id, t.values, t.lines, (), t.chain)
    assert _check([], [txs[0], no_payment, txs[2]]) == [(ProblemKind.CHANGED, "transaction 1-2")]


def test_deleted_rows_in_the_middle_and_at_the_end_are_named_with_their_numbers() -> None:
    events = _events(9)
    assert _check(events[:3] + events[5:], [], last_seq=9) == [
        (ProblemKind.MISSING, "journal events 4..5 of register 1")
    ]
    assert _check(events[:6], [], last_seq=9) == [
        (ProblemKind.MISSING_AT_END, "journal events 7..9 of register 1")
    ]


def test_rows_past_the_state_are_added_unless_a_till_wrote_them_during_the_check() -> None:
    events = _events(6)
    assert _check(events, [], last_seq=4) == [
        (ProblemKind.ADDED, "journal events 5..6 of register 1")
    ]
    meanwhile = ChainAnchors(6, events[5].chain, 0, GENESIS)
    assert _check(events, [], last_seq=4, later=meanwhile) == []
    wrong = ChainAnchors(6, "x", 0, GENESIS)
    assert _check(events, [], last_seq=4, later=wrong) == [
        (ProblemKind.TAIL_CHANGED, "journal event 1-6")
    ]


def test_a_z_report_whose_anchor_or_report_differs_is_named() -> None:
    events = _events(4)
    report = {"report": {"report_no": 1, "business_day": "2026-11-27",
                         "grand_totals": {"sales": 5000, "returns": 0}}}  # fmt: skip
    payload = json.dumps(report)
    values = ("1", 4, "ZREPORT", payload)
    z_event = StoredEvent(4, "ZREPORT", payload, values, link(events[2].chain, values))
    events[3] = z_event
    txs = _transactions(2)
    good = ZAnchor(1, "2026-11-27", 4, z_event.chain, 2, txs[1].chain, 5000, 0)
    assert _check(events, txs, zs=(good,)) == []
    for bad in (
        ZAnchor(1, "2026-11-27", 4, "x", 2, txs[1].chain, 5000, 0),
        ZAnchor(1, "2026-11-27", 4, z_event.chain, 2, "x", 5000, 0),
        ZAnchor(1, "2026-11-27", 4, z_event.chain, 2, txs[1].chain, 9000, 0),
    ):
        assert _check(events, txs, zs=(bad,)) == [
            (ProblemKind.Z_ANCHOR, "Z report 1 of register 1")
        ]
    elsewhere = ZAnchor(1, "2026-11-27", 3, events[2].chain, 2, txs[1].chain, 5000, 0)
    assert _check(events, txs, zs=(elsewhere,)) == [
        (ProblemKind.Z_ANCHOR, "Z report 1 of register 1"),  # its event is a LOGIN
        (ProblemKind.Z_ANCHOR, "journal event 1-4"),  # and the report there has no row
    ]
    assert _check(events, txs) == [(ProblemKind.Z_ANCHOR, "journal event 1-4")]


def test_a_receipt_copy_row_deleted_or_added_is_named() -> None:
    events = _events(3)
    values = ("1", 4, "COPYRECEIPT", "{}")
    events.append(StoredEvent(4, "COPYRECEIPT", "{}", values, link(events[2].chain, values), "1-2"))

    def found(copies: set[str]) -> list[tuple[ProblemKind, str]]:
        anchors = ChainAnchors(4, events[3].chain, 0, GENESIS, copies=frozenset(copies))
        result = check_chains("1", lambda: anchors, [events], [])
        return [(p.kind, p.where) for p in result.problems]

    assert found({"1-2"}) == []
    assert found(set()) == [(ProblemKind.MISSING, "receipt copy of transaction 1-2")]
    assert found({"1-2", "1-3"}) == [(ProblemKind.ADDED, "receipt copy of transaction 1-3")]


def test_problems_past_the_first_twenty_are_counted_not_listed() -> None:
    events = [StoredEvent(e.seq, e.code, e.payload, e.values, "x") for e in _events(30)]
    result = check_chains("1", lambda: ChainAnchors(30, "x", 0, GENESIS), [events], [])
    assert len(result.problems) == MAX_LISTED and result.more == 30 - MAX_LISTED
    assert not result.ok

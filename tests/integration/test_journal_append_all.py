"""A sale's receipt and drawer events go into the journal in one statement: all or none;
a transaction joins its register's chain only at the next position."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from ledger_support import CASHIER, MILK, cash_sale, open_shop

from omnipos_tui.core.errors import Conflict
from omnipos_tui.core.ledger.journal import EventCode, new_event
from omnipos_tui.services.ledger.steps import append_signed, lock_register, next_position


def test_a_cash_sale_journals_its_receipt_and_drawer_events_in_order(tmp_path: Path) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    done = cash_sale(services, clock, MILK)
    with services.units(read_only=True) as uow:
        events = uow.journal.for_transaction(done.transaction.trans_id)
    assert [e.code for e in events] == [EventCode.SALES_RECEIPT, EventCode.DRAWER_OPEN]
    assert events[1].seq == events[0].seq + 1
    assert events[0].payload == {"receipt": "1-1", "amount": done.transaction.total.ore}
    assert {e.employee for e in events} == {CASHIER}


def test_events_appended_together_are_a_conflict_when_one_number_is_taken_and_none_stays(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    cash_sale(services, clock, MILK)
    with services.units(read_only=True) as uow:
        last = uow.journal.page("1", limit=10_000)[-1].seq
    fresh = new_event("1", last + 1, EventCode.DRAWER_OPEN_NO_SALE, clock.now(), employee=CASHIER)
    taken = new_event("1", last, EventCode.DRAWER_OPEN_NO_SALE, clock.now(), employee=CASHIER)
    with pytest.raises(Conflict), services.units() as uow:
        uow.journal.append_all([fresh, taken])
        uow.commit()
    with services.units(read_only=True) as uow:
        assert uow.journal.page("1", after_seq=last, limit=10) == []


def test_a_transaction_not_at_the_registers_next_position_is_refused_and_nothing_moves(
    tmp_path: Path,
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    first = cash_sale(services, clock, MILK).transaction
    stale = replace(first, signature="", key_version="")  # the numbers of a stored one
    with services.units() as uow:
        state = lock_register(uow, "1")
        before = (state.last_nr, dict(state.receipt_numbers), state.last_signature)
        with pytest.raises(ValueError, match="next position"):
            append_signed(uow, state, stale, services.keys.signer)
        assert (state.last_nr, state.receipt_numbers, state.last_signature) == before
        position = next_position(state, stale.receipt_series)
        assert position == (first.nr + 1, first.receipt_number + 1, first.signature)

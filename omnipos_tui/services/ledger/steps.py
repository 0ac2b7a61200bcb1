"""The steps every ledger use case shares: lock a register, journal an event, check a
manager's approval, name and find receipts, journal master-data changes.

A use case locks its register first (:func:`lock_register`), allocates numbers from the
state it gets, writes its rows and events, saves the state and commits -- all in one unit
of work, so numbers and journal sequence stay gapless whatever happens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from omnipos_tui.core.errors import (
    ApprovalRequired,
    InvalidInput,
    Message,
    NotFound,
    PermissionDenied,
    PosError,
)
from omnipos_tui.core.ledger.journal import (
    EventCode,
    JournalEvent,
    JsonObject,
    JsonValue,
    new_event,
    price_change_payload,
)
from omnipos_tui.core.ledger.ports import RegisterState
from omnipos_tui.core.ledger.signature import Signer, signature_message
from omnipos_tui.core.ledger.transaction import ReceiptSeries, Transaction
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import MasterDataChange, UnitOfWork
from omnipos_tui.core.shop.company import Register
from omnipos_tui.core.staff.employee import Employee, Role

_MAX_ID = 35  # SAF-T empID is at most 35 characters
_LISTED = 20  # keys named in a bulk master-data event


def unknown_register(register_id: str, registers: Sequence[Register]) -> NotFound:
    """The error for a register the shop does not have, naming the ones it has."""
    known = ", ".join(r.register_id for r in registers) or "none"
    return NotFound(code="register.unknown", register_id=register_id, known=known)


def known_register(uow: UnitOfWork, register_id: str) -> Register:
    """The shop's register with this id.

    Registers are made only by the setup (``omnipos init``, ``omnipos registers add``):
    a typo in a ``--register`` must not make one, journaled for ever.

    Raises:
        NotFound: The shop has no such register (the known ones are named).
    """
    registers = uow.shop.registers()
    for register in registers:
        if register.register_id == register_id:
            return register
    raise unknown_register(register_id, registers)


def lock_register(uow: UnitOfWork, register_id: str) -> RegisterState:
    """The register's state, locked for this unit of work; its state row is made on the
    register's first use (the register itself must be set up: :func:`known_register`).

    Raises:
        NotFound: The shop has no such register.
    """
    state = uow.register_states.lock(register_id)
    if state is not None:
        return state
    known_register(uow, register_id)
    # Create the state first: its primary key makes a second process starting the same
    # register wait here.
    uow.register_states.create(register_id)
    state = uow.register_states.lock(register_id)
    if state is None:  # pragma: no cover - the row was just created in this transaction
        raise NotFound(code="register.no_state", register_id=register_id)
    return state


def next_event(
    state: RegisterState,
    code: EventCode,
    at: datetime,
    *,
    employee: str = "",
    text: str = "",
    trans_id: str | None = None,
    payload: JsonObject | None = None,
    training: bool | None = None,
) -> JournalEvent:
    """The next journal event of a locked register, numbered but not written yet (write
    several at once with ``uow.journal.append_all``; the caller saves ``state``).

    Args:
        training: Mark the event as made in training; by default the register's mode.
    """
    return new_event(
        state.register_id,
        state.next_event_seq(),
        code,
        at,
        employee=employee if len(employee) <= _MAX_ID else "",
        text=text or code.description,
        trans_id=trans_id,
        training=state.training if training is None else training,
        payload=payload,
    )


def journal(
    uow: UnitOfWork,
    state: RegisterState,
    code: EventCode,
    at: datetime,
    *,
    employee: str = "",
    text: str = "",
    trans_id: str | None = None,
    payload: JsonObject | None = None,
    training: bool | None = None,
) -> JournalEvent:
    """Write one journal event of a locked register (the caller saves ``state``).

    Args:
        training: Mark the event as made in training; by default the register's mode.
    """
    event = next_event(
        state,
        code,
        at,
        employee=employee,
        text=text,
        trans_id=trans_id,
        payload=payload,
        training=training,
    )
    uow.journal.append(event)
    return event


SignerFor = Callable[[UnitOfWork, str, str], Signer]
"""The signer of a register, its key recorded in the unit of work that signs:
``(uow, register_id, employee) -> Signer`` (``KeyService.signer``)."""


class ChainPosition(NamedTuple):
    """Where a locked register's next signed transaction goes: the numbers it must carry.

    Attributes:
        nr: Its transaction number.
        receipt_number: Its number in its receipt series.
        previous_signature: The signature it is chained to.
    """

    nr: int
    receipt_number: int
    previous_signature: str


def next_position(state: RegisterState, series: str) -> ChainPosition:
    """The numbers the register's next transaction of ``series`` gets (nothing allocated:
    :func:`append_signed` does that when the transaction is stored)."""
    return ChainPosition(state.last_nr + 1, state.next_receipt_peek(series), state.last_signature)


def append_signed(
    uow: UnitOfWork,
    state: RegisterState,
    tx: Transaction,
    signer_for: SignerFor,
    *,
    sale_id: str | None = None,
    return_refs: Mapping[int, str] | None = None,
) -> Transaction:
    """Allocate ``tx``'s numbers, sign it and store it: the register's chain moves on by
    one transaction (the caller journals it, saves ``state`` and commits).

    ``tx`` must carry the numbers :func:`next_position` gave for its series.

    Args:
        sale_id: The open sale it completes, if any.
        return_refs: Return lines' original transactions, by line number.

    Raises:
        ValueError: ``tx`` is not at the register's next position (a programming error).
        SigningKeyError: The register's key cannot be used.
    """
    if (tx.nr, tx.receipt_number, tx.previous_signature) != next_position(state, tx.receipt_series):
        raise ValueError(
            f"transaction {tx.trans_id} is not at register {state.register_id}'s next position"
        )
    state.next_nr()
    state.next_receipt(tx.receipt_series)
    signed = _sign(uow, state, tx, signer_for)
    uow.transactions.add(signed, sale_id=sale_id, return_refs=return_refs or {})
    return signed


def _sign(
    uow: UnitOfWork, state: RegisterState, tx: Transaction, signer_for: SignerFor
) -> Transaction:
    """Sign ``tx`` chained to the register's last signature and move the chain on.

    ``tx`` must carry ``state.last_signature`` as its previous signature. The key is the
    register's current one, recorded in the database in this unit of work if it is new.

    Raises:
        SigningKeyError: The register's key cannot be used.
    """
    signer = signer_for(uow, state.register_id, tx.employee)
    message = signature_message(
        tx.previous_signature, tx.trans_date, tx.trans_time, tx.nr, tx.total, tx.total_ex_vat
    )
    signed = tx.signed(signer.sign(message), signer.key_version)
    state.last_signature = signed.signature
    return signed


def approver(uow: UnitOfWork, employee: str, approved_by: str | None, action: Message) -> Employee:
    """The manager who approves ``action``: ``approved_by``, or the employee doing it when
    they are a manager themselves. The till checks the approver's PIN (``StaffService.approve``)
    before it passes the number here.

    Raises:
        ApprovalRequired: Nobody approved and the employee is not a manager.
        PermissionDenied: The approver is unknown, disabled or not a manager.
    """
    number = approved_by or employee
    person = uow.staff.get(number)
    if person is not None and person.active and person.role.allows(Role.MANAGER):
        return person
    if approved_by is None:
        raise ApprovalRequired(action)
    raise PermissionDenied(code="approval.not_a_manager", approved_by=approved_by, action=action)


# --- receipts ---------------------------------------------------------------------------

_SERIES = {s.value for s in ReceiptSeries}


def receipt_key(tx: Transaction) -> str:
    """The id the services use for a transaction's receipt.

    A sales receipt is "<register>-<number>", as printed in its barcode; receipts of
    other series name the series, "<register>-<series>-<number>" ("1-return-4"), because
    every series has its own numbers (R-18).
    """
    if tx.receipt_series == ReceiptSeries.SALE:
        return tx.receipt_id
    return f"{tx.register_id}-{tx.receipt_series}-{tx.receipt_number}"


def parse_receipt_key(key: str) -> tuple[str, str, int]:
    """``(register, series, number)`` of a receipt id from :func:`receipt_key`.

    Raises:
        InvalidInput: The text is not a receipt id.
    """
    text = key.strip()
    parts = text.rsplit("-", 2)
    if len(parts) == 3 and parts[1] in _SERIES and parts[0] and parts[2].isdigit():
        return parts[0], parts[1], int(parts[2])
    register, _, number = text.rpartition("-")
    if not register or not number.isdigit():
        raise InvalidInput(code="receipt.bad_id", key=key)
    return register, ReceiptSeries.SALE.value, int(number)


def find_receipt(uow: UnitOfWork, key: str) -> Transaction:
    """The transaction of a receipt id.

    Raises:
        InvalidInput: The text is not a receipt id.
        NotFound: There is no such receipt.
    """
    register, series, number = parse_receipt_key(key)
    tx = uow.transactions.by_receipt(register, series, number)
    if tx is None:
        raise NotFound(code="receipt.unknown", receipt=key.strip())
    return tx


# --- master-data changes ----------------------------------------------------------------


def journal_master_data(uow: UnitOfWork, changes: Sequence[MasterDataChange], at: datetime) -> None:
    """Journal master-data changes (R-22, event 13021) in the register this process is.

    A single product's price change is a PRICECHANGE event with the old and new price;
    several price changes at once (an import) are one PRICECHANGE event naming how many
    and the first SKUs; other changes are one MASTERDATA event per kind of thing changed.
    The details stay in the append-only master-data change log.
    """
    if not changes:
        return
    prices = [c for c in changes if c.entity == "product" and c.field in ("price", "created")]
    others = [c for c in changes if not (c.entity == "product" and c.field in ("price", "created"))]
    state = lock_register(uow, uow.register_id)
    actor = changes[0].actor
    employee = actor if actor.isdigit() else ""
    if len(prices) == 1:
        change = prices[0]
        text = f"Prisendring {change.key}: {change.old or '-'} -> {_price_text(change)} ({actor})"
        journal(
            uow,
            state,
            EventCode.PRICE_CHANGE,
            at,
            employee=employee,
            text=text,
            payload=_price_payload(change),
        )
    elif prices:
        skus: list[JsonValue] = [c.key for c in prices[:_LISTED]]
        journal(
            uow,
            state,
            EventCode.PRICE_CHANGE,
            at,
            employee=employee,
            text=f"Prisendring for {len(prices)} varer ({actor})",
            payload={"count": len(prices), "skus": skus, "actor": actor},
        )
    for entity, count in Counter(c.entity for c in others).items():
        keys: list[JsonValue] = [
            k for k in sorted({c.key for c in others if c.entity == entity})[:_LISTED]
        ]
        journal(
            uow,
            state,
            EventCode.MASTER_DATA_CHANGE,
            at,
            employee=employee,
            text=f"Endring av faste data: {entity}, {count} endringer ({actor})",
            payload={"entity": entity, "count": count, "keys": keys, "actor": actor},
        )
    uow.register_states.save(state)


def _price_text(change: MasterDataChange) -> str:
    if change.field == "price":
        return change.new
    parts = change.new.rsplit(" | ", 2)
    return parts[1] if len(parts) == 3 else change.new


def _price_payload(change: MasterDataChange) -> JsonObject:
    try:
        old = Money.parse(change.old) if change.field == "price" else None
        return price_change_payload(change.key, old, Money.parse(_price_text(change)))
    except PosError:
        return {"sku": change.key, "old": change.old, "new": change.new}

"""Parking a sale (13010) and taking it up again at any till (13011): a parked sale taken
up at one till is locked for the others until it is completed, voided or parked again.
"""

from __future__ import annotations

from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.ledger.ports import SaleStatus
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.services.ledger.steps import journal, lock_register
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps
from omnipos_tui.services.sales.results import ParkedSale


def park(deps: SaleDeps, sale_id: str, note: str = "", *, employee: str) -> None:
    """Park a sale (with an optional note) so another can be rung; journaled (13010).

    The note helps the cashier find the sale again (F6); it stays with the parked sale and
    in the journal event's payload, and never reaches the receipt or the SAF-T export.

    Raises:
        NotFound: No such sale.
        RuleViolation: Empty, already parked, payments taken, or a card payment in
            progress.
    """
    with deps.units() as uow:
        record, sale = steps.load_for_change(uow, sale_id)
        steps.no_card_in_flight(uow, sale_id)
        if not sale.entries:
            raise RuleViolation(code="park.nothing")
        if sale.payments:
            raise RuleViolation(code="park.has_payments")
        sale.note = " ".join(note.split())
        state = lock_register(uow, sale.register_id)
        journal(
            uow,
            state,
            EventCode.PARK,
            deps.clock.now(),
            employee=employee,
            # The note is the cashier's reminder ("Hansen"): kept in the payload, but not in
            # the text that the SAF-T export carries as eventText.
            text=f"Parkert {sale_id}",
            payload={"sale_id": sale_id, "amount": sale.total().ore, "note": sale.note},
        )
        uow.register_states.save(state)
        steps.save(uow, record, sale, deps.clock.now(), status=SaleStatus.PARKED, held_by=None)
        uow.commit()


def parked(deps: SaleDeps, register_id: str | None = None) -> list[ParkedSale]:
    """Parked sales (of one register, or all), oldest first."""
    with deps.units(read_only=True) as uow:
        records = uow.open_sales.parked(register_id)
    return [
        ParkedSale(
            sale_id=r.sale_id,
            register_id=r.register_id,
            employee=r.employee,
            note=r.note,
            started_at=r.started_at,
            parked_at=r.updated_at,
            total=r.total,
            line_count=r.line_count,
        )
        for r in records
    ]


def resume(deps: SaleDeps, sale_id: str, register_id: str, *, employee: str) -> Sale:
    """Take a parked sale up again at a register; journaled (13011). While it is open
    there, no other register can take it.

    Raises:
        NotFound: No such sale.
        RuleViolation: Open at another register, training mode differs, or the
            employee has a sale with lines open at this register.
    """
    with deps.units() as uow:
        record, sale = steps.load(uow, sale_id)
        if record.status is SaleStatus.OPEN:
            if record.held_by == register_id and record.employee == employee:
                return sale
            raise RuleViolation(code="park.open_elsewhere", sale_id=sale_id, held_by=record.held_by)
        state = lock_register(uow, register_id)
        if state.training != sale.training:
            if sale.training:
                raise RuleViolation(code="park.training_sale", sale_id=sale_id)
            raise RuleViolation(code="park.real_sale", sale_id=sale_id)
        mine = uow.open_sales.find_open(register_id, employee)
        if mine is not None:
            if not mine.empty:
                raise RuleViolation(code="park.finish_first")
            uow.open_sales.remove(mine.sale_id)
        sale.register_id, sale.employee = register_id, employee
        journal(
            uow,
            state,
            EventCode.RESUME,
            deps.clock.now(),
            employee=employee,
            text=f"Hentet parkert {sale_id}",
            payload={"sale_id": sale_id, "amount": sale.total().ore},
        )
        uow.register_states.save(state)
        steps.save(uow, record, sale, deps.clock.now(), status=SaleStatus.OPEN, held_by=register_id)
        uow.commit()
    return sale

"""What the till's header and lock screen show about a register: who is logged in, the
mode, the next receipt number, parked sales and card payments in flight, the last Z."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from omnipos_tui.core.ledger.ports import RegisterState
from omnipos_tui.core.ledger.transaction import ReceiptSeries
from omnipos_tui.core.repositories import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class RegisterStatus:
    """What the till's header and lock screen show about a register.

    Attributes:
        register_id: The register.
        name: Its name ("Kasse 1").
        employee: The employee logged in, or None.
        training: Training mode is on.
        next_receipt_number: The number the next sales receipt gets (training receipts
            when training is on).
        parked: Parked sales of this register.
        parked_everywhere: Parked sales of all registers.
        pending_payments: Card payments of this register still pending or unknown.
        last_z_at: When the register's last Z report was made, or None.
        last_z_day: The business day of that Z report, or None.
        business_day: Today's business day.
        z_done_today: Today's Z report was made (sales now count on tomorrow's).
        last_nr: The last signed transaction number.
        shop_name: The company's name ("Butikk AS"), or "" before the shop is set up.
    """

    register_id: str
    name: str
    employee: str | None
    training: bool
    next_receipt_number: int
    parked: int
    parked_everywhere: int
    pending_payments: int
    last_z_at: datetime | None
    last_z_day: date | None
    business_day: date
    z_done_today: bool
    last_nr: int
    shop_name: str = ""


def register_status(units: UnitOfWorkFactory, register_id: str, today: date) -> RegisterStatus:
    """The register's status for the header and the lock screen on business day
    ``today``."""
    with units(read_only=True) as uow:
        state = uow.register_states.get(register_id) or RegisterState(register_id)
        name = next(
            (r.name for r in uow.shop.registers() if r.register_id == register_id),
            f"Kasse {register_id}",
        )
        parked_all = uow.open_sales.parked()
        pending = uow.pending_payments.unsettled(register_id)
        last_z = uow.journal.last_z(register_id)
        company = uow.shop.company()
    series = ReceiptSeries.TRAINING if state.training else ReceiptSeries.SALE
    return RegisterStatus(
        register_id=register_id,
        name=name,
        employee=state.employee,
        training=state.training,
        next_receipt_number=state.next_receipt_peek(series),
        parked=sum(1 for p in parked_all if p.register_id == register_id),
        parked_everywhere=len(parked_all),
        pending_payments=len(pending),
        last_z_at=None if last_z is None else last_z.at,
        last_z_day=None if last_z is None else last_z.business_day,
        business_day=today,
        z_done_today=last_z is not None and last_z.business_day == today,
        last_nr=state.last_nr,
        shop_name="" if company is None else company.name,
    )

"""Opening a sale at a register (or finding the one left open by a restart) and reading
the open sale back."""

from __future__ import annotations

from omnipos_tui.core.errors import NotFound
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.sales.snapshot import sale_from_dict
from omnipos_tui.services.ledger.steps import lock_register
from omnipos_tui.services.sales import steps
from omnipos_tui.services.sales.deps import SaleDeps


def resume_or_open(deps: SaleDeps, register_id: str, employee: str) -> Sale:
    """The employee's open sale on this register (after a restart: crash recovery),
    else a new one in the register's mode (training or not).

    Raises:
        NotFound: No such employee.
        InvalidInput: The register id is not valid.
    """
    with deps.units() as uow:
        record = uow.open_sales.find_open(register_id, employee)
        if record is not None:
            return sale_from_dict(record.snapshot)
        if uow.staff.get(employee) is None:
            raise NotFound(code="sale.unknown_cashier", number=employee)
        state = lock_register(uow, register_id)
        sale = Sale(
            sale_id=state.next_sale_id(),
            register_id=register_id,
            employee=employee,
            started_at=deps.clock.now(),
            training=state.training,
        )
        uow.open_sales.add(steps.new_record(sale))
        uow.register_states.save(state)
        uow.commit()
    return sale


def current(deps: SaleDeps, sale_id: str) -> Sale:
    """The open or parked sale as stored.

    Raises:
        NotFound: No such sale.
        RuleViolation: It was completed.
    """
    with deps.units(read_only=True) as uow:
        return steps.load(uow, sale_id)[1]

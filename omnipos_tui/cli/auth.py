"""Who is at the keyboard: the employee behind a command that changes data.

Every ``omnipos`` command that changes data or closes the day takes ``--employee N`` (or
``OMNIPOS_EMPLOYEE``) and that employee's PIN, asked for without echo (``OMNIPOS_PIN`` for
scripts; a hidden ``--pin`` exists for tests and leaves the PIN in the shell history). It
calls :func:`who` before it writes anything; :func:`who` checks the PIN and the role with
the till's own approval code (:meth:`RegisterService.approve`): a wrong PIN counts toward
the same five-in-a-row lock-out as at the till, and each refusal is journaled (13999) on
this register. The command then passes ``employee.number`` on to what it writes, so the
journal event names the employee.

Read-only commands (lists, shows, checks, exports, reports but the Z) take no PIN: anybody who
can run ``omnipos`` as the shop's system user can read the database file anyway; what
protects the files is their mode (README, "Who is at the keyboard").

Use in a new command::

    @app.command("frobnicate")
    def frobnicate(ctx: typer.Context, employee: EmployeeOption = None, pin: PinOption = None):
        me = who(ctx, employee, pin, role=Role.MANAGER)
        services(ctx).thing.frobnicate(employee=me.number)
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.state import services
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.staff.employee import Employee, Role

__all__ = ["EmployeeOption", "PinOption", "Role", "who"]

EmployeeOption = Annotated[
    str | None,
    typer.Option(
        "--employee",
        envvar="OMNIPOS_EMPLOYEE",
        help="Your employee number: this command changes data, so it asks for your PIN "
        "(hidden; OMNIPOS_PIN for scripts) and journals you. Default: $OMNIPOS_EMPLOYEE.",
        metavar="NUMBER",
        show_default=False,
    ),
]
PinOption = Annotated[
    str | None,
    typer.Option(
        "--pin",
        envvar="OMNIPOS_PIN",
        help="Your PIN (prefer the hidden prompt or OMNIPOS_PIN).",
        hidden=True,
        show_default=False,
    ),
]


def who(
    ctx: typer.Context,
    employee: str | None,
    pin: str | None,
    *,
    role: Role = Role.CASHIER,
    action: str | None = None,
    journaled: bool = True,
) -> Employee:
    """The employee at the keyboard, their PIN and role checked as the till checks them.

    Args:
        ctx: The command's context.
        employee: ``--employee`` (or ``OMNIPOS_EMPLOYEE``).
        pin: ``--pin`` (or ``OMNIPOS_PIN``); asked for, hidden, when None.
        role: The least role that may run the command.
        action: What is done, for the journal of a refusal (default: the command line's
            command, e.g. "omnipos employees add").
        journaled: False only before a migration, on a schema older than this code: the
            PIN and the role are checked and a wrong PIN counts toward the lock-out, but a
            refusal is not journaled (the journal is written only on the current schema).

    Raises:
        InvalidInput: No employee was given.
        AuthenticationError: Unknown number, disabled employee or wrong PIN (counted toward
            the lock-out, and journaled).
        EmployeeLocked: Locked after too many wrong PINs.
        PermissionDenied: The employee's role is below ``role`` (journaled).
    """
    number = (employee or "").strip()
    command = action or ctx.command_path
    if not number:
        raise InvalidInput(code="staff.employee_needed", command=command, role=role)
    code = (
        pin if pin is not None else typer.prompt(f"Your PIN (employee {number})", hide_input=True)
    )
    app = services(ctx)
    if not journaled:
        return app.staff.approve(number, code.strip(), needed=role)
    return app.register.approve(
        app.settings.shop.register_id,
        number,
        code.strip(),
        employee=number,
        action=command,
        needed=role,
    )

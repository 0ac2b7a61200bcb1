"""Fakes for the services the till calls (the real services come in phase 2).

The fakes implement the same interfaces the real services will (``authenticate`` and
``SaleController``); they keep their state in memory and use the real core types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from omnipos_tui.core.errors import AuthenticationError, EmployeeLocked, NotFound
from omnipos_tui.core.money import Money
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.ui.actions import Action, Cancel, EnterCode, Simple
from omnipos_tui.ui.app import OmniposTill
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.views import (
    HeaderView,
    LastEvent,
    Light,
    LightState,
    LoginInfo,
    SaleRow,
    SaleView,
    TotalsView,
)

FROZEN = datetime(2026, 11, 27, 13, 32, tzinfo=UTC)  # 14:32 in Oslo

LIGHTS = {
    Light.PRINTER: LightState.OK,
    Light.DRAWER: LightState.OK,
    Light.TERMINAL: LightState.WARNING,
    Light.SCANNER: LightState.OK,
    Light.DATABASE: LightState.OK,
}

CATALOGUE: dict[str, tuple[str, Money]] = {
    "7038010009457": ("Tine Lettmelk 1 l", Money(2190)),
    "7020650001007": ("Grandiosa Original", Money(6490)),
    "5449000000996": ("Coca-Cola 0,5 l", Money(2990)),
    "2000": ("Bærepose", Money(200)),
    "7041011050148": ("Kaffe Evergood 250 g", Money(5990)),
}


@dataclass
class FakeStaff:
    """The staff service's log-in check: 5 wrong PINs lock the employee."""

    pins: dict[str, tuple[Employee, str]] = field(
        default_factory=lambda: {
            "1043": (Employee("1043", "Kari Nordmann", Role.CASHIER), "1234"),
            "2": (Employee("2", "Mona Leder", Role.MANAGER), "9999"),
        }
    )
    failures: dict[str, int] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def authenticate(self, number: str, pin: str) -> Employee:
        self.calls.append(number)
        if self.failures.get(number, 0) >= 5:
            raise EmployeeLocked(seconds_left=280)
        known = self.pins.get(number)
        if known is None or known[1] != pin:
            self.failures[number] = self.failures.get(number, 0) + 1
            raise AuthenticationError("wrong employee number or PIN")
        self.failures[number] = 0
        return known[0]


@dataclass
class FakeSale:
    """A sale kept in memory: sells from CATALOGUE, voids the last line."""

    rows: list[SaleRow] = field(default_factory=list)
    actions: list[tuple[Action, int | None]] = field(default_factory=list)
    cashier: str = ""
    total: Money = field(default_factory=Money.zero)
    preset: SaleView | None = None

    def start(self, employee: Employee) -> SaleView:
        self.cashier = f"{employee.first_name} ({employee.number})"
        return self.preset if self.preset is not None else self.view()

    def view(self, event: LastEvent | None = None) -> SaleView:
        return SaleView(
            header=HeaderView(
                register="1", cashier=self.cashier, receipt_no="000123", lights=LIGHTS
            ),
            rows=tuple(self.rows),
            totals=TotalsView(
                item_count=sum(1 for r in self.rows if not r.voided and r.qty_text != "-1"),
                total_text=self.total.format(),
            ),
            last_event=event,
        )

    def handle(self, action: Action, selected: int | None) -> SaleView | None:
        self.actions.append((action, selected))
        if isinstance(action, EnterCode):
            item = CATALOGUE.get(action.code)
            if item is None:
                raise NotFound(f"Ukjent strekkode {action.code}")
            name, price = item
            quantity = action.quantity or Decimal(1)
            amount = price.times(quantity)
            self.total += amount
            self.rows.append(
                SaleRow(
                    no=len(self.rows) + 1,
                    name=name,
                    qty_text=str(quantity).replace(".", ","),
                    unit_price_text=price.format(),
                    amount_text=amount.format(),
                )
            )
            return self.view(LastEvent(f"{name}  {amount.format()}"))
        if isinstance(action, Simple) and action.command is Command.VOID and self.rows:
            index = selected if selected is not None else len(self.rows) - 1
            target = self.rows[index]
            self.rows[index] = SaleRow(
                target.no,
                target.name,
                target.qty_text,
                target.unit_price_text,
                target.amount_text,
                voided=True,
            )
            self.total -= Money.parse(target.amount_text)
            self.rows.append(
                SaleRow(
                    len(self.rows) + 1,
                    f"ANNULLERT linje {target.no}",
                    "-1",
                    target.unit_price_text,
                    f"-{target.amount_text}",
                )
            )
            return self.view(LastEvent(f"Annullert: {target.name}"))
        if isinstance(action, Cancel):
            return None
        return None


def login_info() -> LoginInfo:
    return LoginInfo(
        register="1",
        shop="Butikk AS",
        business_day=date(2026, 11, 27),
        last_z=datetime(2026, 11, 26, 20, 4, tzinfo=UTC),
        parked=2,
        unprinted=0,
        lights=LIGHTS,
    )


AppFactory = Callable[..., OmniposTill]

"""The till session: who is logged in at which register, the sale on screen, and the way
from the services' state to the :class:`SaleView` the screens draw.

Both the sale controller and the dialogs work through one :class:`TillSession`. It holds no
business rules: the services decide, the session remembers what the screen needs between
keys (the sale id, the last event, the header lights) and formats it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from omnipos_tui.bootstrap import Devices, Services
from omnipos_tui.core.errors import RuleViolation
from omnipos_tui.core.ledger.transaction import LineKind, TransactionLine
from omnipos_tui.core.money import Money
from omnipos_tui.core.sales.lines import effective_quantities
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.services.sales import opening
from omnipos_tui.ui.i18n import Translator
from omnipos_tui.ui.views import (
    HeaderView,
    LastEvent,
    Light,
    LightState,
    PaymentView,
    SaleRow,
    SaleView,
    TotalsView,
    all_lights,
)

if TYPE_CHECKING:
    from omnipos_tui.services.orders.pickup import HandOver
    from omnipos_tui.services.sales.results import CompletedSale

T = TypeVar("T")


def quantity_text(quantity: Decimal) -> str:
    """A quantity as the till shows it: ``2``, ``-1``, ``0,456``."""
    if quantity == quantity.to_integral_value():
        return str(int(quantity))
    return format(quantity.normalize(), "f").replace(".", ",")


def percent_text(percent: Decimal) -> str:
    """A VAT or discount rate: ``25 %``, ``11,11 %``."""
    return quantity_text(percent) + " %"


class TillSession:
    """One till at one register: the services, who is logged in and the sale on screen.

    Attributes:
        services: Everything from ``bootstrap.build``.
        register_id: This till's register.
        translator: Texts in the till's language.
        employee: Who is logged in, or None (lock screen).
        sale_id: The open sale on screen, or None before log-in.
        last_event: What row 19 shows, or None.
        change: Change to show in the big-total slot until the next input, or None.
        lights: The header lights as last measured.
        printer_queue: Receipts waiting in the print queue (shown next to the printer light).
        receipt_no: The next receipt number as shown in the header, or "".
        shop_name: The shop's name for the header, or "" until it has been read.
        warning: Row 21's standing warning (print queue, drawer open), or "".
        paying: The payment panel is open (it replaces the sale lines).
        payment_message: The last tender's outcome for the panel, and whether it is good.
        printer_warning: The receipt printer's pre-flight warning for the panel, or "".
        drawer_open: The drawer sensor says open (R-3: selling and completing refused).
        drawer_open_since: When the drawer was first read open (this opening), or None.
        unknown_scan: ``(sale id, code)`` of a scanned code the catalogue does not know and
            the cashier has not yet removed (``-``) or rung by group (F3); it blocks
            payment of that sale (TILL-UX §2.2). Use :attr:`unresolved_scan`.
    """

    def __init__(
        self, services: Services, translator: Translator, *, register_id: str | None = None
    ) -> None:
        """Start a session (nobody logged in yet).

        Args:
            services: The services from ``bootstrap.build``.
            translator: The till's language.
            register_id: This till's register; ``settings.shop.register_id`` by default.
        """
        self.services = services
        self.translator = translator
        self.register_id = register_id or services.settings.shop.register_id
        self.employee: Employee | None = None
        self.sale_id: str | None = None
        self.last_event: LastEvent | None = None
        self.change: Money | None = None
        self.lights: dict[Light, LightState] = dict(all_lights())
        self.lights[Light.DATABASE] = LightState.OK
        self.printer_queue = 0
        self.receipt_no = ""
        self.shop_name = ""
        self.warning = ""
        self.paying = False
        self.payment_message: tuple[str, bool] = ("", True)
        self.printer_warning = ""
        self.drawer_open = False
        self.unknown_scan: tuple[str, str] | None = None
        self.drawer_open_since: datetime | None = None
        #: Has the paper a commit queued delivered (a voided sale's receipt, a hand-over's
        #: delivery receipt): the till's device side, set by ``ui.wiring``. Never None
        #: in a running till; a session built alone in a test delivers nothing.
        self.paper_queued: Callable[[CompletedSale | HandOver], None] | None = None

    # --- plumbing ---------------------------------------------------------------------

    @property
    def devices(self) -> Devices:
        """The till's devices (built on first use; nothing is opened until used)."""
        return self.services.devices()

    async def run_blocking(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in a worker thread and return its result (or raise its error).

        Device calls and slow service calls go through here so the screen stays live.
        """
        return await asyncio.to_thread(fn)

    @property
    def employee_number(self) -> str:
        """The logged-in employee's number.

        Raises:
            RuleViolation: Nobody is logged in.
        """
        if self.employee is None:
            raise RuleViolation("nobody is logged in at this till")
        return self.employee.number

    @property
    def current_sale_id(self) -> str:
        """The open sale's id.

        Raises:
            RuleViolation: No sale is open (nobody logged in).
        """
        if self.sale_id is None:
            raise RuleViolation("no sale is open at this till")
        return self.sale_id

    def sale(self) -> Sale:
        """The open sale as stored.

        Raises:
            PosError: It cannot be read.
        """
        return opening.current(self.services.sales, self.current_sale_id)

    def open_sale(self) -> Sale:
        """The logged-in employee's open sale on this register, restored or new; it becomes
        the sale on screen.

        Raises:
            PosError: The sale cannot be opened.
        """
        sale = opening.resume_or_open(self.services.sales, self.register_id, self.employee_number)
        self.sale_id = sale.sale_id
        self.refresh_receipt_no()
        return sale

    def refresh_receipt_no(self) -> None:
        """Read the next receipt number (and the shop's name) for the header again."""
        status = self.services.register.status(self.register_id)
        self.receipt_no = f"{status.next_receipt_number:06d}"
        self.shop_name = status.shop_name

    @property
    def unresolved_scan(self) -> str | None:
        """The unknown scanned code blocking payment of the sale on screen, or None (a
        sale parked or completed since leaves its unknown scan behind)."""
        if self.unknown_scan is None or self.unknown_scan[0] != self.sale_id:
            return None
        return self.unknown_scan[1]

    def drawer_warning(self, is_open: bool) -> str:
        """Row 21's text for a drawer reading: "" when shut, "open" at first, and the
        standing "Lukk kassaskuffen" once it has been open ``[till]
        drawer_open_warning_s`` (TILL-UX §2.4). Time comes from the services' clock."""
        if not is_open:
            self.drawer_open_since = None
            return ""
        now = self.services.clock.now()
        if self.drawer_open_since is None:
            self.drawer_open_since = now
        limit = timedelta(seconds=self.services.settings.till.drawer_open_warning_s)
        if now - self.drawer_open_since >= limit:
            return self.translator.text("drawer.close_first")
        return self.translator.text("warning.drawer_open")

    def set_lights(self, lights: Mapping[Light, LightState]) -> None:
        """Update some header lights (the others keep their state)."""
        self.lights.update(lights)

    # --- the view ---------------------------------------------------------------------

    def view(self, sale: Sale | None = None, *, selected: int | None = None) -> SaleView:
        """The sale view for ``sale`` (by default the stored open sale).

        Raises:
            PosError: The sale cannot be read.
        """
        sale = sale if sale is not None else self.sale()
        rows = self.rows(sale)
        return SaleView(
            header=self.header(),
            rows=rows,
            selected=selected if selected is not None and selected < len(rows) else None,
            totals=self.totals(sale),
            last_event=self.last_event,
            warning=self.warning,
            training=sale.training,
            payment=self.payment(sale) if self.paying else None,
        )

    def header(self) -> HeaderView:
        """Row 0: register, cashier, next receipt number, lights and print queue."""
        employee = self.employee
        cashier = f"{employee.first_name} ({employee.number})" if employee is not None else ""
        return HeaderView(
            register=self.register_id,
            cashier=cashier,
            receipt_no=self.receipt_no,
            lights=MappingProxyType(dict(self.lights)),
            printer_queue=self.printer_queue,
            shop=self.shop_name,
        )

    def payment(self, sale: Sale) -> PaymentView:
        """The payment panel: total, remaining, cash rounded, the tenders taken."""
        t = self.translator
        paid = tuple(
            t.text(f"tender.{p.tender.value}")
            + " "
            + p.amount.format(thousands=True)
            + (" " + t.text("pay.tip", tip=p.tip.format(thousands=True)) if p.tip else "")
            for p in sale.payments
        )
        message, ok = self.payment_message
        total = sale.total() + sale.rounding()
        refund = total.ore < 0
        # A return is shown as what goes back to the customer, never as a negative amount
        # to pay.
        sign = -1 if refund else 1
        return PaymentView(
            total_text=(total * sign).format(thousands=True),
            remaining_text=(sale.remaining() * sign).format(thousands=True),
            cash_text=(sale.cash_due() * sign).format(thousands=True),
            paid=paid,
            message=message,
            message_ok=ok,
            printer_warning=self.printer_warning,
            refund=refund,
        )

    def rows(self, sale: Sale) -> tuple[SaleRow, ...]:
        """The sale list rows: one per registration, voided lines dimmed."""
        left = effective_quantities(sale.entries)
        t = self.translator
        rows: list[SaleRow] = []
        for line in sale.lines():
            voided = line.kind is not LineKind.CORRECTION and left.get(line.line_no) == 0
            name = line.name
            if line.kind is LineKind.CORRECTION and line.corrects_line is not None:
                name = t.text("list.correction", line=line.corrects_line)
            rows.append(
                SaleRow(
                    no=line.line_no,
                    name=name,
                    qty_text=quantity_text(line.quantity),
                    unit_price_text=line.unit_price.format(thousands=True),
                    amount_text=line.amount.format(thousands=True),
                    voided=voided,
                    note=_discount_note(line),
                )
            )
        return tuple(rows)

    def totals(self, sale: Sale) -> TotalsView:
        """Rows 17-18: item count, discount, VAT per rate, and the amount still to pay."""
        left = effective_quantities(sale.entries)
        items = sum(
            (int(q) if q == q.to_integral_value() else 1)
            for no, q in left.items()
            if q > 0 and sale.line(no).kind is LineKind.ITEM
        )
        percents: dict[str, Decimal] = {}
        for line in sale.lines():
            percents.setdefault(line.vat_code, line.vat_percent)
        vat = tuple(
            (percent_text(percents[code]), amounts[1].format(thousands=True))
            for code, amounts in sorted(
                sale.vat_by_rate().items(), key=lambda item: -percents.get(item[0], Decimal(0))
            )
            if amounts[1].ore != 0
        )
        discount = sale.discount_total()
        remaining = sale.remaining()
        refund = remaining.ore < 0
        return TotalsView(
            item_count=items,
            discount_text=(-discount).format(thousands=True) if discount.ore else "",
            vat=vat,
            total_text=abs(remaining).format(thousands=True),
            change_text=self.change.format(thousands=True) if self.change is not None else "",
            refund=refund,
        )


def _discount_note(line: TransactionLine) -> str:
    """A short note after the name: the line's own discount."""
    discount = line.discount
    if discount is None or discount.amount.ore == 0:
        return ""
    if discount.percent is not None:
        return "-" + percent_text(discount.percent)
    return (-discount.amount).format(thousands=True)

"""What each F12 menu item does: the services carry it out (and decide what needs a
manager); reports and receipts are printed after they are journaled; the outcome shows on
the sale screen's last-event line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType

from omnipos_tui.core.clock import local
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import PosError, RuleViolation
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.layout import report_document
from omnipos_tui.core.reports.model import Report
from omnipos_tui.core.sales.lines import effective_quantities
from omnipos_tui.services.sales import completion, receipts, ringing
from omnipos_tui.services.sales.results import CompletedSale
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.cash_count import CashCountScreen, ReportScreen
from omnipos_tui.ui.screens.confirm import ConfirmScreen
from omnipos_tui.ui.screens.customer import CustomerScreen
from omnipos_tui.ui.screens.feedback import done, failed, open_drawer, print_document
from omnipos_tui.ui.screens.menu import MenuItem, MenuScreen
from omnipos_tui.ui.screens.menu_tools import (
    CashMovement,
    CashMovementScreen,
    HardwareScreen,
    PrintQueueScreen,
    ReceiptNumberScreen,
)
from omnipos_tui.ui.screens.order_actions import open_orders
from omnipos_tui.ui.screens.override import with_approval
from omnipos_tui.ui.screens.returns import receipt_id
from omnipos_tui.ui.screens.sale import LockRequested, SaleScreen
from omnipos_tui.ui.screens.stock_actions import open_count, open_goods_receipt
from omnipos_tui.ui.session import TillSession

log = logging.getLogger(__name__)

Handler = Callable[[TillSession, SaleScreen], None]


def open_menu(session: TillSession, screen: SaleScreen) -> None:
    """Open the F12 menu; the chosen item runs when it closes.

    Raises:
        PosError: The register's status cannot be read.
    """
    status = session.services.register.status(session.register_id)
    try:
        queued = len(session.devices.print_queue.pending())
    except PosError:
        queued = session.printer_queue

    def chosen(item: MenuItem | None) -> None:
        if item is None:
            return
        try:
            HANDLERS[item](session, screen)
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))

    menu = MenuScreen(session, training=status.training, queued=queued)
    screen.app.push_screen(menu, chosen)
    _prepare_reports(session, screen)


def _prepare_reports(session: TillSession, screen: SaleScreen) -> None:
    """While the cashier picks from the menu (and counts the cash for a Z report), read the
    period an X/Z report counts into the cache in the background: after a restart of the
    till the report then need not read the whole day while the cashier waits."""
    reports = session.services.reports  # built (its modules imported) on the app's thread
    register_id = session.register_id

    async def prepare() -> None:
        started = time.perf_counter()
        try:
            count = await session.run_blocking(lambda: reports.prepare(register_id))
        except PosError as error:
            log.warning("reports not prepared: %s", error)
            return
        log.info(
            "reports prepared: %d transactions since the last Z in %.0f ms",
            count,
            (time.perf_counter() - started) * 1000,
        )

    screen.app.run_worker(prepare(), group="reports", exit_on_error=False)


# --- reports ---------------------------------------------------------------------------


def _show_report(session: TillSession, screen: SaleScreen, report: Report, text: str) -> None:
    done(session, screen, text)
    print_document(session, screen, report_document(report), report=True)
    screen.app.push_screen(ReportScreen(session, report))


def _x_report(session: TillSession, screen: SaleScreen) -> None:
    report = session.services.reports.x_report(
        session.register_id, employee=session.employee_number
    )
    _show_report(
        session, screen, report, session.translator.text("menu.x_done", number=report.report_no)
    )


def _z_report(session: TillSession, screen: SaleScreen) -> None:
    """Before the cash is counted: refuse at once when today's Z is taken, and ask when the
    day looks unfinished (the shop is still open, or the sales are from an earlier day)."""
    t = session.translator.text
    reports = session.services.reports
    outlook = reports.z_outlook(session.register_id)
    if outlook.taken_at is not None:
        raise RuleViolation(
            t(
                "z.taken",
                day=outlook.business_day.strftime("%d.%m.%Y"),
                at=local(outlook.taken_at).strftime("%H:%M"),
            )
        )
    status = session.services.register.status(session.register_id)
    if status.parked or status.pending_payments:
        # Saves a count the report service would refuse anyway; it still decides.
        raise RuleViolation(
            session.translator.text(
                "menu.z_blocked", parked=status.parked, pending=status.pending_payments
            )
        )

    def counted(count: dict[TenderKind, Money] | None) -> None:
        if count is None:
            return
        try:
            report = session.services.reports.z_report(
                session.register_id, employee=session.employee_number, counted_cash=count
            )
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        text = session.translator.text("menu.z_done", number=report.report_no)
        _show_report(session, screen, report, text)

    if not outlook.unfinished:
        screen.app.push_screen(CashCountScreen(session), counted)
        return

    def answered(yes: bool | None) -> None:
        if yes:
            screen.app.push_screen(CashCountScreen(session), counted)

    day = outlook.business_day.strftime("%d.%m.%Y")
    lines = []
    if outlook.closes_at is not None:
        lines.append(t("z.shop_open", closes=outlook.closes_at.strftime("%H:%M")))
    if outlook.last_sale_day is not None:
        lines.append(t("z.earlier_sales", sold=outlook.last_sale_day.strftime("%d.%m.%Y"), day=day))
    lines += ["", t("z.closes_day", day=day)]
    screen.app.push_screen(ConfirmScreen(session, t("z.early_title"), lines, t("z.yes")), answered)


# --- receipts ----------------------------------------------------------------------------


def _copy(session: TillSession, screen: SaleScreen) -> None:
    sales = session.services.sales
    last = receipts.last_receipt_id(sales, session.register_id)
    t = session.translator.text

    def numbered(receipt: str | None) -> None:
        if receipt is None:
            return
        try:
            document = receipts.copy_receipt(
                sales,
                receipt_id(receipt, session.register_id),
                employee=session.employee_number,
                register_id=session.register_id,
            )
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        done(session, screen, t("menu.copy_done", receipt=receipt))
        print_document(session, screen, document)

    screen.app.push_screen(ReceiptNumberScreen(session, t("menu.copy"), last), numbered)


def _pro_forma(session: TillSession, screen: SaleScreen) -> None:
    document = receipts.pro_forma(
        session.services.sales, session.current_sale_id, employee=session.employee_number
    )
    done(session, screen, session.translator.text("menu.proforma_done"))
    print_document(session, screen, document)


# --- training, cash in/out ------------------------------------------------------------------


def _training(session: TillSession, screen: SaleScreen) -> None:
    register = session.services.register
    on = not register.status(session.register_id).training
    t = session.translator.text

    def switched(_none: None) -> None:
        try:
            # The empty sale of the old mode was dropped: open one in the new mode.
            session.open_sale()
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        done(session, screen, t("menu.training_now_on" if on else "menu.training_now_off"))

    with_approval(
        screen.app,
        session,
        lambda by: register.set_training(
            session.register_id, on, employee=session.employee_number, approved_by=by
        ),
        done=switched,
        fail=lambda message: failed(session, screen, message),
    )


def _movement(session: TillSession, screen: SaleScreen, *, out: bool) -> None:
    register = session.services.register
    t = session.translator.text
    move = register.cash_out if out else register.cash_in

    def entered(movement: CashMovement | None) -> None:
        if movement is None:
            return
        try:
            move(
                session.register_id,
                movement.amount,
                movement.reason,
                employee=session.employee_number,
            )
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        key = "menu.cash_out_done" if out else "menu.cash_in_done"
        open_drawer(session, screen, t(key, amount=movement.amount.format(thousands=True)))

    title = t("menu.cash_out" if out else "menu.cash_in")
    screen.app.push_screen(CashMovementScreen(session, title), entered)


# --- voiding the whole sale ----------------------------------------------------------------


def _void_sale(session: TillSession, screen: SaleScreen) -> None:
    """Ask, then (with a manager) register the open sale as a voided receipt (13028):
    numbered, signed, counted on X/Z as a void; the voided receipt, queued by the void's
    commit, is delivered by the till's paper and a new sale opens. The services refuse a
    sale with payments or a card payment in flight."""
    t = session.translator.text
    sale = session.sale()
    if not sale.entries:
        raise RuleViolation(t("void.nothing"))
    left = effective_quantities(sale.entries)
    live = sum(1 for quantity in left.values() if quantity)
    total = sale.total().format(thousands=True)
    lines = [
        t("void.lines", lines=len(sale.entries), live=live, total=total),
        "",
        t("void.what"),
    ]
    sales, sale_id = session.services.sales, session.current_sale_id

    def voided(completed: CompletedSale) -> None:
        try:
            session.open_sale()
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        done(session, screen, t("void.done", receipt=completed.receipt_id))
        # The void's commit queued its receipt (paper after money): delivered, not printed here.
        if session.paper_queued is not None:
            session.paper_queued(completed)

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        with_approval(
            screen.app,
            session,
            lambda by: completion.void_sale(
                sales, sale_id, employee=session.employee_number, approved_by=by
            ),
            done=voided,
            fail=lambda message: failed(session, screen, message),
        )

    screen.app.push_screen(ConfirmScreen(session, t("void.title"), lines, t("void.yes")), answered)


# --- the rest ---------------------------------------------------------------------------------


def _reprint(session: TillSession, screen: SaleScreen) -> None:
    screen.app.push_screen(PrintQueueScreen(session), lambda _none: screen.show(session.view()))


def _hardware(session: TillSession, screen: SaleScreen) -> None:
    screen.app.push_screen(HardwareScreen(session))


def _customer(session: TillSession, screen: SaleScreen) -> None:
    def chosen(customer: Customer | None) -> None:
        if customer is None:
            return
        try:
            ringing.attach_customer(
                session.services.sales, session.current_sale_id, customer.number
            )
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        done(session, screen, session.translator.text("menu.customer_done", name=customer.name))

    screen.app.push_screen(CustomerScreen(session), chosen)


def _lock(session: TillSession, screen: SaleScreen) -> None:
    screen.entry.clear()
    screen.post_message(LockRequested())


def _log_out(session: TillSession, screen: SaleScreen) -> None:
    session.services.register.log_out(session.register_id, session.employee_number)
    screen.entry.clear()
    screen.post_message(LockRequested(logged_out=True))


HANDLERS: Mapping[MenuItem, Handler] = MappingProxyType(
    {
        MenuItem.X_REPORT: _x_report,
        MenuItem.Z_REPORT: _z_report,
        MenuItem.COPY: _copy,
        MenuItem.PRO_FORMA: _pro_forma,
        MenuItem.TRAINING: _training,
        MenuItem.CASH_IN: lambda session, screen: _movement(session, screen, out=False),
        MenuItem.CASH_OUT: lambda session, screen: _movement(session, screen, out=True),
        MenuItem.REPRINT: _reprint,
        MenuItem.HARDWARE: _hardware,
        MenuItem.CUSTOMER: _customer,
        MenuItem.ORDERS: open_orders,
        MenuItem.RECEIVE: open_goods_receipt,
        MenuItem.COUNT: open_count,
        MenuItem.VOID_SALE: _void_sale,
        MenuItem.LOCK: _lock,
        MenuItem.LOG_OUT: _log_out,
    }
)

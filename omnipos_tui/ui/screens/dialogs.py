"""The dialog registry: which dialog each command opens, and what happens with its answer.

The sale screen offers every action it does not carry out itself to
:func:`open_dialog` (``open_dialog(command, session, screen, action) -> bool``). An opener
shows its dialog over the sale screen; when the dialog is dismissed, the opener hands the
answer to the services, and the sale screen shows the new view with the outcome on the
last-event line. Actions a service refuses for want of a manager go through the override
modal and are repeated once with the approving manager's number. A ``PosError`` raised
while opening is shown by the sale screen; one raised after a dialog closes is shown here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType

from omnipos_tui.core.errors import PosError, RuleViolation
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.services.sales import parking, pricing, returns, ringing
from omnipos_tui.ui.actions import (
    NO_RECEIPT,
    Action,
    Discount,
    DiscountKind,
    EnterCode,
    OpenRing,
    PriceCheck,
    ReturnReceipt,
    Search,
)
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.feedback import (
    done,
    failed,
    open_drawer,
    refuse_while_drawer_open,
)
from omnipos_tui.ui.screens.menu_actions import open_menu
from omnipos_tui.ui.screens.no_sale import NoSaleScreen
from omnipos_tui.ui.screens.open_ring import GroupPickerScreen, numbered_groups
from omnipos_tui.ui.screens.override import with_approval
from omnipos_tui.ui.screens.park import ParkNoteScreen, RecallScreen
from omnipos_tui.ui.screens.price_check import PriceCheckScreen
from omnipos_tui.ui.screens.returns import (
    LooseReturn,
    LooseReturnScreen,
    ReturnPick,
    ReturnScreen,
    receipt_id,
)
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.screens.search import SearchPick, SearchScreen
from omnipos_tui.ui.screens.stock_actions import open_stock_info
from omnipos_tui.ui.session import TillSession, quantity_text

log = logging.getLogger(__name__)

Opener = Callable[[TillSession, SaleScreen, Action], None]


def open_dialog(command: Command, session: TillSession, screen: SaleScreen, action: Action) -> bool:
    """Open the dialog for ``command`` over the sale screen.

    Returns:
        True when a dialog took the action; False when ``command`` has none here (the
        sale controller carries it out).

    Raises:
        PosError: The dialog cannot open (the service refused before anything was shown).
    """
    opener = OPENERS.get(command)
    if opener is None:
        return False
    opener(session, screen, action)
    return True


# --- search, price check -----------------------------------------------------------------


def _search(session: TillSession, screen: SaleScreen, action: Action) -> None:
    text = action.text if isinstance(action, Search) else ""

    def picked(pick: SearchPick | None) -> None:
        if pick is None:
            return
        try:
            refuse_while_drawer_open(session)
            result = ringing.add_item(
                session.services.sales,
                session.current_sale_id,
                pick.code,
                quantity=pick.quantity,
                employee=session.employee_number,
            )
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        line = result.line
        quantity = result.sale.quantity_of(line.line_no)
        text = f"{line.name}  {line.unit_price.format(thousands=True)}"
        if quantity != 1 or result.merged:
            text = f"{quantity_text(quantity)} × {text}"
        done(session, screen, text)

    screen.app.push_screen(SearchScreen(session, text), picked)


def _price_check(session: TillSession, screen: SaleScreen, action: Action) -> None:
    if not isinstance(action, PriceCheck):
        return
    product = ringing.price_lookup(
        session.services.sales, session.register_id, action.code, employee=session.employee_number
    )
    groups = {g.code: g.name for g in session.services.catalogue.groups()}
    screen.app.push_screen(PriceCheckScreen(session, product, groups.get(product.group, "")))


# --- returns -----------------------------------------------------------------------------


def _return(session: TillSession, screen: SaleScreen, action: Action) -> None:
    if isinstance(action, EnterCode):
        # A receipt's barcode scanned during the sale (TILL-UX §2.11).
        action = ReturnReceipt(receipt=action.code, scanned=True)
    if not isinstance(action, ReturnReceipt):
        return
    t = session.translator.text
    refuse_while_drawer_open(session)
    if action.receipt.strip() == NO_RECEIPT:
        screen.app.push_screen(LooseReturnScreen(session), lambda r: _loose(session, screen, r))
        return
    receipt = receipt_id(action.receipt, session.register_id)
    lines = returns.returnable_lines(session.services.sales, receipt)
    if not any(line.left for line in lines):
        raise RuleViolation(t("return.none"))

    def picked(picks: list[ReturnPick] | None) -> None:
        if not picks:
            return
        sales, added = session.services.sales, 0
        try:
            refuse_while_drawer_open(session)
            for pick in picks:
                returns.add_return(
                    sales,
                    session.current_sale_id,
                    receipt,
                    pick.line_no,
                    pick.quantity,
                    employee=session.employee_number,
                )
                added += 1
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        done(session, screen, t("return.added", count=added))

    screen.app.push_screen(ReturnScreen(session, receipt, lines), picked)


def _loose(session: TillSession, screen: SaleScreen, loose: LooseReturn | None) -> None:
    if loose is None:
        return
    sales = session.services.sales
    with_approval(
        screen.app,
        session,
        lambda by: returns.add_unreferenced_return(
            sales,
            session.current_sale_id,
            loose.code,
            loose.quantity,
            loose.reason,
            employee=session.employee_number,
            approved_by=by,
        ),
        done=lambda _sale: done(session, screen, session.translator.text("return.added", count=1)),
        fail=lambda message: failed(session, screen, message),
    )


# --- park and recall ----------------------------------------------------------------------


def _park(session: TillSession, screen: SaleScreen, action: Action) -> None:
    sale = session.sale()
    total = sale.total().format(thousands=True)

    def noted(note: str | None) -> None:
        if note is None:
            return
        try:
            parking.park(
                session.services.sales,
                session.current_sale_id,
                note,
                employee=session.employee_number,
            )
            session.open_sale()
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        done(session, screen, session.translator.text("park.done", total=total))

    screen.app.push_screen(ParkNoteScreen(session, total), noted)


def _recall(session: TillSession, screen: SaleScreen, action: Action) -> None:
    parked = parking.parked(session.services.sales, session.register_id)
    if not parked:
        raise RuleViolation(session.translator.text("recall.none"))

    def chosen(sale_id: str | None) -> None:
        if sale_id is None:
            return
        try:
            sale = parking.resume(
                session.services.sales,
                sale_id,
                session.register_id,
                employee=session.employee_number,
            )
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        session.sale_id = sale.sale_id
        done(
            session,
            screen,
            session.translator.text("recall.done", total=sale.total().format(thousands=True)),
        )

    screen.app.push_screen(RecallScreen(session, parked), chosen)


# --- discount, open ring -------------------------------------------------------------------


def _discount(session: TillSession, screen: SaleScreen, action: Action) -> None:
    if not isinstance(action, Discount):
        return
    employee = session.employee_number
    if action.kind is DiscountKind.PERCENT:
        spec = DiscountSpec.percent_off(action.value, employee=employee)
    elif action.kind is DiscountKind.AMOUNT:
        spec = DiscountSpec.amount_off(action.amount, employee=employee)
    else:
        spec = DiscountSpec.new_price(action.amount, employee=employee)
    sales, sale_id, t = session.services.sales, session.current_sale_id, session.translator.text
    selected = screen.selected
    rows = screen.view.rows
    if selected is not None and selected < len(rows):
        line_no = rows[selected].no
        with_approval(
            screen.app,
            session,
            lambda by: pricing.discount_line(
                sales, sale_id, line_no, spec, employee=employee, approved_by=by
            ),
            done=lambda _sale: done(session, screen, t("discount.done_line", line=line_no)),
            fail=lambda message: failed(session, screen, message),
        )
    else:
        with_approval(
            screen.app,
            session,
            lambda by: pricing.discount_sale(
                sales, sale_id, spec, employee=employee, approved_by=by
            ),
            done=lambda _sale: done(session, screen, t("discount.done_sale")),
            fail=lambda message: failed(session, screen, message),
        )


def _open_ring(session: TillSession, screen: SaleScreen, action: Action) -> None:
    if not isinstance(action, OpenRing):
        return
    groups = numbered_groups(session.services.catalogue.groups())
    amount = action.amount.times(action.quantity or Decimal(1))

    def ring(group_code: str | None) -> None:
        if group_code is None:
            return
        try:
            refuse_while_drawer_open(session)
            result = ringing.add_open_item(
                session.services.sales,
                session.current_sale_id,
                group_code,
                amount,
                employee=session.employee_number,
            )
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        # Rung by group: an unknown scan waiting for this is resolved (TILL-UX §2.2).
        session.unknown_scan = None
        text = session.translator.text(
            "group.sold", group=result.line.name, amount=amount.format(thousands=True)
        )
        done(session, screen, text)

    screen.app.push_screen(
        GroupPickerScreen(session, amount, groups),
        lambda group: ring(None if group is None else group.code),
    )


# --- no sale -------------------------------------------------------------------------------


def _no_sale(session: TillSession, screen: SaleScreen, action: Action) -> None:
    register = session.services.register

    def reasoned(reason: str | None) -> None:
        if reason is None:
            return
        with_approval(
            screen.app,
            session,
            lambda by: register.no_sale(
                session.register_id, reason, employee=session.employee_number, approved_by=by
            ),
            done=lambda _none: open_drawer(
                session, screen, session.translator.text("nosale.opened", reason=reason)
            ),
            fail=lambda message: failed(session, screen, message),
        )

    screen.app.push_screen(NoSaleScreen(session), reasoned)


def _menu(session: TillSession, screen: SaleScreen, action: Action) -> None:
    open_menu(session, screen)


#: Each command with a dialog, and its opener.
OPENERS: Mapping[Command, Opener] = MappingProxyType(
    {
        Command.SEARCH: _search,
        Command.PRICE_CHECK: _price_check,
        Command.RETURN: _return,
        Command.PARK: _park,
        Command.RECALL: _recall,
        Command.DISCOUNT: _discount,
        Command.OPEN_RING: _open_ring,
        Command.NO_SALE: _no_sale,
        Command.MENU: _menu,
        Command.STOCK_INFO: open_stock_info,
    }
)

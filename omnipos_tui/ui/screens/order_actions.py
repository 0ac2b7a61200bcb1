"""What the till's order list does (F12 menu, and an order's barcode scanned on the sale
screen): the pick-up (an order paid at the till comes into the sale; a prepaid one is
handed over with a delivery receipt), a new order (customer, items, then the order
confirmation and the pick list on the receipt printer), and the order's paper. The services
decide; the outcome shows on the sale screen's last-event line.
"""

from __future__ import annotations

from omnipos_tui.core.clock import business_day
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import PosError, RuleViolation
from omnipos_tui.core.orders.order import PaymentState
from omnipos_tui.services.orders import pickup
from omnipos_tui.services.stock.common import LineInput
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.customer import CustomerScreen
from omnipos_tui.ui.screens.feedback import done, failed, print_document, refuse_while_drawer_open
from omnipos_tui.ui.screens.order_entry import OrderEntryScreen
from omnipos_tui.ui.screens.orders import OrderChoice, OrdersScreen
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.session import TillSession


def open_orders(session: TillSession, screen: SaleScreen) -> None:
    """The order list: today's pick-ups and late orders; the choice runs when it closes.

    Raises:
        PosError: The orders cannot be read.
    """
    orders = session.services.orders.till_orders()
    today = business_day(session.services.clock.now())

    def chosen(choice: OrderChoice | None) -> None:
        if choice is None:
            return
        try:
            _carry_out(session, screen, choice)
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))

    screen.app.push_screen(OrdersScreen(session, orders, today), chosen)


def _carry_out(session: TillSession, screen: SaleScreen, choice: OrderChoice) -> None:
    t = session.translator.text
    if choice.kind == "new":
        new_order(session, screen)
        return
    assert choice.number is not None
    if choice.kind == "pickup":
        open_pickup(session, screen, str(choice.number))
        return
    orders = session.services.orders
    if choice.kind == "picklist":
        print_document(session, screen, orders.pick_list(choice.number))
        what = t("orders.picklist")
    else:
        print_document(session, screen, orders.confirmation(choice.number))
        what = t("orders.confirmation")
    done(session, screen, t("orders.printing", what=what, number=choice.number))


def open_pickup(session: TillSession, screen: SaleScreen, code: str) -> None:
    """The pick-up of the order a barcode or number names: into the sale (paid at the
    till or on account), or handed over with a delivery receipt (prepaid).

    Raises:
        PosError: Refused (no such order, nothing ready, finished, the drawer is open...).
    """
    t = session.translator.text
    refuse_while_drawer_open(session)
    number = pickup.order_number(code)
    order = session.services.orders.show(number).order
    if order.payment is PaymentState.PREPAID:
        handed = pickup.hand_over(
            session.services.sales,
            code,
            register_id=session.register_id,
            employee=session.employee_number,
        )
        # The hand-over's commit queued the delivery receipt: delivered, not printed here.
        if session.paper_queued is not None:
            session.paper_queued(handed)
        done(session, screen, t("orders.handed_over", number=number))
        return
    result = pickup.bring_into_sale(
        session.services.sales, session.current_sale_id, code, employee=session.employee_number
    )
    customer = session.services.orders.show(number).customer
    done(
        session,
        screen,
        t("orders.in_sale", number=number, customer=customer.name, lines=result.lines),
    )


def new_order(session: TillSession, screen: SaleScreen) -> None:
    """A new order: choose the customer, scan the items, make it, print its paper.

    Raises:
        RuleViolation: The till is in training mode.
    """
    t = session.translator.text
    if session.sale().training:
        raise RuleViolation(t("orders.training"))

    def lines_given(customer: Customer, lines: list[LineInput] | None) -> None:
        if not lines:
            return
        orders = session.services.orders
        try:
            details = orders.new(
                customer.number,
                lines,
                employee=session.employee_number,
                register_id=session.register_id,
            )
            confirmation = orders.confirmation(details.order.number)
            picking = orders.pick_list(details.order.number)
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        print_document(session, screen, confirmation)
        print_document(session, screen, picking)
        text = t("orders.created", number=details.order.number, customer=customer.name)
        waiting = sum(1 for line in details.order.lines if line.back_ordered)
        if waiting:
            text += " – " + t("orders.back_ordered", count=waiting)
        done(session, screen, text)

    def customer_chosen(customer: Customer | None) -> None:
        if customer is None:
            return
        screen.app.push_screen(
            OrderEntryScreen(session, customer), lambda lines: lines_given(customer, lines)
        )

    screen.app.push_screen(CustomerScreen(session), customer_chosen)

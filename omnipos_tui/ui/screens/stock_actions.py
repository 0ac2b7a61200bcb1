"""Opening the till's stock screens: the product-info key over the sale, and the F12 menu's
goods receipt (a manager) and count mode. The services decide; these only ask for a
manager where the action needs one and show the outcome on the sale screen."""

from __future__ import annotations

from collections.abc import Callable

from omnipos_tui.core.errors import PosError
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.core.stock.documents import CountStatus
from omnipos_tui.services.stock.documents import ReceiptResult
from omnipos_tui.ui.actions import Action, StockInfo
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.feedback import done, failed
from omnipos_tui.ui.screens.goods_receipt import GoodsReceiptScreen
from omnipos_tui.ui.screens.override import OverrideScreen
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.screens.stock_count import CountOutcome, StockCountScreen
from omnipos_tui.ui.screens.stock_info import StockInfoScreen
from omnipos_tui.ui.session import TillSession


def open_stock_info(session: TillSession, screen: SaleScreen, action: Action) -> None:
    """The stock of the typed code, else of the selected (or last) line, else of the next
    scan."""
    if not isinstance(action, StockInfo):
        return
    code = action.code
    if not code:
        every = session.sale().lines()
        lines = [line for line in every if line.sku]
        selected = screen.selected
        if selected is not None and 0 <= selected < len(every) and every[selected].sku:
            code = every[selected].sku
        elif lines:
            code = lines[-1].sku
    screen.app.push_screen(StockInfoScreen(session, code or None))


def _as_manager(
    session: TillSession, screen: SaleScreen, action: str, go: Callable[[str], None]
) -> None:
    """Run ``go(manager)`` at once for a manager, else after a manager's approval."""
    me = session.services.staff.get(session.employee_number)
    if me.active and me.role.allows(Role.MANAGER):
        go(me.number)
        return

    def approved(manager: str | None) -> None:
        if manager is None:
            failed(session, screen, session.translator.text("override.cancelled"))
            return
        go(manager)

    screen.app.push_screen(OverrideScreen(session, action), approved)


def open_goods_receipt(session: TillSession, screen: SaleScreen) -> None:
    """Goods receipt: a manager approves, then the receipt screen takes the scanner."""
    t = session.translator.text

    def received(result: ReceiptResult | None) -> None:
        if result is None:
            done(session, screen, "")
            return
        done(
            session,
            screen,
            t("receive.done", number=result.receipt.number, lines=len(result.receipt.lines)),
        )

    def start(_manager: str) -> None:
        screen.app.push_screen(GoodsReceiptScreen(session), received)

    _as_manager(session, screen, t("receive.approval"), start)


def open_count(session: TillSession, screen: SaleScreen) -> None:
    """Count mode: into the open count of the till's location, or (a manager approving)
    a new count of it."""
    t = session.translator.text
    documents = session.services.stock_documents
    location = session.services.stock.register_locations().get(session.register_id, "butikk")
    current = next(
        (
            c
            for c in documents.counts()
            if c.location == location and c.status is CountStatus.STARTED
        ),
        None,
    )

    def counted(outcome: CountOutcome, number: int) -> None:
        if outcome != "finish":
            done(session, screen, t("stockcount.paused", number=number))
            return

        def finish(manager: str) -> None:
            try:
                result = documents.finish_count(number, employee=manager)
            except PosError as error:
                failed(session, screen, error_text(error, session.translator))
                return
            done(session, screen, t("stockcount.finished", number=number, moves=result.moves))

        _as_manager(session, screen, t("stockcount.finish_approval"), finish)

    def count_into(number: int) -> None:
        count = documents.count(number)
        screen.app.push_screen(
            StockCountScreen(session, count), lambda outcome: counted(outcome, number)
        )

    if current is not None:
        count_into(current.number)
        return

    def start(manager: str) -> None:
        try:
            made, _ = documents.start_count(location, employee=manager)
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        count_into(made.number)

    _as_manager(session, screen, t("stockcount.approval"), start)

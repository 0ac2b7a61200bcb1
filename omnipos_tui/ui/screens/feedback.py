"""After a dialog: the outcome on the sale screen, and the paper and the drawer in workers.

Money first, paper after: the services have committed before anything here runs. A
document goes through the persistent print queue; when the printer fails, the document
stays queued, the header count says so, and the cashier is told; nothing is undone. The
drawer opens in a worker, never in training mode; while its sensor says open, no line is
registered (R-3).
"""

from __future__ import annotations

import logging

from omnipos_tui.core.document import Document
from omnipos_tui.core.errors import PosError, RuleViolation
from omnipos_tui.ui.i18n import error_text
from omnipos_tui.ui.screens.sale import SaleScreen
from omnipos_tui.ui.session import TillSession
from omnipos_tui.ui.views import LastEvent

log = logging.getLogger(__name__)

#: The print queue's name for the receipt printer and the (optional) report printer.
RECEIPT_PRINTER = "receipt"
REPORT_PRINTER = "reports"


def done(session: TillSession, screen: SaleScreen, text: str, *, ok: bool = True) -> None:
    """Show the sale as stored now, with ``text`` on the last-event line."""
    session.last_event = LastEvent(text, ok=ok)
    try:
        view = session.view()
    except PosError as error:
        screen.show_event(LastEvent(error_text(error, session.translator), ok=False))
        return
    screen.show(view)
    if not ok:
        screen.app.bell()


def failed(session: TillSession, screen: SaleScreen, text: str) -> None:
    """Show a refusal in red with the error tone; the sale is as it was."""
    log.info("dialog refused: %s", text)
    done(session, screen, text, ok=False)


def print_document(
    session: TillSession, screen: SaleScreen, document: Document, *, report: bool = False
) -> None:
    """Print ``document`` through the print queue in a worker (reports on the report
    printer when there is one); a failure keeps it queued and says so."""

    async def run() -> None:
        try:
            devices = session.devices
            queue = devices.print_queue
            name = REPORT_PRINTER if report and REPORT_PRINTER in devices.printers else None
            printer = name or RECEIPT_PRINTER
            job = await session.run_blocking(lambda: queue.submit(printer, document))
            session.printer_queue = len(await session.run_blocking(queue.pending))
        except PosError as error:
            failed(session, screen, error_text(error, session.translator))
            return
        if job.status.value != "done":
            why = job.last_error or job.status.value
            failed(session, screen, session.translator.text("menu.print_queued", error=why))
        elif screen.is_attached:
            screen.show(session.view())

    screen.run_worker(run(), group="dialog-print")


def refuse_while_drawer_open(session: TillSession) -> None:
    """R-3: no line is registered while the drawer sensor says open.

    Raises:
        RuleViolation: "Lukk kassaskuffen".
    """
    if session.drawer_open:
        raise RuleViolation(session.translator.text("drawer.close_first"))


def open_drawer(session: TillSession, screen: SaleScreen, text: str) -> None:
    """Open the drawer after a journaled opening (no-sale, cash in/out), then show ``text``;
    not in training mode and not without a drawer (both said on the event line)."""
    t = session.translator.text
    try:
        training = session.sale().training
        drawer = session.devices.drawer
    except PosError as error:
        failed(session, screen, error_text(error, session.translator))
        return
    if training:
        done(session, screen, t("drawer.training_shut", text=text))
        return
    if drawer is None:
        done(session, screen, t("drawer.none", text=text))
        return

    async def run() -> None:
        try:
            await session.run_blocking(drawer.open)
        except PosError as error:
            failed(
                session,
                screen,
                t("drawer.failed", text=text, error=error_text(error, session.translator)),
            )
            return
        done(session, screen, text)

    screen.run_worker(run(), group="dialog-drawer")

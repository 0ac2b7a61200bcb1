"""Putting the till together from the services: session, checkout, controller, devices,
dialogs and the app. ``omnipos till``, the benchmark and the tests all build it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.errors import PosError
from omnipos_tui.core.staff.employee import Employee
from omnipos_tui.ui.app import OmniposTill, build_app
from omnipos_tui.ui.checkout import Checkout
from omnipos_tui.ui.controller import TillController, make_dialog_opener
from omnipos_tui.ui.hardware import POLL_INTERVAL_S, TillHardware
from omnipos_tui.ui.i18n import Translator, error_text
from omnipos_tui.ui.keymap import keymap_files, load_keymap
from omnipos_tui.ui.session import TillSession
from omnipos_tui.ui.views import LoginInfo
from omnipos_tui.ui.wedge import WedgeDetector

if TYPE_CHECKING:
    from omnipos_tui.ui.actions import Action
    from omnipos_tui.ui.commands import Command
    from omnipos_tui.ui.screens.sale import SaleScreen


@dataclass(frozen=True, slots=True)
class Till:
    """A till ready to run.

    Attributes:
        app: The Textual app (``app.run()``).
        session: Who is logged in, the sale on screen.
        checkout: Tenders and completion.
        controller: The sale controller.
        hardware: Scanner channel, device lights, paper after money.
    """

    app: OmniposTill
    session: TillSession
    checkout: Checkout
    controller: TillController
    hardware: TillHardware


def build_till(
    services: Services,
    *,
    register_id: str | None = None,
    poll_interval: float = POLL_INTERVAL_S,
    debounce_s: float | None = None,
) -> Till:
    """The till for ``services`` at ``register_id`` (``settings.shop.register_id`` by default).

    Args:
        services: From ``bootstrap.build``.
        register_id: This till's register.
        poll_interval: Seconds between device readings (0: read once at start).
        debounce_s: Tender keys ignored this long after a completion; by default
            ``[till] post_sale_debounce_ms``.

    Raises:
        ConfigError: The language or the key map is not valid.
    """
    settings = services.settings
    keymap = load_keymap(*keymap_files(settings.till.keymap))
    translator = Translator(settings.shop.language, keymap)
    session = TillSession(services, translator, register_id=register_id)
    # This process is the register's till: its sales queue their paper in their own
    # commit, and it alone delivers them (services.sales.paper).
    paper = services.own_devices(session.register_id)
    hardware = TillHardware(session, paper, poll_interval=poll_interval)
    session.paper_queued = hardware.after_paper
    debounce = settings.till.post_sale_debounce_ms / 1000 if debounce_s is None else debounce_s
    checkout = Checkout(session, after_complete=hardware.after_sale, debounce_s=debounce)
    controller = TillController(session, checkout, keymap=keymap)
    scanner = settings.devices.scanner
    wedge = (
        WedgeDetector(max_gap_ms=settings.till.wedge_max_gap_ms, prefix=scanner.prefix)
        if scanner.kind == "wedge"
        else None
    )

    def authenticate(number: str, pin: str) -> Employee:
        return services.register.log_in(session.register_id, number, pin)

    def login_info() -> LoginInfo:
        try:
            status = services.register.status(session.register_id)
        except PosError as error:
            return LoginInfo(
                register=session.register_id,
                shop="",
                business_day=services.clock.now().date(),
                warning=error_text(error, translator),
            )
        return LoginInfo(
            register=session.register_id,
            shop=status.shop_name,
            business_day=status.business_day,
            last_z=status.last_z_at,
            parked=status.parked,
            unprinted=session.printer_queue,
            lights=dict(session.lights),
        )

    app = build_app(
        authenticate=authenticate,
        login_info=login_info,
        sale=controller,
        language=settings.shop.language,
        keymap=keymap,
        clock=services.clock.now,
        wedge=wedge,
        dialogs=make_dialog_opener(controller, _open_dialog),
        on_start=lambda app: _started(services, hardware, app),
        on_sale_screen=controller.resume_payments,
    )
    hardware.on_change = lambda: app.show_status(session.header(), session.warning)
    return Till(app, session, checkout, controller, hardware)


def _started(services: Services, hardware: TillHardware, app: OmniposTill) -> None:
    """After the log-in screen is drawn and the later screens are loaded: what the first
    sale needs is imported, then the device channels start."""
    services.prepare_for_sales()
    hardware.attach(app)


def _open_dialog(
    command: Command, session: TillSession, screen: SaleScreen, action: Action
) -> bool:
    """The dialog registry (``ui/screens/dialogs.open_dialog``), imported on first use: it
    loads every dialog, which the log-in screen does not wait for."""
    from omnipos_tui.ui.screens.dialogs import open_dialog

    return open_dialog(command, session, screen, action)

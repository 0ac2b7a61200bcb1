"""The path to the log-in screen stays lean: no driver libraries imported, devices started
only after the log-in screen has been drawn."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

import pytest

from omnipos_tui.core.clock import FixedClock
from omnipos_tui.startup import TILL_FPS
from omnipos_tui.ui import app as app_module
from omnipos_tui.ui.app import LATER_SCREENS, OmniposTill, build_app
from omnipos_tui.ui.screens.login import LoginScreen
from omnipos_tui.ui.screens.sale import SaleScreen

from .fakes import FROZEN, AppFactory, FakeSale, FakeStaff, login_info

HEAVY = ("escpos", "PIL", "qrcode", "serial", "evdev", "telium", "lxml")


def test_importing_the_till_and_the_services_loads_no_driver_or_export_library() -> None:
    probe = (
        "import sys, omnipos_tui.bootstrap, omnipos_tui.ui.wiring\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


#: Imported where first used, not by the modules a till or a command starts from.
LATER_AREAS = (
    "omnipos_tui.storage.orders",
    "omnipos_tui.storage.purchasing",
    "omnipos_tui.storage.stock",
    "omnipos_tui.storage.stock_documents",
    "omnipos_tui.storage.webshop",
    "omnipos_tui.storage.export_reader",
    "omnipos_tui.core.orders.ports",
    "omnipos_tui.core.stock.ports",
    "omnipos_tui.core.webshop.ports",
    "omnipos_tui.services.catalogue.product_csv",
    "omnipos_tui.services.ledger.export",
    "omnipos_tui.services.stock.posting",
    "omnipos_tui.wiring.accounting",
    "omnipos_tui.wiring.carriers",
    "omnipos_tui.wiring.saft_file",
    "omnipos_tui.wiring.saft_helper",
)


def test_importing_the_till_and_the_services_loads_no_stock_order_export_or_accounting_code() -> (
    None
):
    probe = (
        "import json, sys, omnipos_tui.bootstrap, omnipos_tui.ui.wiring, omnipos_tui.cli.state\n"
        f"print(json.dumps([m for m in {LATER_AREAS!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_the_screens_after_the_log_in_screen_are_not_imported_to_build_the_till() -> None:
    probe = (
        "import json, sys, omnipos_tui.ui.wiring\n"
        "from omnipos_tui.ui.app import LATER_SCREENS\n"
        "later = [*LATER_SCREENS, 'omnipos_tui.ui.screens.payment']\n"
        "print(json.dumps([m for m in later if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


async def test_the_later_screens_are_imported_once_the_log_in_screen_is_on_screen(
    staff: FakeStaff, sale: FakeSale, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, bool, bool]] = []

    def on_start(app: OmniposTill) -> None:
        seen.append(("devices", isinstance(app.screen, LoginScreen), app.screen.is_mounted))

    app = build_app(
        authenticate=staff.authenticate,
        login_info=login_info,
        sale=sale,
        clock=FixedClock(FROZEN).now,
        on_start=on_start,
    )

    def import_one(name: str) -> None:
        seen.append((name, isinstance(app.screen, LoginScreen), app.screen.is_mounted))

    monkeypatch.setattr(app_module, "_import", import_one)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    # Each screen on the main thread, then the device channels (whose worker imports drivers).
    assert seen == [(name, True, True) for name in (*LATER_SCREENS, "devices")]
    assert "omnipos_tui.ui.screens.sale" in LATER_SCREENS


async def test_the_device_channels_start_only_after_the_log_in_screen_is_on_screen(
    staff: FakeStaff, sale: FakeSale
) -> None:
    seen: list[tuple[bool, bool]] = []

    def on_start(app: OmniposTill) -> None:
        screen = app.screen
        seen.append((isinstance(screen, LoginScreen), screen.is_mounted))

    app = build_app(
        authenticate=staff.authenticate,
        login_info=login_info,
        sale=sale,
        clock=FixedClock(FROZEN).now,
        on_start=on_start,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert seen == [(True, True)]


async def test_the_first_log_in_freezes_the_start_up_heap_only_when_the_till_asks_for_it(
    make_app: AppFactory,
) -> None:
    gc.unfreeze()
    try:
        plain = make_app()
        async with plain.run_test(size=(80, 24)) as pilot:
            await pilot.press(*"1043", "enter", *"1234", "enter")
            await pilot.pause()
            assert isinstance(plain.screen, SaleScreen)
        assert gc.get_freeze_count() == 0
        till = make_app()
        till.freeze_heap_at_log_in = True
        async with till.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.get_freeze_count() == 0  # not before someone has logged in
            await pilot.press(*"1043", "enter", *"1234", "enter")
            await pilot.pause()
            assert isinstance(till.screen, SaleScreen)
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


async def test_the_heap_is_frozen_only_after_the_later_screens_have_loaded(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    till = make_app()
    till.freeze_heap_at_log_in = True
    frozen_when_loaded: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen_when_loaded.append(till._screens_loaded))
    async with till.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        till._screens_loaded = False  # as when a cashier logs in before they are in
        till._freeze_heap()
        await pilot.pause(0.2)
        assert frozen_when_loaded == []
        till._screens_loaded = True
        await pilot.pause(0.2)
    assert frozen_when_loaded == [True]


async def test_a_collector_paused_for_start_up_is_turned_on_once_the_log_in_screen_is_drawn(
    make_app: AppFactory,
) -> None:
    try:
        for paused in (True, False):
            gc.disable()
            app = make_app()
            app.collector_paused_until_shown = paused
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, LoginScreen)
                assert gc.isenabled() is paused
    finally:
        gc.enable()


def test_the_till_raises_textuals_frame_cap_unless_the_environment_sets_one() -> None:
    probe = (
        "from omnipos_tui.startup import use_till_frame_rate\n"
        "use_till_frame_rate()\n"
        "from textual import constants\n"
        "print(constants.MAX_FPS)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    default = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    assert default.stdout.strip() == str(TILL_FPS)
    chosen = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "TEXTUAL_FPS": "30"},
    )
    assert chosen.stdout.strip() == "30"


#: Loaded for a till's first sale (and the web shop, the exports), never for its log-in screen.
LATER_USE_CASES = (
    "omnipos_tui.services.orders.pickup",
    "omnipos_tui.services.orders.service",
    "omnipos_tui.services.webshop.sync",
    "omnipos_tui.services.webshop.outbound",
    "omnipos_tui.core.webshop.settlement",
    "stdnum",
    # Made or imported on first use (storage/unit_of_work.py, bootstrap.py).
    *(f"omnipos_tui.storage.{name}" for name in ("orders", "purchasing", "stock")),
    *(f"omnipos_tui.storage.{name}" for name in ("stock_documents", "webshop", "export_reader")),
    "omnipos_tui.core.orders.ports",
    "omnipos_tui.core.stock.ports",
    "omnipos_tui.core.webshop.ports",
    "omnipos_tui.services.ledger.export",
    "omnipos_tui.services.stock.posting",
    "omnipos_tui.wiring.carriers",
    "omnipos_tui.wiring.saft_file",
    "omnipos_tui.wiring.saft_helper",
)


def test_building_a_till_without_a_web_shop_loads_no_order_web_shop_or_stdnum_code(
    tmp_path: os.PathLike[str],
) -> None:
    probe = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from omnipos_tui.bootstrap import build\n"
        "from omnipos_tui.settings import Override, load_settings\n"
        "from omnipos_tui.ui.wiring import build_till\n"
        "settings = load_settings(Path('config/simulated.toml'), overrides=(\n"
        f"    Override('paths.data_dir', {str(tmp_path)!r}, '--data-dir'),), environ={{}})\n"
        "services = build(settings)\n"
        "build_till(services)\n"
        f"wanted = {LATER_USE_CASES!r}\n"
        "before = [m for m in wanted if m in sys.modules]\n"
        "services.prepare_for_sales()\n"
        "print(json.dumps([before, 'omnipos_tui.services.orders.pickup' in sys.modules]))\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=root
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [[], True]

"""The real till on a real SQLite shop: the gaps closed after phase 2 (the shop's name in
the headers, an unknown scan blocking payment, ...), each checked through the services and
the journal as well as on screen."""

from __future__ import annotations

from pathlib import Path

from omnipos_tui.ui.screens.login import LoginScreen

from .till_shop import log_in, make_till, open_shop, settle, top


async def test_the_lock_screen_and_the_sale_screen_name_the_shop(tmp_path: Path) -> None:
    services = open_shop(tmp_path)
    till = make_till(services)
    assert services.register.status("1").shop_name == "Testbutikken AS"
    async with till.app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        login = top(pilot)
        assert isinstance(login, LoginScreen)
        header = str(login.query_one("#login-header").render())
        assert "OmniPOS · Kasse 1 · Testbutikken AS" in header
        assert header.count("Kasse 1") == 1
        screen = await log_in(pilot)
        assert screen.view.header.shop == "Testbutikken AS"
        sale_header = str(screen.query_one("#sale-header").render())
        # The shop's name comes last: at 80 columns a long name is cropped, never the
        # receipt number.
        assert sale_header.startswith("Kasse 1 · Kari (1) · Salg 000001 · Testbut")
    services.close()

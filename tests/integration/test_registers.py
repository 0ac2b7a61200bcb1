"""Registers come only from the setup (issue 10, item 7): a till, a sale or a report on a
register the shop does not have is refused before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_support import CASHIER, MILK, cash_sale, open_shop

from omnipos_tui.core.errors import NotFound
from omnipos_tui.services.sales import opening


def test_a_till_a_sale_and_a_report_on_an_unknown_register_are_refused(tmp_path: Path) -> None:
    services, clock = open_shop(tmp_path)
    try:
        before = list(services.journal.events())
        with pytest.raises(NotFound, match=r"no register '7' \(known: 1\)"):
            services.register.start("7")
        with pytest.raises(NotFound, match="no register '7'"):
            opening.resume_or_open(services.sales, "7", CASHIER)
        with pytest.raises(NotFound, match="no register '7'"):
            services.reports.x_report("7", employee="")
        assert list(services.journal.events()) == before
        assert [r.register_id for r in services.journal.registers()] == ["1"]
        services.setup.add_register("7", "Kasse 7")
        services.register.start("7")
        assert cash_sale(services, clock, MILK, register_id="7").receipt_id == "7-1"
    finally:
        services.close()

"""Card tips at the till (issue 10, item 27): the customer adds a tip on the terminal, the
terminal approves more than it was sent, and the difference is the cashier's tip: on the
card payment with the employee, on the receipt, in the X report's tip total, never in the
sale's total, its payments or its VAT. With the simulated terminal's ``tip:`` script, and
over the Concert V2 simulator on a pseudo-terminal through the real driver."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.geometry import Region

from drivers.terminal import ConcertTerminalSimulator, SimulatedCardTerminal, parse_script
from omnipos_tui.bootstrap import Services
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.model import CountAmount
from omnipos_tui.exports.saft import SCHEMA
from omnipos_tui.services.sales import receipts
from omnipos_tui.ui.screens.cash_count import ReportScreen

from .till_shop import MILK, log_in, make_till, open_shop, receipt_printer, scan, settle


@pytest.fixture
def concert() -> Iterator[tuple[str, SimulatedCardTerminal]]:
    """The Concert V2 simulator on a pseudo-terminal; its customer adds 20,00 in tip."""
    terminal = SimulatedCardTerminal(parse_script("tip:20,00"))
    simulator = ConcertTerminalSimulator(terminal, byte_timeout=1.0)
    path = simulator.start()
    yield path, terminal
    simulator.stop()


async def pay_milk_by_card(services: Services) -> None:
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        screen = await log_in(pilot)
        await scan(pilot, MILK)  # 21,90
        await pilot.press("f10")
        await settle(pilot)
        assert screen.view.last_event is not None
        assert screen.view.last_event.text == "Betalt – takk! Driks 20,00 registrert"
        await pilot.press("f12", "1")  # the X report on screen
        await settle(pilot)
        shown = pilot.app.screen
        assert isinstance(shown, ReportScreen)
        body = shown.query_one(".dialog-body")
        strips = body.render_lines(Region(0, 0, body.size.width, body.size.height))
        rows = [strip.text.strip() for strip in strips]
        assert any(
            r.startswith("Driks på kort (1), ikke salg") and r.endswith("20,00") for r in rows
        )
        assert any(r.startswith("Salg inkl. MVA") and r.endswith("21,90") for r in rows)
        await pilot.press("escape")


def check_tipped_sale(services: Services) -> None:
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    tx = receipts.transaction(services.sales, receipt)
    (payment,) = tx.payments
    # The sale is 21,90 whatever the card was charged: no revenue, no VAT from the tip.
    assert (tx.total, tx.total_ex_vat) == (Money(2190), Money(1904))
    assert (payment.tender, payment.amount, payment.tip) == (
        TenderKind.CARD,
        Money(2190),
        Money(2000),
    )
    assert payment.employee == "1"
    assert tx.tips() == Money(2000)
    assert tx.paid() == tx.total + tx.rounding
    documents = {d.title.split()[0]: d.text() for d in receipt_printer(services).documents}
    printed = documents["Salgskvittering"]
    assert "41,90" in printed and "Herav driks (1)" in printed and "20,00" in printed
    assert "Driks (kort, ikke omsetning)" in documents["X-rapport"]
    report = services.reports.x_report("1", employee="1")
    assert report.tips == CountAmount(1, Money(2000))
    assert report.total_sales == Money(2190)
    assert [(p.tender, p.amount) for p in report.payments] == [(TenderKind.CARD, Money(2190))]
    assert sum(v.basis.ore + v.vat.ore for v in report.vat) == 2190


async def test_a_tip_from_the_simulated_terminals_script_is_the_cashiers_not_the_sales(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path / "shop", script="tip:20,00")
    await pay_milk_by_card(services)
    check_tipped_sale(services)
    services.reports.z_report("1", employee="1")
    result = services.export.export_saft(
        tmp_path / "export.xml", first_day=date(2026, 11, 27), last_day=date(2026, 11, 27)
    )
    xml = result.path.read_text(encoding="utf-8")
    assert "<raise><raiseType>DRIKS</raiseType><raiseAmnt>20.00</raiseAmnt>" in xml
    assert "<reportTip><tipNum>1</tipNum><tipAmnt>20.00</tipAmnt></reportTip>" in xml
    run = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMA), str(result.path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    services.close()


async def test_a_tip_over_the_concert_v2_simulator_on_a_pseudo_terminal(
    tmp_path: Path, concert: tuple[str, SimulatedCardTerminal]
) -> None:
    path, terminal = concert
    services = open_shop(tmp_path, terminal=f"concert:{path}")
    await pay_milk_by_card(services)
    check_tipped_sale(services)
    (done,) = terminal.transactions
    assert (done.kind, done.amount) == ("purchase", Money(2190))  # sent without the tip
    services.close()

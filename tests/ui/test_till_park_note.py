"""A park note is the cashier's reminder (issue 10, item 6): it helps find the parked sale
(F6) and stays with it and in the journal's payload, but it is not printed on the
customer's receipt and not exported in the SAF-T file (the file still validates)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.services.sales import receipts

from .till_shop import MILK, log_in, make_till, open_shop, receipt_printer, scan, settle

SCHEMA = (
    Path(__file__).resolve().parents[2]
    / "omnipos_tui"
    / "exports"
    / "schemas"
    / "Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd"
)


async def test_a_park_note_stays_off_the_receipt_and_out_of_the_saft_export(
    tmp_path: Path,
) -> None:
    services = open_shop(tmp_path / "shop")
    till = make_till(services)
    async with till.app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, MILK)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press(*"Stellan")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f6", "enter")  # recall it
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
    receipt = receipts.last_receipt_id(services.sales, "1")
    assert receipt is not None
    tx = receipts.transaction(services.sales, receipt)
    assert tx.note == ""
    printed = receipt_printer(services).documents[-1].text()
    assert "Tine Lettmelk" in printed and "Stellan" not in printed
    (parked,) = services.journal.events("1", codes=[EventCode.PARK])
    assert parked.payload["note"] == "Stellan"
    assert "Stellan" not in parked.text
    result = services.export.export_saft(
        tmp_path / "export.xml", first_day=date(2026, 11, 27), last_day=date(2026, 11, 27)
    )
    exported = result.path.read_text(encoding="utf-8")
    assert tx.trans_id in exported
    assert "Stellan" not in exported
    xmllint = shutil.which("xmllint")
    assert xmllint is not None, "xmllint is needed: apt-get install libxml2-utils"
    run = subprocess.run(
        [xmllint, "--noout", "--schema", str(SCHEMA), str(result.path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    services.close()

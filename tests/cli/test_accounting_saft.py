"""``omnipos accounting export --format saft-financial``: the demo shop's settlement vouchers
as SAF-T Financial, valid against Skatteetaten's XSD of the period's version (1.30 before
2027, 1.40 from 2027-01-01), and agreeing with the Z reports to the øre."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from cli_support import demo_shop, isolate, ok, ok_json
from lxml import etree

from omnipos_tui.cli.demo import run_seed
from omnipos_tui.demo.seed import SeedPlan
from omnipos_tui.integrations.accounting.saft_financial import SCHEMAS
from omnipos_tui.settings import AccountingSettings, PathSettings, Settings

NS = {"s": "urn:StandardAuditFile-Taxation-Financial:NO"}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("saft-financial") / "data"
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data_dir.parent)
        patch.setenv("OMNIPOS_ACCOUNTING__KIND", "file")
        ok(data_dir, "init", "--demo")
    return data_dir


@pytest.fixture
def shop(history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("OMNIPOS_ACCOUNTING__KIND", "file")
    return Path(shutil.copytree(history, tmp_path / "data"))


def _valid(path: Path, version: str) -> etree._ElementTree:
    result = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMAS[version]), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    tree = etree.parse(str(path))
    assert tree.findtext("s:Header/s:AuditFileVersion", namespaces=NS) == version
    return tree


def test_the_demo_shops_year_validates_against_the_1_30_xsd_and_agrees_with_its_zs(
    shop: Path, tmp_path: Path
) -> None:
    zs = [e["payload"]["report"] for e in ok_json(shop, "journal", "show", "--code", "ZREPORT")]
    days = sorted(z["business_day"] for z in zs)
    out = tmp_path / "saft-financial.xml"
    result = ok(shop, "accounting", "export", "--from", days[0], "--to", days[-1],
                "--format", "saft-financial", "-o", str(out))  # fmt: skip
    assert f"{len(zs)} voucher(s)" in result.stdout
    tree = _valid(out, "1.30")
    entries = tree.find("s:GeneralLedgerEntries", NS)
    assert entries is not None
    assert entries.findtext("s:NumberOfEntries", namespaces=NS) == str(len(zs))
    assert entries.findtext("s:TotalDebit", namespaces=NS) == entries.findtext(
        "s:TotalCredit", namespaces=NS
    )
    # Each Z's VAT per code is the tax booked on its transaction's lines.
    for z in zs:
        key = f"Z-{z['register_id']}-{z['report_no']}"
        [tx] = _nodes(tree.getroot(), f"//s:Transaction[s:TransactionID='{key}']")
        for rate in z["vat"]:
            taxed = _nodes(tx, f"s:Line/s:TaxInformation[s:TaxCode='{rate['vat_code']}']")
            tax = 0
            for t in taxed:
                amount = round(float(t.findtext("s:*/s:Amount", "0", NS)) * 100)
                tax += amount if t.find("s:CreditTaxAmount", NS) is not None else -amount
            assert tax == rate["vat"], (key, rate)
    # Accounts carry grouping codes; customers and the tax table are there.
    accounts = {
        a.findtext("s:AccountID", "", NS): a
        for a in _nodes(tree.getroot(), "//s:GeneralLedgerAccounts/s:Account")
    }
    assert set(accounts) >= {"1900", "3000", "2700"}
    assert accounts["3000"].findtext("s:GroupingCategory", "", NS) == "salgsinntekt"
    assert _nodes(tree.getroot(), "//s:Customers/s:Customer")
    assert _nodes(tree.getroot(), "//s:TaxTable//s:StandardTaxCode")


def _nodes(at: etree._Element, path: str) -> list[etree._Element]:
    found = at.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [n for n in found if isinstance(n, etree._Element)]


def test_a_period_from_2027_is_written_as_1_40_and_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("OMNIPOS_ACCOUNTING__KIND", "file")
    shop = tmp_path / "shop2027"
    demo_shop(shop)
    settings = Settings(
        paths=PathSettings(data_dir=str(shop)), accounting=AccountingSettings(kind="file")
    )
    # Trading days in January 2027 (the seeder moves its own clock).
    run_seed(settings, SeedPlan(days=3, sales_per_day=25, seed=5, last_day=date(2027, 1, 6)))
    out = tmp_path / "saft-2027.xml"
    result = ok(shop, "accounting", "export", "--from", "2027-01-01", "--to", "2027-01-31",
                "--format", "saft-financial", "-o", str(out))  # fmt: skip
    assert "3 voucher(s)" in result.stdout
    tree = _valid(out, "1.40")
    assert len(_nodes(tree.getroot(), "//s:Transaction")) == 3
    booked = ok_json(shop, "accounting", "status")
    assert [(v["key"], v["state"]) for v in booked] == [
        ("Z-1-1", "done"),
        ("Z-1-2", "done"),
        ("Z-1-3", "done"),
    ]


def test_an_unknown_format_is_refused_and_writes_nothing(shop: Path, tmp_path: Path) -> None:
    from cli_support import omnipos

    out = tmp_path / "x.xml"
    result = omnipos(shop, "accounting", "export", "--from", "2026-01-01", "--format", "pdf",
                     "-o", str(out))  # fmt: skip
    assert result.exit_code != 0 and "saft-financial" in result.output and not out.exists()
